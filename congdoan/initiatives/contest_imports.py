"""The files of one contest (`activities.imports`): its entries, and a quiz's participants.

A file is imported into ONE contest, the contest of the page's URL: the contest is no column.
`entries_spec(contest)` and `participants_spec(contest)` build the contest's `Spec` for each
request (the views do, once they have checked the contest), so that `prepare`, `write`, the key
and the export all know it:

- its register code is the contest's own ("contest_entries_<id>", "contest_participants_<id>"):
  the namespace of its uploads (an upload made for one contest is not found from another's
  pages) and of its imported keys; the key holds the contest as well. The same file imported
  into two contests creates records in both, and imported again into one creates nothing;
- the importing unit is the contest's organiser (the pages ask for no unit), so the unit codes
  of the file are units of its subtree, within the officer's scope, as the services require;
- each row is checked with the rules of the services (`services.check_entry`,
  `services.check_participant`: the prize from the list, only a quiz has participants, a member
  the officer may see, of a union within the organiser's subtree), without a query per row:
  members are read once for the whole file by card number;
- exports are the contest's records, so an exported file imported back creates nothing.

Entries: unit, title of the work or solution, authors (as text), prize. Participants: unit and
count, or one person by a member's card number (the member's union is then the unit) or by
full name; a named person counts one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from congdoan.activities import imports as im
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_q
from congdoan.initiatives import services
from congdoan.initiatives.models import Contest, Entry, Participant, Prize
from congdoan.initiatives.services.contests import MAX_COUNT

ENTRIES = "contest_entries"
PARTICIPANTS = "contest_participants"
NO_PRIZE = ""
PRIZES = {
    Prize.FIRST: ("Giải nhất", "nhat", "giai nhat", "giai 1", "giai i", "1"),
    Prize.SECOND: ("Giải nhì", "nhi", "giai nhi", "giai 2", "giai ii", "2"),
    Prize.THIRD: ("Giải ba", "ba", "giai ba", "giai 3", "giai iii", "3"),
    Prize.CONSOLATION: ("Giải khuyến khích", "khuyen khich", "giai khuyen khich", "kk"),
    NO_PRIZE: ("Không đạt giải", "khong", "khong dat giai", "khong giai", "chua dat giai"),
}
UNIT_VARIANTS = ("ma don vi", "ma cdcs", "don vi")


def register_of(prefix: str, contest: Contest) -> str:
    """The register code of one contest's file: its uploads and imported keys."""
    return f"{prefix}_{contest.pk}"


def _same_organiser(contest: Contest, ctx: im.Context) -> bool:
    """The file goes to the contest's organiser (the pages upload it there)."""
    if ctx.unit.pk == contest.unit_id:
        return True
    ctx.error(
        None,
        "",
        _("This file is imported by %(unit)s, which organises the contest.")
        % {"unit": im.unit_label(contest.unit)},
    )
    return False


def _rule(ctx: im.Context, row: im.Row, exc: RuleViolation, columns: dict[str, str]) -> None:
    """A refusal of the services as the error of the row's column that it is about."""
    ctx.error(row, columns.get(exc.field or "", columns[""]), str(exc))


# ---------------------------------------------------------------------------------------------
# Entries

ENTRY_COLUMNS = [
    im.Column(
        "unit",
        "Mã đơn vị",
        (*UNIT_VARIANTS, "don vi du thi", "ma don vi du thi"),
        parse=im.unit(),
        note="Đơn vị dự thi, thuộc đơn vị tổ chức; để trống: đơn vị tổ chức",
    ),
    im.Column(
        "title",
        "Tên công trình, giải pháp",
        ("ten cong trinh", "ten giai phap", "ten de tai", "ten bai du thi", "ten san pham"),
        parse=im.text(500),
        required=True,
        width=40,
    ),
    im.Column(
        "authors",
        "Tác giả",
        ("tac gia", "nhom tac gia", "nguoi thuc hien", "tac gia, nhom tac gia"),
        parse=im.text(1000),
        width=36,
        note="Họ và tên; nhiều người cách nhau bằng dấu phẩy",
    ),
    im.Column(
        "prize",
        "Giải thưởng",
        ("giai thuong", "giai", "dat giai", "ket qua"),
        parse=im.choice(PRIZES),
        width=20,
        note="Để trống: không đạt giải",
    ),
]
ENTRY_RULE_COLUMNS = {
    "unit": "unit",
    "title": "title",
    "authors": "authors",
    "prize": "prize",
    "": "title",
}


def _entries_prepare(contest: Contest) -> Callable[[list[im.Row], im.Context], None]:
    def prepare(rows: list[im.Row], ctx: im.Context) -> None:
        """Each entry with the rules of `services.check_entry` (no query)."""
        if not _same_organiser(contest, ctx):
            return
        for row in rows:
            entry = Entry(
                contest=contest,
                unit=row["unit"],
                title=row["title"],
                authors=row["authors"] or "",
                prize=row["prize"] or NO_PRIZE,
            )
            try:
                services.check_entry(ctx.actor, entry, contest)
            except RuleViolation as exc:
                _rule(ctx, row, exc, ENTRY_RULE_COLUMNS)
                continue
            row["record"] = entry

    return prepare


def _writer(model: type[Entry] | type[Participant]) -> Callable[[list[im.Row], im.Context], Any]:
    """The spec's `write`: the records its `prepare` checked, created in one go."""

    def write(rows: list[im.Row], ctx: im.Context) -> list[Any]:
        return im.bulk_write(model, [r["record"] for r in rows], ctx)

    return write


def export_entry(entry: Entry) -> dict[str, Any]:
    return {
        "unit": entry.unit.code,
        "title": entry.title,
        "authors": entry.authors,
        "prize": PRIZES[entry.prize][0] if entry.prize else "",
    }


def entries_spec(contest: Contest) -> im.Spec:
    """The file of `contest`'s entries (a technical-innovation contest's works and solutions,
    a quiz's papers), with their prizes."""

    def export_queryset(qs: QuerySet[Entry]) -> QuerySet[Entry]:
        return qs.filter(contest=contest).select_related("unit")

    return im.Spec(
        register=register_of(ENTRIES, contest),
        action=Action.ACTIVITIES_MANAGE,
        model="initiatives.Entry",
        sheet="Bài dự thi",
        columns=ENTRY_COLUMNS,
        key=lambda r: (contest, r["unit"], r["title"]),
        prepare=_entries_prepare(contest),
        write=_writer(Entry),
        export_row=export_entry,
        export_queryset=export_queryset,
        guide=[
            f"Cuộc thi: {contest.title} ({contest.unit.code} tổ chức).",
            "Mỗi dòng là một công trình, giải pháp hoặc bài dự thi của một đơn vị.",
            "Mã đơn vị: đơn vị dự thi, thuộc đơn vị tổ chức (để trống: đơn vị tổ chức).",
            "Giải thưởng: giải nhất, nhì, ba, khuyến khích; để trống nếu không đạt giải.",
            "Nhập lại cùng một file không tạo thêm bài dự thi: mỗi đơn vị, mỗi tên chỉ một bài.",
        ],
        example={
            "title": "Cải tiến máy cắt tôn tự động",
            "authors": "Nguyễn Văn An, Trần Thị Bình",
            "prize": "Giải nhì",
        },
    )


# ---------------------------------------------------------------------------------------------
# Participants of a quiz

PARTICIPANT_COLUMNS = [
    im.Column(
        "unit",
        "Mã đơn vị",
        UNIT_VARIANTS,
        parse=im.unit(),
        note="Để trống: đơn vị tổ chức; khi ghi số thẻ: công đoàn của đoàn viên",
    ),
    im.Column(
        "count",
        "Số người tham gia",
        ("so nguoi tham gia", "so nguoi", "so luong", "so luot", "so nguoi du thi"),
        parse=im.integer(min_value=1, max_value=MAX_COUNT),
        note="Số người của đơn vị; để trống khi ghi một người (số thẻ hoặc họ tên)",
    ),
    im.Column(
        "card",
        "Số thẻ đoàn viên",
        ("so the", "so the doan vien", "the doan vien"),
        parse=im.code(32),
        note="Một đoàn viên dự thi (tính là một người)",
    ),
    im.Column(
        "full_name",
        "Họ và tên",
        ("ho va ten", "ho ten", "nguoi du thi", "ten nguoi du thi"),
        parse=im.text(200),
        width=30,
        note="Một người dự thi (tính là một người); với đoàn viên: để trống là tên trong sổ",
    ),
]
PARTICIPANT_RULE_COLUMNS = {
    "unit": "unit",
    "count": "count",
    "member": "card",
    "full_name": "full_name",
    "": "count",
}


def _members(rows: list[im.Row], ctx: im.Context) -> dict[str, Any]:
    """Card number → member (with its unit), for the members the importing officer may see:
    one query for the file (in chunks)."""
    cards = sorted({r["card"] for r in rows if r.get("card")})
    if not cards:
        return {}
    member_model: Any = Participant._meta.get_field("member").related_model
    limit = scope_q(ctx.actor, Action.MEMBERS_VIEW, "unit__path") if ctx.actor else None
    found: dict[str, Any] = {}
    for part in im.chunks(cards):
        qs = member_model._default_manager.filter(card_number__in=part).select_related("unit")
        for member in qs.filter(limit) if limit is not None else qs:
            found[member.card_number] = member
    return found


def _participants_prepare(contest: Contest) -> Callable[[list[im.Row], im.Context], None]:
    def prepare(rows: list[im.Row], ctx: im.Context) -> None:
        """Each row with the rules of `services.check_participant` (members read once)."""
        if not _same_organiser(contest, ctx):
            return
        if not contest.is_quiz:
            ctx.error(None, "", _("Only a quiz has participants; record entries instead."))
            return
        members = _members(rows, ctx)
        for row in rows:
            named = bool(row["card"] or row["full_name"])
            if not named and row["count"] is None:
                ctx.error(
                    row,
                    "count",
                    _("Write the number of participants, or one person's card number or name."),
                )
                continue
            if named and row["count"] not in (None, 1):
                ctx.error(
                    row,
                    "count",
                    _("One named person counts one: leave the number empty, or write 1."),
                )
                continue
            member = None
            if row["card"]:
                member = members.get(row["card"])
                if member is None:
                    ctx.error(
                        row,
                        "card",
                        _("No member with this card number was found within your scope."),
                    )
                    continue
            record = Participant(
                contest=contest,
                unit=row["unit"],
                count=row["count"] or 1,
                member=member,
                full_name=row["full_name"] or "",
            )
            try:
                services.check_participant(ctx.actor, record, contest)
            except RuleViolation as exc:
                _rule(ctx, row, exc, PARTICIPANT_RULE_COLUMNS)
                continue
            row["record"] = record

    return prepare


def export_participant(row: Participant) -> dict[str, Any]:
    return {
        "unit": row.unit.code,
        "count": row.count,
        "card": row.member.card_number if row.member else "",
        "full_name": row.full_name,
    }


def participants_spec(contest: Contest) -> im.Spec:
    """The file of a quiz's participants: counts of a unit's people, or named people."""

    def export_queryset(qs: QuerySet[Participant]) -> QuerySet[Participant]:
        return qs.filter(contest=contest).select_related("unit", "member")

    return im.Spec(
        register=register_of(PARTICIPANTS, contest),
        action=Action.ACTIVITIES_MANAGE,
        model="initiatives.Participant",
        sheet="Người dự thi",
        columns=PARTICIPANT_COLUMNS,
        key=lambda r: (contest, r["unit"], r["count"], r["card"], r["full_name"]),
        prepare=_participants_prepare(contest),
        write=_writer(Participant),
        export_row=export_participant,
        export_queryset=export_queryset,
        guide=[
            f"Cuộc thi: {contest.title} ({contest.unit.code} tổ chức).",
            "Mỗi dòng là số người của một đơn vị đã dự thi, hoặc một người dự thi.",
            "Mã đơn vị: đơn vị thuộc đơn vị tổ chức (để trống: đơn vị tổ chức).",
            "Một đoàn viên: ghi số thẻ (đơn vị là công đoàn của đoàn viên); người khác: ghi họ "
            "và tên cùng mã đơn vị. Mỗi người được tính là một người tham gia.",
            "Nhập lại cùng một file không tạo thêm dòng nào.",
        ],
        example={"count": 120},
    )
