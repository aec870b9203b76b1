"""Filters of the gradings list: the page (unit by code, with the picker) and the API (ids).
Every filter keeps the gradings of the unions of the chosen unit's subtree."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter, YearFilter
from congdoan.grading import selectors
from congdoan.grading.models import RANK_LABELS, Grading, Status
from congdoan.organisation.forms import UnitChoiceField

RANKS = [(str(rank), label) for rank, label in RANK_LABELS.items()]


class UnitFilter(django_filters.Filter):
    field_class = UnitChoiceField


class GradingFilter(django_filters.FilterSet):
    year = YearFilter(label=_("Year"), method="by_year")
    unit = UnitFilter(label=_("Unit (and the units below)"), method="by_unit")
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=RANKS, method="by_rank", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, method="by_status", empty_label=_("All")
    )

    class Meta:
        model = Grading
        fields = ["year", "unit", "category", "status"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(user=user, action=selectors.VIEW, active_only=False)

    @property
    def form(self) -> Any:
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

    def by_year(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, year=int(value))

    def by_unit(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, unit=value)

    def by_rank(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, rank=int(value))

    def by_status(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, status=value)


class GradingApiFilter(django_filters.FilterSet):
    year = YearFilter(method="by_year", help_text="The year the grading period ends.")
    unit = IdFilter(method="by_unit", help_text="Id of a unit: gradings of its subtree.")
    category = django_filters.ChoiceFilter(
        choices=RANKS, method="by_rank", help_text="Category rank, 1 (excellent) to 4."
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, method="by_status")

    class Meta:
        model = Grading
        fields = ["year", "unit", "category", "status"]

    def by_year(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, year=int(value))

    def by_unit(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        user = getattr(self.request, "user", None)
        unit = selectors.visible_unit(user, int(value))
        return selectors.filter_gradings(qs, unit=unit) if unit else qs.none()

    def by_rank(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, rank=int(value))

    def by_status(self, qs: QuerySet[Grading], name: str, value: Any) -> QuerySet[Grading]:
        return selectors.filter_gradings(qs, status=value)
