"""Forms of the indicator pages. They only translate input; the services check every rule.

Figures themselves are not read through a form class: a sheet has one value and one comment per
indicator (`v-<code>`, `c-<code>`), read in `views/entry.py` and checked by `values_save`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import CALENDAR_KINDS

SELECT = {"class": "form-select form-select-sm"}
TEXT = {"class": "form-control form-control-sm"}
NUMBER = {**TEXT, "inputmode": "decimal", "autocomplete": "off"}


class PeriodOpenForm(forms.Form):
    """A calendar period to open (found or created by `periods.period_open`)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in CALENDAR_KINDS],
        initial=PeriodKind.QUARTER,
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.IntegerField(
        label=_("Year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Month 1–12, quarter 1–4, first or second 6 months 1–2; otherwise 1."),
        widget=forms.NumberInput(attrs=TEXT),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ReasonForm(forms.Form):
    """Why figures are returned or reopened (the service refuses an empty reason)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs=TEXT),
    )


def _indicator_choices(indicators: list[Indicator]) -> list[tuple[str, str]]:
    return [(i.code, f"{i.name} ({i.unit_label})") for i in indicators]


class TargetForm(forms.Form):
    """One child's target for one indicator; an empty value removes the target."""

    unit = forms.TypedChoiceField(
        label=_("Unit below"), coerce=int, widget=forms.Select(attrs=SELECT)
    )
    indicator = forms.ChoiceField(label=_("Indicator"), widget=forms.Select(attrs=SELECT))
    value = forms.CharField(
        label=pgettext_lazy("indicator", "Target"),
        required=False,
        max_length=40,
        help_text=_("Empty removes the target."),
        widget=forms.TextInput(attrs=NUMBER),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(
        self,
        *args: Any,
        children: list[tuple[int, str, str]],
        indicators: list[Indicator],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.TypedChoiceField)
        unit.choices = [(u, f"{name} ({code})") for u, name, code in children]
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ChoiceField)
        indicator.choices = _indicator_choices(indicators)


class AllocationForm(forms.Form):
    """Split a total among the units below, evenly or by members."""

    METHODS = [("even", _("evenly")), ("members", _("in proportion to members"))]

    indicator = forms.ChoiceField(label=_("Indicator"), widget=forms.Select(attrs=SELECT))
    total = forms.CharField(
        label=_("Total to allocate"),
        required=False,
        max_length=40,
        help_text=_("Empty: the unit's own target."),
        widget=forms.TextInput(attrs=NUMBER),
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=METHODS, initial="even", widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any):
        kwargs.setdefault("prefix", "alloc")
        super().__init__(*args, **kwargs)
        indicator = self.fields["indicator"]
        assert isinstance(indicator, forms.ChoiceField)
        indicator.choices = _indicator_choices(indicators)
