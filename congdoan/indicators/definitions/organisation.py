"""Indicators derived from the organisation tree (see `congdoan.indicators.derived`).

They live here, not in the organisation app: organisation is a floor below indicators and knows
nothing of it.

A grassroots union counts once, at itself; its ancestors count it through the units below them
on the period's last day. The three figures come from one read: per unit (`_load`), or over each
unit's subtree (`_subtree`, one query grouped by path for a unit and the units directly below
it, instead of a list of every unit of a province's subtree).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from congdoan.core.scoping import path_range_q
from congdoan.indicators.derived import register_shared
from congdoan.organisation.models import Unit, UnitVersion
from congdoan.organisation.selectors import subtree_sums

Counts = tuple[int, int, int]  # founded in the period, of them in non-state enterprises, at end


def _counted(period: Any, prefix: str = "") -> dict[str, Count]:
    """The three counts over grassroots unions (`prefix`: the path to the unit's fields)."""
    founded = Q(
        **{f"{prefix}founded_on__gte": period.start, f"{prefix}founded_on__lte": period.end}
    )
    non_state = Q(
        **{f"{prefix}ownership__is_enterprise": True, f"{prefix}ownership__is_state": False}
    )
    standing = Q(**{f"{prefix}founded_on__lte": period.end}) & (
        Q(**{f"{prefix}dissolved_on__isnull": True})
        | Q(**{f"{prefix}dissolved_on__gt": period.end})
    )
    return {
        "new": Count("pk", filter=founded),
        "new_non_state": Count("pk", filter=founded & non_state),
        "at_end": Count("pk", filter=standing),
    }


def _load(unit_ids: Sequence[int], period: Any) -> dict[int, Counts]:
    """Each unit's own counts: 1 or 0 each."""
    rows = (
        Unit.objects.filter(pk__any=list(unit_ids), unit_type__is_grassroots=True)
        .values("pk")
        .annotate(**_counted(period))
        .values_list("pk", "new", "new_non_state", "at_end")
    )
    return {pk: (new, non_state, at_end) for pk, new, non_state, at_end in rows}


def _subtree(unit_ids: Sequence[int], period: Any) -> dict[int, Counts]:
    """Each unit's counts over its subtree on the period's last day."""
    day = period.end

    def read(path: str) -> dict[str, Counts]:
        rows = (
            UnitVersion.objects.on(day)
            .filter(path_range_q("path", path), unit__unit_type__is_grassroots=True)
            .annotate(prefix=Substr("path", 1, len(path) + Unit.steplen))
            .values("prefix")
            .annotate(**_counted(period, "unit__"))
            .values_list("prefix", "new", "new_non_state", "at_end")
        )
        return {prefix: (new, non_state, at_end) for prefix, new, non_state, at_end in rows}

    return subtree_sums(unit_ids, day, read, (0, 0, 0))


def _pick(position: int) -> Callable[[dict[int, Counts]], dict[int, Decimal]]:
    def pick(counts: dict[int, Counts]) -> dict[int, Decimal]:
        return {u: Decimal(c[position]) for u, c in counts.items()}

    return pick


register_shared(
    _load,
    {
        "new_grassroots": (_("Grassroots unions founded in the period"), _pick(0)),
        "new_grassroots_non_state": (
            _("Grassroots unions founded in non-state enterprises"),
            _pick(1),
        ),
        "grassroots_end": (_("Grassroots unions at the end of the period"), _pick(2)),
    },
    subtree=_subtree,
)
