"""Indicators derived from the member registry (see `congdoan.indicators.derived`).

All of them come from one read of the per-unit member figures (`members.counts.unit_figures`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from congdoan.indicators.derived import register_shared
from congdoan.members import counts


def _load(unit_ids: Sequence[int], period: Any) -> dict[int, counts.Figures]:
    return counts.unit_figures(unit_ids, counts.Period(period.start, period.end))


def _field(name: str) -> Callable[[dict[int, counts.Figures]], dict[int, Decimal]]:
    def pick(figures: dict[int, counts.Figures]) -> dict[int, Decimal]:
        return {u: Decimal(getattr(f, name)) for u, f in figures.items()}

    return pick


register_shared(
    _load,
    {
        "members_end": (_("Members at the end of the period"), _field("members")),
        "women_end": (_("Women members at the end of the period"), _field("women")),
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
)
