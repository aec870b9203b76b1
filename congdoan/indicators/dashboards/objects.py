"""The dashboard's plain data objects and their formatting in the active language (no queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from congdoan.indicators import selectors, wording
from congdoan.indicators.models import (
    Better,
    Indicator,
    SheetStatus,
    ValueType,
)

MEMBER_DERIVATIONS = ("members_end", "women_end")
MAX_UNTARGETED = 8  # key figures shown without targets
PAGE_ROWS = 50  # units of the table of units below per page, one a row
PAGE_COLUMNS = 20  # … when the units are its columns (`UNITS_ACROSS`)
UNITS_DOWN, UNITS_ACROSS = "units", "indicators"  # `?rows=`: what the table's rows are
TREND_YEARS = 5
ACHIEVEMENT = "achievement"
MILLION = Decimal(1_000_000)


# ---------------------------------------------------------------------------------------------
# Formatting (the active language's number formats and wording: `wording`)


def format_value(value: Decimal | None, value_type: str) -> str:
    """A figure as reports write it: "1.234", "12,5", "25%", "3,8 tỷ đồng"."""
    if value is None:
        return ""
    value = Decimal(value)
    if value_type == ValueType.MONEY:
        return wording.money(value)
    if value_type == ValueType.PERCENT:
        return wording.percent(value, 0 if value == value.to_integral_value() else 1)
    return wording.amount(value, 2)


def table_value(value: Decimal | None, value_type: str) -> str:
    """A figure in a table cell: as `format_value`, but money in millions of đồng."""
    if value is not None and value_type == ValueType.MONEY:
        return wording.amount(Decimal(value) / MILLION, 1)
    return format_value(value, value_type)


def format_change(value: Decimal | None, value_type: str) -> str:
    """A signed change: "+12", "−3", "+1,2 tỷ đồng", "+2,5 points" (of a percentage)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    size = abs(Decimal(value))
    if value_type == ValueType.PERCENT:
        return _("%(sign)s%(value)s points") % {"sign": sign, "value": wording.amount(size, 1)}
    return f"{sign}{format_value(size, value_type)}"


def sheet_status_label(status: str) -> str:
    if not status:
        return _("no figures")
    return str(SheetStatus(status).label)


# ---------------------------------------------------------------------------------------------
# Data objects


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    short_name: str
    unit_of_measure: str
    value_type: str
    lower_is_better: bool

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def column_label(self) -> str:
        """The header of a table column: money columns are in millions of đồng."""
        if self.value_type == ValueType.MONEY:
            return _("%(name)s (million dong)") % {"name": self.label}
        return self.label

    @property
    def unit_label(self) -> str:
        """The unit of measure in the active language ("người" → "people" in English)."""
        return wording.unit_of_measure(self.unit_of_measure)

    @property
    def shows_unit(self) -> bool:
        """Whether the unit of measure is written after a value (not for đồng and %)."""
        return self.value_type not in (ValueType.MONEY, ValueType.PERCENT)

    @classmethod
    def of(cls, ind: Indicator) -> IndicatorInfo:
        return cls(
            ind.code,
            ind.name,
            ind.short_name,
            ind.unit_of_measure,
            ind.value_type,
            ind.better == Better.LOWER,
        )


@dataclass
class Cell:
    """One indicator's figure of one unit (a card, a table cell)."""

    indicator: IndicatorInfo
    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None
    status: str | None  # wording.BELOW / REACHED / EXCEEDED, None without a target
    approved: bool
    units: int = 0
    approved_units: int = 0

    @classmethod
    def of(cls, info: IndicatorInfo, fig: selectors.Figure | None) -> Cell:
        if fig is None:
            return cls(info, None, None, None, None, False)
        return cls(
            info,
            fig.value,
            fig.target,
            fig.percent,
            fig.status,
            fig.is_approved,
            fig.units,
            fig.approved_units,
        )

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.indicator.value_type)

    @property
    def target_text(self) -> str:
        return format_value(self.target, self.indicator.value_type)

    @property
    def table_text(self) -> str:
        """The value in a table cell: money in millions of đồng ("135,5"; the column says
        so), as short as the other columns."""
        return table_value(self.value, self.indicator.value_type)

    @property
    def target_table_text(self) -> str:
        return table_value(self.target, self.indicator.value_type)

    @property
    def percent_text(self) -> str:
        return wording.percent(self.percent)

    @property
    def status_label(self) -> str:
        return wording.status_label(self.status)

    @property
    def approval_text(self) -> str:
        if self.value is None:
            return ""
        if self.approved:
            return _("approved")
        return _("includes figures not yet approved (%(approved)s of %(units)s units approved)") % {
            "approved": self.approved_units,
            "units": self.units,
        }


@dataclass
class KeyFigure(Cell):
    """A key indicator of the dashboard's unit, with the same period a year earlier and ranks."""

    previous: Decimal | None = None
    sibling_rank: str = ""  # "thứ 2/5" among the units under the same parent

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous or self.indicator.value_type == "percent":
            return None
        return self.change * 100 / self.previous

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.indicator.value_type)

    @property
    def change_text(self) -> str:
        text = format_change(self.change, self.indicator.value_type)
        if self.change_percent is not None and self.change:
            text += f" ({format_change(self.change_percent, 'decimal')}%)"
        return text


@dataclass
class Column:
    """A sortable column of the children table."""

    key: str  # "name", "status", "achievement", an indicator code or "pct:<code>"
    label: str
    sort: str  # the current sort of the table
    numeric: bool = True

    @property
    def active(self) -> bool:
        return self.sort.lstrip("-") == self.key

    @property
    def descending(self) -> bool:
        return self.active and self.sort.startswith("-")

    @property
    def next_sort(self) -> str:
        """Clicking the header: figures sort from the highest first, names from A."""
        if self.numeric:
            return self.key if self.sort == f"-{self.key}" else f"-{self.key}"
        return f"-{self.key}" if self.sort == self.key else self.key


STATUS_BADGES = {
    wording.EXCEEDED: "text-bg-primary",
    wording.REACHED: "text-bg-success",
    wording.BELOW: "text-bg-danger",
}


@dataclass(frozen=True)
class Entry:
    """What one cell of a wide table shows, whichever way the table is turned."""

    text: str = ""
    note: str = ""  # a second line ("/ 20": the target)
    badge: str = ""  # the Bootstrap class of a badge around the text
    pending: str = ""  # why the figure is not approved yet (an hourglass with this title)
    late: bool = False
    numeric: bool = True


def value_entry(cell: Cell) -> Entry:
    return Entry(
        cell.table_text,
        f"/ {cell.target_table_text}" if cell.target is not None else "",
        pending=cell.approval_text if cell.value is not None and not cell.approved else "",
    )


def percent_entry(cell: Cell) -> Entry:
    if cell.percent is None:
        return Entry()
    return Entry(cell.percent_text, badge=STATUS_BADGES.get(cell.status or "", ""))


@dataclass
class ChildRow:
    unit_id: int
    name: str
    code: str
    cells: list[Cell]
    achievement: selectors.Achievement
    sheet_status: str
    late: bool

    @property
    def sheet_status_label(self) -> str:
        return sheet_status_label(self.sheet_status)

    @property
    def achievement_text(self) -> str:
        a = self.achievement
        return f"{a.reached}/{a.total}" if a.total else ""


@dataclass
class ChildrenTable:
    unit_id: int
    period_id: int
    sort: str
    key: list[IndicatorInfo]
    with_target: set[str]  # codes having a target for some child
    rows: list[ChildRow]  # the rows of this page
    late: int = 0  # units late, over every page
    count: int = 0  # units, over every page
    page: int = 1
    pages: int = 1
    per_page: int = PAGE_ROWS

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.rows) - 1 if self.rows else 0

    @property
    def page_links(self) -> list[int | None]:
        """Pages to link: the first, the last and those around this one (None: a gap)."""
        keep = {1, self.pages, *range(self.page - 2, self.page + 3)}
        out: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in keep:
                out.append(n)
            elif out and out[-1] is not None:
                out.append(None)
        return out

    @property
    def columns(self) -> list[Column]:
        cols = [Column("name", _("Unit"), self.sort, numeric=False)]
        for info in self.key:
            cols.append(Column(info.code, info.column_label, self.sort))
            if info.code in self.with_target:
                cols.append(Column(f"pct:{info.code}", _("% of target"), self.sort))
        if self.with_target:
            cols.append(Column(ACHIEVEMENT, _("Targets reached"), self.sort))
        cols.append(Column("status", _("Sheet"), self.sort, numeric=False))
        return cols

    def entries(self, row: ChildRow) -> list[Entry]:
        """The cells of a row, in the order of `columns` after the unit's name."""
        out = []
        for cell in row.cells:
            out.append(value_entry(cell))
            if cell.indicator.code in self.with_target:
                out.append(percent_entry(cell))
        if self.with_target:
            out.append(Entry(row.achievement_text))
        out.append(Entry(row.sheet_status_label, late=row.late, numeric=False))
        return out

    @property
    def grid(self) -> list[tuple[ChildRow, list[Entry]]]:
        """One line per unit (the units down the side)."""
        return [(row, self.entries(row)) for row in self.rows]

    @property
    def transposed(self) -> list[tuple[Column, list[Entry]]]:
        """One line per column of `grid` after the name (the units across the top)."""
        by_row = [self.entries(row) for row in self.rows]
        return [(col, [entries[i] for entries in by_row]) for i, col in enumerate(self.columns[1:])]


@dataclass
class RankLine:
    """ "thứ 3/15" among the units under the same parent or in a cluster, by one criterion."""

    among: str  # "siblings" or "cluster:<id>"
    label: str
    by: str
    by_label: str
    rank: int | None
    of: int

    @property
    def text(self) -> str:
        return wording.rank(self.rank, self.of) if self.rank else _("not ranked (no figure)")


@dataclass
class RankRow:
    unit_id: int
    name: str
    code: str
    rank: int | None
    of: int
    value: Decimal | None  # the figure ranked by
    cells: list[Cell]
    achievement: selectors.Achievement
    is_head: bool = False
    is_self: bool = False

    @property
    def rank_text(self) -> str:
        return wording.rank(self.rank, self.of) if self.rank else ""

    @property
    def achievement_text(self) -> str:
        a = self.achievement
        return f"{a.reached}/{a.total}" if a.total else ""


@dataclass
class RankingTable:
    """Units ranked by one criterion: the visible ones listed, the others only counted."""

    unit_id: int
    period_id: int
    among: str
    label: str
    by: str
    by_label: str
    key: list[IndicatorInfo]
    rows: list[RankRow]
    hidden: int  # peers outside the user's scope (ranked, not listed)
    total: list[Cell] = field(default_factory=list)  # cluster totals, when every member is seen

    @property
    def own(self) -> RankRow | None:
        return next((r for r in self.rows if r.is_self), None)

    @property
    def line(self) -> RankLine:
        own = self.own
        of = own.of if own else len(self.rows) + self.hidden
        return RankLine(
            self.among, self.label, self.by, self.by_label, own.rank if own else None, of
        )


@dataclass
class TrendPoint:
    period_id: int
    label: str
    value: Decimal | None
    target: Decimal | None
    value_type: str = ValueType.COUNT

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.value_type)

    @property
    def table_text(self) -> str:
        return table_value(self.value, self.value_type)


@dataclass
class TrendSeries:
    indicator: IndicatorInfo
    title: str
    points: list[TrendPoint]


@dataclass
class ChildrenBars:
    indicator: IndicatorInfo
    title: str
    bars: list[tuple[str, Decimal | None, Decimal | None]]  # (unit name, value, target)


@dataclass
class Dashboard:
    user_id: int | None
    unit_id: int
    unit_name: str
    unit_code: str
    period_id: int
    period_name: str
    period_start: dt.date
    period_end: dt.date
    previous_name: str
    key: list[KeyFigure]
    achievement: selectors.Achievement
    children: ChildrenTable
    ranks: list[RankLine]
    clusters: list[RankingTable]
    rank_by: str
    trends: list[TrendSeries]

    @property
    def achievement_text(self) -> str:
        return self.achievement.text if self.achievement.total else ""

    @property
    def all_approved(self) -> bool:
        return all(k.approved for k in self.key if k.value is not None)


def default_rank_by(key: Sequence[Cell]) -> str:
    """Rank by targets reached when the unit has targets, else by its first key figure."""
    if any(k.target is not None for k in key):
        return ACHIEVEMENT
    first = next((k for k in key if k.value is not None), None)
    return first.indicator.code if first else (key[0].indicator.code if key else ACHIEVEMENT)


def by_label(by: str, infos: dict[str, IndicatorInfo]) -> str:
    if by == ACHIEVEMENT:
        return _("targets reached")
    if by.startswith("pct:"):
        info = infos.get(by[4:])
        return _("%% of target: %(name)s") % {"name": info.label if info else by[4:]}
    info = infos.get(by)
    return info.label if info else by
