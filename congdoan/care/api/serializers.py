"""Serializers of the care API: reads (personal data of a beneficiary masked unless the caller
holds "members.view_personal" on the record's unit), and the bodies of writes (translated for
the services, which check every rule)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from congdoan.care import selectors
from congdoan.care.models import (
    Beneficiary,
    Campaign,
    CareKind,
    CareRecord,
    EconomyForm,
    Funding,
    FundSource,
    HouseWork,
    RecipientKind,
)
from congdoan.core.permissions import Action
from congdoan.organisation.api.serializers import DATE_FORMATS, UnitField, UnitRefSerializer


class FundingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Funding
        fields = ["source", "donor", "amount"]


class CareRecordSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    campaign_name = serializers.SerializerMethodField(help_text="The campaign's name, or null.")
    beneficiary_name = serializers.CharField(read_only=True)
    citizen_id = serializers.SerializerMethodField(
        help_text="Masked unless revealed (permission and purpose)."
    )
    phone = serializers.SerializerMethodField(
        help_text="Masked unless revealed (permission and purpose)."
    )
    date_of_birth = serializers.SerializerMethodField(
        help_text="dd/mm/yyyy; masked unless revealed (permission and purpose)."
    )
    funding = FundingSerializer(many=True, read_only=True)

    class Meta:
        model = CareRecord
        fields = [
            "id", "unit", "kind", "on", "campaign", "campaign_name", "beneficiary", "member",
            "beneficiary_name", "person_name", "recipient_kind", "citizen_id", "phone",
            "date_of_birth", "address", "quantity", "value", "mobilised", "house_work",
            "handover_on", "economy_form", "description", "funding",
        ]  # fmt: skip

    def _personal(self, obj: CareRecord) -> selectors.PersonalData:
        revealed = obj.pk in self.context.get("revealed", ())
        return selectors.personal_data(obj, revealed=revealed)

    def get_campaign_name(self, obj: CareRecord) -> str | None:
        return obj.campaign.name if obj.campaign else None

    def get_citizen_id(self, obj: CareRecord) -> str:
        return self._personal(obj).citizen_id

    def get_phone(self, obj: CareRecord) -> str:
        return self._personal(obj).phone

    def get_date_of_birth(self, obj: CareRecord) -> str:
        return self._personal(obj).date_of_birth


class FundingWriteSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundSource.choices)  # type: ignore[assignment]
    donor = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    amount = serializers.DecimalField(max_digits=15, decimal_places=0, min_value=Decimal(1))


class CareRecordWriteSerializer(serializers.Serializer):
    """A new record; for a change (PATCH), any of these fields. `campaign` and `member` are
    ids, resolved within the caller's scope; `funding` replaces the lines when given."""

    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the giving unit.")
    kind = serializers.ChoiceField(choices=CareKind.choices)
    on = serializers.DateField(input_formats=DATE_FORMATS)
    campaign = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    beneficiary = serializers.ChoiceField(choices=Beneficiary.choices)
    member = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Id of a member in scope."
    )
    person_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recipient_kind = serializers.ChoiceField(
        choices=RecipientKind.choices, required=False, allow_blank=True
    )
    citizen_id = serializers.CharField(required=False, allow_blank=True, max_length=12)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    date_of_birth = serializers.DateField(
        input_formats=DATE_FORMATS, required=False, allow_null=True
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    quantity = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
    house_work = serializers.ChoiceField(
        choices=HouseWork.choices, required=False, allow_blank=True
    )
    handover_on = serializers.DateField(input_formats=DATE_FORMATS, required=False, allow_null=True)
    economy_form = serializers.ChoiceField(
        choices=EconomyForm.choices, required=False, allow_blank=True
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=500)
    value = serializers.DecimalField(
        max_digits=15,
        decimal_places=0,
        min_value=Decimal(0),
        required=False,
        allow_null=True,
        help_text="When given: the sum of the funding.",
    )
    funding = FundingWriteSerializer(many=True, required=False)


class CampaignSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "unit", "name", "start", "end", "description"]


class CampaignWriteSerializer(serializers.Serializer):
    unit = UnitField(action=Action.ACTIVITIES_MANAGE, help_text="Code of the organising unit.")
    name = serializers.CharField(max_length=200)
    start = serializers.DateField(input_formats=DATE_FORMATS)
    end = serializers.DateField(input_formats=DATE_FORMATS)
    description = serializers.CharField(required=False, allow_blank=True, default="")


def resolve(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Ids of the campaign and the member as objects within the caller's scope."""
    from django.utils.translation import gettext as _

    from congdoan.core.exceptions import RuleViolation

    out = dict(data)
    if out.get("campaign") is not None:
        out["campaign"] = selectors.campaign_visible(user, out["campaign"])
        if out["campaign"] is None:
            raise RuleViolation(_("Not found within your scope."), field="campaign")
    if out.get("member") is not None:
        out["member"] = selectors.member_by_id(user, out["member"])
        if out["member"] is None:
            raise RuleViolation(_("Not found within your scope."), field="member")
    for name in ("person_name", "recipient_kind", "citizen_id", "phone", "address",
                 "house_work", "economy_form", "description"):  # fmt: skip
        if name in out and out[name] is None:
            out[name] = ""
    if "funding" in out:
        out["funding"] = [dict(line) for line in out["funding"]]
    return out
