"""The programme page: each phase and the whole programme against their targets for one unit
("2.392/2.300, đạt 104% chỉ tiêu cả chương trình (02 giai đoạn)"), the unit's rank in each phase
among the units under the same parent ("xếp thứ 1/15"), and the units below it that the reader
may see, phase by phase. Everything comes from the indicator engine (`figures`, `ranking`,
`rank`): targets are the indicator targets of the phases (or of the programme itself)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_prefixes
from congdoan.indicators import selectors as engine
from congdoan.indicators import wording
from congdoan.indicators.models import Indicator, Period
from congdoan.initiatives.models import Programme
from congdoan.initiatives.selectors.records import programme_phases
from congdoan.organisation.models import Unit

VIEW = Action.INDICATORS_VIEW


@dataclass
class Cell:
    value: Decimal | None
    target: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        return wording.achievement(self.value, self.target)

    @property
    def fraction(self) -> str:
        return wording.fraction(self.value, self.target)

    @property
    def percent_text(self) -> str:
        return wording.percent(self.percent)

    @property
    def status(self) -> str:
        return wording.status_label(wording.status(self.value, self.target))


@dataclass
class Line:
    """One period (a phase, or the whole programme) for the subject."""

    period: Period
    cells: dict[str, Cell]
    rank: engine.Ranked | None = None
    is_whole: bool = False
    ordered: list[Cell] = field(default_factory=list)  # the cells in the board's order


@dataclass
class Row:
    """A unit below the subject: its main figure in each phase, and its rank there."""

    unit_id: int
    name: str
    cells: list[Cell]
    ranks: list[str]

    @property
    def columns(self) -> list[tuple[Cell, str]]:
        return list(zip(self.cells, self.ranks, strict=True))


@dataclass
class Board:
    programme: Programme
    subject: Unit
    indicators: list[Indicator]
    main: Indicator | None
    lines: list[Line]
    rows: list[Row] = field(default_factory=list)
    hidden: int = 0  # units below outside the reader's scope

    @property
    def phases(self) -> list[Line]:
        return [line for line in self.lines if not line.is_whole]

    @property
    def whole(self) -> Line | None:
        return next((line for line in self.lines if line.is_whole), None)


def default_subject(programme: Programme, user: Any) -> Unit:
    """The organiser if the user sees it, else the user's topmost unit below it."""
    if path_in_scope(user, VIEW, programme.unit.path):
        return programme.unit
    prefixes = scope_prefixes(user, VIEW) or []
    under = sorted(p for p in prefixes if p.startswith(programme.unit.path))
    found = Unit.objects.filter(path__in=under[:1]).first()
    return found or programme.unit


def subject_for(programme: Programme, user: Any, pk: int | None) -> Unit:
    """The unit the page is about: `pk` if the user sees it within the programme, else the
    default."""
    if pk is not None:
        unit = Unit.objects.visible_to(user, VIEW).filter(pk=pk).first()
        if unit is not None and unit.path.startswith(programme.unit.path):
            return unit
    return default_subject(programme, user)


def _cells(figs: engine.Figures, inds: list[Indicator]) -> dict[str, Cell]:
    return {i.code: Cell(figs[i.code].value, figs[i.code].target) for i in inds if i.code in figs}


def _rank(subject: Unit, phase: Period, main: Indicator, cell: Cell) -> engine.Ranked | None:
    peers = [u for u, _name in engine.siblings_on(subject.pk, phase.end)]
    if len(peers) < 2:
        return None
    by = f"pct:{main.code}" if cell.target else main.code
    return engine.ranking(peers, phase, by, [main]).get(subject.pk)


def _whole(programme: Programme, subject: Unit, inds: list[Indicator], phases: list[Line]) -> Line:
    """The programme over all its phases; without a target of its own, the sum of the phases'
    targets (when every phase has one)."""
    figs = engine.figures([subject.pk], programme.period, inds)[subject.pk]
    cells = _cells(figs, inds)
    for code, cell in cells.items():
        targets = [line.cells[code].target for line in phases if code in line.cells]
        if cell.target is None and targets and all(t is not None for t in targets):
            cell.target = sum((t for t in targets if t is not None), Decimal(0))
    return Line(programme.period, cells, is_whole=True)


def _below(
    subject: Unit, phases: list[Period], main: Indicator, user: Any, day: Any
) -> tuple[list[Row], int]:
    every = engine.children_on(subject.pk, day)
    seen = engine.children_on(subject.pk, day, user)
    ids = [u for u, _n, _c in seen]
    rows = [Row(u, name, [], []) for u, name, _c in seen]
    for phase in phases:
        figs = engine.figures(ids, phase, [main])
        cells = {u: Cell(figs[u][main.code].value, figs[u][main.code].target) for u in ids}
        targeted = any(c.target for c in cells.values())
        keys = {u: (c.percent if targeted else c.value) for u, c in cells.items()}
        ranks = engine.rank(keys)
        for row in rows:
            row.cells.append(cells[row.unit_id])
            row.ranks.append(ranks[row.unit_id].text)
    return rows, len(every) - len(seen)


def programme_lines(
    programme: Programme, subject: Unit
) -> tuple[list[Indicator], Indicator | None, list[Line]]:
    """The indicators the programme counts (the first is the main one), and the subject's line
    for each phase (with its rank) and for the whole programme (last)."""
    inds = list(programme.indicators.select_related("group").order_by("group__order", "order"))
    main = inds[0] if inds else None
    lines = []
    for phase in programme_phases(programme):
        figs = engine.figures([subject.pk], phase, inds)[subject.pk]
        cells = _cells(figs, inds)
        rank = _rank(subject, phase, main, cells[main.code]) if main else None
        lines.append(Line(phase, cells, rank))
    lines.append(_whole(programme, subject, inds, lines))
    for line in lines:
        line.ordered = [line.cells.get(i.code) or Cell(None, None) for i in inds]
    return inds, main, lines


def programme_board(programme: Programme, subject: Unit, user: Any) -> Board:
    """The programme page's figures for `subject` (see the module's docstring)."""
    inds, main, lines = programme_lines(programme, subject)
    board = Board(programme, subject, inds, main, lines)
    phases = [line.period for line in board.phases]
    if main is not None and phases:
        day = min(programme.period.end, timezone.localdate())
        board.rows, board.hidden = _below(subject, phases, main, user, day)
    return board
