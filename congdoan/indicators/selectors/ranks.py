"""Achievement and ranks: "N/M chỉ tiêu đạt và vượt", and units ranked by a figure, an
achievement or the number of targets reached."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from congdoan.indicators import wording
from congdoan.indicators.models import Better, Indicator, Period
from congdoan.indicators.selectors.catalogue import indicators_in
from congdoan.indicators.selectors.figures import Figures, figures


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
