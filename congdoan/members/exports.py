"""Exports of the member list: xlsx, csv and the printable list (danh sách đoàn viên) as PDF;
and the figures of the statistics page as xlsx (`stats_xlsx`: counts only, no personal data).

Rows read from the queryset given (other reads through `members.selectors`) and pure renderers;
the views (views/exports.py) choose the members with the member list's filters
(`MemberFilterSet`, always within the user's "members.view" scope) and decide about personal
data:

- The citizen ID is masked (column "CCCD đã che", which an import ignores), and ethnicity,
  religion and Party columns are absent, unless the user holds "members.view_personal" on the
  unit of every exported member AND asked for personal data with a purpose; then one
  `PersonalDataAccess` row (kind export) records who, when, which members, why and where.
- Every text cell beginning with = + - @, a tab or a carriage return is neutralised with a
  leading apostrophe (CSV/formula injection); xlsx cells are written with `write_string` and
  `strings_to_formulas=False` in any case.
- The headers are those of the import template, so an export with personal data can be
  imported again.
- xlsx is written in constant memory to a temporary file; csv (UTF-8 with BOM, for Excel) is
  streamed; both read the members in chunks, in Vietnamese official order.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.core.formats import long_date, short_date
from congdoan.members import counts
from congdoan.members.cccd import mask
from congdoan.members.imports.columns import (
    COLUMNS,
    STATUS_WORDS,
    political_word,
    professional_word,
    sex_word,
    yes_no_word,
)
from congdoan.members.selectors import province_code

CHUNK = 2000
PDF_MAX_ROWS = 1000  # WeasyPrint: about 10 ms a row here; larger lists go to Excel
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")
MASKED_HEADER = "CCCD đã che"


def neutralise(text: str) -> str:
    """A cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if text and text[0] in DANGEROUS_FIRST:
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int = 14


def columns(*, personal: bool) -> list[Column]:
    def c(key: str, width: int = 14) -> Column:
        return Column(key, COLUMNS[key][0], width)

    out = [
        Column("stt", "STT", 6),
        c("full_name", 26),
        c("family_name", 12),
        c("middle_name", 14),
        c("given_name", 10),
        c("date_of_birth", 12),
        c("sex", 8),
        c("citizen_id", 15) if personal else Column("citizen_id_masked", MASKED_HEADER, 15),
    ]
    if personal:
        out += [c("ethnicity", 12), c("religion", 14)]
    out += [
        c("phone", 13),
        c("email", 22),
        c("hometown", 24),
        c("address", 30),
        c("general_education", 10),
        c("professional_level", 16),
        c("political_theory", 14),
        c("job_title", 20),
        c("workplace", 24),
        c("card_number", 16),
        c("card_issued_on", 12),
        c("admitted_on", 12),
        Column("status", "Trạng thái", 16),
    ]
    if personal:
        out += [c("party_member", 10), c("party_joined_on", 12)]
    out += [
        c("salary_base", 14),
        c("hardship", 10),
        c("disability", 10),
        c("unit_code", 12),
        Column("unit_name", "Đơn vị", 30),
        c("note", 24),
    ]
    return out


FIELDS = (
    "pk", "full_name", "family_name", "middle_name", "given_name", "date_of_birth", "sex",
    "citizen_id", "ethnicity__name", "religion__name", "phone", "email", "hometown", "address",
    "general_education", "professional_level", "political_theory", "job_title", "workplace",
    "card_number", "card_issued_on", "admitted_on", "status", "party_member", "party_joined_on",
    "salary_base", "hardship", "disability", "unit__code", "unit__short_name", "unit__name",
    "note",
)  # fmt: skip


def _cell(key: str, r: dict[str, Any]) -> str:
    if key == "citizen_id":
        return r["citizen_id"] or ""
    if key == "citizen_id_masked":
        return mask(r["citizen_id"])
    if key == "ethnicity":
        return r["ethnicity__name"] or ""
    if key == "religion":
        return r["religion__name"] or ""
    if key == "sex":
        return sex_word(r["sex"])
    if key == "professional_level":
        return professional_word(r["professional_level"])
    if key == "political_theory":
        return political_word(r["political_theory"])
    if key == "status":
        return STATUS_WORDS.get(r["status"], r["status"])
    if key in ("party_member", "hardship", "disability"):
        return yes_no_word(r[key])
    if key == "unit_code":
        return r["unit__code"]
    if key == "unit_name":
        return r["unit__short_name"] or r["unit__name"]
    value = r.get(key)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return short_date(value)
    return str(value)


def rows(qs: QuerySet[Any], *, personal: bool) -> Iterator[list[str]]:
    """The cells of every member of `qs` (already scoped and ordered), as neutralised text."""
    cols = columns(personal=personal)
    keys = [c.key for c in cols]
    for n, r in enumerate(qs.values(*FIELDS).iterator(chunk_size=CHUNK), start=1):
        yield [str(n)] + [neutralise(_cell(k, r)) for k in keys[1:]]


def csv_stream(qs: QuerySet[Any], *, personal: bool) -> Iterator[bytes]:
    """UTF-8 with BOM (so that Excel reads the accents), header first, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns(personal=personal)])
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for i, row in enumerate(rows(qs, personal=personal), start=1):
        writer.writerow(row)
        if i % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_xlsx(qs: QuerySet[Any], path: str, *, personal: bool, title: str = "") -> int:
    """Write the list to `path` (constant memory); returns the number of members."""
    book = xlsxwriter.Workbook(
        path,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet("Đoàn viên")
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    cols = columns(personal=personal)
    for i, c in enumerate(cols):
        sheet.set_column(i, i, c.width, text)
        sheet.write_string(0, i, c.header, head)
    sheet.freeze_panes(1, 0)
    n = 0
    for n, row in enumerate(rows(qs, personal=personal), start=1):
        for i, value in enumerate(row):
            if value:
                sheet.write_string(n, i, value)
    if title:
        book.set_properties({"title": title})
    book.close()
    return n


def xlsx_tempfile(qs: QuerySet[Any], *, personal: bool, title: str = "") -> Any:
    """The xlsx as an open binary file; its name is already unlinked (POSIX), so the file
    disappears when the response closes it."""
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="congdoan-export-")
    os.close(fd)
    try:
        write_xlsx(qs, path, personal=personal, title=title)
        handle = open(path, "rb")  # noqa: SIM115 - closed by the response
    finally:
        os.unlink(path)
    return handle


# ---------------------------------------------------------------------------------------------
# The printable list (PDF)


@dataclass
class PrintedList:
    issuer: str
    issuer_parent: str
    place: str
    day: dt.date
    unit_name: str
    as_of: dt.date
    rows: list[dict[str, str]]
    total: int
    women: int

    @property
    def place_date(self) -> str:
        return f"{self.place}, {long_date(self.day)}" if self.place else long_date(self.day)


def _place(unit: Any) -> str:
    """The place in the list's heading: the name of the unit's province, without its kind."""
    code = province_code(unit)
    if not code:
        return ""
    from congdoan.organisation.divisions import province_name

    name = province_name(code)
    for prefix in ("Thành phố ", "Tỉnh ", "thành phố ", "tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def printed_list(qs: QuerySet[Any], *, unit: Any, today: dt.date | None = None) -> PrintedList:
    """The data of the printable list: masked, numbered, in Vietnamese official order."""
    today = today or timezone.localdate()
    parent = unit.parent if unit.parent_id else None
    out: list[dict[str, str]] = []
    women = 0
    for n, r in enumerate(
        qs.values(
            "full_name",
            "date_of_birth",
            "sex",
            "job_title",
            "card_number",
            "admitted_on",
            "unit__short_name",
            "unit__name",
        ).iterator(chunk_size=CHUNK),
        start=1,
    ):
        women += r["sex"] == "F"
        out.append(
            {
                "n": str(n),
                "name": r["full_name"],
                "born": short_date(r["date_of_birth"]),
                "sex": sex_word(r["sex"]),
                "job": r["job_title"],
                "card": r["card_number"] or "",
                "admitted": short_date(r["admitted_on"]),
                "unit": r["unit__short_name"] or r["unit__name"],
            }
        )
    return PrintedList(
        issuer=unit.name,
        issuer_parent=parent.name if parent else "",
        place=_place(unit),
        day=today,
        unit_name=unit.name,
        as_of=today,
        rows=out,
        total=len(out),
        women=women,
    )


def render_pdf(data: PrintedList, *, show_unit: bool) -> bytes:
    from congdoan.core.pdf import render_pdf as render

    return render(
        "members/exports/member_list_pdf.html",
        {"doc": data, "show_unit": show_unit},
        landscape=True,
    )


def export_filename(kind: str, unit_code: str = "", day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    code = "".join(ch for ch in unit_code if ch.isalnum() or ch in "-_")
    stem = (
        f"danh-sach-doan-vien-{code}-{day:%Y%m%d}" if code else f"danh-sach-doan-vien-{day:%Y%m%d}"
    )
    return f"{stem}.{kind}"


# ---------------------------------------------------------------------------------------------
# The statistics page as xlsx


# (figure, its header): the columns of the statistics table after the unit's name and code.
def _stats_columns(period: counts.Period) -> list[tuple[str, str]]:
    return [
        ("members", _("Members on %(day)s") % {"day": short_date(period.date_to)}),
        ("women", _("Women")),
        ("women_share", _("Share of women")),
        ("members_at_start", _("Members on %(day)s") % {"day": short_date(period.start_day)}),
        ("admissions", _("Admitted")),
        ("exits", _("Left")),
        ("transfers_in", _("Transferred in")),
        ("transfers_out", _("Transferred out")),
        ("reorg_in", _("Moved in by reorganisation")),
        ("reorg_out", _("Moved out by reorganisation")),
        ("party_referrals", _("Referred to the Party")),
        ("party_admissions", _("Admitted to the Party")),
    ]


class _StatsBook:
    """One sheet per table of the page, numbers as numbers (Excel shows them in its own
    language), shares as percentages, cells of text written as text."""

    def __init__(self, period: counts.Period):
        self.output = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.output,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
        )
        add = self.book.add_format
        self.f = {
            "title": add({"bold": True, "font_size": 13}),
            "head": add({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True}),
            "int": add({"num_format": "#,##0", "border": 1}),
            "pct": add({"num_format": "0.0%", "border": 1}),
            "text": add({"border": 1}),
            "int_total": add({"num_format": "#,##0", "border": 1, "bold": True}),
            "pct_total": add({"num_format": "0.0%", "border": 1, "bold": True}),
            "text_total": add({"border": 1, "bold": True}),
            "note": add({"italic": True, "font_color": "#444444"}),
        }
        self.period = period

    def sheet(self, name: str, title: str, subtitle: str, notes: Sequence[str]) -> Any:
        sheet = self.book.add_worksheet(name[:31])
        sheet.write_string(0, 0, title, self.f["title"])
        sheet.write_string(1, 0, subtitle)
        for i, note in enumerate(notes):
            sheet.write_string(2 + i, 0, note, self.f["note"])
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 1, 12)
        sheet.set_column(2, 16, 14)
        sheet.set_row(3 + len(notes), 45)
        return sheet, 3 + len(notes)

    def figures(self, sheet: Any, top: int, rows: Sequence[counts.Row], total: Any) -> int:
        columns = _stats_columns(self.period)
        headers = [_("Unit"), _("Code"), *[h for _k, h in columns], _("Note")]
        for i, h in enumerate(headers):
            sheet.write_string(top, i, h, self.f["head"])
        sheet.freeze_panes(top + 1, 1)
        r = top
        for r, row in enumerate(rows, start=top + 1):
            self._figures_row(sheet, r, _row_label(row), row.code, row.figures, columns)
            if not row.active:
                sheet.write_string(r, len(headers) - 1, _("no longer in this tree"))
        r += 1
        self._figures_row(sheet, r, _("Total"), "", total, columns, total=True)
        sheet.write_string(
            r + 1,
            0,
            _(
                "Transfers between two units of the same row (or, in the total, of the same "
                "subtree) are not counted as transferred in or out there."
            ),
            self.f["note"],
        )
        return r + 3

    def _figures_row(
        self,
        sheet: Any,
        r: int,
        label: str,
        code: str,
        f: counts.Figures,
        columns: list[tuple[str, str]],
        *,
        total: bool = False,
    ) -> None:
        suffix = "_total" if total else ""
        sheet.write_string(r, 0, label, self.f["text" + suffix])
        sheet.write_string(r, 1, code, self.f["text" + suffix])
        for i, (key, _h) in enumerate(columns, start=2):
            if key == "women_share":
                if f.members:
                    sheet.write_number(r, i, f.women / f.members, self.f["pct" + suffix])
                else:
                    sheet.write_blank(r, i, None, self.f["text" + suffix])
            else:
                sheet.write_number(r, i, getattr(f, key), self.f["int" + suffix])

    def exits(self, sheet: Any, top: int, rows: Sequence[counts.Row], total: Any) -> None:
        from congdoan.members.models import ExitReason

        sheet.write_string(top, 0, _("Members who left, by reason"), self.f["title"])
        head = [_("Unit"), _("Code"), *[str(label) for _c, label in ExitReason.choices]]
        for i, h in enumerate(head):
            sheet.write_string(top + 1, i, h, self.f["head"])
        sheet.set_row(top + 1, 45)
        lines = [(_row_label(r), r.code, r.figures, "") for r in rows]
        lines.append((_("Total"), "", total, "_total"))
        for r, (label, code, f, suffix) in enumerate(lines, start=top + 2):
            sheet.write_string(r, 0, label, self.f["text" + suffix])
            sheet.write_string(r, 1, code, self.f["text" + suffix])
            for i, reason in enumerate(ExitReason.values, start=2):
                sheet.write_number(r, i, f.exits_by_reason.get(reason, 0), self.f["int" + suffix])

    def close(self) -> bytes:
        self.book.close()
        return self.output.getvalue()


def _row_label(row: counts.Row) -> str:
    return _("Directly in %(unit)s") % {"unit": row.name} if row.direct else row.name


def stats_xlsx(
    period: counts.Period,
    *,
    unit: counts.SubtreeCounts | None = None,
    cluster: counts.ClusterCounts | None = None,
) -> bytes:
    """The statistics page's tables as a workbook: a sheet for the unit and the units below it,
    a sheet for the cluster; each with the figures and the exits by reason, totals last."""
    book = _StatsBook(period)
    if unit is not None:
        subtitle = _("members on %(day)s; movements from %(start)s") % {
            "day": short_date(period.date_to),
            "start": short_date(period.date_from),
        }
        notes = [] if unit.existed else [_("This unit did not exist during the period.")]
        sheet, top = book.sheet(_("Units"), unit.name, subtitle, notes)
        if unit.existed:
            after = book.figures(sheet, top, unit.rows, unit.total)
            book.exits(sheet, after, unit.rows, unit.total)
    if cluster is not None:
        subtitle = _("member units of %(year)s") % {"year": cluster.year}
        notes = []
        if cluster.hidden_units:
            notes.append(
                ngettext(
                    "%(n)s member unit lies outside your scope and is not counted.",
                    "%(n)s member units lie outside your scope and are not counted.",
                    cluster.hidden_units,
                )
                % {"n": cluster.hidden_units}
            )
        sheet, top = book.sheet(_("Emulation cluster"), cluster.name, subtitle, notes)
        after = book.figures(sheet, top, cluster.rows, cluster.total)
        book.exits(sheet, after, cluster.rows, cluster.total)
    return book.close()


def stats_filename(code: str, day: dt.date) -> str:
    code = "".join(ch for ch in code if ch.isalnum() or ch in "-_")
    return f"thong-ke-doan-vien-{code}-{day:%Y%m%d}.xlsx"


__all__: Sequence[str] = [
    "PDF_MAX_ROWS",
    "columns",
    "csv_stream",
    "export_filename",
    "neutralise",
    "printed_list",
    "render_pdf",
    "rows",
    "stats_filename",
    "stats_xlsx",
    "write_xlsx",
    "xlsx_tempfile",
]
