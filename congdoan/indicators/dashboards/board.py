"""Trends and the dashboard itself (`dashboard`): every part gathered for one unit and period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.indicators import formula, selectors
from congdoan.indicators.dashboards.objects import (
    PAGE_ROWS,
    TREND_YEARS,
    Cell,
    Dashboard,
    IndicatorInfo,
    KeyFigure,
    RankLine,
    TrendPoint,
    TrendSeries,
    default_rank_by,
)
from congdoan.indicators.dashboards.tables import (
    children_page,
    children_table,
    infos_of,
    key_indicators,
    peers_table,
    sibling_table,
    trim,
    unit_clusters,
    with_inputs,
)
from congdoan.indicators.models import (
    Aggregation,
    Indicator,
    Period,
    PeriodKind,
    Source,
)
from congdoan.organisation.models import ClusterMembership, Unit

# ---------------------------------------------------------------------------------------------
# Trends


def trend_periods(period: Period) -> list[Period]:
    """A year: its months (or quarters) that have been opened, if any; otherwise the same period
    over the last five years, oldest first (the years that have been opened)."""
    if period.kind == PeriodKind.YEAR:
        for kind in (PeriodKind.MONTH, PeriodKind.QUARTER):
            parts = selectors.periods_of_year(kind=kind, year=period.year)
            if parts:
                return parts
    earlier = selectors.periods_years_before(period, years=TREND_YEARS - 1)
    return [*earlier, period]


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
                    p.label,
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
    page: int | None = 1,
    today: dt.date | None = None,
    with_trends: bool = True,
    per_page: int = PAGE_ROWS,
) -> Dashboard:
    """Everything the dashboard page shows (see the module docstring), the units below a page
    of `per_page` at a time (`page=None`: all of them, for exports). The caller has checked
    that `user` may see `unit` ("indicators.view")."""
    inds = key_indicators(unit, period, key_codes)
    infos = infos_of(inds)
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
    kids, states = selectors.children_with_sheets(
        unit.pk, period, today or timezone.localdate(), user
    )
    picked = children_page(
        unit,
        period,
        inds,
        kids,
        sort=sort,
        page=page,
        today=today,
        states=states,
        per_page=per_page,
    )
    ids = [unit.pk, *(u for u, _n, _c in picked[1])]
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

    before = selectors.year_before(period)
    previous = selectors.unit_figures(unit.pk, before, expanded) if before is not None else {}
    key = []
    for info in key_infos:
        cell = Cell.of(info, own.get(info.code))
        prev = previous.get(info.code)
        key.append(KeyFigure(**vars(cell), previous=prev.value if prev else None))
    by = default_rank_by(key)

    ranks: list[RankLine] = []
    if siblings:
        ranks.append(sibling_table(user, unit, period, siblings, big, by, inds).line)
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
            peers_table(
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
        period_name=period.label,
        period_start=period.start,
        period_end=period.end,
        previous_name=before.label if before is not None else "",
        key=key,
        achievement=selectors.achievement(trim(own, key_infos)),
        children=children_table(
            user,
            unit,
            period,
            inds,
            page=page,
            kids=kids,
            picked=picked,
            figs=big,
            per_page=per_page,
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


def default_period(today: dt.date | None = None) -> Period | None:
    """The latest year period that has begun; None when none has been opened."""
    return selectors.year_period_begun(today or timezone.localdate())
