"""The roll-up of entered values over subtrees, as the tree stood at the end of each period.

A unit's total is its own value plus the totals of the units directly below it, where "below"
is read from the unit versions: each unit is placed by its version valid on the period's last
day (or, for a unit dissolved during the period, by its last version). A reorganisation after the
period changes no total of that period.

Only indicators that add up (`Aggregation.SUM`) are rolled up; formulas are computed from the
totals when read (`selectors.py`). Totals are kept only for units that have units below them on
the period's last day: for the others — grassroots unions, nine units in ten — the total is their
own value, which `selectors.figures` reads from `Value` (storing it again would double the rows
to write and keep up to date).

- `apply(unit_id, period, deltas)`: the incremental path. Every change of a value or of a
  sheet's status adds its difference to the unit and each of its ancestors (one upsert; a
  handful of indexed reads to find the ancestors). Called inside the services' transactions.
- `rebuild(period)`: recompute every total of a period from the values, level by level from the
  bottom of the tree, in SQL (for a check, after a bulk load, or `congdoan rebuild_totals`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from congdoan.indicators.models import (
    APPROVED_STATUSES,
    Aggregation,
    Indicator,
    Period,
    Sheet,
    Total,
    Value,
)
from congdoan.organisation.models import UnitVersion

TOTAL = Total._meta.db_table
VALUE = Value._meta.db_table
SHEET = Sheet._meta.db_table
VERSION = UnitVersion._meta.db_table
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Delta:
    indicator_id: int
    value: Decimal = Decimal(0)
    approved: Decimal = Decimal(0)
    units: int = 0
    approved_units: int = 0

    @property
    def is_zero(self) -> bool:
        return not (self.value or self.approved or self.units or self.approved_units)


def value_delta(
    indicator_id: int,
    old: Decimal | None,
    new: Decimal | None,
    *,
    was_approved: bool,
    is_approved: bool,
) -> Delta:
    """The change to totals when a value goes from `old` to `new` (None: no value)."""
    o, n = Decimal(old or 0), Decimal(new or 0)
    o_units, n_units = int(old is not None), int(new is not None)
    return Delta(
        indicator_id,
        value=n - o,
        approved=(n if is_approved else Decimal(0)) - (o if was_approved else Decimal(0)),
        units=n_units - o_units,
        approved_units=(n_units if is_approved else 0) - (o_units if was_approved else 0),
    )


def placement(unit_id: int, day: dt.date) -> tuple[int | None, bool]:
    """(parent id, found) of a unit as it stood on `day`, or at its end if it ended earlier."""
    row = (
        UnitVersion.objects.filter(unit_id=unit_id, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("parent_id", flat=True)[:1]
    )
    found = list(row)
    return (found[0], True) if found else (None, False)


def chain(unit_id: int, day: dt.date) -> list[int]:
    """The unit and its ancestors on `day`, from the unit up."""
    ids = [unit_id]
    current: int | None = unit_id
    while current is not None:
        parent, _found = placement(current, day)
        if parent is None or parent in ids:
            break
        ids.append(parent)
        current = parent
    return ids


def summed_indicator_ids() -> set[int]:
    return set(Indicator.objects.filter(aggregation=Aggregation.SUM).values_list("id", flat=True))


def apply(unit_id: int, period: Period, deltas: Iterable[Delta]) -> None:
    """Add `deltas` to the totals of the unit and of its ancestors for `period`."""
    apply_many(period, {unit_id: list(deltas)})


def chains(unit_ids: Iterable[int], day: dt.date) -> dict[int, list[int]]:
    """`chain` of many units at once: one query per level of the tree."""
    parent_of: dict[int, int | None] = {}
    frontier = set(unit_ids)
    while frontier:
        found: dict[int, int | None] = dict.fromkeys(frontier)
        rows = (
            UnitVersion.objects.filter(unit_id__in=list(frontier), valid_from__lte=day)
            .order_by("unit_id", "valid_from")
            .values_list("unit_id", "parent_id")
        )
        for unit, parent in rows:
            found[unit] = parent  # the last version on or before `day` wins
        parent_of.update(found)
        frontier = {p for p in found.values() if p is not None and p not in parent_of}
    out: dict[int, list[int]] = {}
    for unit in unit_ids:
        ids = [unit]
        node = parent_of.get(unit)
        while node is not None and node not in ids:
            ids.append(node)
            node = parent_of.get(node)
        out[unit] = ids
    return out


def having_units_below(unit_ids: Iterable[int], day: dt.date) -> set[int]:
    """The units among `unit_ids` that some unit is placed under on `day` (see `placement`)."""
    ids = set(unit_ids)
    candidates = set(
        UnitVersion.objects.filter(parent_id__in=list(ids), valid_from__lte=day).values_list(
            "unit_id", flat=True
        )
    )
    if not candidates:
        return set()
    last: dict[int, int | None] = {}
    for unit, parent in (
        UnitVersion.objects.filter(unit_id__in=list(candidates), valid_from__lte=day)
        .order_by("unit_id", "valid_from")
        .values_list("unit_id", "parent_id")
    ):
        last[unit] = parent
    return {p for p in last.values() if p in ids}


def apply_many(period: Period, deltas_by_unit: dict[int, list[Delta]]) -> None:
    """Add each unit's deltas to its totals and its ancestors' (one upsert per 500 rows)."""
    summed = summed_indicator_ids()
    wanted = {
        u: [d for d in ds if not d.is_zero and d.indicator_id in summed]
        for u, ds in deltas_by_unit.items()
    }
    wanted = {u: ds for u, ds in wanted.items() if ds}
    if not wanted:
        return
    sums: dict[tuple[int, int], list[Any]] = {}
    with_units_below = having_units_below(wanted, period.end)
    for unit, ancestors in chains(wanted, period.end).items():
        # A unit with nothing below it keeps no total: its total is its own value.
        for node in ancestors if unit in with_units_below else ancestors[1:]:
            for d in wanted[unit]:
                row = sums.setdefault((node, d.indicator_id), [Decimal(0), Decimal(0), 0, 0])
                row[0] += d.value
                row[1] += d.approved
                row[2] += d.units
                row[3] += d.approved_units
    items = sorted(sums.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            params: list[Any] = []
            for (node, indicator), (value, approved, n, na) in chunk:
                params += [node, period.pk, indicator, value, approved, n, na]
            cursor.execute(
                f"INSERT INTO {TOTAL} (unit_id, period_id, indicator_id, value, approved, "  # noqa: S608
                f"units, approved_units) VALUES "
                f"{', '.join(['(%s, %s, %s, %s, %s, %s, %s)'] * len(chunk))} "
                "ON CONFLICT (unit_id, period_id, indicator_id) DO UPDATE SET "
                f"value = {TOTAL}.value + excluded.value, "
                f"approved = {TOTAL}.approved + excluded.approved, "
                f"units = {TOTAL}.units + excluded.units, "
                f"approved_units = {TOTAL}.approved_units + excluded.approved_units",
                params,
            )
        nodes = sorted({node for node, _i in sums})
        for start in range(0, len(nodes), 500):
            chunk_nodes = nodes[start : start + 500]
            cursor.execute(
                f"DELETE FROM {TOTAL} WHERE period_id = %s AND units = 0 "  # noqa: S608
                f"AND unit_id IN ({', '.join(['%s'] * len(chunk_nodes))})",
                [period.pk, *chunk_nodes],
            )


def _approved_sql() -> str:
    statuses = ", ".join(f"'{s}'" for s in APPROVED_STATUSES)
    return f"s.status IN ({statuses})"


@transaction.atomic
def rebuild(periods: Sequence[Period] | None = None) -> int:
    """Recompute every total of `periods` (all periods with values when None); rows written."""
    if periods is None:
        ids = Value.objects.values_list("period_id", flat=True).distinct()
        periods = list(Period.objects.filter(pk__in=ids))
    written = 0
    for period in periods:
        written += _rebuild_period(period)
    return written


def _rebuild_period(period: Period) -> int:
    day = period.end
    tree, parents, part = "rollup_tree", "rollup_parents", "rollup_part"
    approved = _approved_sql()
    summed_sql = ", ".join(str(int(i)) for i in sorted(summed_indicator_ids())) or "NULL"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TOTAL} WHERE period_id = %s", [period.pk])  # noqa: S608
        for table in (tree, parents, part):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        # Each unit placed by its version on `day` or its last one before; depth by its chain.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {tree} AS "  # noqa: S608
            "WITH RECURSIVE placed AS ("
            f" SELECT v.unit_id, v.parent_id FROM {VERSION} v WHERE v.valid_from <= %s"
            f" AND NOT EXISTS (SELECT 1 FROM {VERSION} w WHERE w.unit_id = v.unit_id"
            "  AND w.valid_from <= %s AND w.valid_from > v.valid_from)"
            "), lvl(unit_id, parent_id, depth) AS ("
            " SELECT unit_id, parent_id, 1 FROM placed WHERE parent_id IS NULL"
            " UNION ALL SELECT p.unit_id, p.parent_id, l.depth + 1 FROM placed p"
            " JOIN lvl l ON p.parent_id = l.unit_id"
            ") SELECT unit_id, parent_id, depth FROM lvl",
            [day, day],
        )
        # Where each unit's own values go — to itself when units are placed below it, else to
        # its parent (grassroots unions, most units, keep no total of their own) — and whether
        # its sheet of the period is approved.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {parents} AS "  # noqa: S608
            f"SELECT t.unit_id, CASE WHEN EXISTS (SELECT 1 FROM {tree} c"
            " WHERE c.parent_id = t.unit_id) THEN t.unit_id ELSE t.parent_id END AS holder,"
            f" CASE WHEN {approved} THEN 1 ELSE 0 END AS ok"
            f" FROM {tree} t LEFT JOIN {SHEET} s ON s.unit_id = t.unit_id AND s.period_id = %s",
            [period.pk],
        )
        # One pass over the period's values.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {part} AS "  # noqa: S608
            "SELECT h.holder AS unit_id, v.indicator_id, SUM(v.value) AS value,"
            " SUM(v.value * h.ok) AS approved, COUNT(*) AS units, SUM(h.ok) AS approved_units"
            f" FROM {VALUE} v JOIN {parents} h ON h.unit_id = v.unit_id"
            f" WHERE v.period_id = %s AND v.indicator_id IN ({summed_sql})"
            " AND h.holder IS NOT NULL"
            " GROUP BY 1, 2",
            [period.pk],
        )
        for table in (tree, parents, part):
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT MAX(depth) FROM {tree}")  # noqa: S608
        deepest = cursor.fetchone()[0] or 0
        # Level by level from the bottom: a unit's total is its part plus its children's totals.
        for depth in range(deepest, 0, -1):
            cursor.execute(
                f"INSERT INTO {TOTAL} (unit_id, period_id, indicator_id, value, approved, units, "  # noqa: S608
                "approved_units) "
                "SELECT unit_id, %s, indicator_id, SUM(value), SUM(approved), SUM(units), "
                "SUM(approved_units) FROM ("
                " SELECT c.unit_id, c.indicator_id, c.value, c.approved, c.units, c.approved_units"
                f" FROM {part} c JOIN {tree} t ON t.unit_id = c.unit_id WHERE t.depth = %s"
                " UNION ALL"
                " SELECT t.parent_id, x.indicator_id, x.value, x.approved, x.units, x.approved_units"
                f" FROM {TOTAL} x JOIN {tree} t ON t.unit_id = x.unit_id"
                " WHERE x.period_id = %s AND t.depth = %s"
                ") q GROUP BY unit_id, indicator_id",
                [period.pk, depth, period.pk, depth + 1],
            )
        for table in (tree, parents, part):
            cursor.execute(f"DROP TABLE {table}")
        cursor.execute(f"SELECT COUNT(*) FROM {TOTAL} WHERE period_id = %s", [period.pk])  # noqa: S608
        return int(cursor.fetchone()[0])


def differences(period: Period) -> list[tuple[int, int, str, str]]:
    """Totals that differ from a fresh rebuild: (unit, indicator, kept, rebuilt) — for checks."""
    kept = {
        (t.unit_id, t.indicator_id): (t.value, t.approved, t.units, t.approved_units)
        for t in Total.objects.filter(period=period)
    }
    with transaction.atomic():
        sid = transaction.savepoint()
        _rebuild_period(period)
        fresh = {
            (t.unit_id, t.indicator_id): (t.value, t.approved, t.units, t.approved_units)
            for t in Total.objects.filter(period=period)
        }
        transaction.savepoint_rollback(sid)
    out = []
    for key in sorted(set(kept) | set(fresh)):
        if kept.get(key) != fresh.get(key):
            out.append((key[0], key[1], str(kept.get(key)), str(fresh.get(key))))
    return out
