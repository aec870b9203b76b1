"""The DOCX of a report, read back with python-docx."""

from __future__ import annotations

import dataclasses
import io

import docx
import pytest
from django.utils import translation
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from congdoan.reports.render import render_docx
from congdoan.reports.render.common import annex_label, draft_label, recipients_label
from congdoan.reports.tests import samples

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(**changes):
    return docx.Document(io.BytesIO(render_docx(samples.sample_document(**changes))))


@pytest.fixture(scope="module")
def d():
    return read()


def text_of(d) -> str:
    """Every paragraph of the body, tables included, in order."""
    lines = []
    for item in d.iter_inner_content():
        if hasattr(item, "rows"):
            for row in item.rows:
                lines.extend(c.text for c in row.cells)
        else:
            lines.append(item.text)
    return "\n".join(lines)


def mm(*lengths) -> tuple[float, ...]:
    """Lengths in millimetres, to a tenth (Word keeps twentieths of a point)."""
    return tuple(round(length.mm, 1) for length in lengths)


def vi(label) -> str:
    with translation.override("vi"):
        return label()


def test_page_is_a4_with_the_decree_margins(d):
    s = d.sections[0]
    assert mm(s.page_width, s.page_height) == (210, 297)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (20, 20, 30, 15)


def test_body_font_is_times_new_roman_14(d):
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert fonts.get(f"{W}eastAsia") == "Times New Roman"
    body = next(p for p in d.paragraphs if samples.ADMISSIONS in p.text)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent.cm == pytest.approx(1.27, abs=0.01)


def test_header_columns(d):
    header = d.tables[0]
    issuer, nation = (c.text for c in header.rows[0].cells)
    assert issuer.split("\n") == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI",
        "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA",
        "",
    ]
    assert nation.split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    bold = [r.bold for p in header.rows[0].cells[0].paragraphs for r in p.runs]
    assert bold[:2] == [None, True]  # the parent regular, the issuer bold
    number, place = header.rows[1].cells
    assert number.text == "Số: 34/BC-LĐLĐ"
    assert place.text == "Sa Pa, ngày 05 tháng 02 năm 2024"
    assert place.paragraphs[0].runs[0].italic


def test_issuer_without_a_parent():
    header = dataclasses.replace(samples.sample_document().header, issuer_parent="")
    issuer = read(header=header).tables[0].rows[0].cells[0]
    assert issuer.paragraphs[0].text == "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA"
    assert issuer.paragraphs[0].runs[0].bold


def test_title_block(d):
    texts = [p.text for p in d.paragraphs]
    i = texts.index("BÁO CÁO")
    assert texts[i + 1 : i + 3] == [
        "Kết quả công tác công đoàn 9 tháng đầu năm 2023 và năm học 2022 - 2023",
        "(Số liệu tính đến ngày 30/9/2023)",
    ]
    kind, title, subtitle = d.paragraphs[i : i + 3]
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER and kind.runs[0].bold
    assert title.runs[0].bold and subtitle.runs[0].italic


def test_figures_and_special_characters_survive(d):
    text = text_of(d)
    assert samples.ADMISSIONS in text
    assert f"{samples.MONEY} đồng" in text
    assert samples.TRICKY_UNIT in text  # "&", "<b>", straight quotes
    assert samples.QUOTED in text
    assert "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in text  # heading1 in capitals
    assert "- Chăm lo cho đoàn viên" in text  # bullets with a dash


def test_number_of_a_draft_keeps_its_blank():
    header = samples.sample_document().header
    draft = dataclasses.replace(header, number="Số:     /BC-LĐLĐ")
    d = read(header=draft, draft=True)
    assert d.tables[0].rows[1].cells[0].text == "Số:     /BC-LĐLĐ"


def test_draft_mark_only_on_a_draft():
    assert read(draft=True).paragraphs[0].text == draft_label()
    assert draft_label() not in [p.text for p in read(draft=False).paragraphs]


def test_signature_and_recipients(d):
    table = next(t for t in d.tables if "Má Thị Đa" in t.rows[0].cells[1].text)
    left, right = table.rows[0].cells
    lines = [line for line in right.text.split("\n") if line]
    assert lines == ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Má Thị Đa"]
    assert all(r.bold for p in right.paragraphs for r in p.runs if r.text)
    assert left.text.split("\n") == [
        recipients_label(),
        "- LĐLĐ tỉnh Lào Cai (b/c);",
        "- Thị ủy Sa Pa (b/c);",
        "- Lưu: VT.",
    ]
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic


def test_page_number_field_from_page_two(d):
    s = d.sections[0]
    assert s.different_first_page_header_footer
    instructions = [e.text for e in s.header._element.iter(f"{W}instrText")]
    assert [i.strip() for i in instructions] == ["PAGE"]
    assert not list(s.first_page_header._element.iter(f"{W}instrText"))
    assert s.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_body_table(d):
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert [c.text for c in table.rows[1].cells] == [
        "Kết nạp đoàn viên (người)",
        "496",
        "546",
        "110%",
    ]
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None


def test_annex_on_landscape_pages(d):
    annex = d.sections[-1]
    assert len(d.sections) == 2
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert mm(annex.page_width, annex.page_height) == (297, 210)
    assert not annex.different_first_page_header_footer  # its first page is numbered
    assert annex.header.is_linked_to_previous
    assert annex_label() in [p.text for p in d.paragraphs]
    table = d.tables[-1]
    assert len(table.rows) == 1 + samples.ANNEX_ROWS + 1
    assert table.rows[1].cells[0].text == samples.TRICKY_UNIT
    total = table.rows[-1]
    assert total.cells[6].text == samples.MONEY
    assert all(r.bold for c in total.cells for p in c.paragraphs for r in p.runs)


def test_narrow_annex_stays_portrait():
    narrow = samples.results_table()
    d = read(annex=[narrow])
    assert len(d.sections) == 1
    assert annex_label() in [p.text for p in d.paragraphs]


def test_charts_are_pictures(d):
    shapes = d.inline_shapes
    assert len(shapes) == 2  # the body's chart, and the one only in Document.charts
    assert shapes[0].width.cm == pytest.approx(16, abs=0.05)


def test_footnote_in_italics(d):
    notes = [p for p in d.paragraphs if p.text == "Số liệu của 3 đơn vị chưa được duyệt."]
    assert notes and all(p.runs[0].italic for p in notes)


def test_fixed_words_are_vietnamese(d):
    """The words of the layout come from the reports catalogue (locale/vi)."""
    assert vi(recipients_label) == "Nơi nhận:"
    assert vi(annex_label) == "PHỤ LỤC"
    assert vi(draft_label) == "DỰ THẢO"
    assert "Nơi nhận:" in text_of(d)


def test_english_document_uses_english_words():
    d = read(language="en")
    assert "Recipients:" in text_of(d)


def test_same_document_same_text():
    assert text_of(read()) == text_of(read())
