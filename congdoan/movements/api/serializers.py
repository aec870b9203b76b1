"""Serializers of the movements API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.movements.models import Activity, ActivityKind, Agreement, AgreementRating
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer

COUNT_MAX = 2**31 - 1


class ActivitySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id", "unit", "kind", "title", "on", "participants", "value", "event",
            "for_congress", "dan_van_kheo", "notes",
        ]  # fmt: skip


class AgreementSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id", "unit", "enterprise", "signed_on", "expires_on", "renewed", "workers",
            "rating", "notes",
        ]  # fmt: skip


class ActivityWriteSerializer(serializers.Serializer):
    """A new record; for a change (PATCH), any of these fields but `unit`."""

    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the unit that did it.")
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=300, help_text="For propaganda: the resolution.")
    on = serializers.DateField(input_formats=DATE_FORMATS, help_text="dd/mm/yyyy or yyyy-mm-dd.")
    participants = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=COUNT_MAX
    )
    value = serializers.DecimalField(
        max_digits=18,
        decimal_places=0,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Đồng (a work or a model).",
    )
    event = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="What a work is dedicated to."
    )
    for_congress = serializers.BooleanField(required=False)
    dan_van_kheo = serializers.BooleanField(required=False, help_text="A “Dân vận khéo” model.")
    notes = serializers.CharField(required=False, allow_blank=True)


class AgreementWriteSerializer(serializers.Serializer):
    """A new agreement; for a change (PATCH), any of these fields but `unit`."""

    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the signing union.")
    enterprise = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="Default: the unit's name."
    )
    signed_on = serializers.DateField(input_formats=DATE_FORMATS)
    expires_on = serializers.DateField(input_formats=DATE_FORMATS)
    renewed = serializers.BooleanField(required=False)
    workers = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=COUNT_MAX
    )
    rating = serializers.ChoiceField(
        choices=[("", "not rated"), *AgreementRating.choices], required=False, allow_blank=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Blank texts for the services, which take "" rather than None."""
    texts = ("title", "event", "notes", "enterprise", "rating")
    return {k: ("" if k in texts and v is None else v) for k, v in data.items()}
