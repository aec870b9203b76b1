"""Points of the automatic criteria, computed from the indicator engine's figures of the unit
(over its subtree, as the engine gives them) for the year's period:

- "share of targets met" (`AutoSource.TARGETS_MET`): the indicators with a target that the unit
  reached or exceeded, out of all its indicators with a target (`indicators.selectors.
  achievement`); points = maximum × reached ÷ total;
- "members admitted against the target" (`AutoSource.ADMISSIONS`): new members admitted
  (`phat_trien_dv`, or the member registry's count `ket_nap_so` when none was entered) against
  the target of `phat_trien_dv`; points = maximum × admitted ÷ target, capped at the maximum.

Points are rounded half up to 2 decimals. No year period, no target, or no figure: no proposal,
and the officer scores the criterion by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from congdoan.core.formats import number
from congdoan.emulation.models import AutoSource, Criterion
from congdoan.indicators import selectors as indicator_selectors
from congdoan.indicators.models import Period, PeriodKind
from congdoan.organisation.models import Unit

ADMITTED = "phat_trien_dv"  # entered: new members admitted (the code targets are given on)
ADMITTED_REGISTER = "ket_nap_so"  # derived from the member registry
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Proposal:
    points: Decimal
    source: str  # the figure the points come from, in words


def scaled(maximum: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """maximum × part ÷ whole, capped at the maximum, rounded half up to 2 decimals."""
    share = min(Decimal(1), Decimal(part) / Decimal(whole))
    return (Decimal(maximum) * max(share, Decimal(0))).quantize(CENT, rounding=ROUND_HALF_UP)


def proposals(unit: Unit, year: int, criteria: Sequence[Criterion]) -> dict[int, Proposal]:
    """The proposed points of each automatic criterion that has the figures it needs."""
    wanted = [c for c in criteria if c.auto_source]
    if not wanted:
        return {}
    period = indicator_selectors.period_find(kind=PeriodKind.YEAR, year=year)
    if period is None:
        return {}
    out: dict[int, Proposal] = {}
    sources = {c.auto_source for c in wanted}
    targets_met = _targets_met(unit, period) if AutoSource.TARGETS_MET in sources else None
    admitted = _admitted(unit, period) if AutoSource.ADMISSIONS in sources else None
    for criterion in wanted:
        found = targets_met if criterion.auto_source == AutoSource.TARGETS_MET else admitted
        if found is None:
            continue
        part, whole, text = found
        out[criterion.pk] = Proposal(scaled(criterion.max_points, part, whole), text)
    return out


def _targets_met(unit: Unit, period: Period) -> tuple[Decimal, Decimal, str] | None:
    # Only the indicators the unit has a target for count; the others need not be computed.
    targeted = {
        t.indicator_id for t in indicator_selectors.targets_of_unit(unit=unit, period=period)
    }
    inds = [i for i in indicator_selectors.indicators_in(period) if i.pk in targeted]
    if not inds:
        return None
    figs = indicator_selectors.unit_figures(unit.pk, period, inds)
    reached = indicator_selectors.achievement(figs)
    if not reached.total:
        return None
    text = _("%(reached)s of %(total)s targets met") % {
        "reached": reached.reached,
        "total": reached.total,
    }
    return Decimal(reached.reached), Decimal(reached.total), text


def _admitted(unit: Unit, period: Period) -> tuple[Decimal, Decimal, str] | None:
    inds = indicator_selectors.indicators_in(period, [ADMITTED, ADMITTED_REGISTER])
    figs = indicator_selectors.unit_figures(unit.pk, period, inds)
    entered, counted = figs.get(ADMITTED), figs.get(ADMITTED_REGISTER)
    target = entered.target if entered is not None else None
    if target is None or target <= 0:
        return None
    value = entered.value if entered is not None else None
    if value is None and counted is not None:
        value = counted.value
    if value is None:
        return None
    text = _("%(admitted)s members admitted against a target of %(target)s") % {
        "admitted": number(value),
        "target": number(target),
    }
    return Decimal(value), Decimal(target), text
