"""Reads of figures sheets: where each unit's sheet stands (status, late), what is below a
unit, and one sheet's values, comments, steps and trail."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models import Value as V

from congdoan.core.audit import audit_trail
from congdoan.core.scoping import path_range_q
from congdoan.indicators.models import Indicator, Period, Remark, Sheet, SheetStep, Value
from congdoan.indicators.selectors.units import children_versions, chunks
from congdoan.organisation.models import Unit, UnitVersion


@dataclass
class SheetState:
    unit_id: int
    status: str  # a SheetStatus, or "" when nothing was entered
    late: bool
    updated_at: dt.datetime | None = None


def children_with_sheets(
    unit_id: int, period: Period, today: dt.date, user: Any = None
) -> tuple[list[tuple[int, str, str]], dict[int, SheetState]]:
    """`children_on` at the period end, in no particular order (the caller sorts them), and
    their `sheet_states` (without times), in one query."""
    rows = (
        children_versions(unit_id, period.end, user)
        .order_by()
        .annotate(**_sheet_lookups(period, with_times=False))
        .values_list("unit_id", "name", "code", "status", "submitted_late")
    )
    kids: list[tuple[int, str, str]] = []
    found: dict[int, tuple[str, bool | None, dt.datetime | None]] = {}
    for u, name, code, status, submitted_late in rows:
        kids.append((u, name, code))
        if status is not None:
            found[u] = (status, submitted_late, None)
    return kids, _states([u for u, _n, _c in kids], found, period, today)


def sheet_states(
    unit_ids: Sequence[int],
    period: Period,
    today: dt.date,
    *,
    parent_id: int | None = None,
    with_times: bool = True,
) -> dict[int, SheetState]:
    """The sheet status of each unit; `parent_id`: the units are (some of) the units directly
    below it at the period end; `with_times=False`: without `updated_at` (thousands of rows
    read faster)."""
    found: dict[int, tuple[str, bool | None, dt.datetime | None]] = {}
    fields = ["unit_id", "status", "submitted_late"] + (["updated_at"] if with_times else [])
    if parent_id is not None:
        rows = (
            UnitVersion.objects.on(period.end)
            .filter(parent_id=parent_id)
            .annotate(**_sheet_lookups(period, with_times=with_times))
            .values_list(*fields)
        )
        lists: list[Any] = [rows]
    else:
        sheets = Sheet.objects.filter(period=period).annotate(submitted_late=_late_sent(period))
        lists = [
            sheets.filter(unit_id__in=chunk).values_list(*fields) for chunk in chunks(unit_ids)
        ]
    for rows in lists:
        for u, status, submitted_late, *updated in rows:
            if status is None:
                continue  # no sheet
            found[u] = (status, submitted_late, updated[0] if updated else None)
    return _states(unit_ids, found, period, today)


def _late_sent(period: Period) -> Any:
    """First sent after the due day (a local date, compared in the database); None: never."""
    if period.due_on is None:
        return V(False)
    return Case(
        When(Q(first_submitted_at__isnull=True), then=V(None)),
        When(Q(first_submitted_at__date__gt=period.due_on), then=V(True)),
        default=V(False),
        output_field=BooleanField(),
    )


def _sheet_lookups(period: Period, *, with_times: bool) -> dict[str, Any]:
    """Annotations of unit versions with their unit's sheet of `period`. Each unit looks up
    its own sheet (a subquery per row through the unique index): a join lets PostgreSQL's
    default costs read every sheet of the period instead (26 ms rather than 11 for a
    province's 3,000 communes)."""
    sheet = Sheet.objects.filter(unit_id=OuterRef("unit_id"), period=period)
    out = {
        "status": Subquery(sheet.values("status")[:1]),
        "submitted_late": Subquery(sheet.annotate(late=_late_sent(period)).values("late")[:1]),
    }
    if with_times:
        out["updated_at"] = Subquery(sheet.values("updated_at")[:1])
    return out


def _states(
    unit_ids: Sequence[int],
    found: dict[int, tuple[str, bool | None, dt.datetime | None]],
    period: Period,
    today: dt.date,
) -> dict[int, SheetState]:
    """Late: first sent after the due day, or not sent yet and overdue (a sheet returned or
    reopened after an on-time submission is not late)."""
    overdue = period.due_on is not None and today > period.due_on
    out = {}
    for u in unit_ids:
        status, sent_late, updated = found.get(u, ("", None, None))
        late = sent_late is True or (overdue and sent_late is None)
        out[u] = SheetState(u, status, late, updated)
    return out


def sheets_below(unit_ids: Sequence[int], period: Period) -> dict[int, Counter[str]]:
    """For each unit, how many units below it (as of the period's end) have a sheet in each
    status ("" = nothing entered): what an approver needs to see of a commune whose grassroots
    unions enter the figures."""
    day = period.end
    roots = dict(
        UnitVersion.objects.on(day)
        .filter(unit_id__in=list(unit_ids))
        .values_list("path", "unit_id")
    )
    out: dict[int, Counter[str]] = {u: Counter() for u in unit_ids}
    if not roots:
        return out
    q = Q()
    for path in roots:
        q |= path_range_q("path", path)
    owner: dict[int, int] = {}
    for unit_id, path in UnitVersion.objects.on(day).filter(q).values_list("unit_id", "path"):
        for i in range(Unit.steplen, len(path), Unit.steplen):  # strict prefixes: not itself
            root = roots.get(path[:i])
            if root is not None:
                owner[unit_id] = root
    below = list(owner)
    status: dict[int, str] = {}
    for chunk in chunks(below):
        status.update(
            Sheet.objects.filter(unit_id__in=chunk, period=period).values_list("unit_id", "status")
        )
    for unit_id, root in owner.items():
        out[root][status.get(unit_id, "")] += 1
    return out


# ---------------------------------------------------------------------------------------------
# One sheet


def sheet_find(*, unit: Unit | None, period: Period | None) -> Sheet | None:
    """The unit's sheet of the period, if anything was entered (None without a unit or period)."""
    if unit is None or period is None:
        return None
    return Sheet.objects.filter(unit=unit, period=period).first()


def sheet_values(
    *, unit: Unit, period: Period, indicators: list[Indicator] | None = None
) -> dict[int, Value]:
    """The unit's own values of the period by indicator id (of `indicators` only, when given)."""
    rows = Value.objects.filter(unit=unit, period=period)
    if indicators is not None:
        rows = rows.filter(indicator__in=indicators)
    return {v.indicator_id: v for v in rows}


def sheet_remarks(
    *, unit: Unit, period: Period, indicators: list[Indicator] | None = None
) -> dict[int, str]:
    """The unit's comments without a figure by indicator id (of `indicators` only, when given)."""
    rows = Remark.objects.filter(unit=unit, period=period)
    if indicators is not None:
        rows = rows.filter(indicator__in=indicators)
    return {r.indicator_id: r.text for r in rows}


def sheet_steps(sheet: Sheet) -> list[SheetStep]:
    """The sheet's workflow steps with their actors, oldest first."""
    return list(SheetStep.objects.filter(sheet=sheet).select_related("actor"))


def sheet_trail(sheet: Sheet, *, limit: int = 50) -> list[Any]:
    """The history of the sheet's values and comments, newest first."""
    return audit_trail(
        Value.history.filter(sheet_id=sheet.pk),
        Remark.history.filter(sheet_id=sheet.pk),
        limit=limit,
    )


def submitted_at(unit_ids: Sequence[int], period: Period) -> dict[int, dt.datetime | None]:
    """When each unit last submitted its sheet of the period (units with a sheet only)."""
    return dict(
        Sheet.objects.filter(unit_id__in=unit_ids, period=period).values_list(
            "unit_id", "submitted_at"
        )
    )


def sheets_detailed(sheets: QuerySet[Sheet] | None = None) -> QuerySet[Sheet]:
    """`sheets` (default: every sheet) with their unit, period, values, comments and steps (the
    API's sheet detail)."""
    order = ("indicator__group__order", "indicator__order", "indicator__code")
    values: Prefetch[Any] = Prefetch(
        "values", queryset=Value.objects.select_related("indicator__group").order_by(*order)
    )
    remarks: Prefetch[Any] = Prefetch(
        "remarks", queryset=Remark.objects.select_related("indicator__group").order_by(*order)
    )
    steps: Prefetch[Any] = Prefetch("steps", queryset=SheetStep.objects.select_related("actor"))
    base = Sheet.objects.all() if sheets is None else sheets
    return base.select_related("unit", "period").prefetch_related(values, remarks, steps)


# ---------------------------------------------------------------------------------------------
# Many units (the Excel round trip)


def sheet_statuses(unit_ids: Sequence[int], period: Period) -> dict[int, str]:
    """The status of each unit's sheet of the period (units with a sheet only)."""
    return dict(
        Sheet.objects.filter(unit_id__in=unit_ids, period=period).values_list("unit_id", "status")
    )


def value_amounts(
    *, unit_ids: Sequence[int], period: Period, indicators: Sequence[Indicator]
) -> dict[tuple[int, int], Decimal]:
    """The units' own values of the period by (unit id, indicator id)."""
    rows = Value.objects.filter(
        unit_id__in=unit_ids, period=period, indicator__in=list(indicators)
    ).values_list("unit_id", "indicator_id", "value")
    return {(u, i): v for u, i, v in rows}


def values_by_code(unit_ids: Sequence[int], period: Period) -> dict[tuple[int, str], Decimal]:
    """The units' own values of the period by (unit id, indicator code)."""
    rows = Value.objects.filter(unit_id__in=unit_ids, period=period).values_list(
        "unit_id", "indicator__code", "value"
    )
    return {(u, code): v for u, code, v in rows}
