"""Exports of the member list: xlsx, csv and the printable list (danh sách đoàn viên) as PDF.

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

from congdoan.core.formats import long_date, short_date
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


__all__: Sequence[str] = [
    "PDF_MAX_ROWS",
    "columns",
    "csv_stream",
    "export_filename",
    "neutralise",
    "printed_list",
    "render_pdf",
    "rows",
    "write_xlsx",
    "xlsx_tempfile",
]
