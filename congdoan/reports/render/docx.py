"""A report `Document` as DOCX (python-docx), in the layout of Decree 30/2020/NĐ-CP and the
union's document rules of 2024.

A4, margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 pt (13 pt in tables,
12–13 pt in the header), line spacing 1.2, body paragraphs justified with a 1.27 cm first-line
indent. The header is a borderless two-column table: the issuing body under its parent, a short
rule and "Số: …" on the left; the national name, the motto over a rule and "place, ngày …" on
the right. The signature block is on the right, *Nơi nhận* on the left. Page numbers are centred
at the top from page 2 (a PAGE field; the first page has its own, empty header). The annex
follows the signature on new pages, landscape when its tables are wide.

python-docx escapes the XML itself, so "&", "<", quotes and diacritics are written as they are.

The helpers without a leading underscore (page setup, header, title, blocks, signature, annex)
are shared with render/word_template.py, which builds the unit's default Word template with
them and writes a report's blocks into the template's subdocuments: the block writers take any
container with `add_paragraph` and `add_table(rows, cols)` and the width to fill.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import docx
from django.utils import translation
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from congdoan.reports.document import (
    Block,
    Chart,
    Document,
    Header,
    Paragraph,
    Section,
    Signature,
    Table,
)
from congdoan.reports.render import common

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 13
ANNEX_PT = 12
HEADER_PT = 13
INDENT = Cm(1.27)
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm
LANDSCAPE_WIDTH_CM = 25.2  # 297 mm - 30 mm - 15 mm
CENTER = WD_ALIGN_PARAGRAPH.CENTER
# Children of w:pPr that must come after w:pBdr (the schema fixes their order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def render_docx(doc: Document, template: bytes | None = None) -> bytes:
    """The document as DOCX bytes, its fixed words in the document's language.

    With `template` (a unit's Word template, render/word_template.py) the template lays the
    document out; the blocks are written by the same writers as here."""
    if template is not None:
        from congdoan.reports.render.word_template import render_with_template

        return render_with_template(doc, template)
    with translation.override(doc.language):
        d = docx.Document()
        page_setup(d, doc.language)
        properties(d, doc)
        if doc.draft:
            draft_mark(d, common.draft_label())
        header_table(d, doc.header)
        title_block(d, doc.kind, doc.title, doc.subtitle)
        write_sections(d, doc.sections, width=_width(d))
        if doc.footnote:
            footnote(d, doc.footnote)
        signature_block(
            d,
            common.recipients_label(),
            recipient_lines(doc.recipients),
            signature_lines(doc.signature),
        )
        if has_annex(doc):
            _annex_pages(d, common.is_wide(doc.annex))
            write_annex(d, doc, width=_width(d))
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Page, fonts, runs


def page_setup(d: Any, language: str) -> None:
    """A4 portrait, the decree's margins, Times New Roman 14 pt, page numbers from page 2."""
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    _margins(section)
    style = d.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    set_language(d, language)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.2
    _page_numbers(section)


def set_language(d: Any, language: str) -> None:
    """The proofing language of the Normal style (Vietnamese or British English)."""
    rpr = d.styles["Normal"].element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN" if language.startswith("vi") else "en-GB")
    rpr.append(lang)


def properties(d: Any, doc: Document) -> None:
    """Title, language, author and dates of the file, from the document (no clock)."""
    props = d.core_properties
    props.title, props.language = doc.title, doc.language
    props.created = props.modified = doc.data_at.replace(tzinfo=None)
    props.author = props.last_modified_by = doc.header.issuer
    props.revision = 1


def _margins(section: Any) -> None:
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)


def _page_numbers(section: Any) -> None:
    """A centred PAGE field in the header of every page but the first."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("end", "")):
        run = p.add_run()
        run.font.size = Pt(HEADER_PT)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _text(
    p: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    align: Any = None,
) -> DocxParagraph:
    run = p.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if underline:
        run.underline = True
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _tight(p: DocxParagraph) -> DocxParagraph:
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    return p


def _border(p: DocxParagraph, sides: tuple[str, ...]) -> None:
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _rule(cell: Any, width_cm: float, column_cm: float) -> None:
    """A short centred line under a header line (a bottom border between two indents)."""
    p = _tight(cell.add_paragraph())
    side = Cm(max((column_cm - width_cm) / 2, 0))
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = side
    p.paragraph_format.line_spacing = Pt(2)
    _border(p, ("bottom",))


def draft_mark(d: Any, label: str) -> None:
    """ "DỰ THẢO" in a box at the top right."""
    p = _tight(d.add_paragraph())
    _text(p, label, bold=True, size=HEADER_PT, align=CENTER)
    p.paragraph_format.left_indent = Cm(TEXT_WIDTH_CM - 3.5)
    p.paragraph_format.space_after = Pt(6)
    _border(p, ("top", "left", "bottom", "right"))


# ---------------------------------------------------------------------------------------------
# Header and title


def _grid(d: Any, rows: int, widths: list[float], *, borders: bool) -> Any:
    table = d.add_table(rows=rows, cols=len(widths))
    if borders:
        table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _cell(cell: Any, lines: list[tuple[str, dict[str, Any]]]) -> None:
    """Lines of text in a cell, centred; the cell's first (empty) paragraph takes the first."""
    for i, (text, fmt) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        _text(_tight(p), text, align=CENTER, **fmt)


def header_table(d: Any, h: Header, *, upper: bool = True) -> None:
    """The two header columns; `upper=False` keeps the texts as given (a template's tags)."""
    caps = str.upper if upper else str
    left, right = 6.8, TEXT_WIDTH_CM - 6.8
    table = _grid(d, 2, [left, right], borders=False)
    issuer, nation = table.rows[0].cells
    parent = [(caps(h.issuer_parent), {"size": HEADER_PT})] if h.issuer_parent else []
    _cell(issuer, [*parent, (caps(h.issuer), {"bold": True, "size": HEADER_PT})])
    _rule(issuer, 2.5, left)
    _cell(
        nation,
        [(caps(h.nation), {"bold": True, "size": 12}), (h.motto, {"bold": True, "size": 13})],
    )
    _rule(nation, 5.8, right)
    number, place = table.rows[1].cells
    _cell(number, [(h.number, {"size": HEADER_PT})])
    _cell(place, [(h.place_date, {"italic": True, "size": 14})])
    for cell in (number, place):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)


def title_block(d: Any, kind_text: str, title_text: str, subtitle_text: str) -> None:
    kind = _text(d.add_paragraph(), kind_text, bold=True, size=BODY_PT, align=CENTER)
    kind.paragraph_format.space_before = Pt(18)
    kind.paragraph_format.space_after = Pt(0)
    title = _text(d.add_paragraph(), title_text, bold=True, align=CENTER)
    title.paragraph_format.space_after = Pt(0 if subtitle_text else 12)
    if subtitle_text:
        sub = _text(d.add_paragraph(), subtitle_text, italic=True, align=CENTER)
        sub.paragraph_format.space_after = Pt(12)


# ---------------------------------------------------------------------------------------------
# Body blocks


def write_sections(d: Any, sections: list[Section], *, width: float) -> None:
    """Every section: its heading, then its blocks. `d` is a python-docx Document or a Word
    template's subdocument (word_template.Subdoc); `width` the text width in cm."""
    for section in sections:
        if section.heading:
            _paragraph(d, Paragraph(section.heading, "heading1"))
        write_blocks(d, section.blocks, width=width)


def write_blocks(d: Any, blocks: list[Block], *, width: float, annex: bool = False) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            _paragraph(d, block)
        elif isinstance(block, Table):
            _table(d, block, size=ANNEX_PT if annex else TABLE_PT, width=width)
        else:
            _chart(d, block)


def footnote(d: Any, text: str) -> None:
    _text(d.add_paragraph(), text, italic=True, size=13)


def _paragraph(d: Any, block: Paragraph) -> None:
    style = block.style
    if style == "center":
        p = _text(d.add_paragraph(), block.text, bold=True, align=CENTER)
        p.paragraph_format.keep_with_next = True
        return
    text = block.text.upper() if style == "heading1" else block.text
    if style == "bullet":
        text = common.bullet(text)
    p = _text(
        d.add_paragraph(),
        text,
        bold=style.startswith("heading"),
        italic=style == "note",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    p.paragraph_format.first_line_indent = INDENT
    if style.startswith("heading"):
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)


def _width(d: Any) -> float:
    section = d.sections[-1]
    usable = Length(section.page_width - section.left_margin - section.right_margin)
    return float(usable.cm)


def _row_flag(row: Any, tag: str) -> None:
    el = OxmlElement(f"w:{tag}")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(d: Any, table: Table, *, size: float, width: float) -> None:
    if table.title:
        title = _text(d.add_paragraph(), table.title, bold=True, size=size + 1, align=CENTER)
        title.paragraph_format.keep_with_next = True
    count = max(len(table.columns), 1)
    if len(table.widths) == count and sum(table.widths) > 0:
        widths = [width * w / sum(table.widths) for w in table.widths]
    else:
        first = width * (0.4 if count <= 4 else 0.3) if count > 1 else width
        widths = [first] + [(width - first) / (count - 1)] * (count - 1)
    grid = _grid(d, 1, widths, borders=True)
    _row(grid.rows[0], table.columns, [False] * count, size, bold=True, head=True)
    _row_flag(grid.rows[0], "tblHeader")
    _row_flag(grid.rows[0], "cantSplit")
    lines = [*table.rows, *([table.total] if table.total else [])]
    _body_rows(grid, lines, table.numeric, widths, size, total=table.total is not None)
    if table.note:
        note = _text(_tight(d.add_paragraph()), table.note, italic=True, size=size - 1)
        note.paragraph_format.space_before = Pt(3)
    d.add_paragraph().paragraph_format.space_after = Pt(0)


def _body_rows(
    grid: Any,
    lines: list[list[str]],
    numeric: list[bool],
    widths: list[float],
    size: float,
    *,
    total: bool,
) -> None:
    """The rows of a table as WordprocessingML written at once: what `_row` writes through
    python-docx cell by cell (about half a millisecond a cell: a minute for a province's annex
    of 3,300 units), in a few microseconds a cell."""
    half_points = round(size * 2)
    twips = [round(w * 567) for w in widths]
    rows = []
    for i, line in enumerate(lines):
        bold = "<w:b/>" if total and i == len(lines) - 1 else ""
        cells = []
        for col, twip in enumerate(twips):
            text = _xml_text(line[col]) if col < len(line) else ""
            right = '<w:jc w:val="right"/>' if col < len(numeric) and numeric[col] else ""
            run = (
                f'<w:r><w:rPr>{bold}<w:sz w:val="{half_points}"/></w:rPr>'
                f'<w:t xml:space="preserve">{text}</w:t></w:r>'
                if text
                else ""
            )
            cells.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{twip}" w:type="dxa"/></w:tcPr><w:p><w:pPr>'
                f'<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{right}'
                f"</w:pPr>{run}</w:p></w:tc>"
            )
        rows.append(f'<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>{"".join(cells)}</w:tr>')
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for tr in list(parsed):
        grid._tbl.append(tr)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0


def _xml_text(text: str) -> str:
    return xml_escape(_XML_BAD.sub("", text))


def _row(
    row: Any, texts: list[str], numeric: list[bool], size: float, *, bold: bool, head: bool = False
) -> None:
    for col, (cell, text) in enumerate(zip(row.cells, texts, strict=False)):
        right = col < len(numeric) and numeric[col]
        align = CENTER if head else (WD_ALIGN_PARAGRAPH.RIGHT if right else None)
        _text(_tight(cell.paragraphs[0]), text, bold=bold, size=size, align=align)


def _chart(d: Any, chart: Chart) -> None:
    from congdoan.reports.render.charts import chart_png  # matplotlib only when needed

    p = d.add_paragraph()
    p.alignment = CENTER
    p.paragraph_format.keep_together = True
    p.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Cm(16))


# ---------------------------------------------------------------------------------------------
# Signature, recipients, annex


def recipient_lines(recipients: list[str]) -> list[str]:
    return [common.bullet(name) for name in recipients]


def signature_lines(sign: Signature, *, upper: bool = True) -> list[tuple[str, dict[str, Any]]]:
    """The right column: on behalf of, title, room to sign, name (blank lines left out)."""
    caps = str.upper if upper else str
    lines: list[tuple[str, dict[str, Any]]] = [
        (caps(sign.on_behalf), {"bold": True}),
        (caps(sign.title), {"bold": True}),
        *[("", {})] * 4,
        (sign.name, {"bold": True}),
    ]
    return [line for line in lines if line[0] or not line[1]]


def signature_block(
    d: Any, label: str, recipients: list[str], right_lines: list[tuple[str, dict[str, Any]]]
) -> None:
    """*Nơi nhận* and its lines on the left, the signature on the right."""
    d.add_paragraph().paragraph_format.space_after = Pt(0)
    table = _grid(d, 1, [7.5, TEXT_WIDTH_CM - 7.5], borders=False)
    _row_flag(table.rows[0], "cantSplit")
    left, right = table.rows[0].cells
    head = _text(_tight(left.paragraphs[0]), label, bold=True, italic=True)
    head.runs[0].font.size = Pt(12)
    for line in recipients:
        _text(_tight(left.add_paragraph()), line, size=11)
    _cell(right, right_lines)


def has_annex(doc: Document) -> bool:
    return bool(doc.annex or common.extra_charts(doc))


def _annex_pages(d: Any, wide: bool) -> None:
    """The annex starts a new page: landscape pages of its own when its tables are wide."""
    if wide:
        section = d.add_section(WD_SECTION.NEW_PAGE)
        landscape(section)
    else:
        page_break(d)


def landscape(section: Any) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section)
    section.different_first_page_header_footer = False


def page_break(d: Any) -> None:
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def write_annex(d: Any, doc: Document, *, width: float) -> None:
    """ "PHỤ LỤC", the annex tables, and the charts no section shows."""
    lines = doc.annex_title.split("\n") if doc.annex_title else [common.annex_label()]
    for i, line in enumerate(lines):
        heading = _text(d.add_paragraph(), line, bold=i == 0, italic=i > 0, align=CENTER)
        heading.paragraph_format.space_after = Pt(12 if i == len(lines) - 1 else 0)
    write_blocks(d, list(doc.annex), width=width, annex=True)
    for chart in common.extra_charts(doc):
        _chart(d, chart)
