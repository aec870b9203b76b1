"""Pure renderers of a report `Document` (reports/document.py): DOCX, PDF, the XLSX annex and
the news item. They read no database; each renders its fixed words in `Document.language`."""

from congdoan.reports.render.docx import render_docx
from congdoan.reports.render.news import render_news_html, render_news_text
from congdoan.reports.render.pdf import render_pdf
from congdoan.reports.render.xlsx import render_annex_xlsx

__all__ = [
    "render_annex_xlsx",
    "render_docx",
    "render_news_html",
    "render_news_text",
    "render_pdf",
]
