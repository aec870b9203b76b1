"""Filters of the organisation API (django-filter), with the pages' semantics: search ignores
diacritics and case (`UnitQuerySet.search`, `core.text.fold`), subtrees are path ranges."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet

from congdoan.core.filters import IdFilter, SmallNumberFilter, YearFilter
from congdoan.core.scoping import path_range_q
from congdoan.core.text import nfc
from congdoan.organisation import selectors
from congdoan.organisation.models import (
    Cluster,
    ClusterKind,
    CommitteeKind,
    Level,
    OwnershipType,
    Position,
    Sector,
    Term,
    Unit,
    UnitType,
)

# Dates in the API are ISO 8601 whatever the caller's language (pages accept dd/mm/yyyy).
ISO_DATE = ["%Y-%m-%d"]


def _subtree(queryset: QuerySet[Any], field: str, unit_pk: int) -> QuerySet[Any]:
    """Rows whose `field` (a path) lies in the subtree of unit `unit_pk` (scope still applies)."""
    path = selectors.unit_path(unit_pk)
    if path is None:
        return queryset.none()
    return queryset.filter(path_range_q(field, path))


class UnitFilter(df.FilterSet):
    q = df.CharFilter(
        method="filter_q", help_text="Words of the name, short name or code; accents optional."
    )
    code = df.CharFilter(method="filter_code", help_text="Exact unit code.")
    parent = IdFilter(field_name="parent_id", help_text="Id of the parent unit.")
    under = IdFilter(
        method="filter_under", help_text="Id of a unit: that unit and every unit below it."
    )
    type = df.CharFilter(field_name="unit_type__code", help_text="Unit type code.")
    level = df.CharFilter(field_name="unit_type__level__code", help_text="Level code.")
    active = df.BooleanFilter(
        field_name="dissolved_on",
        lookup_expr="isnull",
        help_text="true: units not dissolved; false: dissolved units.",
    )
    active_on = df.DateFilter(
        method="filter_active_on",
        input_formats=ISO_DATE,
        help_text="Units existing on this date (YYYY-MM-DD).",
    )
    province_code = SmallNumberFilter(help_text="Province code (post-2025 map).")

    class Meta:
        model = Unit
        fields: list[str] = []

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.search(value)

    def filter_code(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(code=nfc(value).upper())

    def filter_under(self, queryset: Any, name: str, value: Any) -> Any:
        return _subtree(queryset, "path", int(value))

    def filter_active_on(self, queryset: Any, name: str, value: dt.date) -> Any:
        return queryset.active_on(value)


class ClusterFilter(df.FilterSet):
    year = YearFilter(
        method="filter_year",
        help_text="Clusters with members in this year; only that year's memberships are shown.",
    )
    kind = df.ChoiceFilter(choices=ClusterKind.choices)
    unit = IdFilter(field_name="memberships__unit", distinct=True, help_text="Id of a member unit.")
    organiser = IdFilter(field_name="organiser_id", help_text="Id of the organising unit.")
    code = df.CharFilter()

    class Meta:
        model = Cluster
        fields: list[str] = []

    def filter_year(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(pk__in=selectors.cluster_ids_in_year(value))


class TermFilter(df.FilterSet):
    unit = IdFilter(field_name="unit_id", help_text="Id of the unit.")
    under = IdFilter(
        method="filter_under", help_text="Id of a unit: terms of that unit and units below it."
    )
    year = YearFilter(method="filter_year", help_text="Terms that cover this year.")

    class Meta:
        model = Term
        fields: list[str] = []

    def filter_under(self, queryset: Any, name: str, value: Any) -> Any:
        return _subtree(queryset, "unit__path", int(value))

    def filter_year(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(start_year__lte=value, end_year__gte=value)


# ---------------------------------------------------------------------------------------------
# Catalogues


class LevelFilter(df.FilterSet):
    class Meta:
        model = Level
        fields = ["code"]


class UnitTypeFilter(df.FilterSet):
    level = df.CharFilter(field_name="level__code", help_text="Level code.")
    valid_on = df.DateFilter(
        method="filter_valid_on",
        input_formats=ISO_DATE,
        help_text="Types that may be used on this date (YYYY-MM-DD).",
    )

    class Meta:
        model = UnitType
        fields = ["code", "is_grassroots"]

    def filter_valid_on(self, queryset: Any, name: str, value: dt.date) -> Any:
        return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=value)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )


class SectorFilter(df.FilterSet):
    class Meta:
        model = Sector
        fields = ["code"]


class OwnershipTypeFilter(df.FilterSet):
    class Meta:
        model = OwnershipType
        fields = ["code", "is_enterprise", "is_state"]


class PositionFilter(df.FilterSet):
    committee = df.ChoiceFilter(choices=CommitteeKind.choices)

    class Meta:
        model = Position
        fields = ["code"]
