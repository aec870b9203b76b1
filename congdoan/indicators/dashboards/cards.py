"""Cards other apps add to the dashboard (the activity registers: care, initiatives,
inspections…), the way they add derived indicators and report sections.

An app gives a *provider*, called when a dashboard is drawn, that lists its cards:

    cards.register_provider(lambda: [
        CardSpec(key="care", title=_("Care for members"), codes=("suat_qua", "tien_qua"),
                 link=lambda unit_id, period: "/care/?unit=…&period=…"),
    ])

Each card shows the unit's figures of its indicators for the period (one `selectors.figures`
call for every card), and how much of each comes from the records of units keeping the
register. A card whose figures are all empty is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from congdoan.indicators import selectors
from congdoan.indicators.dashboards.objects import Cell, IndicatorInfo, format_value
from congdoan.indicators.models import Period
from congdoan.organisation.models import Unit


@dataclass(frozen=True)
class CardSpec:
    key: str
    title: str | Promise
    codes: tuple[str, ...]
    order: int = 100
    link: Callable[[int, Any], str] | None = None


@dataclass
class CardLine:
    cell: Cell
    from_records: Decimal | None = None

    @property
    def from_records_text(self) -> str:
        if self.from_records is None:
            return ""
        return format_value(self.from_records, self.cell.indicator.value_type)


@dataclass
class Card:
    key: str
    title: str
    link: str
    lines: list[CardLine] = field(default_factory=list)


_PROVIDERS: list[Callable[[], list[CardSpec]]] = []


def register_provider(provider: Callable[[], list[CardSpec]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def specs() -> list[CardSpec]:
    found = [spec for provider in _PROVIDERS for spec in provider()]
    return sorted(found, key=lambda s: (s.order, s.key))


def cards(unit: Unit, period: Period) -> list[Card]:
    """The unit's cards for the period (figures over its subtree on the period's end)."""
    wanted = specs()
    codes = list(dict.fromkeys(c for s in wanted for c in s.codes))
    if not codes:
        return []
    inds = selectors.indicators_in(period, codes)
    figs = selectors.unit_figures(unit.pk, period, inds) if inds else {}
    infos = {i.code: IndicatorInfo.of(i) for i in inds}
    out = []
    for spec in wanted:
        lines = [
            CardLine(Cell.of(infos[c], figs.get(c)), figs[c].from_records)
            for c in spec.codes
            if c in figs and figs[c].value is not None
        ]
        if lines:
            link = spec.link(unit.pk, period) if spec.link else ""
            out.append(Card(spec.key, str(spec.title), link, lines))
    return out
