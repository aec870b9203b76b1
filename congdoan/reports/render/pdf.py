"""A report `Document` as PDF, through congdoan/core/pdf.py (WeasyPrint, Decree 30 page CSS).

The template (reports/document_pdf.html) reuses the classes of core/pdf.py: `doc-header`,
`doc-title`, `grid` and `signature`; what a report adds (body paragraphs, the draft mark, the
number line, charts, the annex) is in `REPORT_CSS`, given as `extra_css`. Page numbers come
from the page CSS (from page 2). The annex is on named landscape pages (`@page annex`) when its
tables are wide; annex tables have a fixed layout (the unit column 22 % wide, the figures
sharing the rest), which WeasyPrint lays out five times faster than an automatic one and on a
sixth of the pages (a province of 3,300 units). Charts are PNG `data:` URLs, the only kind of URL besides /static/ that the
fetcher serves. The template is autoescaped: "&", "<" and quotes print as they are.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils import translation

from congdoan.core.pdf import render_pdf as render_template_pdf
from congdoan.reports.document import Chart, Document, Paragraph, Table
from congdoan.reports.render import common

TEMPLATE = "reports/document_pdf.html"

REPORT_CSS = """
html { font-size: 13pt; line-height: 1.3; }
.doc-header td { font-size: 11.5pt; }
.doc-header td:first-child { width: 40%; }
.doc-header .nation { font-size: 11pt; white-space: nowrap; }
.doc-header .number { padding-top: 3mm; white-space: pre; }
.draft { text-align: right; margin: 0 0 3mm 0; }
.draft span { border: 1pt solid #000; padding: 1mm 3mm; font-weight: bold; }
.doc-kind { text-align: center; font-weight: bold; font-size: 14pt; margin: 6mm 0 0 0; }
h1.doc-title { margin-top: 0; }
.doc-subtitle { font-style: italic; }
.report p { margin: 0 0 2mm 0; text-align: justify; text-indent: 1.27cm; }
.report p.heading1 { font-weight: bold; text-transform: uppercase; page-break-after: avoid; }
.report p.heading2, .report p.heading3 { font-weight: bold; page-break-after: avoid; }
.report p.note, .report p.footnote { font-style: italic; }
.report p.table-title { text-align: center; text-indent: 0; font-weight: bold;
  margin-top: 3mm; page-break-after: avoid; }
.report p.table-note { text-indent: 0; font-style: italic; font-size: 11pt; margin-top: 1mm; }
table.grid { font-size: 11pt; margin-bottom: 2mm; }
table.grid tr.total td { font-weight: bold; }
.chart { text-align: center; margin: 3mm 0; page-break-inside: avoid; }
.chart img { width: 16cm; }
.signature .recipients { text-align: left; font-size: 11pt; }
.signature .recipients-label { font-weight: bold; font-style: italic; font-size: 12pt; }
.signature .name { font-weight: bold; }
.report p.annex-title { text-indent: 0; text-align: center; font-weight: bold; font-size: 14pt; margin: 0 0 4mm 0; }
.annex { page-break-before: always; }
.annex table.grid { font-size: 9.5pt; table-layout: fixed; }
.annex table.grid th:first-child, .annex table.grid td:first-child { width: 22%; }
.annex.wide table.grid { font-size: 8pt; }
@page annex { size: A4 landscape; }
.annex.wide { page: annex; }
"""


@dataclass(frozen=True)
class Cell:
    text: str
    right: bool


@dataclass(frozen=True)
class PdfBlock:
    """One block for the template: `kind` is "paragraph", "table" or "chart"."""

    kind: str
    text: str = ""
    style: str = ""
    table: Table | None = None
    head: tuple[str, ...] = ()
    lines: tuple[tuple[Cell, ...], ...] = ()
    total: tuple[Cell, ...] = ()
    image: str = ""


def _cells(texts: list[str], numeric: list[bool]) -> tuple[Cell, ...]:
    return tuple(Cell(text, i < len(numeric) and numeric[i]) for i, text in enumerate(texts))


def _png_url(chart: Chart) -> str:
    from congdoan.reports.render.charts import chart_png  # matplotlib only when needed

    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode("ascii")


def block(b: Paragraph | Table | Chart) -> PdfBlock:
    if isinstance(b, Paragraph):
        text = common.bullet(b.text) if b.style == "bullet" else b.text
        return PdfBlock("paragraph", text=text, style=b.style)
    if isinstance(b, Table):
        return PdfBlock(
            "table",
            table=b,
            head=tuple(b.columns),
            lines=tuple(_cells(r, b.numeric) for r in b.rows),
            total=_cells(b.total, b.numeric) if b.total else (),
        )
    return PdfBlock("chart", text=b.title, image=_png_url(b))


def context(doc: Document) -> dict[str, object]:
    return {
        "doc": doc,
        "sections": [(s.heading, [block(b) for b in s.blocks]) for s in doc.sections],
        "annex": [block(t) for t in doc.annex],
        "annex_charts": [block(c) for c in common.extra_charts(doc)],
        "annex_wide": common.is_wide(doc.annex),
        "recipients": [common.bullet(r) for r in doc.recipients],
        "labels": {
            "draft": common.draft_label(),
            "recipients": common.recipients_label(),
            "annex": common.annex_label(),
        },
    }


def render_pdf(doc: Document) -> bytes:
    """The document as PDF bytes, its fixed words in the document's language."""
    with translation.override(doc.language):
        return render_template_pdf(TEMPLATE, context(doc), extra_css=REPORT_CSS)
