"""Forms of the register's pages. They only translate input; the services check the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congdoan.core.forms import VnDateField
from congdoan.indicators.services import parse_number
from congdoan.movements.models import ActivityKind, AgreementRating
from congdoan.organisation.forms import BootstrapMixin, UnitChoiceField

MANAGE_UNIT_HELP = _(
    "The union that did it: its records count in its figures while it keeps the register."
)


class MoneyField(forms.CharField):
    """An amount of đồng as typed: 80.000.000, 80000000 or 80 000 000."""

    default_error_messages = {
        "invalid": _("Enter an amount in đồng as a whole number, such as 500000."),
    }

    MAX_LENGTH = 30

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            inputmode="numeric", autocomplete="off", maxlength=str(self.MAX_LENGTH)
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > self.MAX_LENGTH:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_number(text)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if amount is None or amount < 0 or amount != amount.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


def _unit_field(user: Any, action: Any, label: Any) -> UnitChoiceField:
    return UnitChoiceField(user=user, action=action, label=label, help_text=MANAGE_UNIT_HELP)


class ActivityForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_(
            "The work, model, activity or class; for propaganda, the resolution "
            "(e.g. Nghị quyết 02-NQ/TW)."
        ),
    )
    on = VnDateField(
        label=_("Date"),
        help_text=_(
            "The day it took place; for a work or a model, the day it was completed or "
            "recognised. It counts in the periods that hold this day."
        ),
    )
    participants = forms.IntegerField(
        label=_("Participants"),
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text=_("Attendees of a class, participants of an activity or a dialogue."),
    )
    value = MoneyField(label=_("Value (đồng)"), required=False, help_text=_("A work or a model."))
    event = forms.CharField(
        label=_("Dedicated to"),
        max_length=300,
        required=False,
        help_text=_("The event a work is dedicated to, e.g. “Đại hội XIII Công đoàn tỉnh”."),
    )
    for_congress = forms.BooleanField(label=_("Dedicated to a union congress"), required=False)
    dan_van_kheo = forms.BooleanField(label=_("A “Dân vận khéo” model"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, action: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = _unit_field(user, action, _("Unit"))
        self._style()


class AgreementForm(BootstrapMixin, forms.Form):
    unit = forms.Field(label=_("Unit"))
    enterprise = forms.CharField(
        label=_("Enterprise"),
        max_length=300,
        required=False,
        help_text=_("The employer; leave empty for the unit's own enterprise."),
    )
    signed_on = VnDateField(label=_("Signed on"))
    expires_on = VnDateField(
        label=_("In force until"), help_text=_("An agreement lasts one to three years.")
    )
    renewed = forms.BooleanField(
        label=_("Renewed (ký lại)"),
        required=False,
        help_text=_("Leave unticked for an agreement signed for the first time."),
    )
    workers = forms.IntegerField(
        label=_("Workers covered"), min_value=0, max_value=2**31 - 1, required=False
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("Not rated")), *AgreementRating.choices],
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, action: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["unit"]
        else:
            self.fields["unit"] = _unit_field(user, action, _("Unit"))
        self._style()
