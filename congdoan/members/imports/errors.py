"""The errors of a checked import as an Excel workbook, for the officer who fixes the file.

    report = error_report(job, full=False)   # read: the job's messages, the bad rows' cells
    content = error_xlsx(report)             # render: pure, no database

- Sheet "Lỗi": every problem the check stored (file, sheet, row, column, message), file-level
  problems first, then by row, as on the job's page.
- Sheet "Dòng có lỗi": each row with errors as it is in the uploaded file (its row number, then
  its cells under the file's own header row), and a last column with the row's problems. It
  needs the uploaded file, which is kept until the import is committed or `jobs.KEEP_DAYS`;
  afterwards the sheet says so.

Without the personal-data permission on the job's unit (`full=False`), identity numbers are
masked as on the page: in messages (`cccd.mask_numbers`), and the citizen-ID column's cells
(`cccd.mask`); the columns of ethnicity, religion and Party membership are left out, as in the
exports of the member list. Text cells are written as text, never as formulas.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congdoan.members.cccd import mask, mask_numbers
from congdoan.members.imports.reading import ImportFileError, read_file
from congdoan.members.models import ImportJob

# Columns of the file left out for users without the personal-data permission.
SENSITIVE_KEYS = frozenset({"ethnicity", "religion", "party_member", "party_joined_on"})


@dataclass
class BadRow:
    row: int  # as numbered in Excel
    cells: list[Any]
    problems: list[str]


@dataclass
class ErrorReport:
    filename: str
    problems: list[dict[str, Any]]  # file, sheet, row, column, message
    header: list[Any] = field(default_factory=list)  # the file's header row, as written
    rows: list[BadRow] = field(default_factory=list)
    file_kept: bool = True


def _problem_text(problem: dict[str, Any]) -> str:
    column = problem.get("column") or ""
    return f"{column}: {problem['message']}" if column else str(problem["message"])


def error_report(job: ImportJob, *, full: bool) -> ErrorReport:
    """The problems of `job` and the cells of its rows with errors; identity numbers masked and
    sensitive columns left out unless `full`."""
    from congdoan.members.imports.jobs import stored_file

    problems = []
    for item in job.errors or []:
        item = dict(item)
        item["message"] = str(item.get("message", ""))
        if not full:
            item["message"] = mask_numbers(item["message"])
        problems.append(item)
    problems.sort(key=lambda e: (e.get("row") is not None, e.get("row") or 0))
    report = ErrorReport(filename=job.filename, problems=problems)
    data = stored_file(job)
    if data is None:
        report.file_kept = False
        return report
    try:
        table = read_file(job.filename, data)
    except ImportFileError:  # the file as a whole was refused: no rows to show
        return report
    by_row: dict[int, list[str]] = {}
    for p in problems:
        if p.get("row") is not None and p["row"] != table.header_row:
            by_row.setdefault(int(p["row"]), []).append(_problem_text(p))
    keys = {pos: key for pos, key, _text in table.columns}
    width = max([len(table.header_cells), *(len(c) for n, c in table.rows if n in by_row)])
    kept = [i for i in range(width) if full or keys.get(i) not in SENSITIVE_KEYS]

    def cells(row: list[Any]) -> list[Any]:
        out = []
        for i in kept:
            value = row[i] if i < len(row) else None
            if not full and keys.get(i) == "citizen_id" and value not in (None, ""):
                value = mask(_as_text(value))
            out.append(value)
        return out

    header = table.header_cells
    report.header = [header[i] if i < len(header) else None for i in kept]
    report.rows = [BadRow(n, cells(c), by_row[n]) for n, c in table.rows if n in by_row]
    return report


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def error_xlsx(report: ErrorReport) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(
        output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    formats = {
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "datetime": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "integer": book.add_format({"num_format": "0"}),
    }

    sheet = book.add_worksheet(_("Errors")[:31])
    for i, (title, width) in enumerate(
        [
            (_("File"), 24),
            (pgettext("worksheet", "Sheet"), 14),
            (_("Row"), 8),
            (_("Column"), 20),
            (_("Problem"), 80),
        ]
    ):
        sheet.write_string(0, i, title, head)
        sheet.set_column(i, i, width, wrap if i == 4 else None)
    sheet.freeze_panes(1, 0)
    for r, p in enumerate(report.problems, start=1):
        sheet.write_string(r, 0, str(p.get("file") or report.filename))
        sheet.write_string(r, 1, str(p.get("sheet") or ""))
        if p.get("row") is not None:
            sheet.write_number(r, 2, int(p["row"]))
        sheet.write_string(r, 3, str(p.get("column") or ""))
        sheet.write_string(r, 4, str(p["message"]))

    sheet = book.add_worksheet(pgettext("sheet", "Rows with errors")[:31])
    if not report.file_kept:
        sheet.write_string(0, 0, _("The uploaded file is no longer kept; upload it again."))
    else:
        header = [_("Row"), *report.header, _("Errors")]
        for i, value in enumerate(header):
            _write(sheet, 0, i, value, formats, head)
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, len(header) - 2, 16)
        sheet.set_column(len(header) - 1, len(header) - 1, 70, wrap)
        sheet.freeze_panes(1, 1)
        for r, bad in enumerate(report.rows, start=1):
            sheet.write_number(r, 0, bad.row)
            for i, value in enumerate(bad.cells, start=1):
                _write(sheet, r, i, value, formats)
            sheet.write_string(r, len(header) - 1, "\n".join(bad.problems), wrap)
    book.close()
    return output.getvalue()


def _write(
    sheet: Any, r: int, c: int, value: Any, formats: dict[str, Any], fmt: Any = None
) -> None:
    """A cell as it was read: text as text, numbers as numbers, dates as dates."""
    if value is None or value == "":
        if fmt is not None:
            sheet.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, fmt)
    elif isinstance(value, int | float):
        integral = isinstance(value, int) or float(value).is_integer()
        sheet.write_number(r, c, value, fmt or (formats["integer"] if integral else None))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), fmt or formats["datetime"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, value, fmt or formats["date"])
    else:
        sheet.write_string(r, c, str(value), fmt)


def error_filename(job: ImportJob) -> str:
    stem = job.filename.rsplit(".", 1)[0]
    stem = "".join(ch for ch in stem if ch.isascii() and (ch.isalnum() or ch in "-_"))
    return f"loi-nhap-{stem or job.pk}.xlsx"
