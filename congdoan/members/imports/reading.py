"""Reading a member file (xlsx or csv) safely into a table of raw cells.

Refused before parsing, with a message saying why: other extensions, workbooks with macros
(.xlsm, or a vbaProject inside an .xlsx), files over MEMBER_IMPORT_MAX_MB, xlsx files that are
not valid zip archives or that would expand to more than 20 times their size or 500 MB (zip
bombs; sizes are counted while decompressing, not taken from the archive's own directory),
and files with more than MEMBER_IMPORT_MAX_ROWS rows.

xlsx cells come from python-calamine as str, float (every number: an ID stored as a number has
lost its leading zero), bool, date or datetime. csv cells are str; the file is UTF-8 (with or
without BOM), else read as Windows-1258 with a warning; the delimiter is sniffed (; , or tab).
Row numbers are those the user sees in Excel: the first row of the sheet is row 1.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from congdoan.core.formats import number
from congdoan.core.text import fold
from congdoan.members.imports.columns import GUIDE_SHEET, HEADER_KEYS, LIST_SHEET, header_key

MAX_RATIO = 20
MAX_UNPACKED = 500 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
NAME_KEYS = frozenset({"full_name", "given_name", "family_middle"})


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message (translated) says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    filename: str
    sheet: str
    header_row: int  # 1-based, as in Excel
    columns: list[tuple[int, str, str]]  # (position, key, header as written)
    rows: list[tuple[int, list[Any]]]  # (row number as in Excel, raw cells)
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    warnings: list[str] = field(default_factory=list)
    header_cells: list[Any] = field(default_factory=list)  # the header row as written

    def header(self, key: str) -> str:
        for _pos, k, text in self.columns:
            if k == key:
                return text
        from congdoan.members.imports.columns import label

        return label(key)

    @property
    def keys(self) -> set[str]:
        return {k for _pos, k, _text in self.columns}


def max_bytes() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_MAX_MB", 50)) * 1024 * 1024


def max_rows() -> int:
    return int(getattr(settings, "MEMBER_IMPORT_MAX_ROWS", 200_000))


def check_upload(filename: str, size: int) -> None:
    """Refuse by name and size, before the file is stored."""
    lower = filename.lower()
    if lower.endswith((".xlsm", ".xltm", ".xlam", ".xlsb")):
        raise ImportFileError(
            _(
                "%(file)s is a workbook with macros or in binary format; save it as an ordinary "
                "Excel workbook (.xlsx)."
            )
            % {"file": filename}
        )
    if lower.endswith(".xls"):
        raise ImportFileError(
            _("%(file)s is in the old Excel format (.xls); save it as .xlsx and upload it again.")
            % {"file": filename}
        )
    if not lower.endswith((".xlsx", ".csv", ".txt")):
        raise ImportFileError(
            _("%(file)s: only Excel (.xlsx) and .csv files are accepted.") % {"file": filename}
        )
    if size > max_bytes():
        raise ImportFileError(
            _("%(file)s is larger than %(max)s MB; split it into several files.")
            % {"file": filename, "max": number(max_bytes() // (1024 * 1024))}
        )


def _no_name_header(filename: str) -> str:
    return _(
        "%(file)s has no header row with the member's name (“Họ và tên”, or “Họ” and "
        "“Tên”) in its first %(n)s rows; use the template."
    ) % {"file": filename, "n": HEADER_SEARCH_ROWS}


@dataclass(frozen=True)
class Layout:
    """What a header row looks like: the header keys of the columns (`header_key(text)` →
    column key), which set of found keys makes a row the header, and the message when none
    does. The member file is the default; the activity registers pass their own."""

    header_keys: Mapping[str, str] = field(default_factory=lambda: HEADER_KEYS)
    is_header: Callable[[set[str]], bool] = lambda keys: len(keys) >= 2 and bool(keys & NAME_KEYS)
    no_header: Callable[[str], str] = _no_name_header


MEMBERS = Layout()


def read_file(filename: str, data: bytes, layout: Layout = MEMBERS) -> Table:
    check_upload(filename, len(data))
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(filename, data, layout)
    return _read_csv(filename, data, layout)


# ---------------------------------------------------------------------------------------------
# xlsx


def _not_xlsx(filename: str) -> ImportFileError:
    return ImportFileError(
        _("%(file)s is not a valid Excel (.xlsx) file; open it in Excel and save it as .xlsx.")
        % {"file": filename}
    )


# What zipfile and zlib raise on a damaged archive (a cut download, a bad disk, a directory with
# wrong sizes, an unknown zip version, names that are not UTF-8): the file is not an .xlsx.
DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ValueError,
    NotImplementedError,
    OSError,
    RuntimeError,
)


def check_xlsx(filename: str, data: bytes) -> None:
    """A valid zip, without macros, that does not expand abnormally (counted while reading)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED_ZIP as exc:
        raise _not_xlsx(filename) from exc
    bomb = ImportFileError(
        _(
            "%(file)s expands to an abnormal size when unpacked (a “zip bomb”) and was refused. "
            "Save the data again as an ordinary .xlsx file."
        )
        % {"file": filename}
    )
    limit = min(MAX_RATIO * max(len(data), 1), MAX_UNPACKED)
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise _not_xlsx(filename)
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ImportFileError(
                _("%(file)s contains macros; save it as an ordinary Excel workbook (.xlsx).")
                % {"file": filename}
            )
        if sum(i.file_size for i in infos) > limit:
            raise bomb
        try:
            content_types = (
                archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
            )
        except DAMAGED_ZIP as exc:
            raise _not_xlsx(filename) from exc
        if b"macroEnabled" in content_types:
            raise ImportFileError(
                _("%(file)s contains macros; save it as an ordinary Excel workbook (.xlsx).")
                % {"file": filename}
            )
        # The directory may lie about sizes: count what decompression really produces.
        total = 0
        for info in infos:
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise bomb
            except ImportFileError:
                raise
            except DAMAGED_ZIP as exc:
                raise _not_xlsx(filename) from exc


def _read_xlsx(filename: str, data: bytes, layout: Layout) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    check_xlsx(filename, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise _not_xlsx(filename) from exc
    try:
        skip = {fold(GUIDE_SHEET), fold(LIST_SHEET)}
        candidates = [
            m.name
            for m in book.sheets_metadata
            if str(m.visible).endswith("Visible") and fold(m.name) not in skip
        ] or [n for n in book.sheet_names if fold(n) not in skip]
        limit = max_rows()
        first_error: ImportFileError | None = None
        for name in candidates:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > limit + HEADER_SEARCH_ROWS + 1:
                raise _too_many_rows(filename, limit)
            raw = sheet_cells(sheet, filename)
            try:
                return _table(filename, name, enumerate(raw, start=1), layout)
            except ImportFileError as exc:
                first_error = first_error or exc
        raise first_error or ImportFileError(_("The file is empty.") if not candidates else "")
    except CalamineError as exc:
        raise _not_xlsx(filename) from exc
    finally:
        book.close()


def sheet_cells(sheet: Any, filename: str) -> list[list[Any]]:
    """The cells of a calamine sheet. A number formatted as a date, time or duration that
    calamine cannot convert raises OverflowError, or a Rust panic (pyo3's PanicException, a
    BaseException that cannot be imported by name): both are a problem of the file."""
    try:
        return sheet.to_python(skip_empty_area=False)
    except BaseException as exc:
        if not isinstance(exc, OverflowError | ValueError) and type(exc).__name__ != (
            "PanicException"
        ):
            raise
        raise ImportFileError(
            _(
                "%(file)s has a cell formatted as a date or time whose number is far out of "
                "range; format that cell as a number or correct it."
            )
            % {"file": filename}
        ) from exc


def _too_many_rows(filename: str, limit: int) -> ImportFileError:
    return ImportFileError(
        _("%(file)s has more than %(max)s rows; split it into several files.")
        % {"file": filename, "max": number(limit)}
    )


# ---------------------------------------------------------------------------------------------
# csv


def _read_csv(filename: str, data: bytes, layout: Layout) -> Table:
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("%(file)s is not text in UTF-8; in Excel choose “CSV UTF-8” when saving.")
                % {"file": filename}
            ) from exc
        warnings.append(
            _(
                "%(file)s is not in UTF-8; it was read as Windows-1258 (the old Vietnamese code "
                "page). Check the accents in the preview; next time save as “CSV UTF-8”."
            )
            % {"file": filename}
        )
    if "\x00" in text:
        raise ImportFileError(
            _("%(file)s is not a text file; upload an .xlsx or a .csv file.") % {"file": filename}
        )
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table(filename, "", enumerate(reader, start=1), layout)
    except csv.Error as exc:  # a cell beyond csv.field_size_limit() (128 KB), a stray quote
        raise ImportFileError(
            _("%(file)s cannot be read as a .csv table; in Excel choose “CSV UTF-8” when saving.")
            % {"file": filename}
        ) from exc
    table.warnings[:0] = warnings
    return table


# ---------------------------------------------------------------------------------------------
# Header and rows


def _header_columns(
    cells: list[Any], header_keys: Mapping[str, str]
) -> tuple[list[tuple[int, str, str]], list[str]]:
    columns: list[tuple[int, str, str]] = []
    ignored: list[str] = []
    seen: set[str] = set()
    for pos, cell in enumerate(cells):
        text = str(cell).strip() if cell not in (None, "") else ""
        if not text:
            continue
        key = header_keys.get(header_key(text))
        if key is None or key in seen:
            ignored.append(text)
            continue
        seen.add(key)
        columns.append((pos, key, " ".join(text.split())))
    return columns, ignored


def _table(filename: str, sheet: str, raw_rows: Any, layout: Layout = MEMBERS) -> Table:
    limit = max_rows()
    header_row = 0
    header_cells: list[Any] = []
    columns: list[tuple[int, str, str]] = []
    ignored: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    positions: list[int] = []
    for number_, cells in raw_rows:
        if not header_row:
            if number_ > HEADER_SEARCH_ROWS:
                break
            found, unknown = _header_columns(cells, layout.header_keys)
            if layout.is_header({k for _p, k, _t in found}):
                header_row, columns, ignored = number_, found, unknown
                header_cells = list(cells)
                positions = [p for p, k, _t in found if k != "stt"]
            continue
        if not any(cells[p] not in ("", None) for p in positions if p < len(cells)):
            continue
        rows.append((number_, cells))
        if len(rows) > limit:
            raise _too_many_rows(filename, limit)
    if not header_row:
        raise ImportFileError(layout.no_header(filename))
    keys = {k for _p, k, _t in columns}
    if "full_name" in keys and "given_name" in keys:
        ignored.append(next(t for _p, k, t in columns if k == "full_name"))
        columns = [c for c in columns if c[1] != "full_name"]
    return Table(
        filename=filename,
        sheet=sheet,
        header_row=header_row,
        columns=columns,
        rows=rows,
        ignored=ignored,
        header_cells=header_cells,
    )
