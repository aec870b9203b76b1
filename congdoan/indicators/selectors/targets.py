"""Reads of targets: who receives a period's targets, the targets of a unit and of the units
below it, where the children's targets do not add up to the parent's, and whether they are
closed (`targets_past`, `targets_locked`: the rule is in `services`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from congdoan.indicators.models import (
    Aggregation,
    Indicator,
    Period,
    Sheet,
    SheetStatus,
    Target,
)
from congdoan.indicators.selectors.units import children_on


@dataclass
class TargetGap:
    indicator: Indicator
    parent_target: Decimal | None
    children_total: Decimal
    children: int = 0
    details: list[tuple[int, Decimal]] = field(default_factory=list)


def targets_day(period: Period, today: dt.date | None = None) -> dt.date:
    """The day whose tree says which units receive a period's targets: today while the period
    runs (a reorganisation in the middle of a year hands its targets to the new units), its last
    day once it has ended (the tree its figures add up on), its first day before it starts."""
    today = today or timezone.localdate()
    return min(max(today, period.start), period.end)


def targets_past(period: Period, today: dt.date | None = None) -> bool:
    """Whether the period is over for its targets: it has ended and its due day (its last day,
    without one) has passed."""
    today = today or timezone.localdate()
    return today > (period.due_on or period.end)


def targets_locked(period: Period, unit_ids: Iterable[int]) -> list[int]:
    """Those of `unit_ids` whose figures for `period` are locked (their targets are closed)."""
    ids = list(unit_ids)
    if not ids:
        return []
    return list(
        Sheet.objects.filter(period=period, unit_id__in=ids, status=SheetStatus.LOCKED).values_list(
            "unit_id", flat=True
        )
    )


def target_totals(
    *, period: Period, unit_ids: Iterable[int], indicators: Iterable[Indicator]
) -> dict[int, tuple[Decimal, int]]:
    """The sum of the targets of `unit_ids` and how many have one, by indicator id."""
    rows = (
        Target.objects.filter(
            period=period, unit_id__in=list(unit_ids), indicator__in=list(indicators)
        )
        .values("indicator_id")
        .annotate(total=Sum("value"), n=Count("id"))
        .values_list("indicator_id", "total", "n")
    )
    return {i: (total, n) for i, total, n in rows}


def target_children(parent_id: int, period: Period, user: Any = None) -> list[tuple[int, str, str]]:
    """The units directly below `parent_id` that receive targets for `period` (`targets_day`)."""
    return children_on(parent_id, targets_day(period), user)


def target_gaps(parent_id: int, period: Period) -> list[TargetGap]:
    """Indicators whose children's targets do not add up to the parent's (summed ones only)."""
    kids = [u for u, _n, _c in target_children(parent_id, period)]
    rows = Target.objects.filter(period=period, unit_id__in=[parent_id, *kids]).select_related(
        "indicator"
    )
    own: dict[int, Decimal] = {}
    sums: dict[int, Decimal] = defaultdict(Decimal)
    counts: dict[int, int] = defaultdict(int)
    inds: dict[int, Indicator] = {}
    for t in rows:
        if t.indicator.aggregation != Aggregation.SUM:
            continue
        inds[t.indicator_id] = t.indicator
        if t.unit_id == parent_id:
            own[t.indicator_id] = t.value
        else:
            sums[t.indicator_id] += t.value
            counts[t.indicator_id] += 1
    gaps = []
    for i, ind in inds.items():
        if own.get(i) != sums.get(i, Decimal(0)) and counts.get(i):
            gaps.append(TargetGap(ind, own.get(i), sums[i], counts[i]))
    return sorted(
        gaps, key=lambda g: (g.indicator.group.order, g.indicator.order, g.indicator.code)
    )


def target_value(*, unit: Any, indicator: Indicator, period: Period) -> Decimal | None:
    """The unit's own target for the indicator and period, if it has one."""
    rows = Target.objects.filter(unit=unit, indicator=indicator, period=period)
    return rows.values_list("value", flat=True).first()


def target_values(
    *, period: Period, unit_ids: Iterable[int], indicators: Iterable[Indicator]
) -> dict[tuple[int, int], Decimal]:
    """Targets of the period by (unit id, indicator id), for the units and indicators given."""
    rows = Target.objects.filter(
        period=period, unit_id__in=list(unit_ids), indicator__in=list(indicators)
    ).values_list("unit_id", "indicator_id", "value")
    return {(u, i): value for u, i, value in rows}


def targets_of_unit(*, unit: Any, period: Period) -> list[Target]:
    """The unit's own targets of the period (with who assigned them), in catalogue order."""
    return list(
        Target.objects.filter(unit=unit, period=period)
        .select_related("indicator__group", "assigned_by")
        .order_by("indicator__group__order", "indicator__order", "indicator__code")
    )


def target_detail(pk: int) -> Target:
    """One target with its unit, indicator, period and assigning unit (after a write)."""
    return Target.objects.select_related("unit", "indicator", "period", "assigned_by").get(pk=pk)
