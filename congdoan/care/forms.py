"""Forms of the care pages. They only translate input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.care import selectors
from congdoan.care.models import (
    Beneficiary,
    CareKind,
    EconomyForm,
    FundSource,
    HouseWork,
    RecipientKind,
)
from congdoan.core.filters import IdField
from congdoan.core.formats import number
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.indicators.services import parse_number
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField

FUNDING_ROWS = 4  # blank funding lines offered on a form


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class MoneyField(forms.Field):
    """An amount of đồng as typed: 80.000.000, 80000000 or 80 000 000."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in đồng as a whole number, such as 500000."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="numeric", autocomplete="off", maxlength="24")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | Decimal):
            return number(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()[:40]
        if not text:
            return None
        try:
            amount = parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount is None or amount < 0 or amount != amount.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.unit.short_name or obj.unit.name}"


class CareRecordForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Giving unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CareKind.choices)
    on = VnDateField(
        label=_("Date"), help_text=_("For a house: the day building or repair started.")
    )
    campaign = forms.Field(label=_("Campaign"), required=False)
    beneficiary = forms.ChoiceField(label=_("Received by"), choices=Beneficiary.choices)
    member = IdField(required=False, widget=forms.HiddenInput)
    card_number = forms.CharField(
        label=_("Membership card number"),
        max_length=32,
        required=False,
        help_text=_("For a member: links the record to the member's record."),
    )
    person_name = forms.CharField(
        label=_("Name of the person or group"),
        max_length=200,
        required=False,
        help_text=_("For a group: who they are, e.g. Trẻ em bản Nậm Ô."),
    )
    recipient_kind = forms.ChoiceField(
        label=_("Who they are"), choices=_blank(RecipientKind.choices), required=False
    )
    quantity = forms.IntegerField(
        label=_("Portions / people"),
        min_value=1,
        max_value=1_000_000,
        initial=1,
        help_text=_("1 for a member or a person; for a group, the number of portions."),
    )
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=12, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    date_of_birth = VnDateField(label=_("Date of birth"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    house_work = forms.ChoiceField(
        label=_("House: built or repaired"), choices=_blank(HouseWork.choices), required=False
    )
    handover_on = VnDateField(
        label=_("House: handed over on"),
        required=False,
        help_text=_("A house counts in the figures on the day it is handed over."),
    )
    economy_form = forms.ChoiceField(
        label=_("Household economy: lent or given"),
        choices=_blank(EconomyForm.choices),
        required=False,
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)
    value = MoneyField(
        label=_("Total value (đồng)"),
        required=False,
        help_text=_("Optional: checked against the sum of the funding lines."),
    )

    def __init__(self, *args: Any, user: Any, unit: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.picked_member: Any = None
        self.fields["unit"] = UnitChoiceField(
            user=user, action=Action.ACTIVITIES_MANAGE, label=_("Giving unit")
        )
        self.fields["campaign"] = CampaignChoiceField(
            queryset=selectors.campaigns_for(user, unit),
            required=False,
            label=_("Campaign"),
            help_text=_("Tết, Tháng Công nhân…: campaigns of the unit or of a unit above it."),
        )
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("beneficiary") != Beneficiary.MEMBER:
            return data
        if data.get("member"):
            self.picked_member = selectors.member_by_id(self.user, data["member"])
        elif (data.get("card_number") or "").strip():
            self.picked_member = selectors.member_by_card(self.user, data["card_number"].strip())
        else:
            self.add_error("card_number", _("Enter the member's card number."))
            return data
        if self.picked_member is None:
            self.add_error(
                "card_number", _("No member with this card number was found within your scope.")
            )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The service's keyword arguments from the cleaned data."""
        d = self.cleaned_data
        texts = ("person_name", "recipient_kind", "citizen_id", "phone", "address")
        out: dict[str, Any] = {
            "kind": d["kind"],
            "on": d["on"],
            "campaign": d.get("campaign"),
            "beneficiary": d["beneficiary"],
            "quantity": d["quantity"],
            "description": d.get("description") or "",
            "house_work": d.get("house_work") or "",
            "handover_on": d.get("handover_on"),
            "economy_form": d.get("economy_form") or "",
            "member": None,
            **{name: d.get(name) or "" for name in texts},
            "date_of_birth": d.get("date_of_birth"),
        }
        if d["beneficiary"] == Beneficiary.MEMBER:
            out.update(
                member=self.picked_member,
                person_name="",
                recipient_kind="",
                citizen_id="",
                phone="",
                date_of_birth=None,
            )
        return out


class FundingForm(BootstrapMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("Funding source"), choices=_blank(FundSource.choices), required=False
    )
    donor = forms.CharField(label=_("Donor"), max_length=300, required=False)
    amount = MoneyField(label=_("Amount (đồng)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("amount") and not data.get("source"):
            self.add_error("source", _("Choose the source of this amount."))
        if data.get("source") and not data.get("amount"):
            self.add_error("amount", _("Enter the amount of this source."))
        return data


FundingFormSet = forms.formset_factory(FundingForm, extra=0, max_num=20)


def funding_formset(data: Any = None, lines: list[dict[str, Any]] | None = None) -> Any:
    """The funding lines of a form: those of the record (editing), then blank rows."""
    initial = list(lines or [])
    blanks: list[dict[str, Any]] = [{} for _ in range(max(FUNDING_ROWS - len(initial), 2))]
    return FundingFormSet(data, initial=[*initial, *blanks], prefix="funding")


def funding_lines(formset: Any) -> list[dict[str, Any]]:
    """The filled funding lines of a valid formset, for the service."""
    return [
        {"source": f.cleaned_data["source"], "donor": f.cleaned_data.get("donor") or "",
         "amount": f.cleaned_data["amount"]}
        for f in formset.forms
        if f.cleaned_data.get("source") and f.cleaned_data.get("amount")
    ]  # fmt: skip


class CampaignForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Organising unit"))
    name = forms.CharField(label=_("Name"), max_length=200)
    start = VnDateField(label=_("From"))
    end = VnDateField(label=_("To"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.ACTIVITIES_MANAGE, label=_("Organising unit")
            )
        self._style()
