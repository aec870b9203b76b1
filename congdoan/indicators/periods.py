"""Reporting periods: cut by the rules in force (`PeriodRule`), named as reports name them.

`period_get(kind, year, number)` finds or creates a calendar period (month, quarter, 6 or 9
months, year, school year); `period_create` records a term, a programme, its phases or any
custom period with explicit dates. `year_before` gives the same period a year earlier.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import roman
from congdoan.indicators.models import Period, PeriodKind, PeriodRule

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


@transaction.atomic
def period_get(kind: str, year: int, number: int = 1) -> Period:
    """The calendar period, created on first use with the rule in force that year."""
    existing = Period.objects.filter(kind=kind, year=year, number=number, programme="").first()
    if existing is not None:
        return existing
    rule = rule_for(kind, year)
    start, end = bounds(kind, year, number, rule)
    period, _created = Period.objects.get_or_create(
        kind=kind,
        year=year,
        number=number,
        programme="",
        defaults={
            "name": name_of(kind, year, number),
            "start": start,
            "end": end,
            "due_on": end + dt.timedelta(days=rule.due_days),
        },
    )
    return period


@transaction.atomic
def period_create(
    *,
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
    """A term, programme, programme phase or custom period with its own dates."""
    if kind in CALENDAR_KINDS:
        raise RuleViolation(_("Calendar periods are cut by the period rules; choose the year."))
    if end < start:
        raise RuleViolation(_("The period ends before it starts."), field="end")
    if parent is not None and not (parent.start <= start and end <= parent.end):
        raise RuleViolation(
            _("A part must lie inside %(parent)s (%(start)s – %(end)s).")
            % {"parent": parent.name, "start": parent.start, "end": parent.end},
            field="start",
        )
    return Period.objects.create(
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


def year_before(period: Period) -> Period | None:
    """The same period one year earlier (for comparisons), created if it is a calendar one."""
    if period.kind in CALENDAR_KINDS:
        return period_get(period.kind, period.year - 1, period.number)
    return Period.objects.filter(
        kind=period.kind, year=period.year - 1, number=period.number, programme=period.programme
    ).first()


def parts_of(period: Period) -> list[Period]:
    """The period and every part below it (a programme and its phases)."""
    found = [period]
    frontier = [period.pk]
    while frontier:
        parts = list(Period.objects.filter(parent_id__in=frontier).order_by("start"))
        found.extend(parts)
        frontier = [p.pk for p in parts]
    return found
