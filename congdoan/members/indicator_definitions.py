"""Indicators derived from the member registry (see `congdoan.indicators.derived`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from congdoan.indicators.derived import register
from congdoan.members import counts


def _figures(unit_ids: Sequence[int], period: Any) -> dict[int, counts.Figures]:
    return counts.unit_figures(unit_ids, counts.Period(period.start, period.end))


def _field(name: str) -> Callable[[Sequence[int], Any], dict[int, Decimal]]:
    def compute(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
        return {u: Decimal(getattr(f, name)) for u, f in _figures(unit_ids, period).items()}

    return compute


register("members_end", _("Members at the end of the period"))(_field("members"))
register("women_end", _("Women members at the end of the period"))(_field("women"))
register("admissions", _("Members admitted in the period"))(_field("admissions"))
register("exits", _("Members who left in the period"))(_field("exits"))
register("party_referrals", _("Members referred to the Party in the period"))(
    _field("party_referrals")
)
register("party_admissions", _("Members admitted to the Party in the period"))(
    _field("party_admissions")
)
