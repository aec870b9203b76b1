"""A unit's editable Word template for its reports (docxtpl on python-docx).

Officers shape the wording and the order of a report in Word, not in code: they download the
default template, change the words around the tags, the fonts, add a logo or a fixed paragraph
("Thực hiện Kế hoạch số …"), move or delete tags, and upload it. `check_template` tells them in
plain words what is wrong and where; `preview` shows a sample report laid out by it.

`default_template()` IS the official layout of render/docx.py (Decree 30/2020), written by the
same helpers, with Jinja tags where the data goes. The tags and what they hold — each text as
the official layout prints it (the issuing bodies and the signature in capitals):

- `{{ issuer_parent }}`, `{{ issuer }}`, `{{ number }}` ("Số: 34/BC-LĐLĐ"), `{{ nation }}`,
  `{{ motto }}`, `{{ place_date }}`, `{{ kind }}`, `{{ title }}`, `{{ subtitle }}`,
  `{{ footnote }}`, `{{ on_behalf }}`, `{{ signer_title }}`, `{{ signer_name }}`,
  `{{ recipients_label }}` ("Nơi nhận:"), `recipients` (the lines, "- Lưu: VT."),
  `draft` (true on a draft) and `{{ draft_label }}` ("DỰ THẢO"), `language` ("vi" or "en");
- `{{ body }}`: every section, its heading and blocks (paragraphs, bullets, tables, charts);
- `sections`: the sections in order, each with `key`, `heading` and `content` (its blocks):
  `{%p for s in sections %}` … `{{ s.heading }}` … `{{ s.content }}` … `{%p endfor %}`;
- `section`: the same by key, e.g. `{{ section.results.content }}` (every section a report
  may have is there, empty when this report leaves it out);
- `{{ annex }}`: "PHỤ LỤC" on new pages (landscape when its tables are wide) with the annex
  tables and the charts no section shows; empty when there is none. Deleting it drops the
  annex from the Word file (the XLSX annex is still produced).

`{{ body }}`, `{{ annex }}` and every `{{ ….content }}` are subdocuments written by
render/docx.py's block writers; each stands alone in its paragraph, which it replaces
(docxtpl's `{{p … }}`; both spellings work). Rendering always escapes ("&", "<" and quotes stay
text), runs in Jinja's sandbox with `range` removed and long repetitions refused, and fails on
an unknown name (StrictUndefined), so a misspelt tag is caught when the template is checked,
not when a report is issued.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import docx
from django.utils import translation
from django.utils.translation import gettext as _
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Length
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from congdoan.reports.document import Document, Header, Section, Signature
from congdoan.reports.render import common
from congdoan.reports.render.docx import (
    LANDSCAPE_WIDTH_CM,
    TEXT_WIDTH_CM,
    draft_mark,
    footnote,
    has_annex,
    header_table,
    landscape,
    page_break,
    page_setup,
    properties,
    recipient_lines,
    set_language,
    signature_block,
    signature_lines,
    title_block,
    write_annex,
    write_blocks,
    write_sections,
)
from congdoan.reports.render.word_sample import sample_document

MAX_BYTES = 5 * 1024 * 1024  # an uploaded template
MAX_UNPACKED = 50 * 1024 * 1024  # its parts once unzipped
MAX_REPEAT = 10_000  # "x" * n, [..] * n in a template
# The context's names; a template using any other fails the check.
NAMES = (
    "issuer_parent", "issuer", "number", "nation", "motto", "place_date", "kind", "title",
    "subtitle", "body", "sections", "section", "footnote", "recipients_label", "recipients",
    "on_behalf", "signer_title", "signer_name", "annex", "draft", "draft_label", "language",
)  # fmt: skip


class TemplateProblem(ValueError):
    """A template that cannot lay out a report; the message says why, for the officer.

    The message is worded when it is read (`str`), in the language active then: the officer's,
    not the document's (a template is rendered in the document's language)."""

    def __init__(self, words: Callable[[], str]):
        super().__init__()
        self.words = words

    def __str__(self) -> str:
        return self.words()


# ---------------------------------------------------------------------------------------------
# The default template


def default_template() -> bytes:
    """The official layout with tags (see the module's docstring), as .docx bytes."""
    d = docx.Document()
    page_setup(d, "vi")
    _neutral_properties(d)
    draft_mark(d, "{{ draft_label }}")
    _wrap_if(d.paragraphs[-1], "draft")
    header_table(d, _TAG_HEADER, upper=False)
    _wrap_if(_find(d.tables[0].rows[0].cells[0].paragraphs, "{{ issuer_parent }}"), "issuer_parent")
    title_block(d, "{{ kind }}", "{{ title }}", "{{ subtitle }}")
    _wrap_if(d.paragraphs[-1], "subtitle")
    d.add_paragraph("{{ body }}")
    footnote(d, "{{ footnote }}")
    _wrap_if(d.paragraphs[-1], "footnote")
    loop = ["{%p for line in recipients %}", "{{ line }}", "{%p endfor %}"]
    signature_block(d, "{{ recipients_label }}", loop, signature_lines(_TAG_SIGNATURE, upper=False))
    right = d.tables[-1].rows[0].cells[1].paragraphs
    for name in ("on_behalf", "signer_title", "signer_name"):
        _wrap_if(_find(right, f"{{{{ {name} }}}}"), name)
    d.add_paragraph("{{ annex }}")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_TAG_HEADER = Header(
    issuer_parent="{{ issuer_parent }}",
    issuer="{{ issuer }}",
    number="{{ number }}",
    place_date="{{ place_date }}",
    nation="{{ nation }}",
    motto="{{ motto }}",
)
_TAG_SIGNATURE = Signature("{{ on_behalf }}", "{{ signer_title }}", "{{ signer_name }}")


def _neutral_properties(d: Any) -> None:
    props = d.core_properties
    props.title = props.author = props.last_modified_by = props.comments = ""
    props.created = props.modified = dt.datetime(2024, 1, 1)  # the same bytes on every call
    props.revision = 1


def _find(paragraphs: list[DocxParagraph], text: str) -> DocxParagraph:
    return next(p for p in paragraphs if p.text == text)


def _wrap_if(p: DocxParagraph, name: str) -> None:
    """Keep paragraph `p` only when `name` is not empty (docxtpl's paragraph tags)."""
    p.insert_paragraph_before(f"{{%p if {name} %}}")
    end = OxmlElement("w:p")
    p._p.addnext(end)
    DocxParagraph(end, p._parent).add_run("{%p endif %}")


# ---------------------------------------------------------------------------------------------
# Rendering


def render_with_template(doc: Document, template: bytes) -> bytes:
    """`doc` laid out by `template`: docxtpl, autoescaped, sandboxed, unknown names refused.
    The blocks are written by render/docx.py's writers into subdocuments. Raises
    TemplateProblem or a Jinja error on a template `check_template` would have refused."""
    with translation.override(doc.language):
        tpl = _Template(io.BytesIO(template))
        d = tpl.get_docx()
        _ensure_table_style(d)
        turn = common.is_wide(doc.annex) and _single_portrait(d)
        tpl.render(_context(tpl, doc, turn=turn), _environment(), autoescape=True)
        if turn:
            _turn_annex(tpl.docx)
        set_language(tpl.docx, doc.language)
        properties(tpl.docx, doc)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()


def _context(tpl: DocxTemplate, doc: Document, *, turn: bool) -> dict[str, Any]:
    h, sign = doc.header, doc.signature
    width = _usable_cm(tpl.docx.sections[0])
    entries = [_entry(tpl, s, width) for s in doc.sections]
    return {
        "issuer_parent": h.issuer_parent.upper(),
        "issuer": h.issuer.upper(),
        "number": h.number,
        "nation": h.nation.upper(),
        "motto": h.motto,
        "place_date": h.place_date,
        "kind": doc.kind,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "body": _subdoc(tpl, lambda sd: write_sections(sd, doc.sections, width=width)),
        "sections": entries,
        "section": _by_key(tpl, entries),
        "footnote": doc.footnote,
        "recipients_label": common.recipients_label(),
        "recipients": recipient_lines(doc.recipients),
        "on_behalf": sign.on_behalf.upper(),
        "signer_title": sign.title.upper(),
        "signer_name": sign.name,
        "annex": _annex(tpl, doc, turn=turn),
        "draft": doc.draft,
        "draft_label": common.draft_label(),
        "language": doc.language,
    }


class Subdoc:
    """docxtpl's `Subdoc` for blocks written here, without the docxcompose package that
    docxtpl's own class imports (it needs it only to merge another file in): a python-docx
    Document whose pictures and styles resolve in the template's part, rendered in place of
    its tag as the XML of its body. Written when the template first shows it, so blocks (and
    their charts) a template does not use cost nothing."""

    def __init__(self, main: Any, write: Callable[[Subdoc], None]) -> None:
        self.subdocx = docx.Document()
        self.subdocx._part = main.part
        self._write: Callable[[Subdoc], None] | None = write

    def __getattr__(self, name: str) -> Any:
        return getattr(self.subdocx, name)

    def __html__(self) -> str:  # Markup to Jinja: never escaped
        if self._write is not None:
            write, self._write = self._write, None
            write(self)
        body = self.subdocx.element.body
        return "".join(etree.tostring(el, encoding="unicode") for el in body if el.tag != _SECT)

    __str__ = __html__


_SECT = qn("w:sectPr")


def _subdoc(tpl: DocxTemplate, write: Callable[[Any], None]) -> Subdoc:
    return Subdoc(tpl.get_docx(), write)


def _entry(tpl: DocxTemplate, section: Section, width: float) -> dict[str, Any]:
    heading = section.heading.upper()  # as the body prints a section's heading
    content = _subdoc(tpl, lambda sd: write_blocks(sd, section.blocks, width=width))
    return {"key": section.key, "heading": heading, "content": content}


def _by_key(tpl: DocxTemplate, entries: list[dict[str, Any]]) -> SimpleNamespace:
    """Every section a report may have, by key; those this report leaves out are empty."""
    from congdoan.reports.selectors import section_choices

    empty = _subdoc(tpl, lambda sd: None)
    known = {key: {"key": key, "heading": "", "content": empty} for key, _l in section_choices()}
    return SimpleNamespace(**(known | {e["key"]: e for e in entries}))


def _annex(tpl: DocxTemplate, doc: Document, *, turn: bool) -> Any:
    def write(sd: Any) -> None:
        if not has_annex(doc):
            return
        if turn:  # a section break, filled in by _turn_annex once the template is rendered
            sd.add_paragraph()._p.get_or_add_pPr().append(OxmlElement("w:sectPr"))
        else:
            page_break(sd)
        width = LANDSCAPE_WIDTH_CM if turn else _usable_cm(tpl.docx.sections[-1])
        write_annex(sd, doc, width=width)

    return _subdoc(tpl, write)


def _usable_cm(section: DocxSection) -> float:
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if not width or left is None or right is None:
        return TEXT_WIDTH_CM
    return float(Length(width - left - right).cm)


def _single_portrait(d: Any) -> bool:
    """Only a template of one portrait section gets the annex its own landscape pages; a
    template with sections of its own keeps the page layout its officer gave it."""
    s = d.sections
    return len(s) == 1 and bool(s[0].page_width and s[0].page_width < (s[0].page_height or 0))


def _turn_annex(d: Any) -> None:
    """Landscape pages from the annex on, as render/docx.py's `add_section` does: the
    placeholder takes the portrait section's properties (ending it), the last section turns."""
    body = d.element.body
    final = body.sectPr
    marks = [s for s in body.iter(qn("w:sectPr")) if len(s) == 0 and s is not final]
    if not marks or final is None:
        return
    marks[0].getparent().replace(marks[0], copy.deepcopy(final))
    for extra in marks[1:]:
        extra.getparent().remove(extra)
    for ref in [*final.findall(qn("w:headerReference")), *final.findall(qn("w:footerReference"))]:
        final.remove(ref)
    section = DocxSection(final, d.part)
    section.start_type = WD_SECTION.NEW_PAGE
    landscape(section)


def _ensure_table_style(d: Any) -> None:
    """The tables use "Table Grid"; Word or LibreOffice may have dropped it as unused."""
    try:
        d.styles["Table Grid"]
    except KeyError:
        grid = docx.Document().styles["Table Grid"].element
        d.styles.element.append(copy.deepcopy(grid))


# ---------------------------------------------------------------------------------------------
# Jinja: sandboxed, strict, and the subdocument tags promoted to whole paragraphs


class _Sandbox(SandboxedEnvironment):
    """Refuses the arithmetic that would hang the server: huge powers and repetitions."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (_over(right, 64) or _over(left, 2**64)):
            raise SecurityError("power too large")
        if operator == "*" and (
            (isinstance(left, str | list | tuple) and _over(right, MAX_REPEAT))
            or (isinstance(right, str | list | tuple) and _over(left, MAX_REPEAT))
        ):
            raise SecurityError("repetition too long")
        return super().call_binop(context, operator, left, right)


def _over(value: Any, limit: int) -> bool:
    return isinstance(value, int) and abs(value) > limit


def _environment() -> SandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=True)
    for name in ("range", "lipsum"):
        env.globals.pop(name, None)
    return env


# An empty paragraph Word writes as <w:p w:rsidR="…"/> first, so that it never runs on into the
# next paragraph.
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?/>|<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_SUBDOC_TAG = re.compile(r"\{\{\s*(body|annex|[A-Za-z_]\w*(?:\.\w+)*\.content)\s*\}\}")
_SECT_PR = re.compile(r"<w:sectPr[ >].*?</w:sectPr>|<w:sectPr/>", re.DOTALL)


def paragraph_text(xml: str) -> str:
    return html.unescape("".join(_TEXT.findall(xml)))


def _patch_paragraph(match: re.Match[str]) -> str:
    """Refuse a tag left open in its paragraph (docxtpl would silently swallow the text up to
    the next closing braces); turn a paragraph holding only `{{ body }}` (or another
    subdocument) into `{{p body }}`."""
    xml = match.group(0)
    text = paragraph_text(xml)
    _closed(text)
    tag = _SUBDOC_TAG.search(text)
    if tag is None:
        return xml
    if text.strip() != tag.group(0):
        found = tag.group(0)

        def words() -> str:
            problem = _(
                "The tag %(tag)s must stand alone in its paragraph: it is replaced by whole "
                "paragraphs and tables."
            ) % {"tag": found}
            return f"{problem} {_where(text)}"

        raise TemplateProblem(words)
    sect = _SECT_PR.search(xml)  # the paragraph ended a section: keep the section break
    kept = f"<w:p><w:pPr>{sect.group(0)}</w:pPr></w:p>" if sect else ""
    return f"<w:p><w:r><w:t>{{{{p {tag.group(1)} }}}}</w:t></w:r></w:p>{kept}"


_DELIMITERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _closed(text: str) -> None:
    """Every "{{", "{%" and "{#" of a paragraph is closed in that paragraph."""
    opened = ""
    for token in _DELIMITERS.findall(text):
        if token in _CLOSER:
            if opened:
                break
            opened = token
        elif opened and token == _CLOSER[opened]:
            opened = ""
    if opened:
        values = {"open": opened, "close": _CLOSER[opened]}

        def words() -> str:
            problem = _("A tag opened with %(open)s is not closed with %(close)s in its paragraph.")
            return f"{problem % values} {_where(text)}"

        raise TemplateProblem(words)


class _Template(DocxTemplate):
    def patch_xml(self, src_xml: str) -> str:
        return str(super().patch_xml(_PARAGRAPH.sub(_patch_paragraph, src_xml)))


# ---------------------------------------------------------------------------------------------
# Checking an upload, and its preview


def check_template(template: bytes) -> list[str]:
    """What is wrong with an uploaded template, in the officer's words; [] when it is fine."""
    if len(template) > MAX_BYTES:
        return [_("The file is larger than %(limit)d MB.") % {"limit": MAX_BYTES // 2**20}]
    opened = _open_problem(template)
    if opened:
        return [opened]
    try:
        preview(template)
    except TemplateProblem as exc:
        return [str(exc)]
    except TemplateSyntaxError as exc:
        return [_syntax_message(exc, template)]
    except UndefinedError as exc:
        return _unknown_messages(template, exc)
    except SecurityError as exc:
        return [_("The template uses something that is not allowed (%(detail)s).") % _d(exc)]
    except Exception as exc:  # an upload can break docxtpl or python-docx in many ways
        return [_("The template cannot lay out a report (%(detail)s).") % _d(exc)]
    return _unknown_messages(template)  # names in branches the sample did not take


def preview(template: bytes) -> bytes:
    """The sample report laid out by `template` (DOCX bytes)."""
    return render_with_template(sample_document(), template)


def _d(exc: Exception) -> dict[str, str]:
    return {"detail": str(exc)[:200]}


def _open_problem(template: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
        if unpacked > MAX_UNPACKED:
            message = _("The Word document is too large once unpacked (over %(limit)d MB).")
            return message % {"limit": MAX_UNPACKED // 2**20}
        docx.Document(io.BytesIO(template))
    except Exception:  # not a zip, not a Word document, a damaged part…
        return _(
            "The file is not a Word document (.docx) or cannot be opened. Save it in Word as "
            "“Word Document (*.docx)” and upload it again."
        )
    return ""


def _where(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    short = text if len(text) <= 80 else text[:79] + "…"
    return _("In the paragraph “%(text)s”.") % {"text": short}


def _syntax_message(exc: TemplateSyntaxError, template: bytes) -> str:
    problem = _(
        "A tag is not written correctly: every {{ needs its }}, every {%% if %%} its "
        "{%% endif %%} and every {%% for %%} its {%% endfor %%} (%(detail)s)."
    ) % {"detail": exc.message or ""}
    texts = _paragraph_texts(_Template(io.BytesIO(template)).get_docx())
    if (exc.message or "").startswith("Unexpected end of template"):
        text = _unclosed_block(texts)
    else:
        text = _quoted_in(exc.message or "", texts) or _error_line(exc)
    return " ".join(filter(None, [problem, _where(text)]))


def _quoted_in(message: str, texts: list[str]) -> str:
    """The paragraph with a tag holding what Jinja's message quotes ("No filter named 'x'")."""
    names = re.findall(r"'([^']+)'", message)
    tagged = [t for t in texts if "{{" in t or "{%" in t]
    return next((t for name in names for t in tagged if name in t), "")


def _error_line(exc: TemplateSyntaxError) -> str:
    """The line docxtpl shows around the error (a paragraph, once the tags are stripped)."""
    lines = list(getattr(exc, "docx_context", None) or [])
    at = (exc.lineno or 1) - 1 - max((exc.lineno or 1) - 4, 0)
    return html.unescape(lines[at]) if 0 <= at < len(lines) else ""


_BLOCK = re.compile(r"\{%[-+]?\s*(?:(?:p|tr|tc|r)\s+)?(end)?(if|for|with|filter|macro|call|raw)\b")


def _unclosed_block(texts: list[str]) -> str:
    """The paragraph of the innermost block left open (Jinja only says the file ended)."""
    stack: list[str] = []
    for text in texts:
        for end, _name in _BLOCK.findall(text):
            if end and stack:
                stack.pop()
            elif not end:
                stack.append(text)
    return stack[-1] if stack else ""


def _undefined_name(exc: UndefinedError) -> str:
    found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
    return next((g for g in found.groups() if g), "") if found else ""


def _unknown_message(name: str, texts: list[str]) -> str:
    problem = _(
        "The template uses “%(name)s”, which is not a name of the report's data: check its "
        "spelling. The names are: %(names)s."
    ) % {"name": name, "names": ", ".join(NAMES)}
    where = _where(next((t for t in texts if name and name in t), ""))
    return " ".join(filter(None, [problem, where]))


def _unknown_messages(template: bytes, exc: UndefinedError | None = None) -> list[str]:
    """Every unknown name the template uses, wherever it is, with its paragraph; else the one
    `exc` names (a misspelt key: `section.resultz`)."""
    tpl = _Template(io.BytesIO(template))
    unknown = sorted(tpl.get_undeclared_template_variables(jinja_env=_environment()) - {*NAMES})
    if not unknown and exc is not None:
        unknown = [_undefined_name(exc)]
    texts = _paragraph_texts(tpl.get_docx())
    return [_unknown_message(name, texts) for name in unknown]


def _paragraph_texts(d: Any) -> list[str]:
    """The text of every paragraph: body, tables, headers and footers."""
    parts = [d.element.body]
    for rel in d.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            parts.append(rel.target_part.element)
    return [paragraph_text_of(p) for part in parts for p in part.iter(qn("w:p"))]


def paragraph_text_of(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))
