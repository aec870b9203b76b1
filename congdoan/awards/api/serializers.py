"""Serializers of the awards API: reads, and the bodies of writes (translated for the
services, which check every rule)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from congdoan.awards.models import Award, AwardForm, Decision, Nomination, OutsideKind
from congdoan.core.permissions import Action
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer


class AwardFormSerializer(serializers.ModelSerializer):
    regulation = serializers.CharField(source="regulation.code", read_only=True)

    class Meta:
        model = AwardForm
        fields = [
            "id", "regulation", "code", "name", "kind", "issuer_level", "recipients", "scope",
            "rules", "checks",
        ]  # fmt: skip


class RecipientMixin(serializers.Serializer):
    recipient = serializers.SerializerMethodField(help_text="The recipient's name.")
    recipient_kind = serializers.SerializerMethodField(
        help_text="unit, member, outside_body or outside_person."
    )

    def get_recipient(self, obj: Any) -> str:
        return str(obj.recipient_label)

    def get_recipient_kind(self, obj: Any) -> str:
        return str(obj.recipient_kind)


class AwardSerializer(RecipientMixin, serializers.ModelSerializer):
    form = serializers.CharField(source="form.code", read_only=True)
    form_name = serializers.CharField(source="form.name", read_only=True)
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Award
        fields = [
            "id", "decision", "form", "form_name", "recipient", "recipient_kind", "unit",
            "member", "year", "theme", "achievement", "details",
        ]  # fmt: skip


class DecisionSerializer(serializers.ModelSerializer):
    issuer_unit = UnitRefSerializer(read_only=True)
    recorded_by_unit = UnitRefSerializer(read_only=True)
    regulation = serializers.CharField(source="regulation.code", read_only=True)
    issuer = serializers.CharField(source="issuer_label", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id", "number", "signed_on", "signer", "issuer", "issuer_unit", "issuer_name",
            "recorded_by_unit", "regulation", "note",
        ]  # fmt: skip


class NominationSerializer(RecipientMixin, serializers.ModelSerializer):
    proposing_unit = UnitRefSerializer(read_only=True)
    issuer_unit = UnitRefSerializer(read_only=True)
    form = serializers.CharField(source="form.code", read_only=True)
    award = serializers.IntegerField(source="award_id", read_only=True, allow_null=True)

    class Meta:
        model = Nomination
        fields = [
            "id", "proposing_unit", "issuer_unit", "form", "recipient", "recipient_kind",
            "unit", "member", "year", "theme", "achievement", "details", "status",
            "submitted_on", "council_on", "council_note", "award",
        ]  # fmt: skip


class NominationWriteSerializer(serializers.Serializer):
    """A new nomination: one recipient — `unit` (code), `member` (card number) or
    `outside_name` with `outside_kind`."""

    proposing_unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the unit.")
    issuer_unit = serializers.CharField(
        max_length=40, help_text="Code of the issuing unit: the proposing unit or above it."
    )
    form = serializers.IntegerField(help_text="Id of an award form (/api/v1/award-forms/).")
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    unit = serializers.CharField(max_length=40, required=False, help_text="Code of a unit.")
    member = serializers.CharField(
        max_length=20, required=False, help_text="Card number of a member."
    )
    outside_name = serializers.CharField(max_length=300, required=False)
    outside_kind = serializers.ChoiceField(choices=OutsideKind.choices, required=False)
    theme = serializers.CharField(max_length=300, required=False, allow_blank=True)
    achievement = serializers.CharField(required=False, allow_blank=True)
    details = serializers.DictField(required=False)


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    council_on = serializers.DateField(input_formats=DATE_FORMATS)
    note = serializers.CharField(required=False, allow_blank=True)


class DecideSerializer(serializers.Serializer):
    issuer_unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the issuer.")
    nominations = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField(input_formats=DATE_FORMATS)
    signer = serializers.CharField(max_length=200, required=False, allow_blank=True)
