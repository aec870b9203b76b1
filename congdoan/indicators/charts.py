"""Charts of dashboards as PNG: pure renderers of `dashboards` data objects (no database).

matplotlib's object-oriented API on the Agg canvas (no pyplot, no global state, safe in threads),
DejaVu Sans (shipped with matplotlib; it has the Vietnamese glyphs), the active language's number
formats and words on the axes and labels ("1.234", "12,5", "tỷ đồng", "104%"; in English
"1,234", "12.5", "billion dong").
"""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from congdoan.core.formats import number
from congdoan.indicators import wording
from congdoan.indicators.dashboards import (
    ChildrenBars,
    IndicatorInfo,
    TrendSeries,
    format_value,
)
from congdoan.indicators.models import ValueType

FONT = {"family": "DejaVu Sans", "size": 9}
BAR = "#2f6fb0"
TARGET = "#c0392b"
DPI = 100


def _scales() -> tuple[tuple[Decimal, str], ...]:
    return (
        (Decimal(10) ** 9, _("billion dong")),
        (Decimal(10) ** 6, _("million dong")),
        (Decimal(10) ** 3, _("thousand dong")),
    )


def _scale(info: IndicatorInfo, values: list[Decimal]) -> tuple[Decimal, str]:
    """Money is drawn in tỷ / triệu / nghìn đồng; other figures as they are."""
    unit = "%" if info.value_type == ValueType.PERCENT else info.unit_label
    if info.value_type != ValueType.MONEY:
        return Decimal(1), unit
    top = max((abs(v) for v in values), default=Decimal(0))
    for scale, words in _scales():
        if top >= scale:
            return scale, words
    return Decimal(1), wording.unit_of_measure("đồng")


def tick(value: float, _pos: object = None) -> str:
    """An axis tick in the active language's format: 1.500, 2,5 (English 1,500, 2.5)."""
    d = Decimal(str(round(value, 6)))
    decimals = 0 if d == d.to_integral_value() else 1
    return number(d, decimals)


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_xticks([])
    ax.set_yticks([])


def trend_png(series: TrendSeries) -> bytes:
    """Bars of the figure per period, the target as a line of markers where there is one."""
    with matplotlib.rc_context({"font.family": FONT["family"], "font.size": FONT["size"]}):
        fig, ax = _figure(6.4, 3.2)
        info = series.indicator
        values = [p.value for p in series.points]
        targets = [p.target for p in series.points]
        known = [v for v in values + targets if v is not None]
        scale, unit = _scale(info, known)
        ax.set_title(series.title, loc="left", fontsize=10)
        if not any(v is not None for v in values):
            _empty(ax, _("No figures for these periods."))
            return _png(fig)
        xs = list(range(len(series.points)))
        heights = [float(v / scale) if v is not None else 0.0 for v in values]
        bars = ax.bar(xs, heights, color=BAR, width=0.6, label=_("Achieved"))
        for bar, v in zip(bars, values, strict=True):
            if v is not None:
                ax.annotate(
                    format_value(v, info.value_type) if scale == 1 else tick(float(v / scale)),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        if any(t is not None for t in targets):
            tx = [x for x, t in zip(xs, targets, strict=True) if t is not None]
            ty = [float(t / scale) for t in targets if t is not None]
            ax.plot(
                tx,
                ty,
                marker="_",
                markersize=18,
                linestyle="none",
                color=TARGET,
                markeredgewidth=2,
                label=pgettext("indicator", "Target"),
            )
            ax.legend(loc="upper left", fontsize=8, frameon=False)
        ax.set_xticks(
            xs,
            [p.label for p in series.points],
            rotation=30 if len(xs) > 5 else 0,
            ha="right" if len(xs) > 5 else "center",
        )
        ax.yaxis.set_major_formatter(FuncFormatter(tick))
        ax.set_ylabel(unit)
        ax.margins(y=0.15)
        return _png(fig)


def children_png(chart: ChildrenBars) -> bytes:
    """One horizontal bar per unit below, its target marked, its achievement written."""
    with matplotlib.rc_context({"font.family": FONT["family"], "font.size": FONT["size"]}):
        rows = chart.bars
        fig, ax = _figure(6.4, max(2.0, 0.8 + 0.32 * len(rows)))
        info = chart.indicator
        known = [v for _n, v, t in rows for v in (v, t) if v is not None]
        scale, unit = _scale(info, known)
        ax.set_title(chart.title, loc="left", fontsize=10)
        if not rows or not any(v is not None for _n, v, _t in rows):
            _empty(ax, _("No figures for the units below."))
            return _png(fig)
        ys = list(range(len(rows)))[::-1]  # the first row on top
        widths = [float(v / scale) if v is not None else 0.0 for _n, v, _t in rows]
        ax.barh(ys, widths, color=BAR, height=0.6, label=_("Achieved"))
        has_target = False
        for y, (_n, v, t) in zip(ys, rows, strict=True):
            if t is not None:
                has_target = True
                ax.plot(
                    [float(t / scale)],
                    [y],
                    marker="|",
                    markersize=14,
                    color=TARGET,
                    markeredgewidth=2,
                    linestyle="none",
                )
            if v is not None:
                text = format_value(v, info.value_type) if scale == 1 else tick(float(v / scale))
                pct = wording.achievement(v, t)
                if pct is not None:
                    text += f" ({wording.percent(pct)})"
                ax.annotate(
                    text,
                    (float(v / scale), y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
        if has_target:
            ax.plot(
                [],
                [],
                marker="|",
                color=TARGET,
                linestyle="none",
                label=pgettext("indicator", "Target"),
            )
            ax.legend(loc="lower right", fontsize=8, frameon=False)
        ax.set_yticks(ys, [_short(n) for n, _v, _t in rows])
        ax.xaxis.set_major_formatter(FuncFormatter(tick))
        ax.set_xlabel(unit)
        ax.margins(x=0.2)
        return _png(fig)


def _short(name: str, limit: int = 40) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
