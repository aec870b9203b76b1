"""Filters of the inspection and complaint lists: the pages (unit by code or id, with the unit
picker; `?unit=<id>&period=<id>` is the link a sheet gives for a unit's figure) and the API
(unit by id)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter
from congdoan.core.permissions import Action
from congdoan.inspections import selectors
from congdoan.inspections.models import Body, Complaint, ComplaintKind, Inspection, InspectionKind
from congdoan.organisation.forms import UnitChoiceField

SIDES = [
    (selectors.CONDUCTED, _("conducted by the unit or the units below it")),
    (selectors.INSPECTED, _("of the unit or the units below it")),
]
STATES = [("open", _("Not yet resolved")), ("resolved", _("Resolved"))]


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code or id, with the unit picker."""

    field_class = UnitChoiceField


class PeriodFilter(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs: Any):
        super().__init__(queryset=selectors.periods(), **kwargs)


class InspectionFilter(django_filters.FilterSet):
    unit = UnitFilter(label=_("Unit"), method="filter_noop")
    side = django_filters.ChoiceFilter(
        label=_("Inspections"), choices=SIDES, empty_label=None, method="filter_noop"
    )
    period = PeriodFilter(label=_("Period (by start date)"), method="filter_noop")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InspectionKind.choices)
    body = django_filters.ChoiceFilter(label=_("Conducted by"), choices=Body.choices)
    q = django_filters.CharFilter(label=_("Text"), method="filter_noop")

    class Meta:
        model = Inspection
        fields = ["unit", "side", "period", "kind", "body", "q"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(
            user=user, action=Action.INDICATORS_VIEW, active_only=False
        )

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # applied together in `filter_queryset`

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        return selectors.filter_inspections(
            queryset,
            unit=d.get("unit"),
            side=d.get("side") or selectors.CONDUCTED,
            period=d.get("period"),
            text=d.get("q"),
        )


class ComplaintFilter(django_filters.FilterSet):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="filter_noop")
    period = PeriodFilter(label=_("Period (received or resolved)"), method="filter_noop")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ComplaintKind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATES, method="filter_noop")
    q = django_filters.CharFilter(label=_("Text"), method="filter_noop")

    class Meta:
        model = Complaint
        fields = ["unit", "period", "kind", "state", "q"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(
            user=user, action=Action.INDICATORS_VIEW, active_only=False
        )

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        d = self.form.cleaned_data
        return selectors.filter_complaints(
            queryset,
            unit=d.get("unit"),
            period=d.get("period"),
            state=d.get("state"),
            text=d.get("q"),
        )


# ---------------------------------------------------------------------------------------------
# API


class InspectionApiFilter(django_filters.FilterSet):
    unit = IdFilter(
        method="filter_unit", help_text="Id of a unit: inspections it or units below it conducted."
    )
    inspected = IdFilter(
        method="filter_inspected", help_text="Id of a unit: inspections of it or of units below it."
    )
    period = IdFilter(
        method="filter_period", help_text="Id of a period: inspections started in it."
    )
    kind = django_filters.ChoiceFilter(choices=InspectionKind.choices)
    body = django_filters.ChoiceFilter(choices=Body.choices)

    class Meta:
        model = Inspection
        fields = ["unit", "inspected", "period", "kind", "body"]

    def _unit(self, value: Any) -> Any:
        return selectors.visible_unit(getattr(self.request, "user", None), int(value))

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        unit = self._unit(value)
        return selectors.filter_inspections(queryset, unit=unit) if unit else queryset.none()

    def filter_inspected(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        unit = self._unit(value)
        if unit is None:
            return queryset.none()
        return selectors.filter_inspections(queryset, unit=unit, side=selectors.INSPECTED)

    def filter_period(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        period = selectors.periods().filter(pk=int(value)).first()
        return selectors.filter_inspections(queryset, period=period) if period else queryset.none()


class InspectionPartFilter(django_filters.FilterSet):
    """Units inspected and recommendations of one inspection (API)."""

    inspection = IdFilter(field_name="inspection_id", help_text="Id of the inspection.")


class FollowUpFilter(django_filters.FilterSet):
    recommendation = IdFilter(field_name="recommendation_id", help_text="Id of the recommendation.")


class ComplaintApiFilter(django_filters.FilterSet):
    unit = IdFilter(
        method="filter_unit", help_text="Id of a unit: complaints it or units below it handled."
    )
    period = IdFilter(
        method="filter_period", help_text="Id of a period: received or resolved in it."
    )
    kind = django_filters.ChoiceFilter(choices=ComplaintKind.choices)
    state = django_filters.ChoiceFilter(choices=STATES, method="filter_state")

    class Meta:
        model = Complaint
        fields = ["unit", "period", "kind", "state"]

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        unit = selectors.visible_unit(getattr(self.request, "user", None), int(value))
        return selectors.filter_complaints(queryset, unit=unit) if unit else queryset.none()

    def filter_period(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        period = selectors.periods().filter(pk=int(value)).first()
        return selectors.filter_complaints(queryset, period=period) if period else queryset.none()

    def filter_state(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return selectors.filter_complaints(queryset, state=value)
