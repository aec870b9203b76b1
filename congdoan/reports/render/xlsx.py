"""The annex of a report `Document` as XLSX (xlsxwriter): one sheet per annex table and a
sheet of native Excel charts.

Each table sheet: the title, the header row (bold, wrapped), one row per line, the total row in
bold, the note; panes frozen below the header and right of the first column. Figures are real
numbers from `Table.values` (formatted with thousands separators); where a table gives no raw
values (the total row, or a table without `values`) a figure written in the document's language
("2.481.650.000", "12,5") is read back into a number, and anything else ("110%", "16/2") stays
text. Text is always written as text (`strings_to_formulas=False`, `write_string`), so "=…",
"&" and "<" are kept as they are.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import translation
from xlsxwriter.utility import xl_rowcol_to_cell

from congdoan.reports.document import Chart, Document, Table
from congdoan.reports.render import common

TITLE_ROW, HEAD_ROW, FIRST_ROW = 0, 2, 3  # 0-based, as xlsxwriter counts
CHART_ROWS = 20  # rows an inserted chart covers (at the default row height)


def render_annex_xlsx(doc: Document) -> bytes:
    """The annex tables and charts as a workbook, its fixed words in the document's language."""
    with translation.override(doc.language):
        out = io.BytesIO()
        book = xlsxwriter.Workbook(
            out,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        book.set_properties(
            {"title": doc.title, "author": doc.header.issuer, "created": _naive(doc)}
        )
        formats = _formats(book)
        names: set[str] = set()
        for table in doc.workbook or doc.annex:
            _table_sheet(book, formats, table, sheet_name(table.title, names))
        if doc.charts:
            _charts_sheet(book, formats, doc.charts, sheet_name(common.charts_label(), names))
        book.close()
        return out.getvalue()


def _naive(doc: Document) -> Any:
    return doc.data_at.replace(tzinfo=None)


def _formats(book: Any) -> dict[str, Any]:
    head = {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1}
    return {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "head": book.add_format({**head, "bg_color": "#F2F2F2"}),
        "text": book.add_format({"border": 1, "valign": "top", "text_wrap": True}),
        "int": book.add_format({"border": 1, "num_format": "#,##0"}),
        "dec": book.add_format({"border": 1, "num_format": "#,##0.0#"}),
        "total_text": book.add_format({"border": 1, "bold": True, "text_wrap": True}),
        "total_int": book.add_format({"border": 1, "bold": True, "num_format": "#,##0"}),
        "total_dec": book.add_format({"border": 1, "bold": True, "num_format": "#,##0.0#"}),
        "note": book.add_format({"italic": True, "font_color": "#555555"}),
    }


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique (case-blind)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")
    base = re.sub(r"\s+", " ", base)[:31].strip() or "Sheet"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(name.casefold())
    return name


# ---------------------------------------------------------------------------------------------
# Table sheets


def _value(table: Table, row: int, col: int) -> Decimal | None:
    """The raw number behind a cell: from `values` when the table gives them, else parsed."""
    if row < len(table.values) and col < len(table.values[row]):
        return table.values[row][col]
    text = table.rows[row][col] if row < len(table.rows) else (table.total or [""])[col]
    return common.parse_number(text)


def _write(
    sheet: Any,
    f: dict[str, Any],
    at: tuple[int, int],
    text: str,
    value: Decimal | None,
    total: bool,
) -> None:
    prefix = "total_" if total else ""
    if value is not None and len(value.normalize().as_tuple().digits) <= 15:
        kind = "int" if value == value.to_integral_value() else "dec"
        sheet.write_number(*at, float(value), f[prefix + kind])
    elif text:
        sheet.write_string(*at, text, f["total_text" if total else "text"])
    else:
        sheet.write_blank(*at, None, f["total_text" if total else "text"])


def _widths(table: Table) -> list[float]:
    lines = [table.columns, *table.rows, *([table.total] if table.total else [])]
    widths = []
    for col in range(len(table.columns)):
        longest = max((len(line[col]) for line in lines[1:] if col < len(line)), default=0)
        head = max((len(w) for w in table.columns[col].split()), default=0)
        limit = 50 if col == 0 else 22
        widths.append(min(max(longest * 1.1 + 2, head + 2, 10), limit))
    return widths


def _table_sheet(book: Any, f: dict[str, Any], table: Table, name: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.write_string(TITLE_ROW, 0, table.title, f["title"])
    for col, head in enumerate(table.columns):
        sheet.write_string(HEAD_ROW, col, head, f["head"])
    sheet.set_row(HEAD_ROW, 45)
    row_count = len(table.rows)
    for r, line in enumerate([*table.rows, *([table.total] if table.total else [])]):
        total = r == row_count
        for c, text in enumerate(line):
            value = _value(table, r, c) if c > 0 else None
            _write(sheet, f, (FIRST_ROW + r, c), text, value, total)
    last = FIRST_ROW + row_count + (1 if table.total else 0)
    if table.note:
        sheet.write_string(last + 1, 0, table.note, f["note"])
    for col, width in enumerate(_widths(table)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(FIRST_ROW, 1)
    sheet.repeat_rows(HEAD_ROW)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


# ---------------------------------------------------------------------------------------------
# Charts


def _charts_sheet(book: Any, f: dict[str, Any], charts: list[Chart], name: str) -> None:
    sheet = book.add_worksheet(name)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 6, 16)
    top = 0
    for chart in charts:
        top = _chart_block(book, sheet, f, chart, top) + 2


def _chart_block(book: Any, sheet: Any, f: dict[str, Any], chart: Chart, top: int) -> int:
    """The chart's data (title, header, one row per category) and the chart beside it; returns
    the last row used."""
    sheet.write_string(top, 0, chart.title, f["title"])
    head = top + 1
    sheet.write_string(head, 0, chart.unit, f["head"])
    for s, (series_name, values) in enumerate(chart.series, start=1):
        sheet.write_string(head, s, series_name, f["head"])
        for i, value in enumerate(values):
            _write(sheet, f, (head + 1 + i, s), "", value, False)
    for i, category in enumerate(chart.categories):
        sheet.write_string(head + 1 + i, 0, category, f["text"])
    excel = book.add_chart({"type": "column"})
    last = head + len(chart.categories)
    for s in range(1, len(chart.series) + 1):
        excel.add_series(
            {
                "name": [sheet.name, head, s],
                "categories": [sheet.name, head + 1, 0, last, 0],
                "values": [sheet.name, head + 1, s, last, s],
                "data_labels": {"value": len(chart.categories) <= 12},
            }
        )
    excel.set_title({"name": chart.title, "name_font": {"size": 12}})
    excel.set_y_axis(
        {"name": chart.unit, "num_format": "#,##0", "major_gridlines": {"visible": True}}
    )
    excel.set_legend({"position": "bottom" if len(chart.series) > 1 else "none"})
    excel.set_size({"width": 640, "height": 360})
    sheet.insert_chart(xl_rowcol_to_cell(top, len(chart.series) + 2), excel)
    return max(last, top + CHART_ROWS)
