"""Filters of the emulation lists (movements, pledges)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import YearFilter
from congdoan.emulation.models import Movement, MovementKind
from congdoan.meetings.models import Pledge


class _Styled(django_filters.FilterSet):
    @property
    def form(self) -> Any:
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


class MovementFilter(_Styled):
    year = YearFilter(label=_("Year"), method="by_year")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=MovementKind.choices, empty_label=_("All")
    )
    q = django_filters.CharFilter(label=_("Words"), method="by_text", max_length=100)

    class Meta:
        model = Movement
        fields = ["year", "kind", "q"]

    def by_year(self, queryset: QuerySet[Movement], name: str, value: Any) -> QuerySet[Movement]:
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    def by_text(self, queryset: QuerySet[Movement], name: str, value: Any) -> QuerySet[Movement]:
        return queryset.filter(Q(name__icontains=value) | Q(theme__icontains=value))


class PledgeFilter(_Styled):
    year = YearFilter(label=_("Year"))
    q = django_filters.CharFilter(label=_("Words"), method="by_text", max_length=100)

    class Meta:
        model = Pledge
        fields = ["year", "q"]

    def by_text(self, queryset: QuerySet[Pledge], name: str, value: Any) -> QuerySet[Pledge]:
        return queryset.filter(Q(title__icontains=value) | Q(cluster__name__icontains=value))
