"""A report's `Chart` as a PNG (matplotlib, Agg canvas, no pyplot), for the DOCX and the PDF.

Same look as the dashboards' charts (congdoan/indicators/charts.py: DejaVu Sans, which has the
Vietnamese glyphs, the same blue, ticks in the active language's number format). Money in
đồng is drawn in tỷ / triệu / nghìn đồng. The PNG carries no date, so the same chart gives the
same bytes.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from decimal import Decimal

import matplotlib
from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from congdoan.indicators.charts import BAR, DPI, FONT, TARGET, tick
from congdoan.reports.document import Chart

COLOURS = (BAR, TARGET, "#27ae60", "#f39c12", "#8e44ad", "#7f8c8d")
MONEY_UNITS = ("đồng", "dong", "VND", "VNĐ")


def _scale(chart: Chart) -> tuple[Decimal, str]:
    if chart.unit not in MONEY_UNITS:
        return Decimal(1), chart.unit
    known = [abs(v) for _name, values in chart.series for v in values if v is not None]
    top = max(known, default=Decimal(0))
    for scale, words in (
        (Decimal(10) ** 9, _("billion dong")),
        (Decimal(10) ** 6, _("million dong")),
        (Decimal(10) ** 3, _("thousand dong")),
    ):
        if top >= scale:
            return scale, words
    return Decimal(1), chart.unit


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _bars(ax: Axes, chart: Chart, scale: Decimal) -> None:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    xs = range(len(chart.categories))
    for i, (name, values) in enumerate(chart.series):
        offset = (i - (count - 1) / 2) * width
        heights = [float(v / scale) if v is not None else 0.0 for v in values]
        bars = ax.bar(
            [x + offset for x in xs], heights, width, label=name, color=COLOURS[i % len(COLOURS)]
        )
        if len(chart.categories) * count <= 24:
            labels = [
                tick(h) if v is not None else "" for h, v in zip(heights, values, strict=False)
            ]
            ax.bar_label(bars, labels=labels, fontsize=7, padding=2)


_DRAWN: OrderedDict[str, bytes] = OrderedDict()  # the last charts drawn, by their data
_KEEP = 16


def chart_png(chart: Chart) -> bytes:
    """Grouped vertical bars: one group per category, one bar per series.

    A generation draws each chart for the DOCX and again for the PDF: the picture of the same
    data (and language) is drawn once and reused."""
    key = f"{translation.get_language()}|{chart!r}"
    if key in _DRAWN:
        _DRAWN.move_to_end(key)
        return _DRAWN[key]
    png = _draw(chart)
    _DRAWN[key] = png
    while len(_DRAWN) > _KEEP:
        _DRAWN.popitem(last=False)
    return png


def _draw(chart: Chart) -> bytes:
    with matplotlib.rc_context({"font.family": FONT["family"], "font.size": FONT["size"]}):
        many = len(chart.categories) > 6
        fig = Figure(figsize=(6.4, 3.8 if many else 3.2), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(chart.title, loc="left", fontsize=10)
        scale, unit = _scale(chart)
        _bars(ax, chart, scale)
        ax.set_xticks(
            list(range(len(chart.categories))),
            [_short(c) for c in chart.categories],
            rotation=35 if many else 0,
            ha="right" if many else "center",
        )
        ax.yaxis.set_major_formatter(FuncFormatter(tick))
        if unit:
            ax.set_ylabel(unit)
        if len(chart.series) > 1:
            ax.legend(loc="upper left", fontsize=8, frameon=False)
        ax.margins(y=0.15)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
