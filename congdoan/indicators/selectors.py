"""Reads of the indicator engine: figures of units, subtrees and clusters, achievement, ranks.

`figures(unit_ids, period)` gives, for each unit, every indicator's figure over the unit's subtree
as it stood at the end of the period: entered values from the roll-up (`Total`), derived values
from their registered definitions, formulas recomputed from those (never summed), and the
unit's target with the achievement. A period with parts (a programme and its phases) adds up
its parts for flow indicators and takes the last part for stocks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, When
from django.db.models import Value as V
from django.utils import timezone

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, scope_q
from congdoan.indicators import derived, formula, wording
from congdoan.indicators.models import (
    Aggregation,
    Better,
    Indicator,
    OverTime,
    Period,
    PeriodKind,
    Sheet,
    SheetStatus,
    Source,
    Target,
    Total,
    Value,
)
from congdoan.indicators.periods import parts_of
from congdoan.organisation.models import Cluster, ClusterMembership, Unit, UnitVersion

CHUNK = 30000  # ids per IN list (SQLite accepts 32,766 parameters)


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

    @property
    def is_approved(self) -> bool:
        """Every value behind the figure is approved (registers count as approved)."""
        if self.computed:
            return True
        return self.units > 0 and self.units == self.approved_units

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


def indicators_in(period: Period, codes: Iterable[str] | None = None) -> list[Indicator]:
    qs = Indicator.objects.select_related("group")
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return [i for i in qs if i.valid_in(period.end.year)]


def _with_formula_inputs(indicators: list[Indicator]) -> list[Indicator]:
    """Add the indicators that formulas read (recursively), so that they can be computed."""
    have = {i.code for i in indicators}
    wanted: set[str] = set()
    for i in indicators:
        if i.aggregation == Aggregation.FORMULA and i.formula:
            wanted |= formula.codes(i.formula)
    missing = wanted - have
    if not missing:
        return indicators
    extra = list(Indicator.objects.filter(code__in=missing).select_related("group"))
    return _with_formula_inputs(indicators + extra)


# ---------------------------------------------------------------------------------------------
# Per unit (subtree as of the period end)


def figures(
    unit_ids: Sequence[int], period: Period, indicators: list[Indicator] | None = None
) -> dict[int, Figures]:
    """The figures of each unit's subtree for `period` (see the module docstring)."""
    wanted = indicators if indicators is not None else indicators_in(period)
    inds = _with_formula_inputs(list(wanted))
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
                cursor.execute(
                    f"SELECT unit_id, period_id, indicator_id, value, approved, units, "  # noqa: S608
                    f"approved_units FROM {Total._meta.db_table} WHERE "
                    f"unit_id IN ({', '.join(['%s'] * len(chunk))}) AND "
                    f"period_id IN ({', '.join(['%s'] * len(periods))}) AND "
                    f"indicator_id IN ({', '.join(['%s'] * len(summed))})",
                    [*chunk, *(p.pk for p in periods), *summed],
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
            leaves = Value.objects.filter(
                unit_id__in=[
                    u for u in chunk if any((u, p.pk) not in with_totals for p in periods)
                ],
                period__in=periods,
                indicator_id__in=summed,
            ).values_list("unit_id", "period_id", "indicator_id", "value", "sheet__status")
            for u, p, i, value, status in leaves:
                ind = by_id[i]
                if (u, p) in with_totals or (ind.over_time == OverTime.LAST and p not in last_part):
                    continue
                ok = status in (SheetStatus.APPROVED, SheetStatus.LOCKED)
                _add(out[u][ind.code], value, value if ok else 0, 1, int(ok))
        if own:
            rows = Value.objects.filter(
                unit_id__in=chunk, period=period, indicator_id__in=own
            ).values_list("unit_id", "indicator_id", "value", "sheet__status")
            for u, i, value, status in rows:
                ok = status in (SheetStatus.APPROVED, SheetStatus.LOCKED)
                _add(out[u][by_id[i].code], value, value if ok else 0, 1, int(ok))
        for u, i, value in Target.objects.filter(
            unit_id__in=chunk, period=period, indicator_id__in=list(by_id)
        ).values_list("unit_id", "indicator_id", "value"):
            out[u][by_id[i].code].target = value
        year = year_of(period)
        if year is not None:
            # Within a year, progress is measured against the year's targets ("9 tháng đạt
            # 110% chỉ tiêu năm") where the period has none of its own.
            for u, i, value in Target.objects.filter(
                unit_id__in=chunk, period=year, indicator_id__in=list(by_id)
            ).values_list("unit_id", "indicator_id", "value"):
                fig = out[u][by_id[i].code]
                if fig.target is None:
                    fig.target, fig.target_of = value, year.name

    derived_inds = [i for i in inds if i.source == Source.DERIVED and i.derivation]
    if derived_inds:
        _derive(out, derived_inds, period)
    _formulas(out.values(), inds)
    if indicators is not None:
        keep = {i.code for i in wanted}
        for figs in out.values():
            for code in list(figs):
                if code not in keep:
                    del figs[code]
    return out


SUB_YEAR = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.NINE)


def year_of(period: Period) -> Period | None:
    if period.kind not in SUB_YEAR:
        return None
    return Period.objects.filter(
        kind=PeriodKind.YEAR, year=period.year, number=1, programme=""
    ).first()


def unit_figures(
    unit_id: int, period: Period, indicators: list[Indicator] | None = None
) -> Figures:
    return figures([unit_id], period, indicators)[unit_id]


def chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


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
        UnitVersion.objects.on(day).filter(unit_id__in=list(out)).values_list("unit_id", "path")
    )
    present = {r for r, _p in roots}
    cache: dict[Any, Any] = {}
    for ind in inds:
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
                out[u][ind.code].value = value
    inds = [i for i in inds if i not in by_subtree]
    if not inds:
        return
    # Read the subtrees through their few covering path ranges (a province and its children: one
    # range), then give each unit to the requested units above it by looking up its prefixes.
    covering: list[str] = []
    for _u, path in sorted(roots, key=lambda r: r[1]):
        if not any(path.startswith(c) for c in covering):
            covering.append(path)
    q = Q()
    for path in covering:
        q |= path_range_q("path", path)
    members = (
        list(UnitVersion.objects.on(day).filter(q).values_list("unit_id", "path")) if roots else []
    )
    root_of_path: dict[str, list[int]] = defaultdict(list)
    for root_id, root_path in roots:
        root_of_path[root_path].append(root_id)
    step = Unit.steplen
    owners: dict[int, list[int]] = {}
    for unit_id, path in members:
        found = [
            r for i in range(step, len(path) + 1, step) for r in root_of_path.get(path[:i], ())
        ]
        if found:
            owners[unit_id] = found
    unit_ids = list(owners)
    for ind in inds:
        for chunk in chunks(unit_ids):
            for unit_id, value in derived.own_values(ind.derivation, chunk, period, cache).items():
                for root_id in owners.get(unit_id, ()):
                    fig = out[root_id][ind.code]
                    fig.value = (fig.value or Decimal(0)) + value


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
    inds = _with_formula_inputs(list(wanted))
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
            t.computed = fig.computed
            if fig.target is not None:
                t.target = (t.target or Decimal(0)) + fig.target
                t.target_of = fig.target_of
    for i in inds:
        if i.source == Source.DERIVED:
            total[i.code].computed = True
    _formulas([total], inds)
    return total


# ---------------------------------------------------------------------------------------------
# Achievement and ranks


@dataclass(frozen=True)
class Achievement:
    reached: int  # reached or exceeded
    total: int  # indicators with a target
    exceeded: int

    @property
    def text(self) -> str:
        return wording.indicators_reached(self.reached, self.total, self.exceeded)


def achievement(figs: Figures) -> Achievement:
    with_target = [f for f in figs.values() if f.target is not None and f.value is not None]
    missing = [f for f in figs.values() if f.target is not None and f.value is None]
    reached = [f for f in with_target if f.status in (wording.REACHED, wording.EXCEEDED)]
    exceeded = [f for f in with_target if f.status == wording.EXCEEDED]
    return Achievement(len(reached), len(with_target) + len(missing), len(exceeded))


@dataclass(frozen=True)
class Ranked:
    unit_id: int
    value: Decimal | None
    rank: int | None  # None: no figure
    of: int

    @property
    def text(self) -> str:
        return wording.rank(self.rank, self.of) if self.rank else ""


def rank(by_unit: dict[int, Decimal | None], *, lower_is_better: bool = False) -> dict[int, Ranked]:
    """Competition ranking (1, 2, 2, 4) of units by a figure; units without one come last."""
    of = len(by_unit)
    scored: list[tuple[int, Decimal]] = [(u, v) for u, v in by_unit.items() if v is not None]
    scored.sort(key=lambda uv: uv[1] if lower_is_better else -uv[1])
    out: dict[int, Ranked] = {}
    previous: Decimal | None = None
    position = 0
    for index, (u, v) in enumerate(scored, start=1):
        if v != previous:
            position, previous = index, v
        out[u] = Ranked(u, v, position, of)
    for u, missing in by_unit.items():
        if u not in out:
            out[u] = Ranked(u, missing, None, of)
    return out


def rank_key(figs: Figures, by: str) -> Decimal | None:
    """The figure units are ranked by: an indicator code (value), "pct:<code>" (achievement of
    one indicator), or "achievement" (indicators reached, then the mean achievement)."""
    if by == "achievement":
        a = achievement(figs)
        if not a.total:
            return None
        pcts = [f.percent for f in figs.values() if f.percent is not None]
        mean = sum(pcts, Decimal(0)) / len(pcts) if pcts else Decimal(0)
        return Decimal(a.reached) * Decimal(10) ** 9 + mean
    if by.startswith("pct:"):
        fig = figs.get(by[4:])
        return fig.percent if fig else None
    fig = figs.get(by)
    return fig.value if fig else None


def siblings_on(unit_id: int, day: dt.date) -> list[tuple[int, str]]:
    """The units under the same parent as `unit_id` on `day` (it included), by name."""
    me = (
        UnitVersion.objects.on(day)
        .filter(unit_id=unit_id)
        .values_list("parent_id", flat=True)
        .first()
    )
    if me is None:
        return []
    return list(
        UnitVersion.objects.on(day)
        .filter(parent_id=me)
        .order_by("name")
        .values_list("unit_id", "name")
    )


def _children(unit_id: int, day: dt.date, user: Any = None) -> Any:
    qs = UnitVersion.objects.on(day).filter(parent_id=unit_id)
    if user is not None:
        q = scope_q(user, Action.INDICATORS_VIEW, "unit__path")
        if q is not None:
            qs = qs.filter(q)
    return qs.order_by("name")


def children_on(unit_id: int, day: dt.date, user: Any = None) -> list[tuple[int, str, str]]:
    """(unit id, name, code) of the units directly below `unit_id` on `day`, within scope."""
    return list(_children(unit_id, day, user).values_list("unit_id", "name", "code"))


def children_with_sheets(
    unit_id: int, period: Period, today: dt.date, user: Any = None
) -> tuple[list[tuple[int, str, str]], dict[int, SheetState]]:
    """`children_on` at the period end, in no particular order (the caller sorts them), and
    their `sheet_states` (without times), in one query."""
    rows = (
        _children(unit_id, period.end, user)
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


def ranking(
    unit_ids: Sequence[int], period: Period, by: str, indicators: list[Indicator] | None = None
) -> dict[int, Ranked]:
    """Rank units (siblings, or a cluster's members) by `by` (see `rank_key`)."""
    if indicators is None and by != "achievement":
        code = by[4:] if by.startswith("pct:") else by
        indicators = indicators_in(period, [code])
    figs = figures(unit_ids, period, indicators)
    lower = False
    if by != "achievement":
        code = by[4:] if by.startswith("pct:") else by
        ind = next((i for i in (indicators or []) if i.code == code), None)
        lower = ind is not None and ind.better == Better.LOWER
    return rank({u: rank_key(f, by) for u, f in figs.items()}, lower_is_better=lower)


# ---------------------------------------------------------------------------------------------
# Sheets


@dataclass
class SheetState:
    unit_id: int
    status: str  # a SheetStatus, or "" when nothing was entered
    late: bool
    updated_at: dt.datetime | None = None


def below_on(unit_id: int, day: dt.date) -> Any:
    """A subquery of the ids of the units directly below `unit_id` on `day`: cheaper than a
    list of thousands of ids to filter the rows of a province's communes."""
    return UnitVersion.objects.on(day).filter(parent_id=unit_id).values("unit_id")


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
