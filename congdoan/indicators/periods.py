"""Reporting periods: cut by the rules in force (`PeriodRule`), named as reports name them,
and the two services that add one.

Periods are shared by the whole federation: every province sees every period. So:

- `period_open(actor=…, kind=…, year=…, number=…)` returns a calendar period (month, quarter, 6
  or 9 months, year, school year), creating it on first use. Its dates come from the period
  rules, so opening it adds nothing a user chooses: anyone who enters or approves figures
  somewhere may open it (`may_open_calendar`).
- `period_create(actor=…, kind=…, name=…, start=…, end=…)` records a term, a programme, its
  phases or a custom period, with dates of its own that every province will see: only a user
  whose "indicators.approve" scope covers the whole tree may (`may_create_dated`).

Both record who added the period (a history row with the service's name). Reads never add
one: `selectors.period_find` answers None for a period nobody opened.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import roman
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import has_any_scope, path_in_scope
from congdoan.indicators.models import Period, PeriodKind, PeriodRule
from congdoan.indicators.selectors import period_find
from congdoan.organisation.models import Unit

ONE_DAY = dt.timedelta(days=1)
CALENDAR_KINDS = (
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.HALF,
    PeriodKind.NINE,
    PeriodKind.YEAR,
    PeriodKind.SCHOOL_YEAR,
)
# Months per period and how many periods a year holds.
_LENGTH = {
    PeriodKind.MONTH: (1, 12),
    PeriodKind.QUARTER: (3, 4),
    PeriodKind.HALF: (6, 2),
    PeriodKind.NINE: (9, 1),
    PeriodKind.YEAR: (12, 1),
}


def rule_for(kind: str, year: int) -> PeriodRule:
    """The rule in force for `kind` in `year` (defaults: calendar months, 10 days to submit)."""
    rule = (
        PeriodRule.objects.filter(kind=kind, valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )
    if rule is None:
        first = 9 if kind == PeriodKind.SCHOOL_YEAR else 1
        rule = PeriodRule(kind=kind, valid_from_year=year, first_month=first, months=12)
    return rule


def _month_shift(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def _month_end(year: int, month: int, cutoff: int | None) -> dt.date:
    if cutoff:
        return dt.date(year, month, cutoff)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def bounds(kind: str, year: int, number: int, rule: PeriodRule) -> tuple[dt.date, dt.date]:
    """First and last day of the `number`-th period of `kind` in `year` under `rule`."""
    if kind == PeriodKind.SCHOOL_YEAR:
        months, count = rule.months, 1
    elif kind in _LENGTH:
        months, count = _LENGTH[PeriodKind(kind)]
    else:
        raise RuleViolation(_("Periods of this kind are created with their own dates."))
    if not 1 <= number <= count:
        raise RuleViolation(
            _("A year has %(count)s periods of this kind; %(number)s is not one of them.")
            % {"count": count, "number": number},
            field="number",
        )
    first_year, first_month = _month_shift(year, rule.first_month, (number - 1) * months)
    last_year, last_month = _month_shift(first_year, first_month, months - 1)
    end = _month_end(last_year, last_month, rule.cutoff_day)
    if rule.cutoff_day:
        before_year, before_month = _month_shift(first_year, first_month, -1)
        start = _month_end(before_year, before_month, rule.cutoff_day) + ONE_DAY
    else:
        start = dt.date(first_year, first_month, 1)
    return start, end


def name_of(kind: str, year: int, number: int) -> str:
    """The name reports use: "Quý III/2026", "6 tháng đầu năm 2026", "Năm học 2022 - 2023"."""
    if kind == PeriodKind.MONTH:
        return f"Tháng {number}/{year}"
    if kind == PeriodKind.QUARTER:
        return f"Quý {roman(number)}/{year}"
    if kind == PeriodKind.HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind == PeriodKind.NINE:
        return f"9 tháng đầu năm {year}"
    if kind == PeriodKind.SCHOOL_YEAR:
        return f"Năm học {year} - {year + 1}"
    return f"Năm {year}"


# ---------------------------------------------------------------------------------------------
# Who may add a period


def may_open_calendar(actor: Any) -> bool:
    """Whether `actor` may open calendar periods: they enter or approve figures somewhere."""
    return has_any_scope(actor, Action.INDICATORS_ENTER) or has_any_scope(
        actor, Action.INDICATORS_APPROVE
    )


def may_create_dated(actor: Any) -> bool:
    """Whether `actor` may create periods with dates of their own: their "indicators.approve"
    scope covers the whole tree (the national level)."""
    roots = Unit.objects.filter(depth=1).only("path")
    return any(path_in_scope(actor, Action.INDICATORS_APPROVE, root.path) for root in roots)


def _check_may_add(actor: Any, kind: str) -> None:
    """Refuse, in words the user understands, a period the actor may not add (`actor` None:
    work of the system, not checked)."""
    if actor is None:
        return
    if kind in CALENDAR_KINDS:
        if not may_open_calendar(actor):
            raise RuleViolation(
                _("Only users who enter or approve figures may open a period."), field="kind"
            )
    elif not may_create_dated(actor):
        raise RuleViolation(
            _(
                "Terms, programmes, their phases and custom periods are seen by every province: "
                "only the national level may create them."
            ),
            field="kind",
        )


# ---------------------------------------------------------------------------------------------
# The two services


@transaction.atomic
def period_open(*, actor: Any, kind: str, year: int, number: int = 1) -> Period:
    """The calendar period, created on first use with the rule in force that year (see the
    module's docstring for who may)."""
    if kind not in CALENDAR_KINDS:
        raise RuleViolation(_("Periods of this kind are created with their own dates."))
    _check_may_add(actor, kind)
    existing = period_find(kind=kind, year=year, number=number)
    if existing is not None:
        return existing
    rule = rule_for(kind, year)
    start, end = bounds(kind, year, number, rule)
    period = Period(
        kind=kind,
        year=year,
        number=number,
        programme="",
        name=name_of(kind, year, number),
        start=start,
        end=end,
        due_on=end + dt.timedelta(days=rule.due_days),
    )
    stamp(period, actor, "period_open")
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError:  # opened at the same moment by someone else
        found = period_find(kind=kind, year=year, number=number)
        if found is None:
            raise
        return found
    return period


@transaction.atomic
def period_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    start: dt.date,
    end: dt.date,
    year: int | None = None,
    number: int = 1,
    programme: str = "",
    parent: Period | None = None,
    due_on: dt.date | None = None,
) -> Period:
    """A term, programme, programme phase or custom period with its own dates (see the module's
    docstring for who may)."""
    if kind in CALENDAR_KINDS:
        raise RuleViolation(_("Calendar periods are cut by the period rules; choose the year."))
    _check_may_add(actor, kind)
    if end < start:
        raise RuleViolation(_("The period ends before it starts."), field="end")
    if parent is not None and not (parent.start <= start and end <= parent.end):
        raise RuleViolation(
            _("A part must lie inside %(parent)s (%(start)s – %(end)s).")
            % {"parent": parent.label, "start": parent.start, "end": parent.end},
            field="start",
        )
    period = Period(
        kind=kind,
        name=name,
        start=start,
        end=end,
        year=year or start.year,
        number=number,
        programme=programme or (parent.programme if parent else ""),
        parent=parent,
        due_on=due_on,
    )
    stamp(period, actor, "period_create")
    period.save()
    return period
