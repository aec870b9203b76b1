"""Serializers of the reorganisation API. Requests are translated into the keyword arguments of
`congdoan.reorganisation.services`; units are named by code (or id) within the caller's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.organisation.models import (
    LineageLink,
    OwnershipType,
    ReorgEvent,
    ReorgKind,
    ReorgPlan,
    Sector,
    Unit,
    UnitType,
)
from congdoan.reorganisation.selectors import child_of, member_of, unit_by_code_or_id
from congdoan.reorganisation.services import NewUnit

DATE_FORMATS = ["%d/%m/%Y", "iso-8601"]


@extend_schema_field({"type": "string", "example": "A1"})
class UnitCodeField(serializers.Field):
    """A unit within the caller's scope for `action`, by code or id; others are "not found"."""

    default_error_messages = {
        "not_found": _("Unit %(code)s was not found within your scope."),
    }

    def __init__(self, *, action: Action = Action.ORGANISATION_REORGANISE, **kwargs: Any):
        self.action = action
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Unit:
        text = str(data).strip()
        user = self.context["request"].user
        unit = unit_by_code_or_id(user, text, action=self.action)
        if unit is None:
            self.fail("not_found", code=text)
        return unit

    def to_representation(self, value: Unit) -> str:
        return value.code


class OperationSerializer(serializers.Serializer):
    effective_date = serializers.DateField(
        input_formats=DATE_FORMATS, help_text="dd/mm/yyyy or yyyy-mm-dd."
    )
    decision_ref = serializers.CharField(max_length=120, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    dry_run = serializers.BooleanField(
        default=True,
        help_text="True (the default): preview only, nothing changes. False: apply.",
    )

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        return {
            "day": d["effective_date"],
            "decision_ref": d.get("decision_ref", ""),
            "note": d.get("note", ""),
        }


class NewUnitSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=300)
    short_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    unit_type = serializers.SlugRelatedField(slug_field="code", queryset=UnitType.objects.all())
    parent = UnitCodeField()  # type: ignore[assignment]  # a DRF declared field
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    ownership = serializers.SlugRelatedField(
        slug_field="code", queryset=OwnershipType.objects.all(), required=False, allow_null=True
    )

    def to_new_unit(self, data: dict[str, Any]) -> NewUnit:
        return NewUnit(
            code=data["code"].strip().upper(),
            name=data["name"],
            short_name=data.get("short_name", ""),
            unit_type=data["unit_type"],
            parent=data["parent"],
            sector=data.get("sector"),
            ownership=data.get("ownership"),
        )


class CreateRequestSerializer(OperationSerializer, NewUnitSerializer):
    def service_kwargs(self) -> dict[str, Any]:
        return {"new": self.to_new_unit(self.validated_data), **super().service_kwargs()}


class UpdateRequestSerializer(OperationSerializer):
    unit = UnitCodeField(action=Action.ORGANISATION_CHANGE)
    code = serializers.CharField(max_length=32, required=False)
    name = serializers.CharField(max_length=300, required=False)
    short_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    unit_type = serializers.SlugRelatedField(
        slug_field="code", queryset=UnitType.objects.all(), required=False
    )
    sector = serializers.SlugRelatedField(
        slug_field="code", queryset=Sector.objects.all(), required=False, allow_null=True
    )
    ownership = serializers.SlugRelatedField(
        slug_field="code", queryset=OwnershipType.objects.all(), required=False, allow_null=True
    )

    FIELDS = ("code", "name", "short_name", "unit_type", "sector", "ownership")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not any(f in attrs for f in self.FIELDS):
            raise serializers.ValidationError(_("Enter at least one new value."))
        return attrs

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        values = {f: d[f] for f in self.FIELDS if f in d}
        return {"unit": d["unit"], "values": values, **super().service_kwargs()}


class MoveRequestSerializer(OperationSerializer):
    unit = UnitCodeField()
    new_parent = UnitCodeField()

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        return {"unit": d["unit"], "new_parent": d["new_parent"], **super().service_kwargs()}


class MergeRequestSerializer(OperationSerializer):
    sources = serializers.ListField(child=UnitCodeField(), min_length=1)
    target = UnitCodeField(required=False, help_text="An existing receiving unit.")
    new_target = NewUnitSerializer(
        required=False, help_text="Or a receiving unit created in the same operation."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("target" in attrs) == ("new_target" in attrs):
            raise serializers.ValidationError(
                {"target": _("Name one receiving unit: an existing unit or a new one.")}
            )
        return attrs

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        new = d.get("new_target")
        return {
            "sources": d["sources"],
            "target": d.get("target"),
            "new_target": NewUnitSerializer().to_new_unit(new) if new else None,
            **super().service_kwargs(),
        }


class MemberAssignmentSerializer(serializers.Serializer):
    member = serializers.CharField(help_text="Membership card number or member id.")
    target = serializers.CharField(help_text="Code of a receiving unit.")


class ChildAssignmentSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Code of a unit directly below the split unit.")
    target = serializers.CharField(help_text="Code of a receiving unit.")


class SplitRequestSerializer(OperationSerializer):
    source = UnitCodeField()  # type: ignore[assignment]  # a DRF declared field
    targets = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "Codes of the receiving units in order: existing units or codes of `new_targets`; "
            "new units not listed follow. Members and units not assigned go to the first one."
        ),
    )
    new_targets = NewUnitSerializer(many=True, required=False)
    member_assignments = MemberAssignmentSerializer(many=True, required=False)
    child_assignments = ChildAssignmentSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        helper = NewUnitSerializer()
        new = {n.code: n for n in (helper.to_new_unit(x) for x in attrs.get("new_targets", []))}
        codes = [c.strip().upper() for c in attrs.get("targets", [])]
        codes += [c for c in new if c not in codes]
        field = UnitCodeField()
        field.bind("targets", self)
        targets: list[Any] = [new[c] if c in new else field.to_internal_value(c) for c in codes]
        source: Unit = attrs["source"]
        members: dict[int, str] = {}
        for a in attrs.get("member_assignments", []):
            m = member_of(source, a["member"])
            if m is None:
                raise serializers.ValidationError(
                    {
                        "member_assignments": _("Not members of %(unit)s: %(keys)s.")
                        % {"unit": source.code, "keys": a["member"]}
                    }
                )
            members[m.pk] = a["target"]
        children: dict[int, str] = {}
        for a in attrs.get("child_assignments", []):
            c = child_of(source, a["unit"])
            if c is None:
                raise serializers.ValidationError(
                    {
                        "child_assignments": _("Not directly under %(unit)s: %(keys)s.")
                        % {"unit": source.code, "keys": a["unit"]}
                    }
                )
            children[c.pk] = a["target"]
        attrs["_targets"], attrs["_members"], attrs["_children"] = targets, members, children
        return attrs

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        return {
            "source": d["source"],
            "targets": d["_targets"],
            "member_targets": d["_members"],
            "child_targets": d["_children"],
            **super().service_kwargs(),
        }


class DissolveRequestSerializer(OperationSerializer):
    unit = UnitCodeField()
    members_to = UnitCodeField(
        required=False,
        allow_null=True,
        help_text="Receiving unit of the members; empty: they leave the union (unit dissolved).",
    )
    children_to = UnitCodeField(
        required=False, allow_null=True, help_text="Receiving unit of the units below."
    )

    def service_kwargs(self) -> dict[str, Any]:
        d = self.validated_data
        return {
            "unit": d["unit"],
            "members_to": d.get("members_to"),
            "children_to": d.get("children_to"),
            **super().service_kwargs(),
        }


# ---------------------------------------------------------------------------------------------
# Answers


class ChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text="create, update, move, dissolve, member_transfer or member_exit"
    )
    text = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    create = serializers.IntegerField(help_text="Units created")  # type: ignore[assignment]  # a DRF declared field
    update = serializers.IntegerField(help_text="Units updated")  # type: ignore[assignment]  # a DRF declared field
    move = serializers.IntegerField(help_text="Units moved")
    dissolve = serializers.IntegerField(help_text="Units dissolved")
    member_transfer = serializers.IntegerField(help_text="Members transferred")
    member_exit = serializers.IntegerField(help_text="Members leaving the union")


class ResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    changes = ChangeSerializer(many=True)
    totals = TotalsSerializer()
    event = serializers.IntegerField(
        allow_null=True, help_text="Id of the recorded event; null on a dry run."
    )


class ReorgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name"]


class LinkSerializer(serializers.ModelSerializer):
    source = ReorgUnitSerializer()  # type: ignore[assignment]  # a DRF declared field
    target = ReorgUnitSerializer()

    class Meta:
        model = LineageLink
        fields = ["source", "target", "members_moved", "children_moved"]


class EventSerializer(serializers.ModelSerializer):
    # A plain string: the organisation API already names the ReorgKind enum (EventRef.kind).
    kind = serializers.CharField(help_text="create, update, move, merge, split or dissolve")
    kind_display = serializers.CharField(source="get_kind_display")
    actor = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField(help_text="Affected units within your scope.")
    links = LinkSerializer(many=True)
    member_events = serializers.IntegerField(source="member_event_count")

    class Meta:
        model = ReorgEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "effective_date",
            "decision_ref",
            "note",
            "plan",
            "plan_row",
            "actor",
            "recorded_at",
            "units",
            "links",
            "member_events",
            "summary",
        ]

    def get_actor(self, obj: ReorgEvent) -> str:
        return str(obj.actor) if obj.actor else ""

    @extend_schema_field(ReorgUnitSerializer(many=True))
    def get_units(self, obj: ReorgEvent) -> list[dict[str, Any]]:
        user = self.context["request"].user
        units = [
            u
            for u in obj.affected_units.all()
            if path_in_scope(user, Action.ORGANISATION_VIEW, u.path)
        ]
        return ReorgUnitSerializer(units, many=True).data  # type: ignore[return-value]


class EventQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReorgKind.choices, required=False)
    date_from = serializers.DateField(input_formats=DATE_FORMATS, required=False)
    date_to = serializers.DateField(input_formats=DATE_FORMATS, required=False)


class PlanErrorSerializer(serializers.Serializer):
    file = serializers.CharField()
    sheet = serializers.CharField(allow_blank=True)
    row = serializers.IntegerField(allow_null=True, help_text="Row as seen in Excel (header = 1).")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class PlanLineSerializer(ChangeSerializer):
    row = serializers.IntegerField()
    op = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    unit = ReorgUnitSerializer()
    created_by = serializers.CharField(read_only=True)
    applied_by = serializers.CharField(read_only=True, allow_null=True)
    errors = PlanErrorSerializer(many=True)  # type: ignore[assignment]  # a DRF declared field
    preview = PlanLineSerializer(many=True)
    totals = serializers.SerializerMethodField()
    row_count = serializers.SerializerMethodField()

    class Meta:
        model = ReorgPlan
        fields = [
            "id",
            "title",
            "unit",
            "effective_date",
            "decision_ref",
            "source_filename",
            "status",
            "row_count",
            "errors",
            "preview",
            "totals",
            "created_by",
            "created_at",
            "applied_by",
            "applied_at",
        ]

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, obj: ReorgPlan) -> dict[str, int]:
        from congdoan.reorganisation.plans import preview_totals

        return preview_totals(obj.preview)

    def get_row_count(self, obj: ReorgPlan) -> int:
        return len(obj.rows or [])


class PlanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx or .csv, at most 5 MB and 5,000 rows.")
    effective_date = serializers.DateField(
        input_formats=DATE_FORMATS,
        required=False,
        allow_null=True,
        help_text="The plan's effective date, unless every row carries it.",
    )
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    decision_ref = serializers.CharField(max_length=120, required=False, allow_blank=True)
    unit = UnitCodeField(required=False, help_text="Owner unit; default: your own unit.")


class PlanApplySerializer(serializers.Serializer):
    events = serializers.ListField(child=serializers.IntegerField())
    plan = PlanSerializer()
