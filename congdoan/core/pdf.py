"""Render a Django template to PDF with WeasyPrint: A4, Vietnamese-capable fonts, no network.

    from congdoan.core.pdf import render_pdf, pdf_response
    data = render_pdf("members/exports/member_list_pdf.html", context, landscape=True)
    return pdf_response(data, "danh-sach-doan-vien.pdf")

- Layout after Decree 30/2020 and the union's document rules: A4 (portrait or landscape),
  margins top/bottom 20 mm, left 30 mm, right 15 mm, page numbers centred at the top from page 2.
  The page CSS (`PAGE_CSS`) is given to WeasyPrint as a stylesheet, so templates stay free of
  inline styles; its classes give the document header of Decree 30 (`doc-header`: issuing
  body under its parent on the left, national name and motto on the right, place and date),
  the title (`doc-title`), bordered tables (`grid`) and the signature block (`signature`); see
  members/templates/members/exports/member_list_pdf.html.
- Fonts: DejaVu Serif / Sans from Debian's fonts-dejavu-core (always installed, every Vietnamese
  glyph), found by fontconfig, never downloaded.
- Resources: the URL fetcher only serves files of the project's static directories (`/static/…`
  and `data:` URLs); any other URL (http, file, …) is refused, so a value in a template can never
  make the server fetch a remote or local file.

WeasyPrint is slow on very large tables (about a page of 30 rows per 50 ms here): long documents
belong in a background task.
"""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

BASE_URL = "https://congdoan.invalid/"
FONT_SERIF = '"DejaVu Serif", "Times New Roman", serif'
FONT_SANS = '"DejaVu Sans", Arial, sans-serif'

PAGE_CSS = """
@page {
  size: A4 %(orientation)s;
  margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font-family: %(serif)s; font-size: 11pt; }
}
@page :first { @top-center { content: none; } }
html { font-family: %(serif)s; font-size: 12pt; line-height: 1.3; color: #000; }
body { margin: 0; }
.sans { font-family: %(sans)s; }
table { border-collapse: collapse; width: 100%%; }
.doc-header { width: 100%%; margin-bottom: 6mm; }
.doc-header td { vertical-align: top; text-align: center; border: 0; padding: 0 2mm; }
.doc-header .issuer-parent { text-transform: uppercase; }
.doc-header .issuer, .doc-header .nation { font-weight: bold; text-transform: uppercase; }
.doc-header .motto { font-weight: bold; }
.doc-header .rule { display: block; width: 35%%; margin: 1mm auto 0 auto;
  border-top: 0.6pt solid #000; }
.doc-header .motto-rule { width: 60%%; }
.doc-header .place-date { font-style: italic; padding-top: 3mm; }
h1.doc-title { text-align: center; font-size: 14pt; font-weight: bold; margin: 4mm 0 1mm 0; }
.doc-subtitle { text-align: center; margin: 0 0 1mm 0; }
.doc-meta { text-align: center; font-style: italic; margin: 0 0 5mm 0; }
table.grid { font-size: 10pt; }
table.grid th, table.grid td { border: 0.5pt solid #000; padding: 1.2mm 1.5mm; vertical-align: top; }
table.grid th { font-weight: bold; text-align: center; background: #f2f2f2; }
table.grid thead { display: table-header-group; }
table.grid tr { page-break-inside: avoid; }
.num, .center { text-align: center; }
.right { text-align: right; }
.nowrap { white-space: nowrap; }
.signature { width: 100%%; margin-top: 8mm; page-break-inside: avoid; }
.signature td { border: 0; text-align: center; vertical-align: top; width: 50%%; }
.signature .role { font-weight: bold; text-transform: uppercase; }
.signature .space { height: 22mm; }
.small { font-size: 9pt; }
.muted { color: #444; }
"""


def page_css(*, landscape: bool = False) -> str:
    return PAGE_CSS % {
        "orientation": "landscape" if landscape else "portrait",
        "serif": FONT_SERIF,
        "sans": FONT_SANS,
    }


def _static_path(path: str) -> str | None:
    """The file behind a /static/… path, from the project's static files; None if not one."""
    from django.contrib.staticfiles import finders

    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if not path.startswith(prefix):
        return None
    relative = unquote(path[len(prefix) :])
    if not relative or ".." in relative.split("/") or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None:
        root = getattr(settings, "STATIC_ROOT", None)
        if root:
            from pathlib import Path

            candidate = (Path(root) / relative).resolve()
            if candidate.is_file() and Path(root).resolve() in candidate.parents:
                return str(candidate)
        return None
    return str(found)


def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves /static/ files and data: URLs; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            base = urlsplit(BASE_URL)
            if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
                path = _static_path(parts.path)
                if path is not None:
                    with open(path, "rb") as handle:
                        body = handle.read()
                    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": mime})
            raise ValueError(f"resource not allowed in PDF documents: {url[:200]}")

    return StaticOnlyFetcher


def url_fetcher() -> Any:
    """A fetcher for WeasyPrint that only serves the project's static files."""
    return _fetcher_class()(allowed_protocols=("https", "data"), allow_redirects=False)


def html_to_pdf(html: str, *, landscape: bool = False, extra_css: str = "") -> bytes:
    from weasyprint import CSS, HTML

    fetcher = url_fetcher()
    stylesheets = [CSS(string=page_css(landscape=landscape), url_fetcher=fetcher)]
    if extra_css:
        stylesheets.append(CSS(string=extra_css, url_fetcher=fetcher))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=stylesheets))


def render_pdf(
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    request: Any = None,
    landscape: bool = False,
    extra_css: str = "",
) -> bytes:
    """Render a template (HTML for print) to PDF bytes."""
    html = render_to_string(template_name, context or {}, request=request)
    return html_to_pdf(html, landscape=landscape, extra_css=extra_css)


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
