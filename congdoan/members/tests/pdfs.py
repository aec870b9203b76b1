"""Reading PDFs back in tests, on every machine: pypdf (a Python dependency of the tests), no
external tool."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:20]
    return PdfReader(io.BytesIO(data))


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in reader(data).pages]


def pdf_text(data: bytes) -> str:
    """The text of the whole document, pages separated by a form feed."""
    return "\f".join(pdf_pages(data))


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces: what a reader reads,
    wherever the layout wrapped a line."""
    return " ".join(text.split())


def fonts(data: bytes) -> set[str]:
    """The names of the fonts the pages use (embedded subsets are "ABCDEF+Name")."""
    out: set[str] = set()
    for page in reader(data).pages:
        resources: Any = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            out.add(str(font.get_object().get("/BaseFont", "")))
    return out


def page_size(data: bytes, index: int = 0) -> tuple[float, float]:
    """Width and height of a page in points (A4: 595 × 842)."""
    box = reader(data).pages[index].mediabox
    return float(box.width), float(box.height)
