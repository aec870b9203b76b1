"""Filters of the register's lists: the pages (unit by code or id, with the unit picker; the
sheets link a unit's figure to `?unit=<id>&period=<id>`) and the API (ids). Every filter keeps
the records of the chosen unit's subtree."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter, YearFilter
from congdoan.movements import selectors
from congdoan.movements.models import Activity, ActivityKind, Agreement, AgreementRating
from congdoan.organisation.forms import UnitChoiceField


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code or id, with the unit picker."""

    field_class = UnitChoiceField


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


class PeriodFilter(django_filters.ModelChoiceFilter):
    field_class = PeriodChoiceField


class _PageFilter(django_filters.FilterSet):
    """What both lists' pages share: unit, period, year and words."""

    unit = UnitFilter(label=_("Unit (and the units below)"), method="by_unit")
    period = PeriodFilter(
        label=_("Period"), queryset=selectors.periods(), method="by_period", empty_label=_("All")
    )
    year = YearFilter(label=_("Year"), method="by_year")
    q = django_filters.CharFilter(label=_("Words"), method="by_text", max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(user=user, action=selectors.VIEW, active_only=False)
        self._show_unit_code(user)

    def _show_unit_code(self, user: Any) -> None:
        """A unit given by id (the sheets' links) is shown by its code in the unit box."""
        data: Any = getattr(self, "data", None)
        value = str(data.get("unit") or "") if data else ""
        if not value.isdecimal():
            return
        field = UnitChoiceField(user=user, action=selectors.VIEW, active_only=False)
        try:
            unit = field.clean(value)
        except forms.ValidationError:
            return
        data = data.copy()
        data["unit"] = unit.code
        self.data = data

    @property
    def form(self) -> Any:
        """The filter's form, with Bootstrap's classes."""
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def by_unit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, unit=value)

    def by_period(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, period=value)

    def by_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, year=int(value))

    def by_text(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, text=value)


class ActivityFilter(_PageFilter):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ActivityKind.choices, empty_label=_("All")
    )

    class Meta:
        model = Activity
        fields = ["unit", "period", "year", "kind", "q"]

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        return selectors.filter_activities(queryset, **filters)


class AgreementFilter(_PageFilter):
    rating = django_filters.ChoiceFilter(
        label=_("Rating"), choices=AgreementRating.choices, empty_label=_("All")
    )

    class Meta:
        model = Agreement
        fields = ["unit", "period", "year", "rating", "q"]

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        return selectors.filter_agreements(queryset, **filters)


# ---------------------------------------------------------------------------------------------
# API


class _ApiFilter(django_filters.FilterSet):
    unit = IdFilter(method="by_unit", help_text="Id of a unit: records of its subtree.")
    period = IdFilter(method="by_period", help_text="Id of a period: records of its days.")
    year = YearFilter(method="by_year", help_text="Year of the record's date.")
    q = django_filters.CharFilter(method="by_text", max_length=100, help_text="Words to find.")

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def by_unit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        user = getattr(self.request, "user", None)
        unit = selectors.visible_unit(user, int(value))
        return self.select(queryset, unit=unit) if unit else queryset.none()

    def by_period(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        period = selectors.period_by_id(int(value))
        return self.select(queryset, period=period) if period else queryset.none()

    def by_year(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, year=int(value))

    def by_text(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return self.select(queryset, text=value)


class ActivityApiFilter(_ApiFilter):
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices)

    class Meta:
        model = Activity
        fields = ["unit", "period", "year", "kind", "q"]

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        return selectors.filter_activities(queryset, **filters)


class AgreementApiFilter(_ApiFilter):
    rating = django_filters.ChoiceFilter(choices=AgreementRating.choices)

    class Meta:
        model = Agreement
        fields = ["unit", "period", "year", "rating", "q"]

    def select(self, queryset: QuerySet[Any], **filters: Any) -> QuerySet[Any]:
        return selectors.filter_agreements(queryset, **filters)
