"""Serializers of the organisation API. They only translate rows into JSON; reads happen in
`congdoan.organisation.selectors`."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.organisation import divisions
from congdoan.organisation.models import (
    Cluster,
    ClusterKind,
    ClusterMembership,
    CommitteeKind,
    CommitteeSeat,
    Level,
    LineageLink,
    OwnershipType,
    Position,
    ReorgEvent,
    Sector,
    Term,
    Unit,
    UnitType,
    UnitVersion,
)

MAX_DEPTH = 10
DEFAULT_TREE_DEPTH = 2

# ---------------------------------------------------------------------------------------------
# Catalogues


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["id", "code", "name", "rank"]


class UnitTypeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = UnitType
        fields = ["id", "code", "name", "short_name"]


class UnitTypeSerializer(serializers.ModelSerializer):
    level = LevelSerializer(read_only=True)

    class Meta:
        model = UnitType
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "is_grassroots",
            "valid_from",
            "valid_to",
            "order",
        ]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name"]


class OwnershipTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OwnershipType
        fields = ["id", "code", "name", "is_enterprise", "is_state", "order"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "name", "committee", "order"]


class PositionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "code", "name"]


# ---------------------------------------------------------------------------------------------
# Units


class UnitRefSerializer(serializers.ModelSerializer):
    """A unit named by id, code and names only."""

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "short_name"]


class VisibleMixin(serializers.Serializer):
    visible = serializers.SerializerMethodField(
        help_text="Whether the caller may open this unit (it lies within their scope)."
    )

    def get_visible(self, unit: Unit) -> bool:
        return path_in_scope(self.context["request"].user, Action.ORGANISATION_VIEW, unit.path)


class UnitRefVisibleSerializer(VisibleMixin, UnitRefSerializer):
    class Meta(UnitRefSerializer.Meta):
        fields = [*UnitRefSerializer.Meta.fields, "visible"]


class UnitSummarySerializer(serializers.ModelSerializer):
    unit_type = UnitTypeRefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "unit_type",
            "parent",
            "depth",
            "founded_on",
            "dissolved_on",
            "is_active",
        ]


class AncestorSerializer(VisibleMixin, UnitSummarySerializer):
    class Meta(UnitSummarySerializer.Meta):
        fields = [*UnitSummarySerializer.Meta.fields, "visible"]


class UnitListSerializer(UnitSummarySerializer):
    level = LevelSerializer(source="unit_type.level", read_only=True)

    class Meta(UnitSummarySerializer.Meta):
        fields = [*UnitSummarySerializer.Meta.fields, "level", "province_code"]


class AddressSerializer(serializers.Serializer):
    """Address of a unit or of one of its versions (post-2025 provinces and communes)."""

    province_code = serializers.IntegerField(allow_null=True)
    province_name = serializers.SerializerMethodField()
    ward_code = serializers.IntegerField(allow_null=True)
    ward_name = serializers.SerializerMethodField()
    street = serializers.CharField(source="address")

    def get_province_name(self, obj: Any) -> str:
        return divisions.province_name(obj.province_code)

    def get_ward_name(self, obj: Any) -> str:
        return divisions.ward_name(obj.ward_code)


class UnitDetailSerializer(UnitListSerializer):
    parent = UnitRefSerializer(read_only=True, allow_null=True)
    sector = SectorSerializer(read_only=True, allow_null=True)
    ownership = OwnershipTypeSerializer(read_only=True, allow_null=True)
    address = AddressSerializer(source="*", read_only=True)

    class Meta(UnitListSerializer.Meta):
        fields = [
            *UnitListSerializer.Meta.fields,
            "sector",
            "ownership",
            "address",
            "dissolution_reason",
            "phone",
            "email",
            "updated_at",
        ]


class EventRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReorgEvent
        fields = ["id", "kind", "effective_date", "decision_ref"]


class UnitVersionSerializer(serializers.ModelSerializer):
    """The unit as it was during [valid_from, valid_to) (valid_to null: still so)."""

    unit_type = UnitTypeRefSerializer(read_only=True)
    parent = UnitRefSerializer(read_only=True, allow_null=True)
    sector = SectorSerializer(read_only=True, allow_null=True)
    ownership = OwnershipTypeSerializer(read_only=True, allow_null=True)
    address = AddressSerializer(source="*", read_only=True)
    event = EventRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = UnitVersion
        fields = [
            "valid_from",
            "valid_to",
            "code",
            "name",
            "short_name",
            "unit_type",
            "parent",
            "sector",
            "ownership",
            "address",
            "event",
        ]


class LineageLinkSerializer(serializers.ModelSerializer):
    event = EventRefSerializer(read_only=True)

    class Meta:
        model = LineageLink
        fields = ["unit", "event", "members_moved", "children_moved"]


class CameFromSerializer(LineageLinkSerializer):
    unit = UnitRefVisibleSerializer(source="source", read_only=True)


class BecameSerializer(LineageLinkSerializer):
    unit = UnitRefVisibleSerializer(source="target", read_only=True)


class LineageSerializer(serializers.Serializer):
    came_from = CameFromSerializer(many=True, read_only=True)
    became = BecameSerializer(many=True, read_only=True)


class ChildrenQuerySerializer(serializers.Serializer):
    include_dissolved = serializers.BooleanField(
        required=False, default=False, help_text="Also list dissolved children (last)."
    )


# ---------------------------------------------------------------------------------------------
# The tree as of a date


class AsOfQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text="Date (YYYY-MM-DD) of the tree to show; today when absent.",
    )


class SubtreeQuerySerializer(AsOfQuerySerializer):
    depth = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_DEPTH,
        help_text="Levels below the unit to include; all when absent.",
    )


class TreeQuerySerializer(AsOfQuerySerializer):
    # Declared fields shadow `Field.root`/`.parent`/`.label` only for the type checker: DRF's
    # metaclass moves them off the class.
    root = serializers.IntegerField(  # type: ignore[assignment]
        required=False,
        min_value=1,
        help_text="Id of the unit at the top; the caller's topmost units when absent.",
    )
    depth = serializers.IntegerField(
        required=False,
        default=DEFAULT_TREE_DEPTH,
        min_value=0,
        max_value=MAX_DEPTH,
        help_text="Levels below each top unit to include.",
    )


class NodeSerializer(serializers.Serializer):
    """A unit as it stood on the requested date."""

    id = serializers.IntegerField(help_text="Id of the unit.")
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    unit_type = UnitTypeRefSerializer()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    depth = serializers.IntegerField()
    valid_from = serializers.DateField(help_text="Since when the unit stood like this.")


class TreeNodeSerializer(serializers.Serializer):
    """A unit as it stood on the requested date, with the units below it."""

    id = serializers.IntegerField(help_text="Id of the unit.")
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    unit_type = UnitTypeRefSerializer()


# Recursive: a node's children are nodes (declared after the class exists).
TreeNodeSerializer._declared_fields["children"] = TreeNodeSerializer(many=True)


class TreeSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    depth = serializers.IntegerField()
    roots = TreeNodeSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Clusters


class ClusterYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    head = UnitSummarySerializer(allow_null=True, help_text="The head unit (cụm trưởng).")
    members = UnitSummarySerializer(many=True, help_text="Every member unit, head first.")


class ClusterSerializer(serializers.ModelSerializer):
    organiser = UnitRefSerializer(read_only=True)
    years = serializers.SerializerMethodField(help_text="Membership per year, latest year first.")

    class Meta:
        model = Cluster
        fields = ["id", "code", "name", "kind", "organiser", "description", "years"]

    @extend_schema_field(ClusterYearSerializer(many=True))
    def get_years(self, cluster: Cluster) -> list[dict[str, Any]]:
        memberships: list[ClusterMembership] = sorted(
            cluster.memberships.all(), key=lambda m: (-m.year, not m.is_head)
        )
        years = []
        for year, rows in groupby(memberships, key=lambda m: m.year):
            members = list(rows)
            head = next((m.unit for m in members if m.is_head), None)
            years.append(
                {
                    "year": year,
                    "head": UnitSummarySerializer(head).data if head else None,
                    "members": UnitSummarySerializer([m.unit for m in members], many=True).data,
                }
            )
        return years


# ---------------------------------------------------------------------------------------------
# Terms


class SeatSerializer(serializers.ModelSerializer):
    position = PositionRefSerializer(read_only=True)

    class Meta:
        model = CommitteeSeat
        fields = [
            "id",
            "committee",
            "position",
            "full_name",
            "job_title",
            "start_date",
            "end_date",
            "end_reason",
        ]


class TermSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    roman = serializers.CharField(read_only=True, help_text="Congress number in Roman numerals.")
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Term
        fields = [
            "id",
            "unit",
            "number",
            "roman",
            "label",
            "start_year",
            "end_year",
            "congress_date",
        ]


class TermDetailSerializer(TermSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta(TermSerializer.Meta):
        fields = [*TermSerializer.Meta.fields, "note", "seats"]


# ---------------------------------------------------------------------------------------------
# Writes: what a request names, translated for the services (which check every rule)

DATE_FORMATS = ["%d/%m/%Y", "iso-8601"]
YEAR_MIN, YEAR_MAX = 1900, 2200


@extend_schema_field({"type": "string", "example": "A1"})
class UnitField(serializers.Field):
    """A unit within the caller's scope for `action`, by code (or id), as the pages' unit fields
    (`organisation.forms.UnitChoiceField`): any other is "not found"."""

    def __init__(self, *, action: Action, **kwargs: Any):
        self.action = action
        kwargs.setdefault("help_text", "Unit code (or id) within the caller's scope.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Unit:
        from django.core.exceptions import ValidationError

        from congdoan.organisation.forms import UnitChoiceField

        field = UnitChoiceField(user=self.context["request"].user, action=self.action)
        try:
            unit: Unit = field.clean(data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return unit

    def to_representation(self, value: Unit) -> str:
        return value.code


def _year(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class ClusterWriteSerializer(serializers.Serializer):
    """A new cluster; for a change (PATCH), any of these fields."""

    organiser = UnitField(
        action=Action.ORGANISATION_MANAGE_CLUSTERS,
        help_text="Code of the organising unit, where the caller manages clusters.",
    )
    code = serializers.CharField(
        max_length=40, help_text="Letters without diacritics, digits, '-' and '_'."
    )
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ClusterKind.choices, default=ClusterKind.CLUSTER)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ClusterBriefSerializer(serializers.ModelSerializer):
    """A cluster named by id, code and name only."""

    class Meta:
        model = Cluster
        fields = ["id", "code", "name"]


class ClusterMembershipSerializer(serializers.ModelSerializer):
    """A unit's membership of a cluster in one year."""

    cluster = ClusterBriefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = ClusterMembership
        fields = ["id", "cluster", "year", "unit", "is_head"]


class MembersQuerySerializer(serializers.Serializer):
    year = _year(required=False, help_text="Only the members of this year.")


class ClusterMemberAddSerializer(serializers.Serializer):
    unit = UnitField(
        action=Action.ORGANISATION_MANAGE_CLUSTERS,
        help_text="Code of a unit under the organising unit.",
    )
    year = _year()
    is_head = serializers.BooleanField(
        default=False, help_text="Whether it becomes the head unit (cụm trưởng) of that year."
    )


class CopyYearSerializer(serializers.Serializer):
    from_year = _year(help_text="The year whose members are copied.")
    to_year = _year(help_text="The year they are copied into.")


class CopiedSerializer(serializers.Serializer):
    copied = serializers.IntegerField(help_text="How many memberships were added.")


class TermCreateSerializer(serializers.Serializer):
    unit = UnitField(
        action=Action.ORGANISATION_MANAGE_TERMS,
        help_text="Code of the unit, where the caller manages terms.",
    )
    number = serializers.IntegerField(min_value=1, max_value=100, help_text="Congress number.")
    start_year = _year()
    end_year = _year()
    congress_date = serializers.DateField(
        input_formats=DATE_FORMATS, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SeatAddSerializer(serializers.Serializer):
    committee = serializers.ChoiceField(choices=CommitteeKind.choices)
    position = serializers.SlugRelatedField(
        slug_field="code", queryset=Position.objects.all(), help_text="Code of the position."
    )
    full_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="May be left empty when a membership card number is given.",
    )
    card_number = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="Membership card number of a member within the caller's scope: links the seat "
        "to the member's record.",
    )
    job_title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(
        input_formats=DATE_FORMATS, help_text="dd/mm/yyyy or yyyy-mm-dd."
    )


class SeatEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(
        input_formats=DATE_FORMATS, help_text="dd/mm/yyyy or yyyy-mm-dd."
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
