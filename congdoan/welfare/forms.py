"""Forms of the welfare pages. They only translate input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.formats import number
from congdoan.core.forms import VnDateField
from congdoan.core.permissions import Action
from congdoan.indicators.services import parse_number
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField
from congdoan.welfare import selectors
from congdoan.welfare.models import PartnerKind


class AmountField(forms.Field):
    """A number as officers type it: 1.500.000 or 1500000 (đồng), 12,5 (a percentage)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter a number, such as 1.500.000 or 12,5.")}

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "30"}

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if len(text) > 30:
                raise ValueError(text)
            return parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number(value, 0 if value == value.to_integral_value() else 2)
        return value


class AgreementForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Signing unit"))
    partner_name = forms.CharField(label=_("Partner"), max_length=300)
    partner_kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerKind.choices)
    partner_address = forms.CharField(label=_("Partner's address"), max_length=300, required=False)
    number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    signed_on = VnDateField(label=_("Signed on"))
    valid_from = VnDateField(
        label=_("Valid from"), required=False, help_text=_("Leave empty: from the signing day.")
    )
    valid_until = VnDateField(
        label=_("Valid until"), required=False, help_text=_("Leave empty if open-ended.")
    )
    benefits = forms.CharField(
        label=_("Benefits"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What members get: discounts, preferential loans, free check-ups…"),
    )
    discount_percent = AmountField(label=_("Discount (%)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = UnitChoiceField(
                user=user, action=Action.ACTIVITIES_MANAGE, label=_("Signing unit")
            )
        self._style()


class UseForm(BootstrapMixin, forms.Form):
    card_number = forms.CharField(
        label=_("Membership card number"),
        max_length=32,
        required=False,
        help_text=_("For a named member; leave empty for uses counted without names."),
    )
    count = forms.IntegerField(
        label=_("Number of uses"),
        min_value=1,
        max_value=10_000_000,
        initial=1,
        help_text=_("How many uses the partner reported (for a member: usually 1)."),
    )
    used_on = VnDateField(label=_("Used on"))
    value = AmountField(label=_("Value of the benefit (đồng)"), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.member: Any = None
        self._style()

    def clean_card_number(self) -> str:
        card = (self.cleaned_data.get("card_number") or "").strip()
        if card:
            self.member = selectors.member_by_card(self.user, card)
            if self.member is None:
                raise forms.ValidationError(
                    _("No member with this card number was found within your scope.")
                )
        return card
