"""Filters of the meeting lists: the pages (unit by code, with the unit picker) and the API
(unit by id); both keep the meetings held in the chosen unit's subtree."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congdoan.core.filters import IdFilter, YearFilter
from congdoan.core.permissions import Action
from congdoan.meetings import selectors
from congdoan.meetings.models import Meeting, MeetingKind
from congdoan.organisation.forms import UnitChoiceField


class UnitFilter(django_filters.Filter):
    """A unit within the user's scope, by code, with the unit picker."""

    field_class = UnitChoiceField


class MeetingFilter(django_filters.FilterSet):
    unit = UnitFilter(label=_("Unit (and the units below)"), method="filter_unit")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeetingKind.choices)
    year = YearFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = Meeting
        fields = ["unit", "kind", "year"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["unit"].extra.update(
            user=user, action=Action.ORGANISATION_VIEW, active_only=False
        )

    def filter_unit(self, queryset: QuerySet[Meeting], name: str, value: Any) -> QuerySet[Meeting]:
        return selectors.filter_meetings(queryset, unit=value)

    def filter_year(self, queryset: QuerySet[Meeting], name: str, value: Any) -> QuerySet[Meeting]:
        return selectors.filter_meetings(queryset, year=int(value))


class MeetingApiFilter(django_filters.FilterSet):
    unit = IdFilter(method="filter_unit", help_text="Id of a unit: meetings in its subtree.")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    year = YearFilter(method="filter_year", help_text="Year the meeting was held.")
    term = IdFilter(field_name="term_id", help_text="Id of a term.")

    class Meta:
        model = Meeting
        fields = ["unit", "kind", "year", "term"]

    def filter_unit(self, queryset: QuerySet[Meeting], name: str, value: Any) -> QuerySet[Meeting]:
        user = getattr(self.request, "user", None)
        unit = selectors.visible_unit(user, int(value))
        return selectors.filter_meetings(queryset, unit=unit) if unit else queryset.none()

    def filter_year(self, queryset: QuerySet[Meeting], name: str, value: Any) -> QuerySet[Meeting]:
        return selectors.filter_meetings(queryset, year=int(value))


class MeetingPartFilter(django_filters.FilterSet):
    """Attendees and agenda items of one meeting (API)."""

    meeting = IdFilter(field_name="meeting_id", help_text="Id of the meeting.")


class PledgeApiFilter(django_filters.FilterSet):
    cluster = IdFilter(field_name="cluster_id", help_text="Id of the emulation cluster.")
    meeting = IdFilter(field_name="meeting_id", help_text="Id of the meeting.")
    year = YearFilter(field_name="year")
