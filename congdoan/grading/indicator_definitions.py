"""Indicators derived from the gradings of grassroots unions (see `congdoan.indicators.derived`).

Grading is not a register a unit keeps (`activities.registers`): the unit above grades each
grassroots union once a period. So the definitions are plain derived ones, registered here
directly: each grassroots union's own value is 1 in the period its confirmed grading counts in
(`selectors.counted_in`: a year counts the gradings of the periods ending in it, calendar and
school years; a school year those of the school-year schemes ending with it) and 0 otherwise.
The engine adds them up over subtrees as the tree stood at the period's end, so a union merged
later still counts where it stood. One query for the six figures, grouped by unit and rank.

The indicators that name them (migration `0003_indicators`): unions graded, per category rank
(excellent / good / completed / not completed, whatever the scale's names), good or better, and
the share graded good or better (a formula over the first and the last).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from congdoan.grading.models import Grading
from congdoan.grading.selectors import counted_in
from congdoan.indicators.derived import register_shared

GRADED = "grading_graded"
GOOD_OR_BETTER = "grading_good_or_better"
RANKS = {
    1: "grading_excellent",
    2: "grading_good",
    3: "grading_completed",
    4: "grading_not_completed",
}

# unit id → {"graded": n, "good": n, 1: n, 2: n, …}
Loaded = dict[int, dict[Any, int]]


def load(unit_ids: Sequence[int], period: Any) -> Loaded:
    q = counted_in(period)
    if q is None or not unit_ids:
        return {}
    rows = (
        Grading.objects.filter(q, unit_id__any=list(unit_ids))
        .values("unit_id", "category__rank", "category__good_or_better")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: Loaded = {}
    for row in rows:
        found = out.setdefault(row["unit_id"], {"graded": 0, "good": 0})
        found["graded"] += row["n"]
        found[row["category__rank"]] = found.get(row["category__rank"], 0) + row["n"]
        if row["category__good_or_better"]:
            found["good"] += row["n"]
    return out


def _pick(key: Any) -> Callable[[Loaded], dict[int, Decimal]]:
    def pick(loaded: Loaded) -> dict[int, Decimal]:
        return {u: Decimal(f.get(key, 0)) for u, f in loaded.items() if f.get(key)}

    return pick


register_shared(
    load,
    {
        GRADED: (_("Grassroots unions graded"), _pick("graded")),
        GOOD_OR_BETTER: (_("Grassroots unions graded good or better"), _pick("good")),
        RANKS[1]: (_("Grassroots unions graded excellent"), _pick(1)),
        RANKS[2]: (_("Grassroots unions graded good"), _pick(2)),
        RANKS[3]: (_("Grassroots unions graded completed"), _pick(3)),
        RANKS[4]: (_("Grassroots unions graded not completed"), _pick(4)),
    },
)
