"""Files for the import tests: csv and xlsx built from rows of cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from typing import Any

import xlsxwriter

HEADER = ["Mã đơn vị", "Sổ", "Từ năm", "Đến năm", "Ghi chú"]


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig", sep: str = ";"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    for row in rows:
        writer.writerow(["" if c is None else str(c) for c in row])
    text = out.getvalue()
    if encoding != "cp1258":
        return text.encode(encoding)
    return b"".join(_cp1258(ch) for ch in text)


def _cp1258(ch: str) -> bytes:
    """Windows-1258 keeps tone marks apart: letters it lacks are written decomposed."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        base, *marks = unicodedata.normalize("NFD", ch)
        try:
            return (unicodedata.normalize("NFC", base + "".join(marks[:-1])) + marks[-1]).encode(
                "cp1258"
            )
        except UnicodeEncodeError:
            return unicodedata.normalize("NFD", ch).encode("cp1258")


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, sheet: str = "Sổ theo dõi") -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet(sheet)
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def read_xlsx(data: bytes, sheet: str | None = None) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    name = sheet or book.sheet_names[0]
    return book.get_sheet_by_name(name).to_python()
