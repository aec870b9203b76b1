"""Indicators derived from the member registry (see `congdoan.indicators.derived`).

All of them come from one read of the per-unit member figures (`members.counts.unit_figures`);
a unit's figures over its subtree come from `members.counts.subtree_counts`, which totals the
subtree in SQL and gives the units directly below in the same read (a flow counts where its unit
stood on the day of the flow, as on the member pages).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from congdoan.indicators.derived import register_shared
from congdoan.members import counts
from congdoan.organisation.models import Unit, UnitVersion


def _load(unit_ids: Sequence[int], period: Any) -> dict[int, counts.Figures]:
    return counts.unit_figures(unit_ids, counts.Period(period.start, period.end))


def _subtree(unit_ids: Sequence[int], period: Any) -> dict[int, counts.Figures]:
    """Each unit's figures over its subtree. A unit's read gives the units directly below it
    as well (the rows of its table), so units under one parent are read through it: a unit and
    its children, or the children alone, cost one read."""
    wanted = {int(u) for u in unit_ids}
    span = counts.Period(period.start, period.end)
    parents = Counter(
        UnitVersion.objects.on(period.end)
        .filter(unit_id__in=wanted)
        .values_list("parent_id", flat=True)
    )
    shared = {p for p, n in parents.items() if p is not None and n > 1}
    out: dict[int, counts.Figures] = {}
    done: set[int] = set()
    top_down = Unit.objects.filter(pk__in=wanted | shared).order_by("depth", "pk")
    for pk in top_down.values_list("pk", flat=True):
        if pk in done:
            continue
        table = counts.subtree_counts(Unit.objects.get(pk=pk), span, by_name=False)
        done.add(pk)
        if pk in wanted:
            out[pk] = table.total
        for row in table.rows:
            if not row.direct and row.active and row.unit_id in wanted:
                out.setdefault(row.unit_id, row.figures)
                done.add(row.unit_id)
        below = UnitVersion.objects.on(period.end).filter(parent_id=pk, unit_id__in=wanted)
        for child in below.values_list("unit_id", flat=True):
            out.setdefault(child, counts.Figures())  # no row: no member in its subtree
            done.add(child)
    return out


def _field(name: str) -> Callable[[dict[int, counts.Figures]], dict[int, Decimal]]:
    def pick(figures: dict[int, counts.Figures]) -> dict[int, Decimal]:
        return {u: Decimal(getattr(f, name)) for u, f in figures.items()}

    return pick


def _stocks(unit_ids: Sequence[int], period: Any) -> dict[int, counts.Figures]:
    """Members and women at the end of the period, over each unit's subtree: only the stock
    (one query per read), not the flows."""
    out = {}
    for unit_id, (m, w) in counts.subtree_stocks(unit_ids, period.end).items():
        out[unit_id] = counts.Figures(members=m, women=w)
    return out


# The stocks (on every dashboard) and the flows are two loads: a dashboard that shows only the
# stocks does not count the flows of every subtree.
register_shared(
    _load,
    {
        "members_end": (_("Members at the end of the period"), _field("members")),
        "women_end": (_("Women members at the end of the period"), _field("women")),
    },
    subtree=_stocks,
)
register_shared(
    _load,
    {
        "admissions": (_("Members admitted in the period"), _field("admissions")),
        "exits": (_("Members who left in the period"), _field("exits")),
        "party_referrals": (
            _("Members referred to the Party in the period"),
            _field("party_referrals"),
        ),
        "party_admissions": (
            _("Members admitted to the Party in the period"),
            _field("party_admissions"),
        ),
    },
    subtree=_subtree,
)
