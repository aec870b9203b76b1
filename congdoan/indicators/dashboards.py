"""Dashboards and rankings: a selector building plain data objects (no HTTP, no rendering).

`dashboard(user, unit, period)` gathers, for a unit the user may see with "indicators.view":

- the key indicators (those with a target for the unit in the period, else the first eight with a
  figure; the member counts from the register always) with value, target, achievement, status, approval
  and the same period a year earlier;
- the achievement sentence ("10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt");
- the units directly below as of the period end (within scope) with their figures, sheet status
  and late flag, sortable by any column;
- the unit's rank among the units under the same parent and in each emulation cluster it belongs
  to that year ("thứ 3/15");
- a trend series per key indicator (the same period over five years, or the months/quarters of a
  year).

Ranks are computed over every peer (a rank means nothing otherwise), but only the peers within the
user's scope are listed with their figures; the others are counted as hidden.

Everything here runs a bounded number of queries whatever the number of units below: figures of
many units come from one `selectors.figures` call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.scoping import path_in_scope
from congdoan.indicators import formula, selectors, wording
from congdoan.indicators.models import (
    Aggregation,
    Better,
    Indicator,
    Period,
    PeriodKind,
    SheetStatus,
    Source,
    Target,
    Total,
    Value,
    ValueType,
)
from congdoan.indicators.periods import parts_of, year_before
from congdoan.organisation.models import Cluster, ClusterMembership, Unit

VIEW = selectors.VIEW
MEMBER_DERIVATIONS = ("members_end", "women_end")
MAX_UNTARGETED = 8  # key figures shown without targets
TREND_YEARS = 5
ACHIEVEMENT = "achievement"


# ---------------------------------------------------------------------------------------------
# Formatting (Vietnamese number formats)


def format_value(value: Decimal | None, value_type: str) -> str:
    """A figure as reports write it: "1.234", "12,5", "25%", "3,8 tỷ đồng"."""
    if value is None:
        return ""
    value = Decimal(value)
    if value_type == ValueType.MONEY:
        return wording.money(value)
    if value_type == ValueType.PERCENT:
        return wording.percent(value, 0 if value == value.to_integral_value() else 1)
    return wording.amount(value, 2)


def format_change(value: Decimal | None, value_type: str) -> str:
    """A signed change: "+12", "−3", "+1,2 tỷ đồng", "+2,5 points" (of a percentage)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    size = abs(Decimal(value))
    if value_type == ValueType.PERCENT:
        return _("%(sign)s%(value)s points") % {"sign": sign, "value": wording.amount(size, 1)}
    return f"{sign}{format_value(size, value_type)}"


def sheet_status_label(status: str) -> str:
    if not status:
        return _("no figures")
    return str(SheetStatus(status).label)


# ---------------------------------------------------------------------------------------------
# Data objects


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    short_name: str
    unit_of_measure: str
    value_type: str
    lower_is_better: bool

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def shows_unit(self) -> bool:
        """Whether the unit of measure is written after a value (not for đồng and %)."""
        return self.value_type not in (ValueType.MONEY, ValueType.PERCENT)

    @classmethod
    def of(cls, ind: Indicator) -> IndicatorInfo:
        return cls(
            ind.code,
            ind.name,
            ind.short_name,
            ind.unit_of_measure,
            ind.value_type,
            ind.better == Better.LOWER,
        )


@dataclass
class Cell:
    """One indicator's figure of one unit (a card, a table cell)."""

    indicator: IndicatorInfo
    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None
    status: str | None  # wording.BELOW / REACHED / EXCEEDED, None without a target
    approved: bool
    units: int = 0
    approved_units: int = 0

    @classmethod
    def of(cls, info: IndicatorInfo, fig: selectors.Figure | None) -> Cell:
        if fig is None:
            return cls(info, None, None, None, None, False)
        return cls(
            info,
            fig.value,
            fig.target,
            fig.percent,
            fig.status,
            fig.is_approved,
            fig.units,
            fig.approved_units,
        )

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.indicator.value_type)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.indicator.value_type)

    @property
    def percent_text(self) -> str:
        return wording.percent(self.percent)

    @property
    def status_label(self) -> str:
        return wording.status_label(self.status)

    @property
    def approval_text(self) -> str:
        if self.value is None:
            return ""
        if self.approved:
            return _("approved")
        return _("includes figures not yet approved (%(approved)s of %(units)s units approved)") % {
            "approved": self.approved_units,
            "units": self.units,
        }


@dataclass
class KeyFigure(Cell):
    """A key indicator of the dashboard's unit, with the same period a year earlier and ranks."""

    previous: Decimal | None = None
    sibling_rank: str = ""  # "thứ 2/5" among the units under the same parent

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous or self.indicator.value_type == "percent":
            return None
        return self.change * 100 / self.previous

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.indicator.value_type)

    @property
    def change_text(self) -> str:
        text = format_change(self.change, self.indicator.value_type)
        if self.change_percent is not None and self.change:
            text += f" ({format_change(self.change_percent, 'decimal')}%)"
        return text


@dataclass
class Column:
    """A sortable column of the children table."""

    key: str  # "name", "status", "achievement", an indicator code or "pct:<code>"
    label: str
    sort: str  # the current sort of the table
    numeric: bool = True

    @property
    def active(self) -> bool:
        return self.sort.lstrip("-") == self.key

    @property
    def descending(self) -> bool:
        return self.active and self.sort.startswith("-")

    @property
    def next_sort(self) -> str:
        """Clicking the header: figures sort from the highest first, names from A."""
        if self.numeric:
            return self.key if self.sort == f"-{self.key}" else f"-{self.key}"
        return f"-{self.key}" if self.sort == self.key else self.key


@dataclass
class ChildRow:
    unit_id: int
    name: str
    code: str
    cells: list[Cell]
    achievement: selectors.Achievement
    sheet_status: str
    late: bool

    @property
    def sheet_status_label(self) -> str:
        return sheet_status_label(self.sheet_status)

    @property
    def achievement_text(self) -> str:
        a = self.achievement
        return f"{a.reached}/{a.total}" if a.total else ""


@dataclass
class ChildrenTable:
    unit_id: int
    period_id: int
    sort: str
    key: list[IndicatorInfo]
    with_target: set[str]  # codes having a target for some child
    rows: list[ChildRow]

    @property
    def columns(self) -> list[Column]:
        cols = [Column("name", _("Unit"), self.sort, numeric=False)]
        for info in self.key:
            cols.append(Column(info.code, info.label, self.sort))
            if info.code in self.with_target:
                cols.append(Column(f"pct:{info.code}", _("% of target"), self.sort))
        if self.with_target:
            cols.append(Column(ACHIEVEMENT, _("Targets reached"), self.sort))
        cols.append(Column("status", _("Sheet"), self.sort, numeric=False))
        return cols

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.late)


@dataclass
class RankLine:
    """ "thứ 3/15" among the units under the same parent or in a cluster, by one criterion."""

    among: str  # "siblings" or "cluster:<id>"
    label: str
    by: str
    by_label: str
    rank: int | None
    of: int

    @property
    def text(self) -> str:
        return wording.rank(self.rank, self.of) if self.rank else _("not ranked (no figure)")


@dataclass
class RankRow:
    unit_id: int
    name: str
    code: str
    rank: int | None
    of: int
    value: Decimal | None  # the figure ranked by
    cells: list[Cell]
    achievement: selectors.Achievement
    is_head: bool = False
    is_self: bool = False

    @property
    def rank_text(self) -> str:
        return wording.rank(self.rank, self.of) if self.rank else ""

    @property
    def achievement_text(self) -> str:
        a = self.achievement
        return f"{a.reached}/{a.total}" if a.total else ""


@dataclass
class RankingTable:
    """Units ranked by one criterion: the visible ones listed, the others only counted."""

    unit_id: int
    period_id: int
    among: str
    label: str
    by: str
    by_label: str
    key: list[IndicatorInfo]
    rows: list[RankRow]
    hidden: int  # peers outside the user's scope (ranked, not listed)
    total: list[Cell] = field(default_factory=list)  # cluster totals, when every member is seen

    @property
    def own(self) -> RankRow | None:
        return next((r for r in self.rows if r.is_self), None)

    @property
    def line(self) -> RankLine:
        own = self.own
        of = own.of if own else len(self.rows) + self.hidden
        return RankLine(
            self.among, self.label, self.by, self.by_label, own.rank if own else None, of
        )


@dataclass
class TrendPoint:
    period_id: int
    label: str
    value: Decimal | None
    target: Decimal | None
    value_type: str = ValueType.COUNT

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.value_type)


@dataclass
class TrendSeries:
    indicator: IndicatorInfo
    title: str
    points: list[TrendPoint]


@dataclass
class ChildrenBars:
    indicator: IndicatorInfo
    title: str
    bars: list[tuple[str, Decimal | None, Decimal | None]]  # (unit name, value, target)


@dataclass
class Dashboard:
    user_id: int | None
    unit_id: int
    unit_name: str
    unit_code: str
    period_id: int
    period_name: str
    period_start: dt.date
    period_end: dt.date
    previous_name: str
    key: list[KeyFigure]
    achievement: selectors.Achievement
    children: ChildrenTable
    ranks: list[RankLine]
    clusters: list[RankingTable]
    rank_by: str
    trends: list[TrendSeries]

    @property
    def achievement_text(self) -> str:
        return self.achievement.text if self.achievement.total else ""

    @property
    def all_approved(self) -> bool:
        return all(k.approved for k in self.key if k.value is not None)


# ---------------------------------------------------------------------------------------------
# Key indicators


def _ordered(qs: Any, period: Period) -> list[Indicator]:
    return [i for i in qs.select_related("group") if i.valid_in(period.end.year)]


def key_indicators(
    unit: Unit, period: Period, key_codes: list[str] | None = None
) -> list[Indicator]:
    """The unit's key indicators for the period, in catalogue order (see the module docstring)."""
    if key_codes:
        return _ordered(Indicator.objects.filter(code__in=key_codes), period)
    targeted = set(
        Target.objects.filter(unit=unit, period=period).values_list("indicator_id", flat=True)
    )
    members = Q(source=Source.DERIVED, derivation__in=MEMBER_DERIVATIONS)
    if targeted:
        return _ordered(Indicator.objects.filter(Q(pk__in=targeted) | members), period)
    with_value = set(
        Total.objects.filter(unit=unit, period__in=parts_of(period), units__gt=0).values_list(
            "indicator_id", flat=True
        )
    ) | set(Value.objects.filter(unit=unit, period=period).values_list("indicator_id", flat=True))
    catalogue = _ordered(Indicator.objects.all(), period)
    have = {i.code for i in catalogue if i.pk in with_value}
    have |= {i.code for i in catalogue if i.derivation in MEMBER_DERIVATIONS}
    keep = []
    entered_kept = 0
    for ind in catalogue:
        if ind.code in have:
            if ind.pk in with_value and ind.derivation not in MEMBER_DERIVATIONS:
                # Without targets, the first figures of the catalogue (a card and a column
                # each); the others stay one click away (`key_codes`).
                if entered_kept >= MAX_UNTARGETED:
                    continue
                entered_kept += 1
            keep.append(ind)
        elif ind.aggregation == Aggregation.FORMULA and ind.formula:
            inputs = formula.codes(ind.formula)
            # A ratio of figures the unit has (not only of the member counts, always there).
            if inputs <= have and inputs & {i.code for i in catalogue if i.pk in with_value}:
                keep.append(ind)
    return keep


def _rank_by(key: Sequence[Cell]) -> str:
    """Rank by targets reached when the unit has targets, else by its first key figure."""
    if any(k.target is not None for k in key):
        return ACHIEVEMENT
    first = next((k for k in key if k.value is not None), None)
    return first.indicator.code if first else (key[0].indicator.code if key else ACHIEVEMENT)


def by_label(by: str, infos: dict[str, IndicatorInfo]) -> str:
    if by == ACHIEVEMENT:
        return _("targets reached")
    if by.startswith("pct:"):
        info = infos.get(by[4:])
        return _("%% of target: %(name)s") % {"name": info.label if info else by[4:]}
    info = infos.get(by)
    return info.label if info else by


# ---------------------------------------------------------------------------------------------
# Children


def _sort_value(row: ChildRow, key: str) -> Any:
    if key == "name":
        return row.name.casefold()
    if key == "status":
        order = ["", SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.APPROVED]
        return order.index(row.sheet_status) if row.sheet_status in order else len(order)
    if key == ACHIEVEMENT:
        a = row.achievement
        if not a.total:
            return None
        pcts = [c.percent for c in row.cells if c.percent is not None]
        mean = sum(pcts, Decimal(0)) / len(pcts) if pcts else Decimal(0)
        return (a.reached, mean)
    code = key[4:] if key.startswith("pct:") else key
    cell = next((c for c in row.cells if c.indicator.code == code), None)
    if cell is None:
        return None
    return cell.percent if key.startswith("pct:") else cell.value


def valid_sort(sort: str | None, codes: list[str]) -> str:
    if not sort:
        return "name"
    key = sort.lstrip("-")
    plain = key[4:] if key.startswith("pct:") else key
    if key in ("name", "status", ACHIEVEMENT) or plain in codes:
        return sort if sort.count("-") <= 1 else "name"
    return "name"


def sort_rows(rows: list[ChildRow], sort: str) -> list[ChildRow]:
    """Rows by a column, ascending or (with a leading "-") descending; blanks always last."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    rows = sorted(rows, key=lambda r: r.name.casefold())
    present = [r for r in rows if _sort_value(r, key) is not None]
    blank = [r for r in rows if _sort_value(r, key) is None]
    present.sort(key=lambda r: _sort_value(r, key), reverse=descending)
    return present + blank


def children_table(
    user: Any,
    unit: Unit,
    period: Period,
    inds: list[Indicator],
    *,
    sort: str | None = None,
    today: dt.date | None = None,
    kids: list[tuple[int, str, str]] | None = None,
    figs: dict[int, selectors.Figures] | None = None,
) -> ChildrenTable:
    """The units directly below as of the period end, within the user's scope (`kids` and
    `figs` when the caller has them already)."""
    if kids is None:
        kids = selectors.children_on(unit.pk, period.end, user)
    ids = [u for u, _n, _c in kids]
    if figs is None:
        figs = selectors.figures(ids, period, inds) if ids else {}
    states = selectors.sheet_states(ids, period, today or timezone.localdate()) if ids else {}
    infos = [IndicatorInfo.of(i) for i in inds]
    rows = []
    with_target: set[str] = set()
    for u, name, code in kids:
        f = _trim(figs.get(u, {}), infos)
        cells = [Cell.of(info, f.get(info.code)) for info in infos]
        with_target |= {c.indicator.code for c in cells if c.target is not None}
        state = states.get(u)
        rows.append(
            ChildRow(
                u,
                name,
                code,
                cells,
                selectors.achievement(f),
                state.status if state else "",
                state.late if state else False,
            )
        )
    sort = valid_sort(sort, [i.code for i in inds])
    return ChildrenTable(unit.pk, period.pk, sort, infos, with_target, sort_rows(rows, sort))


def _trim(figs: selectors.Figures, infos: list[IndicatorInfo]) -> selectors.Figures:
    """Only the key indicators (not the inputs of their formulas)."""
    keep = {i.code for i in infos}
    return {code: f for code, f in figs.items() if code in keep}


def with_inputs(inds: list[Indicator]) -> list[Indicator]:
    """`inds` and the indicators their formulas read (recursively), for `selectors.combine`."""
    out = list(inds)
    have = {i.code for i in out}
    while True:
        wanted: set[str] = set()
        for i in out:
            if i.aggregation == Aggregation.FORMULA and i.formula:
                wanted |= formula.codes(i.formula)
        missing = wanted - have
        if not missing:
            return out
        extra = list(Indicator.objects.filter(code__in=missing).select_related("group"))
        if not extra:
            return out
        out += extra
        have |= {i.code for i in extra}


def children_bars(
    user: Any, unit: Unit, period: Period, indicator: Indicator, *, sort: str | None = None
) -> ChildrenBars:
    """The units directly below, one bar each, for a chart."""
    table = children_table(user, unit, period, [indicator], sort=sort or f"-{indicator.code}")
    info = IndicatorInfo.of(indicator)
    bars = [(r.name, r.cells[0].value, r.cells[0].target) for r in table.rows]
    return ChildrenBars(info, f"{info.label} — {period.name}", bars)


# ---------------------------------------------------------------------------------------------
# Ranks


def _infos(inds: list[Indicator]) -> dict[str, IndicatorInfo]:
    return {i.code: IndicatorInfo.of(i) for i in inds}


def _lower(by: str, inds: list[Indicator]) -> bool:
    if by == ACHIEVEMENT:
        return False
    code = by[4:] if by.startswith("pct:") else by
    ind = next((i for i in inds if i.code == code), None)
    return ind is not None and ind.better == Better.LOWER


def _ranking_indicators(by: str, inds: list[Indicator], period: Period) -> list[Indicator]:
    """Indicators needed to rank by `by` (the key ones, plus the one ranked by)."""
    if by == ACHIEVEMENT:
        return inds
    code = by[4:] if by.startswith("pct:") else by
    if any(i.code == code for i in inds):
        return inds
    return inds + selectors.indicators_in(period, [code])


def _peers_table(
    user: Any,
    unit: Unit,
    period: Period,
    peers: list[tuple[int, str, bool]],
    figs: dict[int, selectors.Figures],
    inds: list[Indicator],
    *,
    among: str,
    label: str,
    by: str,
    total: selectors.Figures | None = None,
) -> RankingTable:
    infos = _infos(inds)
    key = [infos[i.code] for i in inds]
    ranks = selectors.rank(
        {u: selectors.rank_key(_trim(figs.get(u, {}), key), by) for u, _n, _h in peers},
        lower_is_better=_lower(by, inds),
    )
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[p[0] for p in peers]).only("path", "code")
    }
    rows, hidden = [], 0
    for u, name, head in peers:
        peer = units.get(u)
        if peer is None or not path_in_scope(user, VIEW, peer.path):
            hidden += 1
            continue
        f = _trim(figs.get(u, {}), key)
        r = ranks[u]
        rows.append(
            RankRow(
                u,
                name,
                peer.code,
                r.rank,
                r.of,
                r.value,
                [Cell.of(info, f.get(info.code)) for info in key],
                selectors.achievement(f),
                head,
                u == unit.pk,
            )
        )
    big = Decimal(10) ** 30
    rows.sort(key=lambda r: (r.rank if r.rank is not None else big, r.name.casefold()))
    totals = [Cell.of(info, total.get(info.code)) for info in key] if total and not hidden else []
    return RankingTable(
        unit.pk, period.pk, among, label, by, by_label(by, infos), key, rows, hidden, totals
    )


def _sibling_table(
    user: Any,
    unit: Unit,
    period: Period,
    siblings: list[tuple[int, str]],
    figs: dict[int, selectors.Figures],
    by: str,
    inds: list[Indicator],
) -> RankingTable:
    label = _("among the %(n)s units under the same parent") % {"n": len(siblings)}
    peers = [(u, n, False) for u, n in siblings]
    return _peers_table(user, unit, period, peers, figs, inds, among="siblings", label=label, by=by)


def sibling_ranking(
    user: Any, unit: Unit, period: Period, by: str, inds: list[Indicator]
) -> RankingTable | None:
    """The unit among the units under the same parent at the period end (None: no parent)."""
    siblings = selectors.siblings_on(unit.pk, period.end)
    if not siblings:
        return None
    inds = _ranking_indicators(by, inds, period)
    figs = selectors.figures([u for u, _n in siblings], period, inds)
    return _sibling_table(user, unit, period, siblings, figs, by, inds)


def unit_clusters(unit: Unit, period: Period) -> list[Cluster]:
    """The emulation clusters the unit belongs to in the period's year."""
    return [
        m.cluster
        for m in ClusterMembership.objects.filter(unit=unit, year=period.end.year)
        .select_related("cluster")
        .order_by("cluster__name")
    ]


def cluster_ranking(
    user: Any, unit: Unit, period: Period, cluster: Cluster, by: str, inds: list[Indicator]
) -> RankingTable:
    inds = _ranking_indicators(by, inds, period)
    result = selectors.cluster_figures(cluster, period, inds)
    label = _("in %(cluster)s (%(year)s)") % {"cluster": cluster.name, "year": result.year}
    return _peers_table(
        user,
        unit,
        period,
        result.members,
        result.by_unit,
        inds,
        among=f"cluster:{cluster.pk}",
        label=label,
        by=by,
        total=result.total,
    )


def ranking_table(
    user: Any,
    unit: Unit,
    period: Period,
    *,
    by: str | None = None,
    among: str = "siblings",
    key_codes: list[str] | None = None,
) -> RankingTable | None:
    """The ranking page: the unit's peers ranked by `by` ("<code>", "pct:<code>" or
    "achievement"; default as on the dashboard). `among` is "siblings" or "cluster:<id>" (a
    cluster the unit belongs to that year). None when there is no such peer group or criterion."""
    inds = key_indicators(unit, period, key_codes)
    if by is None:
        figs = selectors.unit_figures(unit.pk, period, inds)
        by = _rank_by([Cell.of(IndicatorInfo.of(i), figs.get(i.code)) for i in inds])
    elif by != ACHIEVEMENT:
        code = by[4:] if by.startswith("pct:") else by
        if not selectors.indicators_in(period, [code]):
            return None
    if among == "siblings":
        return sibling_ranking(user, unit, period, by, inds)
    if among.startswith("cluster:") and among[8:].isdigit():
        cluster = next((c for c in unit_clusters(unit, period) if c.pk == int(among[8:])), None)
        if cluster is not None:
            return cluster_ranking(user, unit, period, cluster, by, inds)
    return None


# ---------------------------------------------------------------------------------------------
# Trends


def trend_periods(period: Period) -> list[Period]:
    """A year: its months (or quarters) that exist, if any; otherwise the same period over the
    last five years, oldest first."""
    if period.kind == PeriodKind.YEAR:
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            parts = list(
                Period.objects.filter(kind=kind, year=period.year, programme="").order_by("number")
            )
            if parts:
                return parts
    out = [period]
    current: Period | None = period
    for _i in range(TREND_YEARS - 1):
        current = year_before(current) if current is not None else None
        if current is None:
            break
        out.append(current)
    return out[::-1]


def trends(
    unit: Unit,
    period: Period,
    inds: list[Indicator],
    *,
    known: dict[int, selectors.Figures] | None = None,
) -> list[TrendSeries]:
    """One series per indicator over `trend_periods(period)`; `known`: figures of the unit
    already computed, by period id."""
    known = known or {}
    periods = trend_periods(period)
    by_period = {
        p.pk: known[p.pk] if p.pk in known else selectors.unit_figures(unit.pk, p, inds)
        for p in periods
    }
    out = []
    for ind in inds:
        info = IndicatorInfo.of(ind)
        points = []
        for p in periods:
            fig = by_period[p.pk].get(ind.code)
            points.append(
                TrendPoint(
                    p.pk,
                    p.name,
                    fig.value if fig else None,
                    fig.target if fig else None,
                    info.value_type,
                )
            )
        out.append(TrendSeries(info, f"{info.label} — {unit.name}", points))
    return out


def trend(unit: Unit, period: Period, indicator: Indicator) -> TrendSeries:
    return trends(unit, period, [indicator])[0]


# ---------------------------------------------------------------------------------------------
# The dashboard


def dashboard(
    user: Any,
    unit: Unit,
    period: Period,
    *,
    key_codes: list[str] | None = None,
    sort: str | None = None,
    today: dt.date | None = None,
    with_trends: bool = True,
) -> Dashboard:
    """Everything the dashboard page shows (see the module docstring). The caller has checked
    that `user` may see `unit` ("indicators.view")."""
    inds = key_indicators(unit, period, key_codes)
    infos = _infos(inds)
    key_infos = [infos[i.code] for i in inds]
    expanded = with_inputs(inds)
    year = period.end.year

    # Every unit whose figures this period are shown or ranked, in one call.
    siblings = selectors.siblings_on(unit.pk, period.end)
    clusters = unit_clusters(unit, period)
    members: dict[int, list[tuple[int, str, bool]]] = {c.pk: [] for c in clusters}
    for cluster_id, u, name, head in (
        ClusterMembership.objects.filter(cluster__in=clusters, year=year)
        .order_by("-is_head", "unit__name")
        .values_list("cluster_id", "unit_id", "unit__name", "is_head")
    ):
        members[cluster_id].append((u, name, head))
    kids = selectors.children_on(unit.pk, period.end, user)
    ids = [unit.pk, *(u for u, _n, _c in kids)]
    big = selectors.figures(ids, period, expanded)
    # Peers (siblings, cluster members) are compared on the figures units enter: the figures
    # derived from the registers would be counted over their whole subtrees (for a province:
    # the whole country) on every view.
    peer_ids = [u for u, _n in siblings if u not in big]
    peer_ids += [u for rows in members.values() for u, _n, _h in rows if u not in big]
    if peer_ids:
        entered = [i for i in expanded if not _from_registers(i, expanded)]
        compared = selectors.figures(list(dict.fromkeys(peer_ids)), period, entered)
        for figs in compared.values():
            for i in expanded:
                figs.setdefault(i.code, selectors.Figure(i))
        big.update(compared)
    own = big[unit.pk]

    before = year_before(period)
    previous = selectors.unit_figures(unit.pk, before, expanded) if before is not None else {}
    key = []
    for info in key_infos:
        cell = Cell.of(info, own.get(info.code))
        prev = previous.get(info.code)
        key.append(KeyFigure(**vars(cell), previous=prev.value if prev else None))
    by = _rank_by(key)

    ranks: list[RankLine] = []
    if siblings:
        ranks.append(_sibling_table(user, unit, period, siblings, big, by, inds).line)
        # Each key figure's rank among the siblings, from the same figures.
        sib_ids = [u for u, _n in siblings]
        for k in key:
            r = selectors.rank(
                {u: selectors.rank_key(big[u], k.indicator.code) for u in sib_ids},
                lower_is_better=k.indicator.lower_is_better,
            )[unit.pk]
            k.sibling_rank = r.text
    tables = []
    for c in clusters:
        peers = members[c.pk]
        total = selectors.combine([big[u] for u, _n, _h in peers], expanded)
        label = _("in %(cluster)s (%(year)s)") % {"cluster": c.name, "year": year}
        tables.append(
            _peers_table(
                user,
                unit,
                period,
                peers,
                big,
                inds,
                among=f"cluster:{c.pk}",
                label=label,
                by=by,
                total=total,
            )
        )
    ranks.extend(t.line for t in tables)

    known = {period.pk: own, **({before.pk: previous} if before is not None else {})}
    return Dashboard(
        user_id=getattr(user, "pk", None),
        unit_id=unit.pk,
        unit_name=unit.name,
        unit_code=unit.code,
        period_id=period.pk,
        period_name=period.name,
        period_start=period.start,
        period_end=period.end,
        previous_name=before.name if before is not None else "",
        key=key,
        achievement=selectors.achievement(_trim(own, key_infos)),
        children=children_table(
            user, unit, period, inds, sort=sort, today=today, kids=kids, figs=big
        ),
        ranks=ranks,
        clusters=tables,
        rank_by=by,
        trends=trends(unit, period, inds, known=known) if with_trends else [],
    )


def _from_registers(indicator: Indicator, among: Sequence[Indicator]) -> bool:
    """Derived from a register, or a formula reading such a figure."""
    if indicator.source == Source.DERIVED:
        return True
    if indicator.aggregation == Aggregation.FORMULA and indicator.formula:
        by_code = {i.code: i for i in among}
        return any(
            c in by_code and _from_registers(by_code[c], among)
            for c in formula.codes(indicator.formula)
        )
    return False


def default_period(today: dt.date | None = None) -> Period:
    """The latest year period that has begun (this year's, created if need be)."""
    from congdoan.indicators.periods import period_get

    today = today or timezone.localdate()
    found = Period.objects.filter(kind=PeriodKind.YEAR, start__lte=today).order_by("-end").first()
    return found or period_get(PeriodKind.YEAR, today.year)
