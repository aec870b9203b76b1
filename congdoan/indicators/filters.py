"""Filters of indicator lists (django-filter), shared by the API and the pages.

Units are given by id or code. A filter only narrows a queryset that is already limited to the
caller's scope: a unit outside it (or unknown) gives an empty list, never someone else's rows.
"""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet

from congdoan.core.filters import IdFilter, YearFilter
from congdoan.core.scoping import path_range_q
from congdoan.core.text import nfc
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    PeriodRule,
    Sheet,
    SheetStatus,
    Source,
    Target,
    ValueType,
)
from congdoan.organisation.models import Unit

UNIT_HELP = "Id or code of the unit."
UNDER_HELP = "Id or code of a unit: rows of that unit and of every unit below it."


def unit_by_ref(value: Any) -> Unit | None:
    """A unit given by code or id (any unit; scoping is the queryset's job)."""
    text = nfc(str(value or "")).strip()
    if not text:
        return None
    unit = Unit.objects.filter(code=text.upper()).only("pk", "path").first()
    if unit is None and text.isdecimal():
        unit = Unit.objects.filter(pk=int(text)).only("pk", "path").first()
    return unit


class _UnitFilters(df.FilterSet):
    unit = df.CharFilter(method="filter_unit", help_text=UNIT_HELP)
    under = df.CharFilter(method="filter_under", help_text=UNDER_HELP)
    period = IdFilter(field_name="period_id", help_text="Id of the period.")

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        unit = unit_by_ref(value)
        return queryset.filter(unit_id=unit.pk) if unit else queryset.none()

    def filter_under(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        unit = unit_by_ref(value)
        return queryset.filter(path_range_q("unit__path", unit.path)) if unit else queryset.none()


class TargetFilter(_UnitFilters):
    indicator = df.CharFilter(field_name="indicator__code", help_text="Indicator code.")
    assigned_by = df.CharFilter(
        method="filter_assigned_by", help_text="Id or code of the unit that assigned the target."
    )

    class Meta:
        model = Target
        fields: list[str] = []

    def filter_assigned_by(self, queryset: QuerySet[Any], name: str, value: str) -> Any:
        unit = unit_by_ref(value)
        return queryset.filter(assigned_by_id=unit.pk) if unit else queryset.none()


class SheetFilter(_UnitFilters):
    status = df.ChoiceFilter(choices=SheetStatus.choices)

    class Meta:
        model = Sheet
        fields: list[str] = []


class PeriodFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=PeriodKind.choices)
    year = YearFilter(help_text="The year the period is counted in.")
    parent = IdFilter(field_name="parent_id", help_text="Id of the whole (programme).")
    programme = df.CharFilter(help_text="Exact programme name.")
    on = df.DateFilter(
        method="filter_on",
        input_formats=["%Y-%m-%d"],
        help_text="Periods that contain this date (YYYY-MM-DD).",
    )

    class Meta:
        model = Period
        fields: list[str] = []

    def filter_on(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return queryset.filter(start__lte=value, end__gte=value)


class IndicatorFilter(df.FilterSet):
    group = df.CharFilter(field_name="group__code", help_text="Code of the indicator group.")
    source = df.ChoiceFilter(choices=Source.choices)
    value_type = df.ChoiceFilter(choices=ValueType.choices)
    code = df.CharFilter()
    year = YearFilter(method="filter_year", help_text="Indicators valid in this year.")

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_year(self, queryset: QuerySet[Any], name: str, value: Any) -> Any:
        return queryset.filter(
            Q(valid_from_year__isnull=True) | Q(valid_from_year__lte=value),
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=value),
        )


class PeriodRuleFilter(df.FilterSet):
    kind = df.ChoiceFilter(choices=PeriodKind.choices)

    class Meta:
        model = PeriodRule
        fields: list[str] = []
