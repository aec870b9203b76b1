"""Sheets of figures written in bulk for the demo (`indicators.py`): the sheets, their values
with history rows and their workflow steps, each dated on its own day, as the services would
have left them one by one (a sheet's history row records its last step; a draft sheet has none,
like one `services.values_save` created).

The caller keeps the roll-up right: `rollup.rebuild` for a period written here alone, or
`rollup.apply_many` with `deltas` for sheets added to a period the services wrote.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from unittest import mock

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from congdoan.indicators import rollup
from congdoan.indicators.models import Indicator, Period, Sheet, SheetStatus, SheetStep, Step, Value
from congdoan.organisation.models import Unit

# Each step: the status it moves a sheet from and to, and the time it stamps on the sheet.
MOVES: dict[str, tuple[str, str, str]] = {
    Step.SUBMIT: (SheetStatus.DRAFT, SheetStatus.SUBMITTED, "submitted_at"),
    Step.APPROVE: (SheetStatus.SUBMITTED, SheetStatus.APPROVED, "approved_at"),
    Step.LOCK: (SheetStatus.APPROVED, SheetStatus.LOCKED, "locked_at"),
}


_real_now = timezone.now  # the real clock, kept before `clock()` patches it


def at(day: dt.date, hour: int) -> dt.datetime:
    """`day` at `hour`, never later than the real moment (a step played on the day the demo is
    built, e.g. the first day of the year, is not dated in the future)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), _real_now())


@contextmanager
def clock(day: dt.date, hour: int = 9) -> Iterator[None]:
    """Run the services as if it were `day` (history dates, submitted_at, auto_now fields)."""
    with mock.patch("django.utils.timezone.now", return_value=at(day, hour)):
        yield


@dataclass(frozen=True)
class Move:
    step: str  # Step.SUBMIT, Step.APPROVE, Step.LOCK, in this order
    day: dt.date
    hour: int
    actor: Any


@dataclass
class Planned:
    """One unit's sheet: its figures, entered on `entered` (10:00), and the steps it went
    through (none: still draft)."""

    unit: Unit
    entries: dict[str, int]
    entered: dt.date
    enterer: Any
    moves: list[Move] = field(default_factory=list)


def write_sheets(
    period: Period, planned: list[Planned], indicators: dict[str, Indicator]
) -> tuple[list[Sheet], list[Value]]:
    """Create the planned sheets of `period`, their values and steps; no roll-up."""
    by_moment: defaultdict[tuple[dt.date, int], list[Sheet]] = defaultdict(list)
    steps: defaultdict[tuple[dt.date, int], list[tuple[Planned, Move]]] = defaultdict(list)
    for plan in planned:
        sheet = Sheet(unit=plan.unit, period=period, status=SheetStatus.DRAFT)
        for move in plan.moves:
            _before, after, stamped = MOVES[move.step]
            sheet.status = after
            setattr(sheet, stamped, at(move.day, move.hour))
            if move.step == Step.SUBMIT and sheet.first_submitted_at is None:
                sheet.first_submitted_at = sheet.submitted_at
            steps[move.day, move.hour].append((plan, move))
        if plan.moves:
            last = plan.moves[-1]
            sheet._history_user = last.actor  # type: ignore[attr-defined]
            sheet._change_reason = f"sheet_{last.step}"  # type: ignore[attr-defined]
            by_moment[last.day, last.hour].append(sheet)
        else:
            by_moment[plan.entered, 10].append(sheet)
    sheets: list[Sheet] = []
    for (day, hour), group in sorted(by_moment.items()):
        with clock(day, hour):
            drafts = [s for s in group if s.status == SheetStatus.DRAFT]
            moved = [s for s in group if s.status != SheetStatus.DRAFT]
            if drafts:
                sheets += Sheet.objects.bulk_create(drafts)
            if moved:
                sheets += bulk_create_with_history(moved, Sheet)
    if any(sheet.pk is None for sheet in sheets):
        found = dict(Sheet.objects.filter(period=period).values_list("unit_id", "pk"))
        for sheet in sheets:
            sheet.pk = found[sheet.unit_id]
    sheet_of = {sheet.unit_id: sheet for sheet in sheets}
    for (day, hour), moves in sorted(steps.items()):
        with clock(day, hour):
            SheetStep.objects.bulk_create(
                SheetStep(
                    sheet=sheet_of[plan.unit.pk],
                    step=move.step,
                    from_status=MOVES[move.step][0],
                    to_status=MOVES[move.step][1],
                    actor=move.actor,
                )
                for plan, move in moves
            )
    by_day: defaultdict[dt.date, list[Value]] = defaultdict(list)
    for plan in planned:
        for code, value in plan.entries.items():
            row = Value(
                sheet=sheet_of[plan.unit.pk],
                unit_id=plan.unit.pk,
                period=period,
                indicator=indicators[code],
                value=Decimal(value),
            )
            row._history_user = plan.enterer  # type: ignore[attr-defined]
            by_day[plan.entered].append(row)
    values: list[Value] = []
    for day, rows in sorted(by_day.items()):
        with clock(day, 10):
            values += bulk_create_with_history(rows, Value, default_change_reason="values_save")
    return sheets, values


def deltas(sheets: list[Sheet], values: list[Value]) -> dict[int, list[rollup.Delta]]:
    """What `values` add to the totals (`rollup.apply_many`), approved when their sheet is."""
    approved = {sheet.pk: sheet.is_approved for sheet in sheets}
    out: defaultdict[int, list[rollup.Delta]] = defaultdict(list)
    for v in values:
        out[v.unit_id].append(
            rollup.value_delta(
                v.indicator_id,
                None,
                v.value,
                was_approved=False,
                is_approved=approved[v.sheet_id],
            )
        )
    return dict(out)
