"""Figures of units, subtrees and clusters.

`figures(unit_ids, period)` gives, for each unit, every indicator's figure over the unit's subtree
as it stood at the end of the period: entered values from the roll-up (`Total`), derived values
from their registered definitions, formulas recomputed from those (never summed), and the
unit's target with the achievement. A period with parts (a programme and its phases) adds up
its parts for flow indicators and takes the last part for stocks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q

from congdoan.core.lookups import any_of
from congdoan.core.scoping import path_range_q
from congdoan.indicators import derived, formula, wording
from congdoan.indicators.models import (
    Aggregation,
    Better,
    Indicator,
    OverTime,
    Period,
    SheetStatus,
    Source,
    Target,
    Total,
    Value,
)
from congdoan.indicators.selectors.catalogue import indicators_in, with_formula_inputs
from congdoan.indicators.selectors.periods import parts_of, year_of
from congdoan.indicators.selectors.units import chunks
from congdoan.organisation.models import Cluster, ClusterMembership, Unit, UnitVersion


@dataclass(slots=True)
class Figure:
    """One indicator's figure for a unit, subtree or cluster in a period."""

    indicator: Indicator
    value: Decimal | None = None
    approved_value: Decimal | None = None
    units: int = 0  # values added (entered indicators)
    approved_units: int = 0
    target: Decimal | None = None
    target_of: str = ""  # the period whose target this is, when not the figure's own (a year)
    computed: bool = False  # derived from a register or a formula of such
    # An entered indicator some units keep in a register: part of the value (this much) comes
    # from the records of the units keeping it, the rest from the others' entries.
    from_records: Decimal | None = None

    @property
    def is_approved(self) -> bool:
        """Every value behind the figure is approved (registers count as approved)."""
        if self.computed:
            return True
        return (self.units > 0 or self.from_records is not None) and (
            self.units == self.approved_units
        )

    @property
    def percent(self) -> Decimal | None:
        return wording.achievement(self.value, self.target)

    @property
    def status(self) -> str | None:
        return wording.status(
            self.value, self.target, lower_is_better=self.indicator.better == Better.LOWER
        )

    @property
    def status_label(self) -> str:
        return wording.status_label(self.status)


Figures = dict[str, Figure]  # by indicator code


# ---------------------------------------------------------------------------------------------
# Per unit (subtree as of the period end)


def figures(
    unit_ids: Sequence[int], period: Period, indicators: list[Indicator] | None = None
) -> dict[int, Figures]:
    """The figures of each unit's subtree for `period` (see the module docstring)."""
    wanted = indicators if indicators is not None else indicators_in(period)
    inds = with_formula_inputs(list(wanted))
    ids = list(dict.fromkeys(int(u) for u in unit_ids))
    out: dict[int, Figures] = {u: {i.code: Figure(i) for i in inds} for u in ids}
    if not ids:
        return out
    by_id = {i.pk: i for i in inds}
    periods = parts_of(period)
    last_part = _last_parts(periods)

    summed = [i.pk for i in inds if i.source == Source.ENTERED and i.aggregation == Aggregation.SUM]
    own = [i.pk for i in inds if i.source == Source.ENTERED and i.aggregation != Aggregation.SUM]
    for chunk in chunks(ids):
        if summed:
            # A plain cursor: a province's children × 40 indicators is ~20,000 rows, and the
            # ORM's row handling would double the time of this read.
            found = set()
            with connection.cursor() as cursor:
                units_sql, units_params = any_of("unit_id", chunk, connection)
                cursor.execute(
                    f"SELECT unit_id, period_id, indicator_id, value, approved, units, "  # noqa: S608
                    f"approved_units FROM {Total._meta.db_table} WHERE {units_sql} AND "
                    f"period_id IN ({', '.join(['%s'] * len(periods))}) AND "
                    f"indicator_id IN ({', '.join(['%s'] * len(summed))})",
                    [*units_params, *(p.pk for p in periods), *summed],
                )
                for u, p, i, value, approved, n, na in cursor.fetchall():
                    found.add((u, p, i))
                    ind = by_id[i]
                    if ind.over_time == OverTime.LAST and p not in last_part:
                        continue
                    _add(out[u][ind.code], value, approved, n, na)
            # Units with nothing below them keep no total: their own value is their total. (A
            # unit with any total has units below it, and a total for each figure it has.)
            with_totals = {(u, p) for u, p, _i in found}
            bare = [u for u in chunk if any((u, p.pk) not in with_totals for p in periods)]
            leaves = (
                Value.objects.filter(
                    unit_id__any=bare, period__in=periods, indicator_id__in=summed
                ).values_list("unit_id", "period_id", "indicator_id", "value", "sheet__status")
                if bare
                else []
            )
            for u, p, i, value, status in leaves:
                ind = by_id[i]
                if (u, p) in with_totals or (ind.over_time == OverTime.LAST and p not in last_part):
                    continue
                ok = status in (SheetStatus.APPROVED, SheetStatus.LOCKED)
                _add(out[u][ind.code], value, value if ok else 0, 1, int(ok))
        if own:
            rows = Value.objects.filter(
                unit_id__any=chunk, period=period, indicator_id__in=own
            ).values_list("unit_id", "indicator_id", "value", "sheet__status")
            for u, i, value, status in rows:
                ok = status in (SheetStatus.APPROVED, SheetStatus.LOCKED)
                _add(out[u][by_id[i].code], value, value if ok else 0, 1, int(ok))
        for u, i, value in Target.objects.filter(
            unit_id__any=chunk, period=period, indicator_id__in=list(by_id)
        ).values_list("unit_id", "indicator_id", "value"):
            out[u][by_id[i].code].target = value
        year = year_of(period)
        if year is not None:
            # Within a year, progress is measured against the year's targets ("9 tháng đạt
            # 110% chỉ tiêu năm") where the period has none of its own.
            for u, i, value in Target.objects.filter(
                unit_id__any=chunk, period=year, indicator_id__in=list(by_id)
            ).values_list("unit_id", "indicator_id", "value"):
                fig = out[u][by_id[i].code]
                if fig.target is None:
                    fig.target, fig.target_of = value, year.label

    derived_inds = [i for i in inds if i.source == Source.DERIVED and i.derivation]
    # Entered indicators that units may keep in a register: the records of the units keeping it
    # are added to the entries of the others (a unit's figure comes from one place: see
    # `derived.kept_by`).
    kept_inds = [
        i
        for i in inds
        if i.source == Source.ENTERED and i.derivation and i.aggregation == Aggregation.SUM
    ]
    if derived_inds or kept_inds:
        _derive(out, derived_inds + kept_inds, period)
    _formulas(out.values(), inds)
    if indicators is not None:
        keep = {i.code for i in wanted}
        for figs in out.values():
            for code in list(figs):
                if code not in keep:
                    del figs[code]
    return out


def unit_figures(
    unit_id: int, period: Period, indicators: list[Indicator] | None = None
) -> Figures:
    return figures([unit_id], period, indicators)[unit_id]


def _last_parts(periods: list[Period]) -> set[int]:
    """For stocks: the period itself, and the last-ending part under each period."""
    keep = {periods[0].pk}
    children: dict[int, list[Period]] = defaultdict(list)
    for p in periods[1:]:
        if p.parent_id is not None:
            children[p.parent_id].append(p)
    node = periods[0]
    while children.get(node.pk):
        node = max(children[node.pk], key=lambda p: (p.end, p.pk))
        keep.add(node.pk)
    return keep


def _add(fig: Figure, value: Any, approved: Any, n: int, na: int) -> None:
    value, approved = Decimal(value), Decimal(approved)  # SQLite may give floats
    if fig.value is None:
        fig.value, fig.approved_value = value, approved
    else:
        fig.value += value
        fig.approved_value = (fig.approved_value or Decimal(0)) + approved
    fig.units += int(n)
    fig.approved_units += int(na)


def _derive(out: dict[int, Figures], inds: list[Indicator], period: Period) -> None:
    """Sum each registered definition's own values over the units' subtrees on the period end."""
    day = period.end
    roots = list(
        UnitVersion.objects.on(day).filter(unit_id__any=list(out)).values_list("unit_id", "path")
    )
    present = {r for r, _p in roots}
    cache: dict[Any, Any] = {}
    for ind in inds:
        if ind.source != Source.DERIVED:
            continue
        for u in out:
            fig = out[u][ind.code]
            fig.computed = True
            fig.value = Decimal(0) if u in present else None
    # Registers that total their own subtrees (the member registry, by path in SQL).
    by_subtree = [i for i in inds if derived.has_subtree(i.derivation)]
    for ind in by_subtree:
        totals = derived.subtree_values(ind.derivation, sorted(present), period, cache)
        for u, value in totals.items():
            if u in present:
                _put(out[u][ind.code], value)
    inds = [i for i in inds if i not in by_subtree]
    if not inds:
        return
    # Read the subtrees through their few covering path ranges (a province and its children: one
    # range), then give each unit to the requested units above it by looking up its prefixes.
    q = Q()
    for path in _covering([path for _u, path in roots]):
        q |= path_range_q("path", path)
    members = (
        list(UnitVersion.objects.on(day).filter(q).values_list("unit_id", "path")) if roots else []
    )
    root_of_path: dict[str, list[int]] = defaultdict(list)
    for root_id, root_path in roots:
        root_of_path[root_path].append(root_id)
    step = Unit.steplen
    path_of = dict(members)  # every unit read lies under a covering root, so has an owner
    owners: dict[int, list[int]] = {}

    def owners_of(unit_id: int) -> list[int]:
        """The requested units above `unit_id`, found for the units that have a value only (a
        province's dashboard reads the whole country's units: most have none)."""
        found = owners.get(unit_id)
        if found is None:
            path = path_of.get(unit_id, "")
            found = owners[unit_id] = [
                r for i in range(step, len(path) + 1, step) for r in root_of_path.get(path[:i], ())
            ]
        return found

    unit_ids = list(path_of)
    # A definition's load takes any number of ids on PostgreSQL (`field__any`, one array): one
    # load for the whole subtree there, not one scan of the register per chunk of ids.
    parts = [unit_ids] if connection.vendor == "postgresql" else list(chunks(unit_ids))
    for ind in inds:
        for chunk in parts:
            for unit_id, value in derived.own_values(ind.derivation, chunk, period, cache).items():
                for root_id in owners_of(unit_id):
                    _put(out[root_id][ind.code], value)


MANY_SIBLINGS = 8
PATH_ALPHABET = 36  # treebeard's default: a path step is a base-36 number, 1 for the first child


def _covering(paths: list[str]) -> list[str]:
    """A few path ranges that cover the subtrees of `paths`: nested paths dropped, and many
    siblings that are most of their parent's children read through the parent's one range (a
    commune's peers are a province's thousands of communes: thousands of OR'd ranges cost
    PostgreSQL 1.7 s, the one range 0.1 s). The extra units read have no requested unit above
    them, so they count for nothing. A few units of a big parent (a cluster's) keep their own
    ranges: reading the whole parent would cost more."""
    covering: list[str] = []
    for path in sorted(paths):
        # Sorted, a path lies right after the covering path it falls under, if any.
        if not (covering and path.startswith(covering[-1])):
            covering.append(path)
    step = Unit.steplen
    by_parent: dict[str, list[str]] = defaultdict(list)
    for path in covering:
        by_parent[path[:-step]].append(path)
    ranges = []
    for parent, group in by_parent.items():
        ranges.extend([parent] if parent and _most_children(group, step) else group)
    return ranges


def _most_children(siblings: list[str], step: int) -> bool:
    """Many siblings that are at least half of the children ever numbered under their parent
    (the last step of a path numbers the child)."""
    if len(siblings) <= MANY_SIBLINGS:
        return False
    try:
        numbered = max(int(path[-step:], PATH_ALPHABET) for path in siblings)
    except ValueError:
        return False
    return 2 * len(siblings) >= numbered


def _put(fig: Figure, value: Decimal) -> None:
    """Add a register's value to a figure: the whole of a derived indicator's, the records'
    part of an entered one's (counted as approved: records need no approval)."""
    if fig.computed:
        fig.value = (fig.value or Decimal(0)) + value
        return
    if not value:
        return
    fig.value = (fig.value or Decimal(0)) + value
    fig.approved_value = (fig.approved_value or Decimal(0)) + value
    fig.from_records = (fig.from_records or Decimal(0)) + value


def _formulas(groups: Iterable[Figures], inds: list[Indicator]) -> None:
    formulas = {
        i.code: i.formula for i in inds if i.aggregation == Aggregation.FORMULA and i.formula
    }
    if not formulas:
        return
    order = [
        (code, formulas[code], formula.codes(formulas[code]))
        for code in formula.evaluation_order(formulas)
    ]
    for figs in groups:
        for code, text, reads in order:
            fig = figs[code]
            inputs = {c: figs[c] for c in reads if c in figs}
            fig.value = formula.evaluate(text, {c: f.value for c, f in inputs.items()})
            fig.computed = all(f.computed for f in inputs.values())
            fig.units = sum(f.units for f in inputs.values())
            fig.approved_units = sum(f.approved_units for f in inputs.values())
            fig.approved_value = None


# ---------------------------------------------------------------------------------------------
# Clusters


@dataclass
class ClusterFigures:
    cluster: Cluster
    year: int
    members: list[tuple[int, str, bool]]  # (unit id, name, is head)
    total: Figures
    by_unit: dict[int, Figures]


def cluster_figures(
    cluster: Cluster, period: Period, indicators: list[Indicator] | None = None
) -> ClusterFigures:
    """Totals over a cluster's member units of the period's year (their subtrees added up)."""
    year = period.end.year
    rows = list(
        ClusterMembership.objects.filter(cluster=cluster, year=year)
        .order_by("-is_head", "unit__name")
        .values_list("unit_id", "unit__name", "is_head")
    )
    wanted = indicators if indicators is not None else indicators_in(period)
    inds = with_formula_inputs(list(wanted))
    by_unit = figures([u for u, _n, _h in rows], period, inds)
    total = combine(by_unit.values(), inds)
    keep = {i.code for i in wanted}
    for figs in [total, *by_unit.values()]:
        for code in list(figs):
            if code not in keep:
                del figs[code]
    return ClusterFigures(cluster, year, rows, total, by_unit)


def combine(groups: Iterable[Figures], inds: list[Indicator]) -> Figures:
    """Figures of several disjoint subtrees added up; formulas recomputed; targets summed."""
    total: Figures = {i.code: Figure(i) for i in inds}
    for figs in groups:
        for code, fig in figs.items():
            t = total.get(code)
            if t is None or fig.indicator.aggregation != Aggregation.SUM:
                continue
            if fig.value is not None:
                _add(t, fig.value, fig.approved_value or 0, fig.units, fig.approved_units)
            if fig.from_records is not None:
                t.from_records = (t.from_records or Decimal(0)) + fig.from_records
            t.computed = fig.computed
            if fig.target is not None:
                t.target = (t.target or Decimal(0)) + fig.target
                t.target_of = fig.target_of
    for i in inds:
        if i.source == Source.DERIVED:
            total[i.code].computed = True
    _formulas([total], inds)
    return total
