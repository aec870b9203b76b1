"""Exports of a register's records in the columns of its import file (`Spec`).

    content = export_xlsx(spec, records)    # records: any iterable (a queryset's iterator)

One sheet named like the template's, a first column "Mã bản ghi" (the record's number: the
import counts such rows as already kept, so an export imported back creates nothing), then the
spec's columns from `spec.export_row(record)`. Personal columns (`Column.personal`) are always
masked: identity numbers as `members.cccd.mask` (**********45), phones keep their last three
digits, dates (of birth) their year only, other text is hidden. Text is written with
`write_string` (never a formula: "=1+1" stays text), dates as dates, numbers as numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import xlsxwriter

from congdoan.activities.imports import RECORD_HEADER, Column, Spec
from congdoan.members import cccd

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHONE_VISIBLE = 3


def mask_phone(value: str) -> str:
    """0912345678 → *******678."""
    digits = str(value)
    if len(digits) <= PHONE_VISIBLE:
        return "*" * len(digits)
    return "*" * (len(digits) - PHONE_VISIBLE) + digits[-PHONE_VISIBLE:]


def mask(col: Column, value: Any) -> Any:
    """The value of a personal column as exports show it."""
    if value is None or value == "":
        return value
    if col.kind == "identity":
        return cccd.mask(str(value))
    if col.kind == "phone":
        return mask_phone(str(value))
    if isinstance(value, dt.date):
        return str(value.year)
    if col.kind == "date":
        text = str(value)
        return text[-4:] if len(text) >= 4 and text[-4:].isdecimal() else "****"
    return "*" * min(len(str(value)), 8)


def export_values(spec: Spec, record: Any) -> list[Any]:
    """The row of one record: its number, then the spec's columns, personal ones masked."""
    if spec.export_row is None:
        raise LookupError(f"{spec.register}: the spec has no export_row")
    values = spec.export_row(record)
    row: list[Any] = [record.pk]
    for col in spec.columns:
        value = values.get(col.key)
        row.append(mask(col, value) if col.personal else value)
    return row


def _cell(sheet: Any, r: int, c: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime):
        sheet.write_datetime(r, c, value.replace(tzinfo=None), formats["date"])
    elif isinstance(value, dt.date):
        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats["date"])
    elif isinstance(value, bool):
        sheet.write_string(r, c, "Có" if value else "Không")
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(r, c, float(value), formats["number"])
    else:
        sheet.write_string(r, c, str(getattr(value, "code", value)))


def export_xlsx(spec: Spec, records: Iterable[Any]) -> bytes:
    """The records as the register's file, personal columns masked."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    formats = {
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "number": book.add_format({"num_format": "#,##0"}),
    }
    sheet = book.add_worksheet(spec.sheet[:31])
    sheet.set_column(0, 0, 12)
    for c, col in enumerate(spec.columns, start=1):
        sheet.set_column(c, c, col.width)
    for c, header in enumerate([RECORD_HEADER, *(col.header for col in spec.columns)]):
        sheet.write_string(0, c, header, head)
    sheet.freeze_panes(1, 0)
    for r, record in enumerate(records, start=1):
        for c, value in enumerate(export_values(spec, record)):
            _cell(sheet, r, c, value, formats)
    book.close()
    return out.getvalue()


def export_filename(spec: Spec, day: dt.date) -> str:
    return f"{spec.register}-{day:%Y%m%d}.xlsx"
