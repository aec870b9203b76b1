"""Filters of the care lists: the pages (unit by code or id, with the unit picker) and the API
(unit by id). Both keep the records of the chosen unit's subtree (`own`: its own records only)
counted in the chosen period: by their date, houses by their handover day — the records behind
a unit's figure on its sheet (`?unit=<id>&period=<id>`)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.care import selectors
from congdoan.care.models import CareKind, CareRecord
from congdoan.core.filters import IdFilter, YearFilter
from congdoan.core.permissions import Action
from congdoan.organisation.forms import UnitChoiceField


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code or id, with the unit picker."""

    field_class = UnitChoiceField


class PeriodChoiceFilter(django_filters.ModelChoiceFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, queryset=lambda request: selectors.periods(), **kwargs)


def _campaigns(request: Any) -> Any:
    return selectors.campaigns_visible(getattr(request, "user", None)).order_by("-start", "name")


class _Methods(django_filters.FilterSet):
    def filter_unit(self, qs: QuerySet[CareRecord], name: str, value: Any) -> QuerySet[CareRecord]:
        own = bool(self.form.cleaned_data.get("own"))
        return selectors.filter_records(qs, unit=value, own=own)

    def filter_own(self, qs: QuerySet[CareRecord], name: str, value: Any) -> QuerySet[CareRecord]:
        return qs  # read by filter_unit

    def filter_period(
        self, qs: QuerySet[CareRecord], name: str, value: Any
    ) -> QuerySet[CareRecord]:
        return selectors.filter_records(qs, period=value)

    def filter_year(self, qs: QuerySet[CareRecord], name: str, value: Any) -> QuerySet[CareRecord]:
        return selectors.filter_records(qs, year=int(value))

    def filter_text(self, qs: QuerySet[CareRecord], name: str, value: Any) -> QuerySet[CareRecord]:
        return selectors.filter_records(qs, text=value)


class CareFilter(_Methods):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="filter_unit")
    own = django_filters.BooleanFilter(
        label=_("Only the unit's own records"),
        method="filter_own",
        widget=django_filters.widgets.forms.CheckboxInput,
    )
    period = PeriodChoiceFilter(label=_("Period"), method="filter_period")
    year = YearFilter(label=_("Year"), method="filter_year")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CareKind.choices)
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=_campaigns, field_name="campaign"
    )
    q = django_filters.CharFilter(label=_("Name, description or address"), method="filter_text")

    class Meta:
        model = CareRecord
        fields = ["unit", "own", "period", "year", "kind", "campaign", "q"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(
            user=user, action=Action.INDICATORS_VIEW, active_only=False
        )


class CareApiFilter(_Methods):
    unit = IdFilter(method="filter_unit", help_text="Id of a unit: records of its subtree.")
    own = django_filters.BooleanFilter(
        method="filter_own", help_text="With unit: only the unit's own records."
    )
    period = IdFilter(
        method="filter_period_id",
        help_text="Id of a period: records counted in it (houses by their handover day).",
    )
    year = YearFilter(method="filter_year", help_text="Year of the record's date.")
    kind = django_filters.ChoiceFilter(choices=CareKind.choices)
    campaign = IdFilter(field_name="campaign_id", help_text="Id of a campaign.")
    member = IdFilter(field_name="member_id", help_text="Id of a member.")
    q = django_filters.CharFilter(method="filter_text", help_text="Words of the names or text.")

    class Meta:
        model = CareRecord
        fields = ["unit", "own", "period", "year", "kind", "campaign", "member", "q"]

    def filter_unit(self, qs: QuerySet[CareRecord], name: str, value: Any) -> QuerySet[CareRecord]:
        user = getattr(self.request, "user", None)
        unit = selectors.visible_unit(user, int(value))
        if unit is None:
            return qs.none()
        return selectors.filter_records(qs, unit=unit, own=bool(self.form.cleaned_data.get("own")))

    def filter_period_id(
        self, qs: QuerySet[CareRecord], name: str, value: Any
    ) -> QuerySet[CareRecord]:
        period = selectors.period_by_id(int(value))
        return selectors.filter_records(qs, period=period) if period else qs.none()


class CampaignApiFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id", help_text="Id of the organising unit.")
    year = YearFilter(field_name="start__year", help_text="Year the campaign starts.")
