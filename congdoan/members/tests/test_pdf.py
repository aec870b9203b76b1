"""core.pdf: templates to A4 PDF with Vietnamese fonts, page numbers from page 2, and a URL
fetcher that serves nothing but the project's static files.

PDFs are read back with `pdftotext` (poppler-utils) when it is installed; otherwise the tests
check the header, the page count and the embedded fonts in the decompressed objects."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from congdoan.core import pdf

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_text(data: bytes) -> str | None:
    """The text of a PDF, or None when pdftotext is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    result = subprocess.run(  # noqa: S603 - a fixed local tool
        [tool, "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    out = [data]
    for match in STREAM.finditer(data):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf_objects(data)))


def test_render_a4_with_vietnamese_fonts_and_page_numbers():
    html = (
        "<html><body><h1>Tiếng Việt có dấu: Nguyễn Thị Hòa, Đặng Thuỷ</h1>"
        + ("<p>Đoàn viên công đoàn</p>" * 120)
        + "</body></html>"
    )
    data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    objects = pdf_objects(data)
    assert b"+DejaVu-Serif" in objects, "the Vietnamese-capable font is embedded"
    assert page_count(data) >= 2
    assert b"/MediaBox [0 0 595" in objects or b"/MediaBox[0 0 595" in objects  # A4 portrait
    text = pdf_text(data)
    if text is not None:
        assert "Nguyễn Thị Hòa" in text
        first, second = text.split("\f")[:2]
        assert not re.search(r"^\s*1\s*$", first.splitlines()[0] if first else "")
        assert re.search(r"^\s*2\s*$", second, re.MULTILINE), "page 2 carries its number"


def test_landscape():
    data = pdf.html_to_pdf("<p>Danh sách</p>", landscape=True)
    objects = pdf_objects(data)
    assert b"/MediaBox [0 0 841" in objects or b"/MediaBox[0 0 841" in objects


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/secret.png",
        "https://example.org/x.css",
        "file:///etc/passwd",
        "/static/../settings.py",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    fetcher = pdf.url_fetcher()
    absolute = url if "://" in url else pdf.BASE_URL.rstrip("/") + url
    with pytest.raises(Exception):  # noqa: B017 - WeasyPrint turns any exception into a warning
        fetcher.fetch(absolute)


def test_fetcher_serves_static_files_and_documents_still_render_with_a_remote_url():
    fetcher = pdf.url_fetcher()
    response = fetcher.fetch(pdf.BASE_URL + "static/congdoan/app.css")
    assert b".tree" in response.read()
    data = pdf.html_to_pdf(
        '<html><body><img src="http://127.0.0.1:9/x.png"><img src="/static/congdoan/app.css">'
        "<p>Vẫn in được</p></body></html>"
    )
    assert data.startswith(b"%PDF-")


def test_render_pdf_from_a_template_and_response(world):
    import datetime as dt

    from congdoan.members.exports import PrintedList

    doc = PrintedList(
        issuer="CĐCS Trường Tiểu học Tân Phong",
        issuer_parent="Công đoàn phường Tân Phong",
        place="Lai Châu",
        day=dt.date(2025, 2, 5),
        unit_name="CĐCS Trường Tiểu học Tân Phong",
        as_of=dt.date(2025, 2, 5),
        rows=[
            {
                "n": "1",
                "name": "Nguyễn Thị Hòa",
                "born": "05/02/1990",
                "sex": "Nữ",
                "job": "Giáo viên",
                "card": "122500000001",
                "admitted": "01/03/2015",
                "unit": "x",
            },
        ],
        total=1,
        women=1,
    )
    data = pdf.render_pdf(
        "members/exports/member_list_pdf.html", {"doc": doc, "show_unit": False}, landscape=True
    )
    assert data.startswith(b"%PDF-") and page_count(data) == 1
    text = pdf_text(data)
    if text is not None:
        assert "ngày 05 tháng 02 năm 2025" in text and "TM. BAN CHẤP HÀNH" in text
    response = pdf.pdf_response(data, "a.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
