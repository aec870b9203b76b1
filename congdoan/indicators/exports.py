"""Exports of the dashboard (Excel and PDF) and of a ranking (Excel): pure renderers of the
`dashboards` data objects, in the active language, like the pages they come from.

The views (`views/dashboard.py`) build the data exactly as the pages do, through the same door
(the unit within the user's "indicators.view" scope, 404 otherwise), so a file holds what its
page shows and nothing more: the units below within the user's scope (all of them, not a page),
ranks computed over every peer but only the peers within scope listed, cluster totals only when
every member is seen.

- Excel (xlsxwriter): figures as numbers (money in đồng, percentages as 104.5), text with
  `write_string` and `strings_to_formulas=False`, so a unit named "=…" stays text. Sheets: the
  key figures with the achievement sentence and ranks, the units below, the rankings in each
  cluster (dashboard); the ranked units (ranking).
- PDF (WeasyPrint through `core.pdf`: A4 landscape, DejaVu fonts with every Vietnamese glyph,
  page numbers from page 2): the same parts; at most `PDF_MAX_ROWS` units below (WeasyPrint is
  slow on long tables), the rest in the Excel file, which the PDF says.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from congdoan.core.formats import short_date
from congdoan.core.text import fold
from congdoan.indicators.dashboards import (
    ChildrenTable,
    ChildRow,
    Dashboard,
    IndicatorInfo,
    KeyFigure,
    RankingTable,
    RankLine,
)

PDF_MAX_ROWS = 300


# ---------------------------------------------------------------------------------------------
# Words shared by both formats


def title(d: Dashboard) -> str:
    return _("Dashboard: %(unit)s, %(period)s") % {"unit": d.unit_name, "period": d.period_name}


def span(d: Dashboard) -> str:
    return _("From %(start)s to %(end)s") % {
        "start": short_date(d.period_start),
        "end": short_date(d.period_end),
    }


def rank_sentence(line: RankLine) -> str:
    return _("Ranked %(text)s %(label)s by %(by)s") % {
        "text": line.text,
        "label": line.label,
        "by": line.by_label,
    }


def approval_sentence(d: Dashboard) -> str:
    if d.all_approved:
        return _("All figures shown are approved.")
    return _("Some figures include values not yet approved.")


def value_header(info: IndicatorInfo) -> str:
    """A column of figures: its name and unit ("Kết nạp đoàn viên mới (người)", money in
    đồng)."""
    return f"{info.label} ({info.unit_label})" if info.unit_label != "%" else info.label


def filename(kind: str, unit_code: str, period_label: str, ext: str) -> str:
    """ "tong-quan-HA-nam-2024.xlsx": ASCII, safe in a Content-Disposition header."""
    words = re.sub(r"[^a-z0-9]+", "-", fold(f"{kind} {period_label}")).strip("-")
    code = re.sub(r"[^A-Za-z0-9_-]+", "", unit_code)
    return f"{words}-{code}.{ext}" if code else f"{words}.{ext}"


# ---------------------------------------------------------------------------------------------
# Excel


class _Sheet:
    """Rows written one after the other; text always as text, figures as numbers."""

    def __init__(self, book: Any, name: str, formats: dict[str, Any]):
        self.ws = book.add_worksheet(_sheet_name(name))
        self.f = formats
        self.row = 0

    def line(self, text: str, style: str = "") -> None:
        self.ws.write_string(self.row, 0, text, self.f.get(style))
        self.row += 1

    def skip(self) -> None:
        self.row += 1

    def cells(self, values: Sequence[Any], style: str = "") -> None:
        for col, value in enumerate(values):
            self.cell(col, value, style)
        self.row += 1

    def cell(self, col: int, value: Any, style: str = "") -> None:
        if value is None or value == "":
            self.ws.write_blank(self.row, col, None, self.f.get(style))
        elif isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            self.ws.write_number(self.row, col, float(value), self.f.get(style or "number"))
        else:
            self.ws.write_string(self.row, col, str(value), self.f.get(style))

    def widths(self, widths: Sequence[int]) -> None:
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)


def _sheet_name(name: str) -> str:
    """Excel refuses []:*?/\\ and names over 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31]


def _book(out: io.BytesIO) -> tuple[Any, dict[str, Any]]:
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "bold": book.add_format({"bold": True}),
        "head": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2", "border": 1}
        ),
        "number": book.add_format({"num_format": "#,##0.##"}),
        "muted": book.add_format({"italic": True, "font_color": "#555555"}),
    }
    return book, formats


def _percent(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.1")) if value is not None else None


def _key_rows(key: list[KeyFigure], previous_name: str) -> tuple[list[str], list[list[Any]]]:
    head = [
        _("Indicator"),
        _("Unit of measure"),
        _("Value"),
        pgettext("indicator", "Target"),
        _("% of target"),
        _("Status"),
        _("Approval"),
        previous_name or _("A year earlier"),
        _("Rank among the units at the same level"),
    ]
    rows = [
        [
            k.indicator.name,
            k.indicator.unit_label,
            k.value,
            k.target,
            _percent(k.percent),
            k.status_label,
            k.approval_text,
            k.previous,
            k.sibling_rank,
        ]
        for k in key
    ]
    return head, rows


def _children_head(table: ChildrenTable) -> list[str]:
    head = [_("Unit"), _("Code")]
    for info in table.key:
        head.append(value_header(info))
        if info.code in table.with_target:
            head += [pgettext("indicator", "Target"), _("% of target")]
    if table.with_target:
        head.append(_("Targets reached"))
    return [*head, _("Sheet"), _("Late")]


def _children_row(table: ChildrenTable, row: ChildRow) -> list[Any]:
    out: list[Any] = [row.name, row.code]
    for cell in row.cells:
        out.append(cell.value)
        if cell.indicator.code in table.with_target:
            out += [cell.target, _percent(cell.percent)]
    if table.with_target:
        out.append(row.achievement_text)
    return [*out, row.sheet_status_label, _("late") if row.late else ""]


def _ranking_head(table: RankingTable) -> list[str]:
    return [
        _("Rank"),
        _("Unit"),
        _("Code"),
        *(value_header(info) for info in table.key),
        _("Targets reached"),
    ]


def _ranking_rows(table: RankingTable) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [r.rank_text, r.name, r.code, *(c.value for c in r.cells), r.achievement_text]
        for r in table.rows
    ]
    if table.total:
        rows.append(["", _("Total"), "", *(c.value for c in table.total), ""])
    return rows


def _hidden_note(table: RankingTable) -> str:
    if not table.hidden:
        return ""
    return ngettext(
        "%(n)s unit outside your scope is ranked but not listed.",
        "%(n)s units outside your scope are ranked but not listed.",
        table.hidden,
    ) % {"n": table.hidden}


def _write_ranking(sheet: _Sheet, table: RankingTable, heading: str) -> None:
    sheet.line(heading, "bold")
    sheet.line(rank_sentence(table.line))
    sheet.cells(_ranking_head(table), "head")
    for row in _ranking_rows(table):
        sheet.cells(row)
    if table.hidden:
        sheet.line(_hidden_note(table), "muted")


def dashboard_xlsx(d: Dashboard) -> bytes:
    """The dashboard as a workbook: key figures (with the achievement and ranks), the units
    below (every one of them within scope), the rankings in each cluster."""
    out = io.BytesIO()
    book, formats = _book(out)

    summary = _Sheet(book, _("Key figures"), formats)
    summary.line(title(d), "title")
    summary.line(span(d))
    if d.achievement_text:
        summary.line(d.achievement_text + ".")
    for line in d.ranks:
        summary.line(rank_sentence(line))
    summary.line(approval_sentence(d), "muted")
    summary.skip()
    head, rows = _key_rows(d.key, d.previous_name)
    summary.cells(head, "head")
    for row in rows:
        summary.cells(row)
    summary.widths([44, 14, 16, 16, 12, 14, 30, 16, 22])

    table = d.children
    below = _Sheet(book, _("Units below"), formats)
    below.line(title(d), "title")
    below.line(_("Units directly below, as of %(day)s") % {"day": short_date(d.period_end)})
    if table.rows:
        below.cells(_children_head(table), "head")
        for child in table.rows:
            below.cells(_children_row(table, child))
    else:
        below.line(_("No units below within your scope."), "muted")
    below.widths([40, 12, *([16] * (len(_children_head(table)) - 2))])

    if d.clusters:
        ranks = _Sheet(book, _("Rankings"), formats)
        ranks.line(title(d), "title")
        for cluster in d.clusters:
            ranks.skip()
            _write_ranking(ranks, cluster, cluster.label)
        ranks.widths([12, 40, 12, *([16] * len(d.key)), 14])
    book.close()
    return out.getvalue()


def ranking_xlsx(table: RankingTable, *, unit_name: str, period_label: str) -> bytes:
    """A ranking page as a workbook: the ranked units within scope, the others counted."""
    out = io.BytesIO()
    book, formats = _book(out)
    sheet = _Sheet(book, _("Ranking"), formats)
    sheet.line(
        _("Ranking: %(unit)s, %(period)s") % {"unit": unit_name, "period": period_label},
        "title",
    )
    _write_ranking(sheet, table, table.label)
    sheet.widths([12, 40, 12, *([16] * len(table.key)), 14])
    book.close()
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF


@dataclass
class PdfTable:
    head: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned
    wide: int = 0  # the column of names, given the room to keep them on a line or two

    @property
    def classes(self) -> list[str]:
        return [
            "name" if i == self.wide else ("right" if numeric else "")
            for i, numeric in enumerate(self.numeric)
        ]

    @property
    def header(self) -> list[tuple[str, str]]:
        return list(
            zip(
                self.head,
                ["name" if i == self.wide else "" for i in range(len(self.head))],
                strict=False,
            )
        )

    @property
    def lines(self) -> list[list[tuple[str, str]]]:
        return [list(zip(row, self.classes, strict=False)) for row in self.rows]


def _key_pdf(d: Dashboard) -> PdfTable:
    head = [
        _("Indicator"),
        _("Value"),
        pgettext("indicator", "Target"),
        _("% of target"),
        d.previous_name or _("A year earlier"),
        _("Rank among the units at the same level"),
    ]
    rows = []
    for k in d.key:
        unit = f" ({k.indicator.unit_label})" if k.indicator.shows_unit else ""
        rows.append(
            [
                k.indicator.name,
                (k.value_text + unit) if k.value is not None else "",
                k.target_text,
                k.percent_text and f"{k.percent_text} · {k.status_label}",
                k.previous_text,
                k.sibling_rank,
            ]
        )
    return PdfTable(head, rows, [False, True, True, True, True, False])


def _children_pdf(table: ChildrenTable, limit: int) -> PdfTable:
    head = [_("Unit")]
    numeric = [False]
    for info in table.key:
        head.append(info.column_label)
        numeric.append(True)
        if info.code in table.with_target:
            head.append(_("% of target"))
            numeric.append(True)
    if table.with_target:
        head.append(_("Targets reached"))
        numeric.append(True)
    head.append(_("Sheet"))
    numeric.append(False)
    rows = []
    for row in table.rows[:limit]:
        line = [f"{row.name} ({row.code})"]
        for entry in table.entries(row):
            text = entry.text + (f" {entry.note}" if entry.note else "")
            line.append(text + (f" ({_('late')})" if entry.late else ""))
        rows.append(line)
    return PdfTable(head, rows, numeric)


def _ranking_pdf(table: RankingTable) -> PdfTable:
    head = [_("Rank"), _("Unit"), *(i.column_label for i in table.key), _("Targets reached")]
    rows = [
        [r.rank_text, r.name, *(c.table_text for c in r.cells), r.achievement_text]
        for r in table.rows
    ]
    if table.total:
        rows.append(["", _("Total"), *(c.table_text for c in table.total), ""])
    return PdfTable(head, rows, [True, False, *([True] * len(table.key)), True], wide=1)


def dashboard_pdf(d: Dashboard) -> bytes:
    """The dashboard as a printable document (A4 landscape)."""
    from congdoan.core.pdf import render_pdf

    table = d.children
    shown = min(len(table.rows), PDF_MAX_ROWS)
    context = {
        "d": d,
        "title": title(d),
        "span": span(d),
        "ranks": [rank_sentence(line) for line in d.ranks],
        "approval": approval_sentence(d),
        "key": _key_pdf(d),
        "children": _children_pdf(table, PDF_MAX_ROWS),
        "children_cut": (
            _("The first %(shown)s of %(count)s units below; the Excel file holds all of them.")
            % {"shown": shown, "count": len(table.rows)}
            if shown < len(table.rows)
            else ""
        ),
        "as_of": _("Units directly below, as of %(day)s") % {"day": short_date(d.period_end)},
        "clusters": [(c.label, _ranking_pdf(c), _hidden_note(c)) for c in d.clusters],
    }
    return render_pdf(
        "indicators/exports/dashboard_pdf.html", context, landscape=True, extra_css=PDF_CSS
    )


PDF_CSS = """
h2 { font-size: 12pt; margin: 5mm 0 2mm 0; }
p { margin: 0 0 1.5mm 0; }
table.grid { font-size: 9pt; }
table.grid td.right { white-space: nowrap; }
table.grid .name { width: 30%; }
"""
