"""The key indicators of a unit, the table of the units below (a page at a time) and the
rankings among the units under the same parent or in a cluster."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.indicators import formula, selectors, wording
from congdoan.indicators.dashboards.objects import (
    ACHIEVEMENT,
    MAX_UNTARGETED,
    MEMBER_DERIVATIONS,
    PAGE_ROWS,
    Cell,
    ChildrenBars,
    ChildrenTable,
    ChildRow,
    IndicatorInfo,
    RankingTable,
    RankRow,
    by_label,
    default_rank_by,
)
from congdoan.indicators.models import (
    Aggregation,
    Better,
    Indicator,
    Period,
    SheetStatus,
    Source,
    Target,
    Total,
    Value,
)
from congdoan.organisation.models import Cluster, ClusterMembership, Unit

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
        Total.objects.filter(
            unit=unit, period__in=selectors.parts_of(period), units__gt=0
        ).values_list("indicator_id", flat=True)
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


# ---------------------------------------------------------------------------------------------
# Children


def _sort_value(row: ChildRow, key: str) -> Any:
    if key == "name":
        return row.name.casefold()
    if key == "status":
        return _status_order(row.sheet_status)
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


def _status_order(status: str) -> int:
    order = ["", SheetStatus.DRAFT, SheetStatus.SUBMITTED, SheetStatus.APPROVED]
    return order.index(status) if status in order else len(order)


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


Page = tuple[str, list[tuple[int, str, str]], dict[int, "selectors.SheetState"], int]


def children_page(
    unit: Unit,
    period: Period,
    inds: list[Indicator],
    kids: list[tuple[int, str, str]],
    *,
    sort: str | None = None,
    page: int | None = 1,
    today: dt.date | None = None,
    states: dict[int, selectors.SheetState] | None = None,
    per_page: int = PAGE_ROWS,
) -> Page:
    """Which units below are on `page` (None: every one) of `per_page` units when sorted by
    `sort`: (the valid sort, the units of the page in order, the sheet states of all, the
    number of pages).

    Sorting by name or sheet needs no figure; by a figure, only that figure of every unit
    below is computed (and every key figure, to sort by targets reached): a province's 3,000
    communes are not all turned into rows to show fifty. `states`: the sheet states of all of
    them, when the caller has them (`selectors.children_with_sheets`)."""
    sort = valid_sort(sort, [i.code for i in inds])
    ids = [u for u, _n, _c in kids]
    day = today or timezone.localdate()
    if states is None:
        states = (
            selectors.sheet_states(ids, period, day, parent_id=unit.pk, with_times=False)
            if ids
            else {}
        )
    pages = max(1, -(-len(kids) // per_page))
    key = sort.lstrip("-")
    if key in ("name", "status"):
        # No row objects for thousands of units: their names (and sheet statuses) suffice.
        descending = sort.startswith("-")
        ordered = sorted(kids, key=lambda k: k[1].casefold(), reverse=descending and key == "name")
        if key == "status":
            ordered.sort(
                key=lambda k: _status_order(states[k[0]].status if k[0] in states else ""),
                reverse=descending,
            )
    else:
        plain = key[4:] if key.startswith("pct:") else key
        needed = inds if key == ACHIEVEMENT else [i for i in inds if i.code == plain]
        table = _table(unit, period, needed, kids, sort, states, figures_of(ids, period, needed))
        ordered = [(r.unit_id, r.name, r.code) for r in table.rows]
    if page is None:
        return sort, ordered, states, 1
    page = min(max(page, 1), pages)
    return sort, ordered[(page - 1) * per_page : page * per_page], states, pages


def figures_of(
    ids: list[int], period: Period, inds: list[Indicator]
) -> dict[int, selectors.Figures]:
    return selectors.figures(ids, period, with_inputs(inds)) if ids else {}


def children_table(
    user: Any,
    unit: Unit,
    period: Period,
    inds: list[Indicator],
    *,
    sort: str | None = None,
    page: int | None = 1,
    today: dt.date | None = None,
    kids: list[tuple[int, str, str]] | None = None,
    picked: Page | None = None,
    figs: dict[int, selectors.Figures] | None = None,
    per_page: int = PAGE_ROWS,
) -> ChildrenTable:
    """The units directly below as of the period end, within the user's scope, a page of
    `per_page` at a time (`page=None`: all of them). `kids`, `picked` (`children_page` of
    them) and `figs` (of the page's units) when the caller has them already."""
    if kids is None:
        kids = selectors.children_on(unit.pk, period.end, user)
    if picked is None:
        picked = children_page(
            unit, period, inds, kids, sort=sort, page=page, today=today, per_page=per_page
        )
    sort, shown, states, pages = picked
    if figs is None:
        figs = figures_of([u for u, _n, _c in shown], period, inds)
    table = _table(unit, period, inds, shown, sort, states, figs)
    table.with_target = _targeted(unit.pk, kids, period, inds)
    table.count = len(kids)
    table.late = sum(1 for s in states.values() if s.late)
    table.pages = pages
    table.page = min(max(page or 1, 1), pages)
    table.per_page = per_page
    return table


def _targeted(
    parent_id: int, kids: list[tuple[int, str, str]], period: Period, inds: list[Indicator]
) -> set[str]:
    """Codes of the indicators that some unit below has a target for (its own, or the year's
    for a part of a year): the table's "% of target" columns, the same on every page."""
    if not kids:
        return set()
    periods = [period.pk]
    year = selectors.year_of(period)
    if year is not None:
        periods.append(year.pk)
    ids = {u for u, _n, _c in kids}
    found = {
        i
        for u, i in Target.objects.filter(
            unit_id__in=selectors.below_on(parent_id, period.end),
            period_id__in=periods,
            indicator__in=inds,
        ).values_list("unit_id", "indicator_id")
        if u in ids
    }
    return {i.code for i in inds if i.pk in found}


def _table(
    unit: Unit,
    period: Period,
    inds: list[Indicator],
    kids: list[tuple[int, str, str]],
    sort: str,
    states: dict[int, selectors.SheetState],
    figs: dict[int, selectors.Figures],
) -> ChildrenTable:
    """Rows of `kids` with their figures, sorted by `sort`."""
    infos = [IndicatorInfo.of(i) for i in inds]
    rows = []
    with_target: set[str] = set()
    for u, name, code in kids:
        f = trim(figs.get(u, {}), infos)
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
    return ChildrenTable(unit.pk, period.pk, sort, infos, with_target, sort_rows(rows, sort))


def trim(figs: selectors.Figures, infos: list[IndicatorInfo]) -> selectors.Figures:
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
    title = f"{info.label} — {period.label}"
    if table.count > len(bars):
        title += " " + _("(the first %(n)s of %(count)s units)") % {
            "n": len(bars),
            "count": wording.amount(Decimal(table.count)),
        }
    return ChildrenBars(info, title, bars)


# ---------------------------------------------------------------------------------------------
# Ranks


def infos_of(inds: list[Indicator]) -> dict[str, IndicatorInfo]:
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


def peers_table(
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
    infos = infos_of(inds)
    key = [infos[i.code] for i in inds]
    ranks = selectors.rank(
        {u: selectors.rank_key(trim(figs.get(u, {}), key), by) for u, _n, _h in peers},
        lower_is_better=_lower(by, inds),
    )
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[p[0] for p in peers]).only("path", "code")
    }
    rows, hidden = [], 0
    for u, name, head in peers:
        peer = units.get(u)
        if peer is None or not path_in_scope(user, Action.INDICATORS_VIEW, peer.path):
            hidden += 1
            continue
        f = trim(figs.get(u, {}), key)
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


def sibling_table(
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
    return peers_table(user, unit, period, peers, figs, inds, among="siblings", label=label, by=by)


def sibling_ranking(
    user: Any, unit: Unit, period: Period, by: str, inds: list[Indicator]
) -> RankingTable | None:
    """The unit among the units under the same parent at the period end (None: no parent)."""
    siblings = selectors.siblings_on(unit.pk, period.end)
    if not siblings:
        return None
    inds = _ranking_indicators(by, inds, period)
    figs = selectors.figures([u for u, _n in siblings], period, inds)
    return sibling_table(user, unit, period, siblings, figs, by, inds)


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
    return peers_table(
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
        by = default_rank_by([Cell.of(IndicatorInfo.of(i), figs.get(i.code)) for i in inds])
    elif by != ACHIEVEMENT:
        code = by[4:] if by.startswith("pct:") else by
        if not selectors.indicators_in(period, [code]):
            return None
    if among == "siblings":
        return sibling_ranking(user, unit, period, by, inds)
    if among.startswith("cluster:") and among[8:].isdecimal():
        cluster = next((c for c in unit_clusters(unit, period) if c.pk == int(among[8:])), None)
        if cluster is not None:
            return cluster_ranking(user, unit, period, cluster, by, inds)
    return None
