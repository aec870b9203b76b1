"""The roll-up of entered values over subtrees, as the tree stood at the end of each period.

A unit's total is its own value plus the totals of the units directly below it, where "below"
is read from the unit versions: each unit is placed by its version valid on the period's last
day (or, for a unit dissolved during the period, by its last version). A reorganisation after the
period changes no total of that period; one effective inside it or before it is applied with
`refresh`.

Only indicators that add up (`Aggregation.SUM`) are rolled up; formulas are computed from the
totals when read (`selectors.py`). Totals are kept only for units that have units below them on
the period's last day: for the others — grassroots unions, nine units in ten — the total is their
own value, which `selectors.figures` reads from `Value` (storing it again would double the rows
to write and keep up to date).

- `apply(unit_id, period, deltas)`: the incremental path. Every change of a value or of a
  sheet's status adds its difference to the unit and each of its ancestors (one upsert; a
  handful of indexed reads to find the ancestors). Called inside the services' transactions.
- `refresh(period, unit_ids, old_parents)`: the tree changed (units created, moved, merged,
  split…) effective on or before the period's last day; recompute just the totals of the units
  whose subtree changed, each from its own values and the units directly below it. Called by
  `reorganise.py` for every period with figures that ends on or after the change.
- `rebuild(period)`: recompute every total of a period from the values, level by level from the
  bottom of the tree, in SQL (for a check, after a bulk load, or `congdoan rebuild_totals`).

Concurrency (PostgreSQL): `apply` adds to rows, `refresh` and `rebuild` recompute them from the
values. An entry committing between a recomputation's reads and its writes would be lost or
counted twice, so each transaction takes a lock on the period's totals first (`lock_totals`):
shared for `apply` (entries do not wait for each other), exclusive for `refresh` and
`rebuild`, held until the transaction ends. The one that comes second waits and then reads what
the first committed. SQLite lets one transaction write at a time anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
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


TOTALS_LOCK = 0x434454  # the first key of `lock_totals`' advisory locks (the second: the period)


def lock_totals(period: Period, *, exclusive: bool) -> None:
    """Lock the period's totals until the transaction ends (see the module docstring)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [TOTALS_LOCK, period.pk])


def summed_indicator_ids() -> set[int]:
    return set(Indicator.objects.filter(aggregation=Aggregation.SUM).values_list("id", flat=True))


def apply(unit_id: int, period: Period, deltas: Iterable[Delta]) -> None:
    """Add `deltas` to the totals of the unit and of its ancestors for `period`."""
    apply_many(period, {unit_id: list(deltas)})


def parents_at(unit_ids: Iterable[int], day: dt.date) -> dict[int, int | None]:
    """The parent on `day` (see `placement`) of the units and of all their ancestors: one query
    per level of the tree. A unit not placed on `day` has None."""
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
    return parent_of


def _walk(start: int | None, up: Callable[[int], int | None]) -> list[int]:
    """`start` and the units above it, following `up` (empty when `start` is None)."""
    ids: list[int] = []
    node = start
    while node is not None and node not in ids:
        ids.append(node)
        node = up(node)
    return ids


def chains(unit_ids: Iterable[int], day: dt.date) -> dict[int, list[int]]:
    """`chain` of many units at once: one query per level of the tree."""
    unit_ids = list(unit_ids)
    parent_of = parents_at(unit_ids, day)
    return {unit: _walk(unit, parent_of.get) for unit in unit_ids}


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
    lock_totals(period, exclusive=False)
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


# ---------------------------------------------------------------------------------------------
# The tree changed: refresh the totals it touches

Sums = dict[int, list[Any]]  # indicator id → [value, approved, units, approved_units]


@transaction.atomic
def refresh(period: Period, unit_ids: Iterable[int], old_parents: Mapping[int, int | None]) -> int:
    """Bring the totals of `period` in line with a change of the tree; rows written or deleted.

    `unit_ids` were placed anew — under another parent, or for the first time — effective on
    or before the period's last day; `old_parents` gives the parent each had before (a unit
    missing from it was not placed before). The units recomputed are those that are above a
    changed unit either before or after the change but not both (their subtree changed); when a
    changed unit has no figure in its subtree, only its old and new parents (whether units
    stand below them). Each is recomputed from its own values and the units directly below it
    — their totals, or their own values when nothing is below them — deepest first; its rows
    are written only where they changed, created when units now stand below it and deleted when
    none do any more.

    Cost: about a dozen indexed queries (one per level of the tree to find the ancestors), the
    contributions of the units directly below the recomputed ones added up in the database, and
    only the changed rows written — a grassroots union moved between two communes rewrites the
    two communes' rows. A change that takes effect after the period's end changes nothing (the
    units stand where they were on its last day).
    """
    day = period.end
    moved = set(unit_ids)
    if not moved:
        return 0
    lock_totals(period, exclusive=True)
    parent_of = parents_at(moved | {p for p in old_parents.values() if p is not None}, day)

    def old_up(unit: int) -> int | None:
        return old_parents.get(unit) if unit in moved else parent_of.get(unit)

    spans: dict[int, set[int]] = {}
    for unit in moved:
        before = set(_walk(old_up(unit), old_up))
        after = set(_walk(parent_of.get(unit), parent_of.get))
        spans[unit] = before ^ after
    touched = set().union(*spans.values())
    if not touched:
        return 0
    summed = sorted(summed_indicator_ids())
    # A unit with no figure below it changes no sum (its own rows are up to date unless another
    # changed unit was moved into or out of it).
    with_figures = _units_with_figures(period, moved, summed)
    for unit, span in spans.items():
        if unit not in with_figures and unit not in touched:
            spans[unit] = span & {old_up(unit), parent_of.get(unit)}
    affected = set().union(*spans.values())
    if not affected:
        return 0

    totals = _read_totals(period, affected, summed)
    own = _read_values(period, affected, summed)
    with_kids, kids_affected = _children_at(affected, day)
    others = _sums_below(period, affected, summed)

    def depth(unit: int) -> int:
        return len(_walk(unit, parent_of.get))

    fresh: dict[int, Sums] = {}
    for node in sorted(affected, key=depth, reverse=True):
        if node not in with_kids:
            continue  # nothing below: no totals, its own value counts in its parent's
        acc: Sums = {}
        parts = [own.get(node, {}), others.get(node, {})]
        parts += [fresh.get(k, own.get(k, {})) for k in kids_affected.get(node, [])]
        for part in parts:
            for indicator, figures in part.items():
                row = acc.setdefault(indicator, [Decimal(0), Decimal(0), 0, 0])
                for j in range(4):
                    row[j] += figures[j]
        fresh[node] = {i: r for i, r in acc.items() if r[2]}

    stale: list[int] = []
    new_rows: list[Total] = []
    for node in affected:
        want, have = fresh.get(node, {}), totals.get(node, {})
        stale += [have_row[4] for i, have_row in have.items() if want.get(i) != have_row[:4]]
        new_rows += [
            Total(
                unit_id=node,
                period_id=period.pk,
                indicator_id=i,
                value=row[0],
                approved=row[1],
                units=row[2],
                approved_units=row[3],
            )
            for i, row in want.items()
            if i not in have or have[i][:4] != row
        ]
    for chunk in _chunks(stale):
        Total.objects.filter(pk__in=chunk).delete()
    Total.objects.bulk_create(new_rows, batch_size=500)
    return len(stale) + len(new_rows)


def _chunks(ids: Iterable[int], size: int = 500) -> list[list[int]]:
    items = sorted(ids)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _units_with_figures(period: Period, unit_ids: Iterable[int], summed: list[int]) -> set[int]:
    """The units among `unit_ids` with a total or a value of a summed indicator in `period`."""
    out: set[int] = set()
    for chunk in _chunks(unit_ids):
        out.update(
            Total.objects.filter(period=period, unit_id__in=chunk).values_list("unit_id", flat=True)
        )
        out.update(
            Value.objects.filter(
                period=period, unit_id__in=chunk, indicator_id__in=summed
            ).values_list("unit_id", flat=True)
        )
    return out


def _kids_sql(nodes: int) -> str:
    """The units placed directly under some nodes on a day (see `placement`), with their parent:
    their last version on or before the day names the node. Parameters: the nodes, day, day."""
    return (
        f"SELECT v.unit_id, v.parent_id FROM {VERSION} v "  # noqa: S608
        f"WHERE v.parent_id IN ({', '.join(['%s'] * nodes)}) AND v.valid_from <= %s "
        f"AND NOT EXISTS (SELECT 1 FROM {VERSION} w WHERE w.unit_id = v.unit_id "
        "AND w.valid_from <= %s AND w.valid_from > v.valid_from)"
    )


def _children_at(units: set[int], day: dt.date) -> tuple[set[int], dict[int, list[int]]]:
    """Which of `units` have units directly below them on `day`, and which of `units` stand
    directly below which."""
    with_kids: set[int] = set()
    kids: dict[int, list[int]] = {}
    ids = sorted(units)
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(
                f"SELECT k.parent_id, k.unit_id FROM ({_kids_sql(len(chunk))}) k "  # noqa: S608
                f"WHERE k.unit_id IN ({', '.join(['%s'] * len(ids))}) "
                "UNION ALL SELECT DISTINCT k.parent_id, CAST(NULL AS BIGINT) "
                f"FROM ({_kids_sql(len(chunk))}) k",
                [*chunk, day, day, *ids, *chunk, day, day],
            )
            for parent, unit in cursor.fetchall():
                with_kids.add(parent)
                if unit is not None:
                    kids.setdefault(parent, []).append(unit)
    return with_kids, kids


def _sums_below(period: Period, units: set[int], summed: list[int]) -> dict[int, Sums]:
    """For each of `units`, the sum of what the units directly below it on the period's last
    day contribute — their totals, or their own values when they keep none — leaving out those
    among `units` (they are being recomputed). Added up in the database: a province may have
    thousands of units directly below it."""
    day, ids = period.end, sorted(units)
    marks = ", ".join(["%s"] * len(ids))
    wanted = ", ".join(["%s"] * len(summed)) or "NULL"
    out: dict[int, Sums] = {}
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            kids = _kids_sql(len(chunk))
            cursor.execute(
                "SELECT k.parent_id, t.indicator_id, SUM(t.value), SUM(t.approved), SUM(t.units), "  # noqa: S608
                f"SUM(t.approved_units) FROM ({kids}) k JOIN {TOTAL} t ON t.unit_id = k.unit_id "
                f"AND t.period_id = %s WHERE k.unit_id NOT IN ({marks}) "
                f"AND t.indicator_id IN ({wanted}) GROUP BY k.parent_id, t.indicator_id "
                "UNION ALL "
                f"SELECT k.parent_id, v.indicator_id, SUM(v.value), "
                f"SUM(CASE WHEN {_approved_sql()} THEN v.value ELSE 0 END), COUNT(*), "
                f"SUM(CASE WHEN {_approved_sql()} THEN 1 ELSE 0 END) FROM ({kids}) k "
                f"JOIN {VALUE} v ON v.unit_id = k.unit_id AND v.period_id = %s "
                f"JOIN {SHEET} s ON s.id = v.sheet_id WHERE k.unit_id NOT IN ({marks}) "
                f"AND v.indicator_id IN ({wanted}) AND NOT EXISTS (SELECT 1 FROM {TOTAL} x "
                "WHERE x.unit_id = k.unit_id AND x.period_id = %s) "
                "GROUP BY k.parent_id, v.indicator_id",
                [
                    *chunk,
                    day,
                    day,
                    period.pk,
                    *ids,
                    *summed,
                    *chunk,
                    day,
                    day,
                    period.pk,
                    *ids,
                    *summed,
                    period.pk,
                ],
            )
            for parent, indicator, value, approved, n, na in cursor.fetchall():
                row = out.setdefault(parent, {}).setdefault(
                    indicator, [Decimal(0), Decimal(0), 0, 0]
                )
                row[0] += _decimal(value)
                row[1] += _decimal(approved)
                row[2] += int(n)
                row[3] += int(na)
    return out


def _decimal(value: Any) -> Decimal:
    """A sum read from the database as a Decimal of cents (SQLite may give floats)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value or 0).quantize(CENT)


def _read_totals(period: Period, unit_ids: set[int], summed: list[int]) -> dict[int, Sums]:
    """Kept totals by unit and indicator: [value, approved, units, approved_units, pk]."""
    out: dict[int, Sums] = {}
    for chunk in _chunks(unit_ids):
        rows = Total.objects.filter(period=period, unit_id__in=chunk, indicator_id__in=summed)
        for pk, unit, indicator, value, approved, n, na in rows.values_list(
            "pk", "unit_id", "indicator_id", "value", "approved", "units", "approved_units"
        ):
            out.setdefault(unit, {})[indicator] = [value, approved, n, na, pk]
    return out


def _read_values(period: Period, unit_ids: set[int], summed: list[int]) -> dict[int, Sums]:
    """Own values by unit and indicator, as they count in totals."""
    out: dict[int, Sums] = {}
    for chunk in _chunks(unit_ids):
        for unit, indicator, value, status in Value.objects.filter(
            period=period, unit_id__in=chunk, indicator_id__in=summed
        ).values_list("unit_id", "indicator_id", "value", "sheet__status"):
            ok = status in APPROVED_STATUSES
            out.setdefault(unit, {})[indicator] = [
                value,
                value if ok else Decimal(0),
                1,
                int(ok),
            ]
    return out


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
    for period in sorted(periods, key=lambda p: (p.end, p.pk)):
        written += _rebuild_period(period)
    return written


def _rebuild_period(period: Period) -> int:
    lock_totals(period, exclusive=True)
    day = period.end
    tree, parents, part = "rollup_tree", "rollup_parents", "rollup_part"
    approved = _approved_sql()
    summed_sql = ", ".join(str(int(i)) for i in sorted(summed_indicator_ids())) or "NULL"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The one pass over the values groups millions of rows into ~200,000 sums: with the
            # default memory the hash spills to disk in batches (EXPLAIN ANALYZE), ~2 s more.
            cursor.execute("SET LOCAL work_mem = '256MB'")
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
