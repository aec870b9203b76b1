"""Serializers of the initiatives API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.indicators.models import Period
from congdoan.initiatives.models import (
    Author,
    Contest,
    ContestKind,
    Entry,
    Field,
    Initiative,
    Participant,
    Prize,
    Programme,
    Status,
)
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer

MANAGE = Action.ACTIVITIES_MANAGE


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Period
        fields = ["id", "name", "number", "start", "end"]


class ProgrammeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    name = serializers.CharField(read_only=True)
    start = serializers.DateField(source="period.start", read_only=True)
    end = serializers.DateField(source="period.end", read_only=True)
    indicators: serializers.Field[Any, Any, Any, Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Programme
        fields = ["id", "name", "period", "unit", "start", "end", "indicators", "description"]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    phases = serializers.SerializerMethodField(help_text="The phases of the programme.")

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "phases"]

    def get_phases(self, obj: Programme) -> list[dict[str, Any]]:
        from congdoan.initiatives.selectors import programme_phases

        return list(PhaseSerializer(programme_phases(obj), many=True).data)


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "member", "full_name", "workplace", "order"]


class InitiativeSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    authors = AuthorSerializer(many=True, read_only=True)

    class Meta:
        model = Initiative
        fields = [
            "id", "unit", "programme", "phase", "title", "field", "submitted_on", "status",
            "decided_on", "decision_note", "benefit", "summary", "creative_labour_on", "authors",
        ]  # fmt: skip


class ContestSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Contest
        fields = ["id", "unit", "kind", "title", "number", "starts_on", "ends_on", "description"]


class EntrySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "contest", "unit", "title", "authors", "prize", "initiative"]


class ParticipantSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "contest", "unit", "count", "member", "full_name"]


# ---------------------------------------------------------------------------------------------
# Writes


class PhaseWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    start = serializers.DateField(input_formats=DATE_FORMATS)
    end = serializers.DateField(input_formats=DATE_FORMATS)


class ProgrammeWriteSerializer(serializers.Serializer):
    """A programme on an existing programme period (`period`), or on a new one (`name`,
    `start`, `end`, `phases`: national level only). For a change (PATCH): `indicators` and
    `description` only."""

    unit = UnitField(action=MANAGE, help_text="Code of the organising unit.")
    period = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    start = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    end = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    phases = PhaseWriteSerializer(many=True, required=False)
    indicators = serializers.ListField(
        child=serializers.SlugField(max_length=60), required=False,
        help_text="Codes of the indicators the programme counts.",
    )  # fmt: skip
    description = serializers.CharField(required=False, allow_blank=True)


class AuthorWriteSerializer(serializers.Serializer):
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a member in scope."
    )
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    workplace = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InitiativeWriteSerializer(serializers.Serializer):
    """A new initiative; for a change (PATCH), any of these fields but the decision (POST
    .../decide/)."""

    unit = UnitField(action=MANAGE, help_text="Code of the initiative's unit.")
    programme = serializers.IntegerField(min_value=1, help_text="Id of the programme.")
    title = serializers.CharField(max_length=500)
    field = serializers.ChoiceField(choices=Field.choices, required=False)
    submitted_on = serializers.DateField(input_formats=DATE_FORMATS)
    authors = AuthorWriteSerializer(many=True)
    benefit = serializers.DecimalField(
        max_digits=20, decimal_places=0, required=False, allow_null=True, min_value=0
    )
    summary = serializers.CharField(required=False, allow_blank=True)
    creative_labour_on = serializers.DateField(
        required=False, allow_null=True, input_formats=DATE_FORMATS
    )


class DecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    decided_on = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class ContestWriteSerializer(serializers.Serializer):
    """A new contest; for a change (PATCH), any of these fields but `unit`."""

    unit = UnitField(action=MANAGE, help_text="Code of the organising unit.")
    kind = serializers.ChoiceField(choices=ContestKind.choices)
    title = serializers.CharField(max_length=500)
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=999)
    starts_on = serializers.DateField(input_formats=DATE_FORMATS)
    ends_on = serializers.DateField(input_formats=DATE_FORMATS)
    description = serializers.CharField(required=False, allow_blank=True)


class EntryWriteSerializer(serializers.Serializer):
    contest = serializers.IntegerField(min_value=1, help_text="Id of the contest.")
    unit = UnitField(action=MANAGE, help_text="Code of the entrant's unit.")
    title = serializers.CharField(max_length=500)
    authors = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    prize = serializers.ChoiceField(choices=Prize.choices, required=False, allow_blank=True)
    initiative = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of an initiative in scope."
    )


class EntryChangeSerializer(EntryWriteSerializer):
    contest = None  # type: ignore[assignment]


class ParticipantWriteSerializer(serializers.Serializer):
    contest = serializers.IntegerField(min_value=1, help_text="Id of the quiz.")
    unit = UnitField(action=MANAGE, required=False, help_text="Code of the participants' unit.")
    count = serializers.IntegerField(required=False, min_value=1, max_value=10_000_000, default=1)
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a member in scope."
    )
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ResultsQuerySerializer(serializers.Serializer):
    unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
