"""The PDF of a report, read back with pypdf."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from congdoan.reports.render import render_pdf
from congdoan.reports.render.common import annex_label, draft_label, recipients_label
from congdoan.reports.render.pdf import context
from congdoan.reports.tests import samples


@pytest.fixture(scope="module")
def pdf():
    return pypdf.PdfReader(io.BytesIO(render_pdf(samples.sample_document())))


def lines(page) -> list[str]:
    return [line.strip() for line in page.extract_text().split("\n")]


def flat(pdf) -> str:
    """The text of every page on one line (the PDF wraps lines where it likes)."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))


def test_several_a4_pages(pdf):
    assert len(pdf.pages) > 1
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)


def test_page_numbers_from_page_two(pdf):
    assert "1" not in lines(pdf.pages[0])
    assert "2" in lines(pdf.pages[1])
    assert "3" in lines(pdf.pages[2])


def test_header_and_title(pdf):
    first = " ".join(lines(pdf.pages[0]))
    for text in (
        "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA",
        "Số: 34/BC-LĐLĐ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Sa Pa, ngày 05 tháng 02 năm 2024",
        "BÁO CÁO",
        "(Số liệu tính đến ngày 30/9/2023)",
    ):
        assert text in first


def test_figures_and_special_characters_survive(pdf):
    text = flat(pdf)
    assert samples.ADMISSIONS in text
    assert f"{samples.MONEY} đồng" in text
    assert samples.TRICKY_UNIT in text  # "&", "<b>" and quotes printed, not markup
    assert samples.QUOTED in text
    assert "Kết nạp đoàn viên (người) 496 546 110%" in text


def test_signature_and_recipients(pdf):
    text = flat(pdf)
    assert "TM. BAN THƯỜNG VỤ" in text  # the role in capitals (CSS)
    assert "Má Thị Đa" in text
    assert recipients_label() in text
    assert "- Lưu: VT." in text


def test_annex_on_landscape_pages(pdf):
    last = pdf.pages[-1]
    assert last.mediabox.width > last.mediabox.height
    text = flat(pdf)
    assert annex_label() in text
    assert "Công đoàn cơ sở Trường THCS số 40 – Phường Sa Pa" in text
    assert "Tổng cộng" in text


def test_charts_are_png_data_urls():
    ctx = context(samples.sample_document())
    charts = [b for _h, blocks in ctx["sections"] for b in blocks if b.kind == "chart"]
    charts += ctx["annex_charts"]
    assert len(charts) == 2
    assert all(b.image.startswith("data:image/png;base64,iVBOR") for b in charts)


def test_draft_mark():
    pdf = pypdf.PdfReader(io.BytesIO(render_pdf(samples.sample_document(draft=True))))
    assert draft_label() in lines(pdf.pages[0])
