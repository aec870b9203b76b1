"""Dashboards and rankings: a selector building plain data objects (no HTTP, no rendering).

`objects.py` holds the data objects and their formatting, `tables.py` the key indicators, the
table of the units below and the rankings, `board.py` the trends and `dashboard` itself.

`dashboard(user, unit, period)` gathers, for a unit the user may see with "indicators.view":

- the key indicators (those with a target for the unit in the period, else the first eight with a
  figure; the member counts from the register always) with value, target, achievement, status, approval
  and the same period a year earlier;
- the achievement sentence ("10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt");
- the units directly below as of the period end (within scope) with their figures, sheet status
  and late flag, sortable by any column;
- the unit's rank among the units under the same parent and in each emulation cluster it belongs
  to that year ("thứ 3/15");
- a trend series per key indicator (the same period over five years, or the months/quarters of a
  year).

Ranks are computed over every peer (a rank means nothing otherwise), but only the peers within the
user's scope are listed with their figures; the others are counted as hidden.

Everything here runs a bounded number of queries whatever the number of units below: figures of
many units come from one `selectors.figures` call.
"""

from congdoan.indicators.dashboards.board import (
    dashboard,
    default_period,
    trend,
    trend_periods,
    trends,
)
from congdoan.indicators.dashboards.objects import (
    ACHIEVEMENT,
    PAGE_COLUMNS,
    PAGE_ROWS,
    UNITS_ACROSS,
    UNITS_DOWN,
    Cell,
    ChildrenBars,
    ChildrenTable,
    ChildRow,
    Dashboard,
    Entry,
    IndicatorInfo,
    KeyFigure,
    RankingTable,
    RankLine,
    TrendPoint,
    TrendSeries,
    by_label,
    format_change,
    format_value,
    table_value,
)
from congdoan.indicators.dashboards.tables import (
    children_bars,
    children_page,
    children_table,
    key_indicators,
    ranking_table,
    unit_clusters,
)

__all__ = [
    "ACHIEVEMENT",
    "PAGE_COLUMNS",
    "PAGE_ROWS",
    "UNITS_ACROSS",
    "UNITS_DOWN",
    "Cell",
    "ChildRow",
    "ChildrenBars",
    "ChildrenTable",
    "Dashboard",
    "Entry",
    "IndicatorInfo",
    "KeyFigure",
    "RankLine",
    "RankingTable",
    "TrendPoint",
    "TrendSeries",
    "by_label",
    "children_bars",
    "children_page",
    "children_table",
    "dashboard",
    "default_period",
    "format_change",
    "format_value",
    "key_indicators",
    "ranking_table",
    "table_value",
    "trend",
    "trend_periods",
    "trends",
    "unit_clusters",
]
