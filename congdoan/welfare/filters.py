"""Filters of the welfare lists: the pages (unit by code or id, with the unit picker) and the API
(unit by id). Both keep the records of the chosen unit's subtree; `period` (an id: the sheets
link a unit's figure to `?unit=<id>&period=<id>`) or `year` limits them to its days."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter, YearFilter
from congdoan.core.permissions import Action
from congdoan.organisation.forms import UnitChoiceField
from congdoan.welfare import selectors
from congdoan.welfare.models import Agreement, BenefitUse, PartnerKind


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code or id, with the unit picker."""

    field_class = UnitChoiceField


class _Spanned(django_filters.FilterSet):
    """Filters applied together through the selectors (`filter_queryset`)."""

    period = IdFilter(label=_("Period"), method="keep")
    year = YearFilter(label=_("Year"), method="keep")
    kind = django_filters.ChoiceFilter(
        label=_("Kind of partner"), choices=PartnerKind.choices, method="keep"
    )
    q = django_filters.CharFilter(label=_("Search"), method="keep", max_length=100)

    def keep(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    @property
    def qs(self) -> QuerySet[Any]:
        """`filter_queryset` also without a query string (it adds what the lists show)."""
        if not hasattr(self, "_qs"):
            if self.is_bound:
                self.errors  # noqa: B018 - validates the form
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    def data_of(self) -> dict[str, Any]:
        return getattr(self.form, "cleaned_data", None) or {}

    def unit_of(self, data: dict[str, Any]) -> Any:
        """The unit chosen (None: any; False: one the user may not see)."""
        return data.get("unit")

    def common(self) -> dict[str, Any] | None:
        """The selectors' filters from the form, or None when they select nothing (a period
        that does not exist)."""
        data = self.data_of()
        period = selectors.period_by_id(data.get("period"))
        if data.get("period") and period is None:
            return None
        return {
            "unit": self.unit_of(data),
            "span": selectors.Span.of(period, data.get("year")),
            "kind": data.get("kind") or None,
            "text": data.get("q") or None,
        }


class _PageUnit(_Spanned):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="keep")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(
            user=user, action=Action.INDICATORS_VIEW, active_only=False
        )


class _ApiUnit(_Spanned):
    unit = IdFilter(method="keep", help_text="Id of a unit: records of its subtree.")

    def unit_of(self, data: dict[str, Any]) -> Any:
        pk = data.get("unit")
        if not pk:
            return None
        user = getattr(self.request, "user", None)
        return selectors.visible_unit(user, pk) or False


def _agreements(fs: _Spanned, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    found = fs.common()
    if found is None or found["unit"] is False:
        return queryset.none()
    qs = selectors.filter_agreements(queryset, **found)
    return selectors.with_use_totals(qs, found["span"])


def _uses(fs: _Spanned, queryset: QuerySet[BenefitUse]) -> QuerySet[BenefitUse]:
    found = fs.common()
    if found is None or found["unit"] is False:
        return queryset.none()
    data = fs.data_of()
    return selectors.filter_uses(
        queryset, agreement=data.get("agreement"), member=data.get("member"), **found
    )


class AgreementFilter(_PageUnit):
    class Meta:
        model = Agreement
        fields = ["unit", "period", "year", "kind", "q"]

    def filter_queryset(self, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
        return _agreements(self, queryset)


class UseFilter(_PageUnit):
    agreement = IdFilter(label=_("Agreement"), method="keep")
    member = IdFilter(label=_("Member"), method="keep")

    class Meta:
        model = BenefitUse
        fields = ["unit", "period", "year", "kind", "q", "agreement", "member"]

    def filter_queryset(self, queryset: QuerySet[BenefitUse]) -> QuerySet[BenefitUse]:
        return _uses(self, queryset)


class AgreementApiFilter(_ApiUnit):
    class Meta:
        model = Agreement
        fields = ["unit", "period", "year", "kind", "q"]

    def filter_queryset(self, queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
        return _agreements(self, queryset)


class UseApiFilter(_ApiUnit):
    agreement = IdFilter(method="keep", help_text="Id of an agreement.")
    member = IdFilter(method="keep", help_text="Id of a member.")

    class Meta:
        model = BenefitUse
        fields = ["unit", "period", "year", "kind", "q", "agreement", "member"]

    def filter_queryset(self, queryset: QuerySet[BenefitUse]) -> QuerySet[BenefitUse]:
        return _uses(self, queryset)
