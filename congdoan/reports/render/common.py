"""What every renderer of a `Document` shares: the words of the layout and a few decisions.

The words a document prints besides its data ("Nơi nhận:", "PHỤ LỤC", "DỰ THẢO") are English
msgids translated into the document's language; renderers call them inside
`translation.override(doc.language)`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congdoan.core.formats import language
from congdoan.reports.document import Chart, Document, Table

# An annex table with more columns than this is printed on landscape pages.
WIDE_COLUMNS = 6


def recipients_label() -> str:
    return pgettext("document", "Recipients:")


def annex_label() -> str:
    return pgettext("document", "APPENDIX")


def draft_label() -> str:
    return pgettext("document", "DRAFT")


def charts_label() -> str:
    return _("Charts")


def is_wide(tables: list[Table]) -> bool:
    return any(len(t.columns) > WIDE_COLUMNS for t in tables)


def extra_charts(doc: Document) -> list[Chart]:
    """The charts of `doc.charts` that no section shows in its body (printed with the annex)."""
    shown = [b for s in doc.sections for b in s.blocks if isinstance(b, Chart)]
    return [c for c in doc.charts if c not in shown]


def bullet(text: str) -> str:
    """Vietnamese reports list with a dash: "- Tổ chức …"."""
    return text if text.startswith(("- ", "+ ")) else f"- {text}"


def parse_number(text: str) -> Decimal | None:
    """A figure formatted in the active language back to a number: "2.481.650.000" → 2481650000,
    "12,5" → 12.5 (English "2,481,650,000", "12.5"); None for anything else ("110%", "16/2")."""
    thousands, point = (".", ",") if language().startswith("vi") else (",", ".")
    pattern = rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})*(?:{re.escape(point)}\d+)?|-?\d+"
    cleaned = text.strip()
    if not cleaned or not re.fullmatch(pattern, cleaned):
        return None
    try:
        return Decimal(cleaned.replace(thousands, "").replace(point, "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
