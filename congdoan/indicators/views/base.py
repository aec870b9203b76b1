"""What the indicator pages share: their door (`IndicatorPageMixin`), the unit and period of a
URL, and the formatting of a figure."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404

from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.indicators import selectors, wording
from congdoan.indicators.models import Period
from congdoan.organisation.models import Unit

# The URLs of one unit's figures for one period.
SHEET_PATH = "units/<int:unit>/periods/<int:period>/"


class IndicatorPageMixin(ScopedMixin):
    """The door of every indicator page: sign-in, then units within the user's "indicators.view"
    scope (404 for a unit that is missing or not theirs) and periods that have been opened (404
    for one that has not: a page never opens a period)."""

    model = Unit
    scope_action = Action.INDICATORS_VIEW

    def get_unit(self, pk: int) -> Unit:
        """A unit within the scope, with its parent and type (404 otherwise)."""
        unit: Unit = self.get_visible(selectors.units_with_parent(), pk=pk)
        return unit

    def get_period(self, pk: int) -> Period:
        """A period that has been opened (404 otherwise)."""
        number = parse_id(pk)
        period = selectors.period_by_id(number) if number is not None else None
        if period is None:
            raise Http404
        return period

    def unit_and_period(self, unit: int, period: int) -> tuple[Unit, Period]:
        return self.get_unit(unit), self.get_period(period)


def amount(value: Decimal | None) -> str:
    """A figure in Vietnamese format without trailing zero decimals ("1.234.567", "12,5")."""
    return wording.amount(value, 2) if value is not None else ""
