"""Serializers of the inspections API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.inspections import selectors
from congdoan.inspections.models import (
    Body,
    Complaint,
    ComplaintKind,
    FollowUp,
    Inspected,
    Inspection,
    InspectionKind,
    OutsideKind,
    Recommendation,
)
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer


class InspectionSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    display_title = serializers.CharField(read_only=True, help_text="The subject, or the kind.")

    class Meta:
        model = Inspection
        fields = [
            "id", "unit", "kind", "body", "partners", "title", "display_title",
            "decision_number", "decision_date", "started_on", "ended_on",
        ]  # fmt: skip


class InspectedSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    display_name = serializers.CharField(
        source="label", read_only=True, help_text="The unit's or the body's name."
    )

    class Meta:
        model = Inspected
        fields = ["id", "inspection", "unit", "name", "outside_kind", "display_name"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "recommendation", "on", "action", "done"]


class RecommendationSerializer(serializers.ModelSerializer):
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "inspection", "target", "text", "due_on", "order", "done_on", "follow_ups"]


class InspectionDetailSerializer(InspectionSerializer):
    """One inspection as the caller sees it (`selectors.inspection_page`): the whole record for
    those who see the conducting unit; for those who see it through a unit inspected, only the
    units and recommendations within their scope (`others`: how many units are not shown)."""

    full = serializers.BooleanField(read_only=True)
    others = serializers.IntegerField(read_only=True)
    targets = InspectedSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta(InspectionSerializer.Meta):
        fields = [
            *InspectionSerializer.Meta.fields, "findings", "full", "others", "targets",
            "recommendations",
        ]  # fmt: skip

    def to_representation(self, instance: Inspection) -> dict[str, Any]:
        page = selectors.inspection_page(self.context["request"].user, instance)
        data = dict(InspectionSerializer(instance, context=self.context).data)
        data.update(
            findings=instance.findings,
            full=page.full,
            others=page.others,
            targets=InspectedSerializer(page.targets, many=True).data,
            recommendations=RecommendationSerializer(page.recommendations, many=True).data,
        )
        return data


class ComplaintSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    sender = serializers.SerializerMethodField(
        help_text="Who sent it; initials only unless the caller may see personal data."
    )

    class Meta:
        model = Complaint
        fields = [
            "id", "unit", "kind", "received_on", "sender", "summary", "resolved_on", "outcome",
        ]  # fmt: skip

    def get_sender(self, obj: Complaint) -> str:
        request = self.context.get("request")
        if request is not None and selectors.may_see_sender(request.user, obj):
            return obj.sender
        return selectors.masked(obj.sender)


# ---------------------------------------------------------------------------------------------
# Writes


class OutsideSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    outside_kind = serializers.ChoiceField(choices=OutsideKind.choices)


class InspectionWriteSerializer(serializers.Serializer):
    """A new inspection; for a change (PATCH), any of these fields but `unit`, `units` and
    `outside` (units are added and removed through /inspection-targets/)."""

    unit = UnitField(action=Action.INSPECTION_MANAGE, help_text="Code of the conducting unit.")
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    body = serializers.ChoiceField(choices=Body.choices)
    partners = serializers.CharField(required=False, allow_blank=True, max_length=500)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    decision_date = serializers.DateField(
        required=False, allow_null=True, input_formats=DATE_FORMATS
    )
    started_on = serializers.DateField(input_formats=DATE_FORMATS)
    ended_on = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    findings = serializers.CharField(required=False, allow_blank=True)
    units = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list,
        help_text="Ids of the units of the tree inspected.",
    )  # fmt: skip
    outside = OutsideSerializer(
        many=True, required=False, default=list, help_text="Bodies outside the tree inspected."
    )


class InspectedWriteSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(min_value=1, help_text="Id of the inspection.")
    unit = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Id of a unit of the tree."
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    outside_kind = serializers.ChoiceField(
        choices=OutsideKind.choices, required=False, allow_blank=True, default=""
    )


class RecommendationWriteSerializer(serializers.Serializer):
    inspection = serializers.IntegerField(min_value=1, help_text="Id of the inspection.")
    text = serializers.CharField()
    target = serializers.IntegerField(
        min_value=1, required=False, allow_null=True,
        help_text="Id of the unit inspected it is addressed to (none: to all).",
    )  # fmt: skip
    due_on = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    order = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=999)


class RecommendationChangeSerializer(RecommendationWriteSerializer):
    inspection = None  # type: ignore[assignment]


class FollowUpWriteSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField(min_value=1, help_text="Id of the recommendation.")
    on = serializers.DateField(input_formats=DATE_FORMATS)
    action = serializers.CharField()
    done = serializers.BooleanField(required=False, default=False)


class ComplaintWriteSerializer(serializers.Serializer):
    """A new case; for a change (PATCH), any of these fields but `unit`."""

    unit = UnitField(action=Action.INSPECTION_MANAGE, help_text="Code of the handling unit.")
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    received_on = serializers.DateField(input_formats=DATE_FORMATS)
    sender = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField()
    resolved_on = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    outcome = serializers.CharField(required=False, allow_blank=True)
