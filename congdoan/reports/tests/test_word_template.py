"""The unit's editable Word template (render/word_template.py), read back with python-docx.

The default template lays a report out exactly as the direct renderer does; what an officer
changes in Word shows in the report; `check_template` says what is wrong and where.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable

import docx
import pytest
from django.utils import translation
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from congdoan.reports.render import render_docx
from congdoan.reports.render.word_sample import sample_document
from congdoan.reports.render.word_template import (
    check_template,
    default_template,
    preview,
    render_with_template,
)
from congdoan.reports.tests import samples
from congdoan.reports.tests.test_render_docx import mm, text_of

FIXED = "Thực hiện Kế hoạch số 12/KH-LĐLĐ & <mới>"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


def edited(edit: Callable) -> bytes:
    """The default template, changed by `edit` as an officer would in Word."""
    d = read(default_template())
    edit(d)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def paragraph(d, text: str):
    return next(p for p in d.paragraphs if p.text == text)


def body_tag(d):
    return paragraph(d, "{{ body }}")


def built(*lines: str) -> bytes:
    """A template written from scratch, one paragraph a line."""
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def english(template: bytes) -> list[str]:
    with translation.override("en"):
        return check_template(template)


@pytest.fixture(scope="module")
def template() -> bytes:
    return default_template()


@pytest.fixture(scope="module")
def d(template):
    return read(render_with_template(samples.sample_document(), template))


# ---------------------------------------------------------------------------------------------
# The default template


def test_default_template_holds_the_tags(template):
    t = read(template)
    texts = text_of(t)
    for tag in ("{{ title }}", "{{ body }}", "{{ annex }}", "{{ footnote }}", "{{ line }}"):
        assert tag in texts
    issuer, nation = (c.text for c in t.tables[0].rows[0].cells)
    assert "{{ issuer_parent }}" in issuer and "{{ issuer }}" in issuer
    assert "{{ nation }}" in nation and "{{ motto }}" in nation
    assert "{%p for line in recipients %}" in t.tables[-1].rows[0].cells[0].text


def test_default_template_is_the_official_page(template):
    t = read(template)
    s = t.sections[0]
    assert mm(s.page_width, s.page_height) == (210, 297)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (20, 20, 30, 15)
    assert t.styles["Normal"].font.name == "Times New Roman"
    assert t.styles["Normal"].font.size == Pt(14)


def test_default_template_is_valid(template):
    assert english(template) == []


# ---------------------------------------------------------------------------------------------
# A report laid out by the default template


def test_figures_and_special_characters_survive(d):
    text = text_of(d)
    assert samples.ADMISSIONS in text
    assert f"{samples.MONEY} đồng" in text
    assert samples.TRICKY_UNIT in text  # "&", "<b>", straight quotes
    assert samples.QUOTED in text
    assert "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in text
    assert "- Chăm lo cho đoàn viên" in text
    body = next(t for t in d.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert [c.text for c in body.rows[3].cells] == [
        "Xây dựng Mái ấm Công đoàn (căn nhà)",
        "2",
        "16",
        "800%",
    ]
    annex = d.tables[-1]
    assert annex.rows[1].cells[0].text == samples.TRICKY_UNIT
    assert annex.rows[-1].cells[6].text == samples.MONEY
    assert len(d.inline_shapes) == 2  # the body's chart and the annex's
    embeds = [b.get(f"{R}embed") for b in d.element.body.iter(f"{A}blip")]
    assert [d.part.related_parts[rid].content_type for rid in embeds] == ["image/png"] * 2


def test_header_and_recipients(d):
    issuer, nation = (c.text for c in d.tables[0].rows[0].cells)
    assert issuer.split("\n") == [
        "LIÊN ĐOÀN LAO ĐỘNG TỈNH LÀO CAI",
        "LIÊN ĐOÀN LAO ĐỘNG THỊ XÃ SA PA",
        "",
    ]
    assert nation.split("\n")[:2] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    number, place = (c.text for c in d.tables[0].rows[1].cells)
    assert (number, place) == ("Số: 34/BC-LĐLĐ", "Sa Pa, ngày 05 tháng 02 năm 2024")
    left, right = d.tables[-2].rows[0].cells
    assert left.text.split("\n") == [
        "Nơi nhận:",
        "- LĐLĐ tỉnh Lào Cai (b/c);",
        "- Thị ủy Sa Pa (b/c);",
        "- Lưu: VT.",
    ]
    assert [line for line in right.text.split("\n") if line] == [
        "TM. BAN THƯỜNG VỤ",
        "CHỦ TỊCH",
        "Má Thị Đa",
    ]


def test_texts_of_the_data_are_escaped(template):
    title = 'Báo cáo "Sa Pa" & <b>Bát Xát</b> ‘quý’'
    header = dataclasses.replace(samples.sample_document().header, issuer="CĐ A & <B>")
    doc = samples.sample_document(title=title, header=header)
    out = read(render_with_template(doc, template))
    assert title in [p.text for p in out.paragraphs]
    assert "CĐ A & <B>" in out.tables[0].rows[0].cells[0].text


def test_page_setup_and_font_kept(d):
    first, annex = d.sections
    assert mm(first.page_width, first.page_height) == (210, 297)
    assert mm(first.top_margin, first.bottom_margin, first.left_margin, first.right_margin) == (
        20,
        20,
        30,
        15,
    )
    assert annex.orientation == WD_ORIENT.LANDSCAPE
    assert d.styles["Normal"].font.name == "Times New Roman"
    assert d.styles["Normal"].element.rPr.rFonts.get(f"{W}eastAsia") == "Times New Roman"


VARIANTS = {
    "sample": {},
    "draft": {"draft": True},
    "english": {"language": "en"},
    "blanks": {
        "header": dataclasses.replace(samples.sample_document().header, issuer_parent=""),
        "subtitle": "",
        "footnote": "",
        "signature": dataclasses.replace(samples.sample_document().signature, name=""),
    },
    "narrow annex": {"annex": [samples.results_table()]},
    "no annex": {"annex": [], "charts": [samples.body_chart()]},
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_same_text_and_pages_as_the_direct_renderer(template, changes):
    doc = samples.sample_document(**changes)
    direct, laid = read(render_docx(doc)), read(render_docx(doc, template=template))
    assert text_of(laid) == text_of(direct)
    assert pages(laid) == pages(direct)


def pages(d) -> list[tuple]:
    return [
        (
            s.orientation,
            mm(s.page_width, s.page_height, s.top_margin, s.bottom_margin),
            mm(s.left_margin, s.right_margin, s.header_distance),
            s.different_first_page_header_footer,
            s.header.is_linked_to_previous,
            [e.text.strip() for e in s.header._element.iter(f"{W}instrText")],
        )
        for s in d.sections
    ]


# ---------------------------------------------------------------------------------------------
# A template changed by an officer


def test_fixed_paragraph_and_changed_signature_show():
    def edit(t):
        body_tag(t).insert_paragraph_before(FIXED)
        on_behalf = paragraph(t.tables[-1].rows[0].cells[1], "{{ on_behalf }}")
        on_behalf.runs[0].text = "TM. BAN CHẤP HÀNH"

    template = edited(edit)
    assert english(template) == []
    out = read(render_docx(samples.sample_document(), template=template))
    texts = [p.text for p in out.paragraphs]
    assert texts[texts.index(FIXED) + 1] == "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"
    right = out.tables[-2].rows[0].cells[1]
    assert [line for line in right.text.split("\n") if line][:2] == [
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
    ]
    assert right.paragraphs[0].runs[0].bold


def test_empty_paragraph_before_the_body_stays():
    """Word writes an empty paragraph as <w:p w:rsidR="…"/>: it stays a paragraph of its own."""

    def edit(t):
        body_tag(t).insert_paragraph_before()._p.set(f"{W}rsidR", "00A1B2C3")

    out = read(render_docx(samples.sample_document(), template=edited(edit)))
    texts = [p.text for p in out.paragraphs]
    heading = texts.index("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    assert texts[heading - 2 : heading] == ["(Số liệu tính đến ngày 30/9/2023)", ""]


def test_annex_deleted_from_the_template():
    def delete(t):
        annex = paragraph(t, "{{ annex }}")._p
        annex.getparent().remove(annex)

    template = edited(delete)
    out = read(render_docx(samples.sample_document(), template=template))
    assert len(out.sections) == 1
    assert samples.TRICKY_UNIT not in [c.text for t in out.tables for c in t.columns[0].cells]
    assert samples.ADMISSIONS in text_of(out)


def test_table_style_restored_when_the_template_lost_it():
    def drop(t):
        grid = t.styles["Table Grid"].element
        grid.getparent().remove(grid)

    out = read(render_docx(samples.sample_document(), template=edited(drop)))
    body = next(t for t in out.tables if t.rows[0].cells[0].text == "Chỉ tiêu")
    assert body.style.name == "Table Grid"


def test_sections_one_by_one():
    template = built(
        "{%p for s in sections %}",
        "Mục: {{ s.heading }}",
        "{{ s.content }}",
        "{%p endfor %}",
        "Nhắc lại kết quả:",
        "{{ section.results.content }}",
        "{{ section.clusters.content }}",  # a section this report leaves out: empty
    )
    assert english(template) == []
    out = read(render_with_template(samples.sample_document(), template))
    texts = [p.text for p in out.paragraphs]
    results = texts.index("Mục: I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    tasks = texts.index("Mục: II. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2023")
    assert results < texts.index("Công tác phát triển đoàn viên") < tasks
    assert texts.index("Nhắc lại kết quả:") > tasks
    assert texts.count("Công tác phát triển đoàn viên") == 2
    assert sum(t.rows[0].cells[0].text == "Chỉ tiêu" for t in out.tables) == 2


def test_preview_is_the_sample_laid_out(template):
    out = read(preview(template))
    assert sample_document().title in [p.text for p in out.paragraphs]
    assert "Công đoàn Công ty TNHH Xây dựng & Thương mại Hòa Bình" in text_of(out)


# ---------------------------------------------------------------------------------------------
# What check_template says


def test_unclosed_tag():
    template = edited(lambda t: body_tag(t).insert_paragraph_before("Mở đầu {{ title"))
    [message] = english(template)
    assert message.startswith("A tag opened with {{ is not closed with }} in its paragraph.")
    assert "“Mở đầu {{ title”" in message


def test_unknown_variable():
    template = edited(lambda t: body_tag(t).insert_paragraph_before("Về {{ tieu_de_sai }} năm"))
    [message] = english(template)
    assert message.startswith(
        "The template uses “tieu_de_sai”, which is not a name of the report's data"
    )
    assert "“Về {{ tieu_de_sai }} năm”" in message


def test_unknown_variable_in_a_branch_the_sample_skips():
    tag = "{% if draft %}{{ ten_sai }}{% endif %}"
    [message] = english(edited(lambda t: body_tag(t).insert_paragraph_before(tag)))
    assert "“ten_sai”" in message


def test_misspelt_section_key():
    [message] = english(built("{{ section.resultz.content }}"))
    assert "“resultz”" in message


def test_block_never_closed():
    template = edited(lambda t: body_tag(t).insert_paragraph_before("{% for s in sections %}"))
    [message] = english(template)
    assert message.startswith("A tag is not written correctly")
    assert "“{% for s in sections %}”" in message


def test_unknown_filter():
    [message] = english(edited(lambda t: body_tag(t).insert_paragraph_before("{{ title|hoa }}")))
    assert message.startswith("A tag is not written correctly")
    assert "No filter named 'hoa'" in message and "“{{ title|hoa }}”" in message


def test_body_must_stand_alone():
    [message] = english(edited(lambda t: body_tag(t).add_run(" và thêm")))
    assert message.startswith("The tag {{ body }} must stand alone in its paragraph")


def test_not_a_word_document():
    [message] = english(b"PK\x03\x04 not really a zip")
    assert message.startswith("The file is not a Word document (.docx) or cannot be opened.")
    assert english(b"%PDF-1.7") == [message]


def test_too_large():
    assert english(b"0" * (5 * 1024 * 1024 + 1)) == ["The file is larger than 5 MB."]


@pytest.mark.parametrize(
    "tag",
    ["{{ title.__class__.__mro__ }}", "{{ 'x' * 100000000 }}", "{{ 10 ** 100000 }}"],
)
def test_sandbox_refuses(tag):
    [message] = english(edited(lambda t: body_tag(t).insert_paragraph_before(tag)))
    assert message.startswith("The template uses something that is not allowed")
