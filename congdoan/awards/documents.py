"""The documents of an award decision: the decision (Quyết định khen thưởng) as DOCX in the
layout of Decree 30/2020/NĐ-CP, with its annex listing the recipients, and the certificates
(Bằng khen / Giấy khen) as one PDF, a landscape A4 page per recipient.

    data = decision_data(decision)          # the selector: one plain, frozen object
    doc = decision_document(data)           # pure: a reports `Document`
    decision_docx(decision)                 # bytes, through reports.render.docx.render_docx
    certificates_pdf(decision.awards.all()) # bytes, through core.pdf (WeasyPrint)

Shape (engineering guide, "Reports"): `decision_data` reads the database in two queries — the
decision with its issuer, the issuer's parent and the regulation; the awards with their forms,
units and members — (a third when only an ancestor of the issuer records its province) and
returns a `DecisionData`;
everything after it is pure and tested without the database. The decision is written as a
reports `Document` and rendered by the reports' own DOCX renderer (header, title, signature
block and annex are the same as a report's).

Language: these documents are always in Vietnamese, whatever the interface language. A decision
and a certificate are administrative documents of a Vietnamese body; Decree 30/2020 prescribes
their wording and layout in Vietnamese, and they are signed, stamped and kept as such (an
English interface user still issues a Vietnamese decision). A report, by contrast, may be
written in English on request (`reports.Options.language`); a decision has no such option. The
fixed texts are therefore Vietnamese literals here, not translatable messages.

What the models do not record is derived or taken as a parameter: the signer's title
(`signer_title`, "Chủ tịch" by default), the body deciding ("Ban Thường vụ", "Ban Chấp hành"
for a grassroots union, which may have no standing committee), who proposed the awards
(`proposed_by`, the issuer's emulation and rewards council by default) and the subject of the
decision (`subject`: the awards' common theme, else "phong trào thi đua … năm <year>"). The
position of a recipient outside the union is read from the award's `details["position"]` when
given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from congdoan.awards.models import COLLECTIVE_KINDS, Award, Decision, Kind
from congdoan.core.formats import long_date, short_date
from congdoan.reports.document import (
    Block,
    Document,
    Header,
    Paragraph,
    Section,
    Signature,
    Table,
)

LANGUAGE = "vi"
CERTIFICATE_TEMPLATE = "awards/certificates_pdf.html"
CERTIFICATE_CSS = "awards/documents/certificates.css"
GRASSROOTS_LEVELS = frozenset({"grassroots", "member_grassroots"})
# The large word of a certificate, by kind of form ("BẰNG KHEN", "GIẤY KHEN"…).
CERTIFICATE_WORDS: dict[str, str] = {
    Kind.FLAG: "CỜ THI ĐUA",
    Kind.CERTIFICATE_OF_MERIT: "BẰNG KHEN",
    Kind.CERTIFICATE: "GIẤY KHEN",
    Kind.MEDAL: "KỶ NIỆM CHƯƠNG",
    Kind.CREATIVE_LABOUR: "BẰNG LAO ĐỘNG SÁNG TẠO",
    Kind.PRIZE: "GIẢI THƯỞNG",
}
LONG_NAME, LONG_TEXT = 45, 260  # characters: longer texts are printed smaller
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


# ---------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True)
class Recipient:
    award_id: int
    name: str  # the unit's official name, the member's full name, the outside name
    kind: str  # a `RecipientKind` value
    collective: bool  # a unit or an outside body (tập thể); else an individual (cá nhân)
    unit_text: str  # a unit's parent; a member's "job title, unit"; an outside position
    achievement: str
    theme: str
    year: int


@dataclass(frozen=True)
class FormGroup:
    """The recipients of one form, collectives first, each in the order they were added."""

    code: str
    name: str  # "Bằng khen của Liên đoàn Lao động tỉnh, thành phố, …"
    kind: str  # a `Kind` value
    recipients: tuple[Recipient, ...]

    @property
    def collective(self) -> int:
        return sum(1 for r in self.recipients if r.collective)

    @property
    def individual(self) -> int:
        return len(self.recipients) - self.collective

    @property
    def tally(self) -> str:
        """ "150 tập thể, 350 cá nhân" (a zero part left out)."""
        return tally(self.collective, self.individual)


@dataclass(frozen=True)
class DecisionData:
    """Everything the decision and its certificates print (all plain text and dates)."""

    issuer: str  # "Liên đoàn Lao động tỉnh Lai Châu" (or an outside issuer's name)
    issuer_short: str  # "LĐLĐ tỉnh Lai Châu"
    issuer_parent: str  # "Tổng Liên đoàn Lao động Việt Nam", "" for none
    authority: str  # "Ban Thường vụ Liên đoàn Lao động tỉnh Lai Châu"
    number: str  # "12/QĐ-LĐLĐ"
    signed_on: dt.date
    place: str  # "Lai Châu", "" when the issuer's province is unknown
    on_behalf: str  # "TM. Ban Thường vụ"
    signer_title: str  # "Chủ tịch"
    signer_name: str
    regulation: str  # "Quy chế khen thưởng của tổ chức Công đoàn (2024)"
    proposed_by: str  # "Hội đồng Thi đua - Khen thưởng LĐLĐ tỉnh Lai Châu"
    subject: str  # "phong trào thi đua và hoạt động công đoàn năm 2024"
    groups: tuple[FormGroup, ...]

    @property
    def collective(self) -> int:
        return sum(g.collective for g in self.groups)

    @property
    def individual(self) -> int:
        return sum(g.individual for g in self.groups)

    @property
    def recipients(self) -> list[tuple[FormGroup, Recipient]]:
        return [(g, r) for g in self.groups for r in g.recipients]


def tally(collective: int, individual: int) -> str:
    parts = [f"{_count(collective)} tập thể"] if collective else []
    if individual or not collective:
        parts.append(f"{_count(individual)} cá nhân")
    return ", ".join(parts)


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Vietnamese digit grouping: 1.500


# ---------------------------------------------------------------------------------------------
# The selector


def decision_data(
    decision: Decision,
    *,
    signer_title: str = "Chủ tịch",
    proposed_by: str = "",
    subject: str = "",
    award_ids: Iterable[int] | None = None,
) -> DecisionData:
    """The decision's documents as data, in two queries whatever the number of recipients (the
    decision with its issuer; the awards with their forms, units and members), a third when the
    province is recorded on an ancestor of the issuer, a fourth with `award_ids`, which keeps
    only those awards (the certificates of a few recipients; the subject stays the whole
    decision's)."""
    decision = Decision.objects.select_related(
        "issuer_unit__unit_type__level", "issuer_unit__parent", "regulation"
    ).get(pk=decision.pk)
    awards = Award.objects.filter(decision=decision).select_related(
        "form", "unit__parent", "member__unit"
    )
    if award_ids is not None:
        awards = awards.filter(pk__in=list(award_ids))
    rows = sorted(
        awards,
        key=lambda a: (a.form.order, a.form.name, a.form_id, not _is_collective(a), a.pk),
    )
    by_form: dict[int, list[Award]] = {}
    for award in rows:
        by_form.setdefault(award.form_id, []).append(award)
    groups = [
        FormGroup(
            same[0].form.code,
            same[0].form.name,
            same[0].form.kind,
            tuple(_recipient(a) for a in same),
        )
        for same in by_form.values()
    ]
    if award_ids is not None and not subject:  # the decision's subject, not the subset's
        every = Award.objects.filter(decision=decision).values_list("theme", "year")
        subject = _subject([(theme, year) for theme, year in every], decision.signed_on.year)
    return _assemble(decision, tuple(groups), signer_title, proposed_by, subject)


def _is_collective(award: Award) -> bool:
    return award.recipient_kind in COLLECTIVE_KINDS


def _recipient(award: Award) -> Recipient:
    if award.unit is not None:
        parent = award.unit.parent
        text = parent.name if parent is not None else ""
    elif award.member is not None:
        text = ", ".join(t for t in (award.member.job_title, award.member.unit.name) if t)
    else:
        position = (award.details or {}).get("position")
        text = position if isinstance(position, str) else ""
    return Recipient(
        award_id=award.pk,
        name=award.recipient_label,
        kind=award.recipient_kind,
        collective=_is_collective(award),
        unit_text=text,
        achievement=award.achievement.strip(),
        theme=award.theme,
        year=award.year,
    )


def _assemble(
    decision: Decision,
    groups: tuple[FormGroup, ...],
    signer_title: str,
    proposed_by: str,
    subject: str,
) -> DecisionData:
    unit = decision.issuer_unit
    signed_year = decision.signed_on.year
    if unit is not None:
        issuer, short = unit.name, unit.short_name or unit.name
        parent = unit.parent.name if unit.parent is not None else ""
        grassroots = unit.unit_type.level.code in GRASSROOTS_LEVELS
        body = "Ban Chấp hành" if grassroots else "Ban Thường vụ"
        authority, on_behalf = f"{body} {issuer}", f"TM. {body}"
        council = f"Hội đồng Thi đua - Khen thưởng {short}"
    else:
        issuer = short = authority = decision.issuer_name
        parent, on_behalf, council = "", "", ""
    return DecisionData(
        issuer=issuer,
        issuer_short=short,
        issuer_parent=parent,
        authority=authority,
        number=_number(decision.number),
        signed_on=decision.signed_on,
        place=_place(unit),
        on_behalf=on_behalf,
        signer_title=signer_title,
        signer_name=decision.signer,
        regulation=decision.regulation.name,
        proposed_by=proposed_by or council or issuer,
        subject=subject
        or _subject([(r.theme, r.year) for g in groups for r in g.recipients], signed_year),
        groups=groups,
    )


def _number(number: str) -> str:
    """As recorded ("12/QĐ-LĐLĐ"), a number below 10 with its leading zero (Decree 30: "05/…");
    a bare number gets the symbol of a decision ("05/QĐ")."""
    found = re.fullmatch(r"(\d+)(.*)", number)
    if found is None:
        return number
    digits, rest = found.groups()
    return f"{int(digits):02d}{rest or '/QĐ'}"


def _place(unit: Any) -> str:
    """The province of the issuer, or of its nearest ancestor that records one."""
    if unit is None:
        return ""
    if unit.province_code:
        return str(unit.province_name)
    from congdoan.organisation.divisions import province_name
    from congdoan.organisation.models import Unit

    prefixes = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    code = (
        Unit.objects.filter(path__in=prefixes, province_code__isnull=False)
        .order_by("-depth")
        .values_list("province_code", flat=True)
        .first()
    )
    return province_name(code)


def _subject(awards: list[tuple[str, int]], year: int) -> str:
    """The awards' common theme, else the emulation year the most of them reward."""
    themes = {theme for theme, _ in awards}
    if len(themes) == 1 and "" not in themes:
        return themes.pop()
    if awards:
        year = Counter(y for _, y in awards).most_common(1)[0][0]
    return f"phong trào thi đua và hoạt động công đoàn năm {year}"


# ---------------------------------------------------------------------------------------------
# The decision (pure)


def decision_document(data: DecisionData) -> Document:
    """The Quyết định as a reports `Document`: header, title, grounds, articles, signature and
    the annex listing the recipients, a table per form."""
    place_date = (
        f"{data.place}, {long_date(data.signed_on)}" if data.place else long_date(data.signed_on)
    )
    return Document(
        header=Header(
            issuer_parent=data.issuer_parent.upper(),
            issuer=data.issuer.upper(),
            number=f"Số: {data.number}",
            place_date=place_date[:1].upper() + place_date[1:],
        ),
        kind="QUYẾT ĐỊNH",
        title=f"Về việc khen thưởng {_who(data)} có thành tích xuất sắc trong {data.subject}",
        subtitle="",
        sections=[Section("decision", "", _body(data))],
        signature=Signature(data.on_behalf, data.signer_title, data.signer_name),
        recipients=_copies(data),
        annex=[_annex_table(i, g) for i, g in enumerate(data.groups)],
        charts=[],
        news=None,
        language=LANGUAGE,
        data_at=dt.datetime.combine(data.signed_on, dt.time()),
        draft=False,
        annex_title=(
            f"DANH SÁCH {_who(data).upper()} ĐƯỢC KHEN THƯỞNG\n(Kèm theo Quyết định số "
            f"{data.number} ngày {short_date(data.signed_on)} của {data.authority})"
        ),
    )


def _who(data: DecisionData) -> str:
    if data.collective and data.individual:
        return "các tập thể, cá nhân"
    return "các tập thể" if data.collective else "các cá nhân"


def _body(data: DecisionData) -> list[Block]:
    grounds = [
        Paragraph("Căn cứ Điều lệ Công đoàn Việt Nam;", "note"),
        Paragraph(f"Căn cứ {data.regulation};", "note"),
        Paragraph(f"Xét đề nghị của {data.proposed_by},", "note"),
    ]
    return [
        Paragraph(data.authority.upper(), "center"),
        *grounds,
        Paragraph("QUYẾT ĐỊNH:", "center"),
        *_article_one(data),
        Paragraph(
            "Điều 2. Kèm theo hình thức khen thưởng là tiền thưởng theo "
            f"{data.regulation} và các quy định hiện hành."
        ),
        Paragraph(
            "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Văn phòng, các ban, đơn vị có liên "
            f"quan của {data.issuer_short} và các tập thể, cá nhân có tên tại Điều 1 căn cứ "
            "Quyết định thi hành./."
        ),
    ]


def _article_one(data: DecisionData) -> list[Paragraph]:
    why = f"đã có thành tích xuất sắc trong {data.subject}"
    if len(data.groups) == 1:
        group = data.groups[0]
        return [
            Paragraph(
                f"Điều 1. Tặng {group.name} cho {group.tally} có tên trong danh sách kèm "
                f"theo, {why}."
            )
        ]
    lines = [
        Paragraph(
            f"Điều 1. Khen thưởng {tally(data.collective, data.individual)} có tên trong "
            f"danh sách kèm theo, {why}, gồm:"
        )
    ]
    last = len(data.groups) - 1
    lines += [
        Paragraph(f"Tặng {g.name}: {g.tally}{'.' if i == last else ';'}", "bullet")
        for i, g in enumerate(data.groups)
    ]
    return lines


def _copies(data: DecisionData) -> list[str]:
    """*Nơi nhận*."""
    above = [f"{data.issuer_parent} (để báo cáo);"] if data.issuer_parent else []
    return ["Như Điều 3;", *above, "Lưu: VT, TĐKT."]


def _annex_table(index: int, group: FormGroup) -> Table:
    numeral = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    with_achievement = any(r.achievement for r in group.recipients)
    columns = ["STT", "Tên tập thể, cá nhân", "Đơn vị, chức vụ"]
    widths = [1.2, 7.0, 8.3]
    if with_achievement:
        columns.append("Thành tích")
        widths = [1.2, 5.5, 5.0, 4.8]
    rows = []
    for n, r in enumerate(group.recipients, 1):
        row = [str(n), r.name, r.unit_text]
        if with_achievement:
            row.append(r.achievement)
        rows.append(row)
    return Table(
        title=f"{numeral}. {group.name.upper()} ({group.tally})",
        columns=columns,
        rows=rows,
        numeric=[False] * len(columns),
        widths=widths,
    )


def decision_docx(decision: Decision, **options: Any) -> bytes:
    """The decision as DOCX bytes (`options`: those of `decision_data`)."""
    from congdoan.reports.render.docx import render_docx

    return render_docx(decision_document(decision_data(decision, **options)))


# ---------------------------------------------------------------------------------------------
# The certificates


@dataclass(frozen=True)
class Certificate:
    """One page: what a Bằng khen / Giấy khen prints."""

    issuer_parent: str
    issuer: str  # "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"
    authority: str  # "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU"
    word: str  # "BẰNG KHEN"
    form_name: str
    name: str
    collective: bool
    unit_text: str
    achievement: str  # "Đã có thành tích …"
    place_date: str
    decision_line: str  # "Số QĐ: 12/QĐ-LĐLĐ, ngày 15/01/2025"
    on_behalf: str
    signer_title: str
    signer_name: str

    @property
    def long_name(self) -> bool:  # set smaller to fit the page
        return len(self.name) > LONG_NAME

    @property
    def long_text(self) -> bool:
        return len(self.achievement) + len(self.unit_text) > LONG_TEXT


def certificates(data: DecisionData) -> list[Certificate]:
    """A certificate per recipient of the decision, in the order of its annex (pure)."""
    place_date = (
        f"{data.place}, {long_date(data.signed_on)}" if data.place else long_date(data.signed_on)
    )
    return [
        Certificate(
            issuer_parent=data.issuer_parent.upper(),
            issuer=data.issuer.upper(),
            authority=data.authority.upper(),
            word=CERTIFICATE_WORDS.get(group.kind, group.name.upper()),
            form_name=group.name,
            name=r.name,
            collective=r.collective,
            unit_text=r.unit_text,
            achievement=_achievement(r, data.subject),
            place_date=place_date[:1].upper() + place_date[1:],
            decision_line=f"Số QĐ: {data.number}, ngày {short_date(data.signed_on)}",
            on_behalf=data.on_behalf.upper(),
            signer_title=data.signer_title.upper(),
            signer_name=data.signer_name,
        )
        for group, r in data.recipients
    ]


def _achievement(r: Recipient, subject: str) -> str:
    text = r.achievement
    if not text:
        return f"Đã có thành tích xuất sắc trong {r.theme or subject}"
    if text.lower().startswith("đã có"):
        return text[:1].upper() + text[1:]
    return f"Đã có thành tích {text[:1].lower() + text[1:]}"


def certificates_html(pages: list[Certificate]) -> str:
    """The certificates as HTML for print (pure; the template escapes every value)."""
    return render_to_string(CERTIFICATE_TEMPLATE, {"pages": pages})


def certificates_css() -> str:
    """The certificates' page and layout CSS, given to WeasyPrint after core.pdf's."""
    return render_to_string(CERTIFICATE_CSS)


def certificates_pdf(awards: Iterable[Award], *, signer_title: str = "Chủ tịch") -> bytes:
    """One PDF, a landscape A4 page per award of `awards` (a queryset or a list, possibly of
    several decisions), in the order given."""
    from congdoan.core.pdf import html_to_pdf

    ids = [a.pk for a in awards]
    by_decision: dict[int, list[int]] = {}
    for decision_id, pk in (
        Award.objects.filter(pk__in=ids).values_list("decision_id", "pk").order_by()
    ):
        by_decision.setdefault(decision_id, []).append(pk)
    found: dict[int, Certificate] = {}
    for decision_id, pks in by_decision.items():
        data = decision_data(Decision(pk=decision_id), signer_title=signer_title, award_ids=pks)
        for (_, r), page in zip(data.recipients, certificates(data), strict=True):
            found[r.award_id] = page
    pages = [found[pk] for pk in ids if pk in found]
    return html_to_pdf(certificates_html(pages), landscape=True, extra_css=certificates_css())
