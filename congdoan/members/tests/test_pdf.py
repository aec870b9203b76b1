"""core.pdf: templates to A4 PDF with Vietnamese fonts, page numbers from page 2, and a URL
fetcher that serves nothing but the project's static files. PDFs are read back with pypdf
(`tests/pdfs.py`) on every machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from congdoan.core import pdf
from congdoan.members.tests.pdfs import flat, fonts, page_size, pdf_pages


def test_render_a4_with_vietnamese_fonts_and_page_numbers():
    html = (
        "<html><body><h1>Tiếng Việt có dấu: Nguyễn Thị Hòa, Đặng Thuỷ</h1>"
        + ("<p>Đoàn viên công đoàn</p>" * 120)
        + "</body></html>"
    )
    data = pdf.html_to_pdf(html)
    assert any(name.endswith("+DejaVu-Serif") for name in fonts(data)), fonts(data)
    pages = pdf_pages(data)
    assert len(pages) >= 2
    assert page_size(data) == pytest.approx((595.3, 841.9), abs=0.5)  # A4 portrait
    # The heading is wider than the page at its size and wraps; its words stay in order, with
    # their diacritics (NFC), and the paragraphs follow.
    assert flat(pages[0]).startswith("Tiếng Việt có dấu: Nguyễn Thị Hòa, Đặng Thuỷ Đoàn viên")
    assert "Đoàn viên công đoàn" in pages[1]
    lines = [[line.strip() for line in page.splitlines()] for page in pages]
    assert "1" not in lines[0], "no number on the first page"
    assert "2" in lines[1], "page 2 carries its number"
    assert str(len(pages)) in lines[-1]


def test_landscape():
    data = pdf.html_to_pdf("<p>Danh sách</p>", landscape=True)
    assert page_size(data) == pytest.approx((841.9, 595.3), abs=0.5)
    assert pdf_pages(data) == ["Danh sách"]


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
    assert "Vẫn in được" in pdf_pages(data)[0]


def test_render_pdf_from_a_template_and_response(world):
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
    pages = pdf_pages(data)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "CÔNG ĐOÀN PHƯỜNG TÂN PHONG" in text and "CĐCS TRƯỜNG TIỂU HỌC TÂN PHONG" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in text
    assert "Lai Châu, ngày 05 tháng 02 năm 2025" in text
    assert "DANH SÁCH ĐOÀN VIÊN" in text
    assert "Tính đến ngày 05/02/2025 – tổng số 1 đoàn viên, trong đó 1 nữ" in text
    assert re.search(r"1 Nguyễn Thị Hòa 05/02/1990 Nữ Giáo viên 122500000001 01/03/2015", text)
    assert "TM. BAN CHẤP HÀNH" in text and "CHỦ TỊCH" in text
    response = pdf.pdf_response(data, "a.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
