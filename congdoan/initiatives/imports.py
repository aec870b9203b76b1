"""The initiatives register's file (`activities.imports`): the lists of initiatives that unions
and the programme's councils keep in Excel, one row per initiative.

- The programme is named as it is called (diacritics and case ignored) among the programmes the
  importing unit takes part in (organised by it or a unit above it); left empty, it is the one
  such programme that holds the row's submission day.
- Each row is checked with the rules of the services (`services.check_initiative`: the unit
  within the programme's organiser, the day inside the programme and one of its phases, not in
  the future, the decision dated after the submission, a reason for a rejection).
- Authors: members by card number (one the importing officer may see, of a union within the
  row's unit), and people named with their workplace ("Lò Văn A, Công ty X; Hà Thị B").
- The natural key is the unit, the programme, the title (folded) and the submission day: a file
  imported twice creates nothing the second time.

Look-ups take one query per kind for the whole file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period
from congdoan.initiatives.models import Author, Field, Initiative, Programme, Status
from congdoan.initiatives.services import check_initiative

STEP = 4
FIELDS = {
    Field.TECHNICAL: ("Kỹ thuật, công nghệ", "ky thuat", "cong nghe"),
    Field.PRODUCTION: ("Sản xuất, kinh doanh", "san xuat", "kinh doanh"),
    Field.MANAGEMENT: ("Quản lý, hành chính", "quan ly", "hanh chinh"),
    Field.DIGITAL: ("Chuyển đổi số", "chuyen doi so", "cong nghe thong tin"),
    Field.EDUCATION: ("Giáo dục, đào tạo", "giao duc", "dao tao", "giang day"),
    Field.HEALTH: ("Y tế, chăm sóc sức khỏe", "y te", "suc khoe"),
    Field.SAFETY: ("An toàn lao động, môi trường", "an toan", "moi truong", "bao ho lao dong"),
    Field.OTHER: ("Lĩnh vực khác", "khac"),
}
STATUSES = {
    Status.SUBMITTED: ("Đã đăng ký", "dang ky", "cho xet", "chua xet"),
    Status.VALID: ("Hợp lệ", "hop le", "cong nhan", "duoc cong nhan"),
    Status.REJECTED: ("Không được công nhận", "khong hop le", "khong cong nhan", "loai", "bi loai"),
}


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]


def _programmes(ctx: im.Context) -> list[tuple[Programme, list[Period]]]:
    """The programmes the importing unit takes part in, with their phases (two queries)."""
    path = ctx.unit.path
    above = [path[:i] for i in range(STEP, len(path) + 1, STEP)]
    found = list(Programme.objects.filter(unit__path__in=above).select_related("unit", "period"))
    phases: dict[int, list[Period]] = {p.period_id: [] for p in found}
    for phase in Period.objects.filter(parent__in=list(phases)).order_by("start"):
        phases[phase.parent_id].append(phase)  # type: ignore[index]
    return [(p, phases[p.period_id]) for p in found]


def _pick_programme(
    row: im.Row, ctx: im.Context, programmes: list[tuple[Programme, list[Period]]]
) -> tuple[Programme, list[Period]] | None:
    name = fold(row.get("programme") or "")
    if name:
        named = [p for p in programmes if fold(p[0].name) == name]
    else:
        day = row["submitted_on"]
        named = [p for p in programmes if p[0].period.start <= day <= p[0].period.end]
    if len(named) == 1:
        return named[0]
    if name:
        ctx.error(row, "programme", _("No programme of this name takes in %(unit)s.") % {
            "unit": im.unit_label(ctx.unit)
        })  # fmt: skip
    else:
        ctx.error(row, "programme", _("Name the programme of the initiative."))
    return None


def _members(rows: list[im.Row], ctx: im.Context) -> dict[str, Any]:
    """Card number → member, for the members the importing officer may see (one query)."""
    cards = {c for r in rows for c in _split(r.get("author_cards"))}
    if not cards:
        return {}
    member_model: Any = Author._meta.get_field("member").related_model
    qs = member_model._default_manager.filter(card_number__in=cards).select_related("unit")
    limit = scope_q(ctx.actor, Action.MEMBERS_VIEW, "unit__path") if ctx.actor else None
    return {m.card_number: m for m in (qs.filter(limit) if limit is not None else qs)}


def _authors(row: im.Row, ctx: im.Context, members: dict[str, Any]) -> list[Author] | None:
    people = []
    for card in _split(row.get("author_cards")):
        member = members.get(card)
        if member is None or not member.unit.path.startswith(row["unit"].path):
            message = _("No member with card number %(card)s was found within your scope.")
            ctx.error(row, "author_cards", message % {"card": card})
            return None
        people.append(Author(member=member, full_name=member.full_name))
    for part in (row.get("other_authors") or "").split(";"):
        name, _sep, place = part.partition(",")
        if name.strip():
            people.append(Author(full_name=name.strip()[:200], workplace=place.strip()[:300]))
    if not people:
        ctx.error(row, "author_cards", _("Name at least one author."))
        return None
    for order, author in enumerate(people, start=1):
        author.order = order
    return people


def _initiative(row: im.Row, programme: Programme) -> Initiative:
    return Initiative(
        unit=row["unit"], programme=programme, title=row["title"],
        field=row["field"] or Field.OTHER, submitted_on=row["submitted_on"],
        status=row["status"] or Status.SUBMITTED, decided_on=row["decided_on"],
        decision_note=row["decision_note"] or "", benefit=row["benefit"],
        summary=row["summary"] or "",
    )  # fmt: skip


def prepare(rows: list[im.Row], ctx: im.Context) -> None:
    """The rules of each initiative, its programme and phase, and its authors."""
    programmes = _programmes(ctx)
    members = _members(rows, ctx)
    for row in rows:
        picked = _pick_programme(row, ctx, programmes)
        if picked is None:
            continue
        record = _initiative(row, picked[0])
        try:
            check_initiative(ctx.actor, record, picked[0], picked[1])
        except RuleViolation as exc:
            key = exc.field if exc.field and ctx.spec.column(exc.field) else "title"
            ctx.error(row, key, str(exc))
            continue
        authors = _authors(row, ctx, members)
        if authors is not None:
            record.search_text = fold(record.title)[:1500]
            row["record"], row["authors"] = record, authors


def write(rows: list[im.Row], ctx: im.Context) -> list[Any]:
    created = im.bulk_write(Initiative, [r["record"] for r in rows], ctx)
    authors = []
    for record, row in zip(created, rows, strict=True):
        for author in row["authors"]:
            author.initiative = record
            authors.append(author)
    im.bulk_write(Author, authors, ctx)
    return created


def export_row(record: Initiative) -> dict[str, Any]:
    authors = list(record.authors.all())
    cards = [a.member.card_number for a in authors if a.member and a.member.card_number]
    others = [
        f"{a.full_name}, {a.workplace}" if a.workplace else a.full_name
        for a in authors
        if not (a.member and a.member.card_number)
    ]
    return {
        "unit": record.unit.code, "programme": record.programme.name, "title": record.title,
        "field": FIELDS[Field(record.field)][0], "submitted_on": record.submitted_on,
        "status": STATUSES[Status(record.status)][0], "decided_on": record.decided_on,
        "decision_note": record.decision_note, "benefit": record.benefit,
        "author_cards": ", ".join(cards), "other_authors": "; ".join(others),
        "summary": record.summary,
    }  # fmt: skip


def _export_queryset(qs: Any) -> Any:
    return qs.select_related("unit", "programme__period").prefetch_related("authors__member")


def _key(row: im.Row) -> tuple[Any, ...]:
    return (row["unit"], fold(row.get("programme") or ""), fold(row["title"]), row["submitted_on"])


SPEC = im.Spec(
    register="initiatives",
    sheet="Sáng kiến",
    columns=[
        im.Column(
            "unit",
            "Mã đơn vị",
            ("ma don vi", "ma cdcs", "don vi"),
            parse=im.unit(),
            note="Để trống: đơn vị nhập",
        ),
        im.Column(
            "programme",
            "Chương trình",
            ("chuong trinh", "ten chuong trinh"),
            parse=im.text(200),
            width=30,
            note="Để trống: chương trình duy nhất đang diễn ra vào ngày đăng ký",
        ),
        im.Column(
            "title",
            "Tên sáng kiến",
            ("ten sang kien", "sang kien", "ten giai phap"),
            parse=im.text(500),
            required=True,
            width=40,
        ),
        im.Column("field", "Lĩnh vực", ("linh vuc",), parse=im.choice(FIELDS), width=24),
        im.Column(
            "submitted_on",
            "Ngày đăng ký",
            ("ngay dang ky", "ngay nop", "ngay gui"),
            parse=im.date(),
            required=True,
        ),
        im.Column(
            "status",
            "Kết quả",
            ("ket qua", "trang thai", "cong nhan"),
            parse=im.choice(STATUSES),
            width=20,
            note="Để trống: đã đăng ký, chưa xét",
        ),
        im.Column(
            "decided_on", "Ngày quyết định", ("ngay quyet dinh", "ngay cong nhan"), parse=im.date()
        ),
        im.Column(
            "decision_note",
            "Lý do",
            ("ly do", "ghi chu ket qua"),
            parse=im.text(1000),
            width=30,
            note="Bắt buộc khi không được công nhận",
        ),
        im.Column(
            "benefit",
            "Giá trị làm lợi (đồng)",
            ("gia tri lam loi", "lam loi", "gia tri"),
            parse=im.money(),
        ),
        im.Column(
            "author_cards",
            "Số thẻ tác giả là đoàn viên",
            ("so the tac gia", "so the"),
            parse=im.text(1000),
            width=24,
            note="Nhiều số thẻ cách nhau bằng dấu phẩy",
        ),
        im.Column(
            "other_authors",
            "Tác giả khác",
            ("tac gia khac", "tac gia"),
            parse=im.text(1000),
            width=36,
            note="Họ và tên, nơi công tác; người sau cách bằng dấu chấm phẩy",
        ),
        im.Column("summary", "Tóm tắt", ("tom tat", "noi dung"), parse=im.text(5000), width=40),
    ],
    key=_key,
    prepare=prepare,
    write=write,
    export_row=export_row,
    export_queryset=_export_queryset,
    guide=[
        "Mỗi dòng là một sáng kiến tham gia chương trình (ví dụ “1 triệu sáng kiến”).",
        "Mã đơn vị: công đoàn của tác giả (để trống: đơn vị nhập file).",
        "Ngày đăng ký quyết định giai đoạn của sáng kiến; không ghi ngày trong tương lai.",
        "Kết quả “Không được công nhận” cần ghi lý do; ngày quyết định không trước ngày đăng ký.",
        "Tác giả là đoàn viên ghi số thẻ; tác giả khác ghi họ tên và nơi công tác.",
    ],
    example={
        "title": "Cải tiến quy trình tiếp nhận hồ sơ một cửa bằng mã QR",
        "field": "Chuyển đổi số",
        "submitted_on": dt.date(2025, 3, 10),
        "status": "Hợp lệ",
        "decided_on": dt.date(2025, 4, 15),
        "benefit": 120_000_000,
        "other_authors": "Lò Văn Khách, Công ty Thủy điện Lai Châu",
    },
)
