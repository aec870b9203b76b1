"""Serializers of the welfare API: reads, and the bodies of writes (translated for the services,
which check every rule)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from congdoan.core.permissions import Action
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer
from congdoan.welfare.models import Agreement, BenefitUse, PartnerKind


class WelfareAgreementSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    use_count = serializers.IntegerField(
        read_only=True, help_text="Uses recorded (within the period or year filtered on)."
    )
    use_value = serializers.DecimalField(
        read_only=True, max_digits=18, decimal_places=0, allow_null=True,
        help_text="Their value in đồng.",
    )  # fmt: skip

    class Meta:
        model = Agreement
        fields = [
            "id", "unit", "number", "partner_name", "partner_kind", "partner_address",
            "signed_on", "valid_from", "valid_until", "benefits", "discount_percent", "notes",
            "use_count", "use_value",
        ]  # fmt: skip


class BenefitUseSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(
        source="member.full_name", read_only=True, default=None, help_text="Null: without names."
    )

    class Meta:
        model = BenefitUse
        fields = [
            "id", "agreement", "unit", "member", "member_name", "count", "used_on", "value",
            "description",
        ]  # fmt: skip


class WelfareAgreementWriteSerializer(serializers.Serializer):
    """A new agreement; for a change (PATCH), any of these fields but `unit`."""

    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the signing unit.")
    partner_name = serializers.CharField(max_length=300)
    partner_kind = serializers.ChoiceField(choices=PartnerKind.choices)
    partner_address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    signed_on = serializers.DateField(input_formats=DATE_FORMATS)
    valid_from = serializers.DateField(
        required=False, allow_null=True, input_formats=DATE_FORMATS,
        help_text="Default: the signing day.",
    )  # fmt: skip
    valid_until = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    benefits = serializers.CharField()
    discount_percent = serializers.DecimalField(
        required=False, allow_null=True, max_digits=5, decimal_places=2, min_value=0,
        max_value=100,
    )  # fmt: skip
    notes = serializers.CharField(required=False, allow_blank=True)


class BenefitUseWriteSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(min_value=1, help_text="Id of the agreement.")
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1,
        help_text="Id of a member in scope; null or absent: uses without names.",
    )  # fmt: skip
    count = serializers.IntegerField(required=False, default=1, min_value=1, max_value=10_000_000)
    used_on = serializers.DateField(input_formats=DATE_FORMATS)
    value = serializers.DecimalField(
        required=False, default=Decimal(0), max_digits=16, decimal_places=0, min_value=Decimal(0),
        help_text="Value of the benefit in đồng.",
    )  # fmt: skip
    description = serializers.CharField(required=False, allow_blank=True, max_length=300)


class BenefitUseChangeSerializer(BenefitUseWriteSerializer):
    agreement = None  # type: ignore[assignment]


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Blank texts for the services, which take "" rather than None."""
    texts = ("number", "partner_address", "notes", "description")
    return {k: ("" if k in texts and v is None else v) for k, v in data.items()}
