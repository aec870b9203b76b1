"""Serializers of the emulation API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.emulation.models import (
    ClusterProposal,
    CriteriaGroup,
    Criterion,
    Movement,
    MovementKind,
    Phase,
    ProposedUnit,
    Registration,
    Score,
    Scorecard,
    ScoringScheme,
    Stage,
)
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer

YEAR_MIN, YEAR_MAX = 1945, 2200


@extend_schema_field(
    {
        "type": "string",
        "description": "One of: yearly (theme of the year), programme (several years), "
        "thematic (a short campaign).",
    }
)
class MovementKindField(serializers.ChoiceField):
    """The kind of movement, described without an enum component: the schema's enum components
    are named after the field, and "kind" is taken by other apps' choices (the settings'
    ENUM_NAME_OVERRIDES would be the other way)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=MovementKind.choices, **kwargs)


class EmulationClusterRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MovementPhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "name", "starts_on", "ends_on"]


class EmulationMovementSerializer(serializers.ModelSerializer):
    organiser = UnitRefSerializer(read_only=True)
    kind = MovementKindField(read_only=True)
    phases = MovementPhaseSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id", "organiser", "name", "theme", "kind", "start_year", "end_year", "starts_on",
            "ends_on", "description", "phases",
        ]  # fmt: skip


class EmulationMovementWriteSerializer(serializers.Serializer):
    """A new movement; for a change (PATCH), any of these fields but `organiser`."""

    organiser = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the organiser.")
    name = serializers.CharField(max_length=300)
    theme = serializers.CharField(max_length=500, required=False, allow_blank=True)
    kind = MovementKindField()
    start_year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="Default: start_year."
    )
    starts_on = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    ends_on = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class MovementPhaseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    starts_on = serializers.DateField(input_formats=DATE_FORMATS)
    ends_on = serializers.DateField(input_formats=DATE_FORMATS)


class EmulationRegistrationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    movement = serializers.IntegerField(source="movement_id", read_only=True)
    member = serializers.SerializerMethodField(
        help_text="Id of the member registered individually (null for the unit)."
    )

    class Meta:
        model = Registration
        fields = [
            "id", "movement", "year", "unit", "member", "commitments", "registered_on",
            "withdrawn_on", "withdrawal_reason",
        ]  # fmt: skip

    def get_member(self, obj: Registration) -> int | None:
        return obj.member_id


class EmulationRegistrationWriteSerializer(serializers.Serializer):
    movement = serializers.IntegerField(min_value=1, help_text="Id of the movement.")
    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the unit registering.")
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    registered_on = serializers.DateField(input_formats=DATE_FORMATS)
    commitments = serializers.CharField(required=False, allow_blank=True)
    member = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Card number of a member of the unit, for an individual registration.",
    )


class RegistrationWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(input_formats=DATE_FORMATS)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ScoringCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "order", "name", "max_points", "evidence", "auto_source"]


class ScoringCriteriaGroupSerializer(serializers.ModelSerializer):
    criteria = ScoringCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaGroup
        fields = ["id", "order", "name", "criteria"]


class ScoringSchemeSerializer(serializers.ModelSerializer):
    organiser = UnitRefSerializer(read_only=True, allow_null=True)
    cluster = EmulationClusterRefSerializer(read_only=True, allow_null=True)
    groups = ScoringCriteriaGroupSerializer(many=True, read_only=True)

    class Meta:
        model = ScoringScheme
        fields = ["id", "organiser", "cluster", "name", "from_year", "description", "groups"]


class ScorecardPointsSerializer(serializers.ModelSerializer):
    criterion = serializers.IntegerField(source="criterion_id", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "stage", "points", "auto_points", "source", "note"]


class EmulationScorecardSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    cluster = EmulationClusterRefSerializer(read_only=True)
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)
    scores = ScorecardPointsSerializer(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id", "unit", "cluster", "year", "scheme", "self_total", "self_at",
            "cluster_total", "cluster_at", "final_total", "final_at", "scores",
        ]  # fmt: skip


class EmulationScorecardOpenSerializer(serializers.Serializer):
    unit = UnitField(action=Action.ORGANISATION_VIEW, help_text="Code of the unit scored.")
    cluster = serializers.IntegerField(min_value=1, help_text="Id of the emulation cluster.")
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)


class ScorecardPointWriteSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1)
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ScorecardStageWriteSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    points = ScorecardPointWriteSerializer(many=True, help_text="Every criterion of the scheme.")


class ClusterRankRowSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    rank = serializers.IntegerField(allow_null=True)
    of = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    stage = serializers.CharField(help_text="The stage of the total: final, cluster, self, or ''.")
    is_head = serializers.BooleanField()


class ClusterRankingSerializer(serializers.Serializer):
    cluster = EmulationClusterRefSerializer()
    year = serializers.IntegerField()
    rows = ClusterRankRowSerializer(many=True)


class ClusterProposedUnitSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = ProposedUnit
        fields = ["order", "unit", "award", "rank", "total"]


class ClusterProposalSerializer(serializers.ModelSerializer):
    cluster = EmulationClusterRefSerializer(read_only=True)
    proposed_by_unit = UnitRefSerializer(read_only=True)
    entries = ClusterProposedUnitSerializer(many=True, read_only=True)

    class Meta:
        model = ClusterProposal
        fields = [
            "id", "cluster", "year", "status", "proposed_on", "proposed_by_unit",
            "submitted_at", "entries",
        ]  # fmt: skip


class ProposalEntryWriteSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text="Id of a member unit of the cluster.")
    award = serializers.CharField(max_length=300)


class ClusterProposalWriteSerializer(serializers.Serializer):
    cluster = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    proposed_on = serializers.DateField(input_formats=DATE_FORMATS)
    entries = ProposalEntryWriteSerializer(many=True, help_text="In rank order.")


def compact(data: dict[str, Any]) -> dict[str, Any]:
    texts = ("theme", "description", "commitments", "reason")
    return {k: ("" if k in texts and v is None else v) for k, v in data.items()}
