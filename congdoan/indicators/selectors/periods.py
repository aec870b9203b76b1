"""Reads of reporting periods. A read never creates a period: one that nobody has opened
(`periods.period_open`, `periods.period_create`) is not there, and these answer None."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from congdoan.indicators.models import Period, PeriodKind

SUB_YEAR = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.NINE)
LATEST_FIRST = ("-end", "start", "kind")


def period_find(*, kind: str, year: int, number: int = 1, programme: str = "") -> Period | None:
    """The period of `kind`, `year` and `number` (of `programme`), if it has been opened."""
    return Period.objects.filter(kind=kind, year=year, number=number, programme=programme).first()


def period_by_id(pk: int) -> Period | None:
    return Period.objects.filter(pk=pk).first()


def periods_all() -> QuerySet[Period]:
    """Every period (the API's base queryset; the same for every signed-in user)."""
    return Period.objects.all()


def periods_latest(*, limit: int, ordering: tuple[str, ...] = LATEST_FIRST) -> list[Period]:
    """The latest periods, for a page's choice of period."""
    return list(Period.objects.order_by(*ordering)[:limit])


def periods_of_year(*, kind: str, year: int) -> list[Period]:
    """The calendar periods of `kind` opened in `year` (the months of a year…), in order."""
    return list(Period.objects.filter(kind=kind, year=year, programme="").order_by("number"))


def year_period_begun(day: dt.date) -> Period | None:
    """The latest year period that has begun on `day`, if one has been opened."""
    return Period.objects.filter(kind=PeriodKind.YEAR, start__lte=day).order_by("-end").first()


def year_of(period: Period) -> Period | None:
    """The year a month, quarter, 6 or 9 months belong to, if it has been opened."""
    if period.kind not in SUB_YEAR:
        return None
    return period_find(kind=PeriodKind.YEAR, year=period.year)


def year_before(period: Period) -> Period | None:
    """The same period one year earlier (for comparisons), if it has been opened."""
    return period_find(
        kind=period.kind, year=period.year - 1, number=period.number, programme=period.programme
    )


def periods_years_before(period: Period, *, years: int) -> list[Period]:
    """The same period in each of the `years` years before it that has been opened, oldest
    first (the points of a trend)."""
    return list(
        Period.objects.filter(
            kind=period.kind,
            number=period.number,
            programme=period.programme,
            year__gte=period.year - years,
            year__lt=period.year,
        ).order_by("year")
    )


def parts_of(period: Period) -> list[Period]:
    """The period and every part below it (a programme and its phases)."""
    found = [period]
    frontier = [period.pk]
    while frontier:
        parts = list(Period.objects.filter(parent_id__in=frontier).order_by("start"))
        found.extend(parts)
        frontier = [p.pk for p in parts]
    return found
