"""The plan file: its columns and operation names, reading XLSX and CSV, parsing rows.

Vietnamese headers and operation names are part of the file format (not interface text). Header
names are matched with `fold`, so "Mã đơn vị", "ma don vi" and "MÃ ĐƠN VỊ" are the same column.
Row numbers are those the user sees in Excel: the first row of the sheet is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.formats import parse_date, short_date
from congdoan.core.text import fold, nfc
from congdoan.members.imports.reading import DAMAGED_ZIP, ImportFileError, sheet_cells

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A real plan of 5,000 rows unpacks to a few MB; anything far larger is a zip bomb.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200


MAIN_SHEET = "Kế hoạch"
ASSIGN_SHEET = "Phân bổ"
GUIDE_SHEET = "Hướng dẫn"

# ---------------------------------------------------------------------------------------------
# The file format (Vietnamese headers and operation names are part of the format, not UI text)

COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stt": ("STT", ("stt", "so thu tu", "tt")),
    "op": ("Thao tác", ("thao tac", "nghiep vu", "loai thao tac")),
    "code": ("Mã đơn vị", ("ma don vi", "ma", "ma dv")),
    "name": ("Tên đơn vị", ("ten don vi", "ten", "ten chinh thuc")),
    "short_name": ("Tên viết tắt", ("ten viet tat", "ten tat")),
    "type": ("Loại đơn vị", ("loai don vi", "loai dv")),
    "target": (
        "Mã đơn vị cấp trên / đơn vị nhận",
        (
            "ma don vi cap tren don vi nhan",
            "ma don vi cap tren",
            "ma don vi nhan",
            "don vi cap tren",
            "don vi nhan",
            "ma cap tren",
            "cap tren don vi nhan",
        ),
    ),
    "sector": ("Ngành", ("nganh",)),
    "ownership": ("Loại hình", ("loai hinh", "loai hinh doanh nghiep")),
    "day": ("Ngày hiệu lực", ("ngay hieu luc", "hieu luc", "ngay")),
    "note": ("Ghi chú", ("ghi chu",)),
}

ASSIGN_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stt": ("STT", ("stt", "tt")),
    "source": (
        "Mã đơn vị chia tách",
        ("ma don vi chia tach", "don vi chia tach", "ma don vi bi chia tach"),
    ),
    "member": ("Mã thẻ đoàn viên", ("ma the doan vien", "so the doan vien", "ma the", "so the")),
    "child": ("Mã đơn vị", ("ma don vi", "ma don vi truc thuoc")),
    "target": ("Mã đơn vị nhận", ("ma don vi nhan", "don vi nhan")),
}

OPERATIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "create": ("Thành lập", ("thanh lap", "thanh lap moi", "tao moi")),
    "update": ("Đổi tên – cập nhật", ("doi ten cap nhat", "doi ten", "cap nhat")),
    "move": ("Chuyển", ("chuyen", "chuyen cap tren", "chuyen don vi")),
    "merge": ("Sáp nhập", ("sap nhap", "hop nhat")),
    "split": ("Chia tách", ("chia tach", "tach")),
    "dissolve": ("Giải thể", ("giai the",)),
}

_PUNCT = re.compile(r"[^\w\s]+")
_PAREN = re.compile(r"\(.*?\)")
_LIST_SEP = re.compile(r"\s*[;,\n]\s*")


def header_key(text: str) -> str:
    """ "Mã đơn vị cấp trên / đơn vị nhận" → "ma don vi cap tren don vi nhan"."""
    return " ".join(_PUNCT.sub(" ", _PAREN.sub(" ", fold(text))).split())


def _lookup(aliases: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, (label, more) in aliases.items():
        out[header_key(label)] = key
        for alias in more:
            out[alias] = key
    return out


_COLUMN_KEYS = _lookup(COLUMNS)
_ASSIGN_KEYS = _lookup(ASSIGN_COLUMNS)
_OP_KEYS = _lookup(OPERATIONS)


def operation_label(op: str) -> str:
    return OPERATIONS[op][0] if op in OPERATIONS else op


# ---------------------------------------------------------------------------------------------
# Records


@dataclass
class PlanError:
    file: str
    message: str
    row: int | None = None
    column: str = ""
    sheet: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Cell:
    text: str
    numeric: bool = False  # the file stored a number (codes may have lost leading zeros)
    date: dt.date | None = None


@dataclass
class PlanRow:
    row: int
    op: str = ""
    codes: list[str] = field(default_factory=list)
    name: str = ""
    short_name: str = ""
    type: str = ""
    target: list[str] = field(default_factory=list)
    sector: str = ""
    ownership: str = ""
    day: str = ""  # ISO date as written in the row, "" when empty
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)  # key → header text in the file
    numeric: list[str] = field(default_factory=list)  # keys of cells stored as numbers

    def column(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS[key][0]


@dataclass
class Assignment:
    row: int
    source: str
    target: str
    member_card: str = ""
    member_id: int | None = None
    child: str = ""


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based
    headers: dict[str, str]  # key → header text as written
    rows: list[tuple[int, dict[str, Cell]]]  # (1-based row number, key → cell)
    unknown: list[str] = field(default_factory=list)


@dataclass
class CheckedPlan:
    filename: str
    rows: list[PlanRow]
    assignments: list[Assignment]
    errors: list[PlanError]
    day: dt.date | None
    preview: list[dict[str, Any]] = field(default_factory=list)


class PlanFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


# ---------------------------------------------------------------------------------------------
# 1. Reading the file


def _cell(value: Any) -> Cell:
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell(str(value).upper())
    if isinstance(value, dt.datetime):
        return Cell(short_date(value.date()), date=value.date())
    if isinstance(value, dt.date):
        return Cell(short_date(value), date=value)
    if isinstance(value, float):
        if value.is_integer():
            return Cell(str(int(value)), numeric=True)
        return Cell(repr(value), numeric=True)
    if isinstance(value, int):
        return Cell(str(value), numeric=True)
    return Cell(nfc(str(value)))


def _check_xlsx(filename: str, data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED_ZIP as exc:
        raise PlanFileError(
            _("%(file)s is not a valid Excel (.xlsx) file; save it again from Excel as .xlsx.")
            % {"file": filename}
        ) from exc
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise PlanFileError(
                _("%(file)s is not a valid Excel (.xlsx) file; save it again from Excel as .xlsx.")
                % {"file": filename}
            )
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise PlanFileError(
                _("%(file)s contains macros; save it as an ordinary .xlsx workbook.")
                % {"file": filename}
            )
        unpacked = sum(i.file_size for i in archive.infolist())
        packed = sum(i.compress_size for i in archive.infolist()) or 1
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
            raise PlanFileError(
                _("%(file)s unpacks to an abnormal size and was refused.") % {"file": filename}
            )


def _table(
    sheet: str,
    raw_rows: Iterable[tuple[int, list[Cell]]],
    keys: dict[str, str],
    filename: str,
) -> Table:
    header_row = 0
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    unknown: list[str] = []
    rows: list[tuple[int, dict[str, Cell]]] = []
    for number, cells in raw_rows:
        if not any(c.text for c in cells):
            continue
        if not header_row:
            header_row = number
            for i, c in enumerate(cells):
                if not c.text:
                    continue
                key = keys.get(header_key(c.text))
                if key is None or key in headers:
                    unknown.append(c.text)
                    continue
                headers[key] = c.text
                positions[i] = key
            continue
        row = {key: cells[i] if i < len(cells) else Cell("") for i, key in positions.items()}
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            raise PlanFileError(
                _("%(file)s has more than %(max)s rows; split the plan into several files.")
                % {"file": filename, "max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
    return Table(sheet=sheet, header_row=header_row, headers=headers, rows=rows, unknown=unknown)


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") and ";" in first else ","


def read_file(filename: str, data: bytes) -> dict[str, Table]:
    """The sheets of a plan file: {"main": Table, "assign": Table (optional)}."""
    lower = filename.lower()
    if len(data) > MAX_BYTES:
        raise PlanFileError(
            _("%(file)s is larger than 5 MB; split the plan into several files.")
            % {"file": filename}
        )
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        raise PlanFileError(
            _("%(file)s is a workbook with macros (.xlsm); save it as an ordinary .xlsx workbook.")
            % {"file": filename}
        )
    if lower.endswith(".xlsx"):
        return _read_xlsx(filename, data)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(filename, data)
    raise PlanFileError(_("%(file)s: only .xlsx and .csv files are accepted.") % {"file": filename})


def _read_xlsx(filename: str, data: bytes) -> dict[str, Table]:
    from python_calamine import CalamineError, CalamineWorkbook

    _check_xlsx(filename, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise PlanFileError(
            _("%(file)s is not a valid Excel (.xlsx) file; save it again from Excel as .xlsx.")
            % {"file": filename}
        ) from exc
    try:
        names = list(book.sheet_names)
        folded = {fold(n): n for n in names}
        main_name = folded.get(fold(MAIN_SHEET)) or next(
            (n for n in names if fold(n) not in {fold(ASSIGN_SHEET), fold(GUIDE_SHEET)}), None
        )
        if main_name is None:
            raise PlanFileError(_("%(file)s has no sheet with the plan.") % {"file": filename})
        out = {"main": _xlsx_table(book, main_name, _COLUMN_KEYS, filename)}
        assign_name = folded.get(fold(ASSIGN_SHEET))
        if assign_name is not None:
            out["assign"] = _xlsx_table(book, assign_name, _ASSIGN_KEYS, filename)
        return out
    except CalamineError as exc:
        raise PlanFileError(
            _("%(file)s is not a valid Excel (.xlsx) file; save it again from Excel as .xlsx.")
            % {"file": filename}
        ) from exc
    finally:
        book.close()


def _xlsx_table(book: Any, name: str, keys: dict[str, str], filename: str) -> Table:
    sheet = book.get_sheet_by_name(name)
    if sheet.total_height > MAX_ROWS + 50:
        raise PlanFileError(
            _("%(file)s has more than %(max)s rows; split the plan into several files.")
            % {"file": filename, "max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    rows = _sheet_cells(sheet, filename)
    return _table(
        name,
        ((i + 1, [_cell(v) for v in r]) for i, r in enumerate(rows)),
        keys,
        filename,
    )


def _sheet_cells(sheet: Any, filename: str) -> list[list[Any]]:
    try:
        return sheet_cells(sheet, filename)
    except ImportFileError as exc:
        raise PlanFileError(exc.message) from exc


def _read_csv(filename: str, data: bytes) -> dict[str, Table]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanFileError(
            _("%(file)s is not UTF-8 text; in Excel choose “CSV UTF-8” when saving.")
            % {"file": filename}
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    rows = ((i, [_cell(v) for v in r]) for i, r in enumerate(reader, start=1))
    try:
        return {"main": _table("", rows, _COLUMN_KEYS, filename)}
    except csv.Error as exc:  # a cell beyond csv.field_size_limit() (128 KB)
        raise PlanFileError(
            _("%(file)s cannot be read as a .csv table; in Excel choose “CSV UTF-8” when saving.")
            % {"file": filename}
        ) from exc


# ---------------------------------------------------------------------------------------------
# 2. Parsing rows


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in _LIST_SEP.split(text) if c.strip()]


NEEDS: dict[str, tuple[str, ...]] = {
    "create": ("code", "name", "type", "target"),
    "update": ("code",),
    "move": ("code", "target"),
    "merge": ("code", "target"),
    "split": ("code", "target"),
    "dissolve": ("code",),
}


def parse_rows(filename: str, table: Table) -> tuple[list[PlanRow], list[PlanError]]:
    errors: list[PlanError] = []

    def error(row: int | None, column: str, message: str) -> None:
        errors.append(
            PlanError(file=filename, sheet=table.sheet, row=row, column=column, message=message)
        )

    if not table.header_row:
        error(None, "", _("The file is empty."))
        return [], errors
    for key in ("op", "code"):
        if key not in table.headers:
            error(
                table.header_row,
                COLUMNS[key][0],
                _("The column “%(column)s” is missing from the header row.")
                % {"column": COLUMNS[key][0]},
            )
    if errors:
        return [], errors
    rows: list[PlanRow] = []
    for number, cells in table.rows:
        row = PlanRow(row=number, headers=dict(table.headers))
        row.numeric = [k for k, c in cells.items() if c.numeric]
        op_text = cells.get("op", Cell("")).text
        op = _OP_KEYS.get(header_key(op_text))
        if op is None:
            if op_text:
                error(
                    number,
                    row.column("op"),
                    _("Unknown operation “%(value)s”; use one of: %(choices)s.")
                    % {
                        "value": op_text,
                        "choices": ", ".join(label for label, _a in OPERATIONS.values()),
                    },
                )
            else:
                error(number, row.column("op"), _("The operation is missing."))
            rows.append(row)
            continue
        row.op = op
        row.codes = _codes(cells.get("code", Cell("")).text)
        row.name = cells.get("name", Cell("")).text
        row.short_name = cells.get("short_name", Cell("")).text
        row.type = cells.get("type", Cell("")).text
        row.target = _codes(cells.get("target", Cell("")).text)
        row.sector = cells.get("sector", Cell("")).text
        row.ownership = cells.get("ownership", Cell("")).text
        row.note = cells.get("note", Cell("")).text
        day_cell = cells.get("day", Cell(""))
        if day_cell.date is not None:
            row.day = day_cell.date.isoformat()
        elif day_cell.text:
            try:
                if day_cell.numeric:
                    raise ValueError(day_cell.text)
                row.day = parse_date(day_cell.text).isoformat()
            except ValueError:
                error(
                    number,
                    row.column("day"),
                    _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 01/07/2025.")
                    % {"value": day_cell.text},
                )
        for key in NEEDS[op]:
            if key not in table.headers:
                error(
                    number,
                    COLUMNS[key][0],
                    _("The file has no column “%(column)s”, which this operation needs.")
                    % {"column": COLUMNS[key][0]},
                )
            elif not (getattr(row, "codes" if key == "code" else key)):
                error(number, row.column(key), _("Required for this operation."))
        if op in {"create", "update", "move", "split", "dissolve"} and len(row.codes) > 1:
            error(number, row.column("code"), _("Give one unit code for this operation."))
        if op in {"create", "move", "merge"} and len(row.target) > 1:
            error(number, row.column("target"), _("Give one unit code for this operation."))
        if op == "dissolve" and len(row.target) > 1:
            error(number, row.column("target"), _("Give one unit code for this operation."))
        if op == "split" and 0 < len(row.target) < 2:
            error(
                number,
                row.column("target"),
                _("A split needs at least two receiving units, separated by “;”."),
            )
        if op == "update" and row.target:
            error(
                number,
                row.column("target"),
                _("Leave this empty for a rename; to move the unit use a “Chuyển” row."),
            )
        rows.append(row)
    if not rows:
        error(None, "", _("The file has no plan rows below the header."))
    return rows, errors


def parse_assignments(filename: str, table: Table) -> tuple[list[Assignment], list[PlanError]]:
    errors: list[PlanError] = []
    out: list[Assignment] = []

    def error(row: int | None, key: str, message: str) -> None:
        errors.append(
            PlanError(
                file=filename,
                sheet=table.sheet,
                row=row,
                column=table.headers.get(key) or ASSIGN_COLUMNS[key][0],
                message=message,
            )
        )

    if not table.header_row:
        return out, errors
    if "target" not in table.headers:
        error(
            table.header_row,
            "target",
            _("The column “%(column)s” is missing from the header row.")
            % {"column": ASSIGN_COLUMNS["target"][0]},
        )
        return out, errors
    for number, cells in table.rows:
        member = cells.get("member", Cell("")).text.strip()
        child = cells.get("child", Cell("")).text.strip().upper()
        target = cells.get("target", Cell("")).text.strip().upper()
        source = cells.get("source", Cell("")).text.strip().upper()
        if bool(member) == bool(child):
            error(
                number,
                "member",
                _("Fill either the membership card number or the unit code, not both."),
            )
            continue
        if not target:
            error(number, "target", _("Required for this operation."))
            continue
        out.append(
            Assignment(row=number, source=source, target=target, member_card=member, child=child)
        )
    return out, errors
