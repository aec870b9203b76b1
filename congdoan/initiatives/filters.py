"""Filters of the lists: the pages (unit by code or id, with the unit picker) and the API (unit
by id). Both keep the records of the chosen unit's subtree, dated within the chosen period
(`?unit=<id>&period=<id>`: where a sheet's figure links to)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter
from congdoan.core.permissions import Action
from congdoan.initiatives import selectors
from congdoan.initiatives.models import Contest, ContestKind, Field, Initiative, Status
from congdoan.organisation.forms import UnitChoiceField


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code or id, with the unit picker."""

    field_class = UnitChoiceField


class _Common(django_filters.FilterSet):
    """The filters every list shares: the unit's subtree, the period, words of the title."""

    unit: django_filters.Filter
    period = IdFilter(label=_("Period"), method="filter_period")
    q = django_filters.CharFilter(label=_("Words of the title"), method="filter_text")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(self.filters["unit"], UnitFilter):
            user = getattr(self.request, "user", None)
            self.filters["unit"].extra.update(
                user=user, action=Action.INDICATORS_VIEW, active_only=False
            )

    def visible_unit(self, value: Any) -> Any:
        if hasattr(value, "path"):
            return value
        user = getattr(self.request, "user", None)
        return selectors.visible_unit(user, int(value))

    def period_of(self, value: Any) -> Any:
        return selectors.period_by_id(int(value))


class InitiativeFilter(_Common):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="filter_unit")
    programme = IdFilter(label=_("Programme"), method="filter_programme")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices)

    class Meta:
        model = Initiative
        fields = ["unit", "period", "programme", "status", "field", "q"]

    def filter_unit(self, qs: QuerySet[Initiative], name: str, value: Any) -> QuerySet[Initiative]:
        unit = self.visible_unit(value)
        return selectors.filter_initiatives(qs, unit=unit) if unit else qs.none()

    def filter_period(
        self, qs: QuerySet[Initiative], name: str, value: Any
    ) -> QuerySet[Initiative]:
        period = self.period_of(value)
        return selectors.filter_initiatives(qs, period=period) if period else qs.none()

    def filter_programme(
        self, qs: QuerySet[Initiative], name: str, value: Any
    ) -> QuerySet[Initiative]:
        return qs.filter(programme_id=int(value))

    def filter_text(self, qs: QuerySet[Initiative], name: str, value: Any) -> QuerySet[Initiative]:
        return selectors.filter_initiatives(qs, text=value)


class InitiativeApiFilter(InitiativeFilter):
    unit = IdFilter(method="filter_unit", help_text="Id of a unit: records of its subtree.")
    phase = IdFilter(field_name="phase_id", help_text="Id of a programme phase.")

    class Meta:
        model = Initiative
        fields = ["unit", "period", "programme", "phase", "status", "field", "q"]


class ContestFilter(_Common):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="filter_unit")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ContestKind.choices)

    class Meta:
        model = Contest
        fields = ["unit", "period", "kind", "q"]

    def filter_unit(self, qs: QuerySet[Contest], name: str, value: Any) -> QuerySet[Contest]:
        unit = self.visible_unit(value)
        return selectors.filter_contests(qs, unit=unit) if unit else qs.none()

    def filter_period(self, qs: QuerySet[Contest], name: str, value: Any) -> QuerySet[Contest]:
        period = self.period_of(value)
        return selectors.filter_contests(qs, period=period) if period else qs.none()

    def filter_text(self, qs: QuerySet[Contest], name: str, value: Any) -> QuerySet[Contest]:
        return selectors.filter_contests(qs, text=value)


class ContestApiFilter(ContestFilter):
    unit = IdFilter(method="filter_unit", help_text="Id of a unit: contests of its subtree.")


class ContestPartFilter(django_filters.FilterSet):
    """Entries and participants of one contest (API)."""

    contest = IdFilter(field_name="contest_id", help_text="Id of the contest.")


class ProgrammeApiFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id", help_text="Id of the organising unit.")
