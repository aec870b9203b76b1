"""The .xlsx template of a register's file (`Spec`), a pure renderer: spec in, bytes out.

Sheet `spec.sheet`: the columns' Vietnamese headers, each with a comment (the column's `note`,
whether it is required, how to write it); one example row from `spec.example`, marked in a
last column (“DÒNG VÍ DỤ…”) so that the import skips it if it is left in; code, unit, identity
and phone columns formatted as text ("@") so that Excel keeps leading zeros; date columns as
dd/mm/yyyy; drop-downs from `Column.choices`, pointing to the hidden sheet "Danh mục". Sheet
"Hướng dẫn": `spec.guide` and the rules every register shares. Every text is written with
`write_string`, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from congdoan.activities.imports import Column, Spec
from congdoan.members.imports.columns import EXAMPLE_NOTE, GUIDE_SHEET, LIST_SHEET
from congdoan.members.imports.reading import max_bytes, max_rows

TEXT_KINDS = frozenset({"code", "unit", "identity", "phone"})
HINTS = {
    "date": "Ngày dd/mm/yyyy, ví dụ 05/02/2025.",
    "integer": "Số nguyên.",
    "money": "Số tiền (đồng), ví dụ 1500000 hoặc 1.500.000.",
    "choice": "Chọn trong danh sách thả xuống.",
    "bool": "Có hoặc Không.",
    "unit": "Mã đơn vị (giữ định dạng Văn bản); để trống là đơn vị chọn khi tải lên.",
    "identity": "Số CCCD 12 số (CMND cũ 9 số); giữ định dạng Văn bản để không mất số 0 ở đầu.",
    "phone": "Giữ định dạng Văn bản để không mất số 0 ở đầu.",
    "code": "Giữ định dạng Văn bản để không mất số 0 ở đầu.",
}


def comment(col: Column) -> str:
    parts = ["Bắt buộc." if col.required else "Không bắt buộc."]
    if col.note:
        parts.append(col.note)
    if col.kind in HINTS and col.kind != "choice":
        parts.append(HINTS[col.kind])
    if col.choices:
        parts.append("Chọn trong danh sách: " + ", ".join(col.choices) + ".")
    return " ".join(parts)


def guide_lines(spec: Spec) -> list[str]:
    mb = max_bytes() // (1024 * 1024)
    rows = f"{max_rows():,}".replace(",", ".")
    required = ", ".join(c.header for c in spec.columns if c.required) or "—"
    return [
        f"Hướng dẫn nhập sổ “{spec.sheet}”",
        "",
        *spec.guide,
        "",
        f"Dòng 1 ở trang “{spec.sheet}” là tiêu đề cột: giữ nguyên tên cột (có thể viết không dấu).",
        f"Xóa dòng ví dụ (có ghi “{EXAMPLE_NOTE}”) trước khi tải lên; nếu để lại, dòng đó được "
        "bỏ qua.",
        f"Cột bắt buộc: {required}.",
        "Ngày ghi dd/mm/yyyy (ví dụ 05/02/2025) hoặc nhập kiểu ngày của Excel. Số tiền ghi bằng "
        "đồng, ví dụ 1500000 hoặc 1.500.000.",
        "Các cột mã (mã đơn vị, số CCCD, số điện thoại) phải giữ định dạng Văn bản (Text), nếu "
        "không Excel bỏ số 0 ở đầu.",
        "Các cột có danh sách thả xuống: chọn một giá trị trong danh sách (danh mục ở trang ẩn "
        f"“{LIST_SHEET}”); viết không dấu cũng được nhận.",
        "Mã đơn vị: đơn vị của bản ghi, thuộc đơn vị chọn khi tải lên; để trống là chính đơn vị "
        "đó.",
        "Hệ thống kiểm tra toàn bộ tệp và cho xem trước mọi lỗi theo dòng và cột; chỉ khi không "
        "còn lỗi mới ghi, và ghi tất cả trong một lần (có lỗi thì không ghi dòng nào).",
        "Tải lại cùng một tệp (hoặc tệp đã xuất từ hệ thống) không tạo bản ghi trùng: các dòng "
        "đã nhập được tính là “không đổi”. Muốn sửa một bản ghi đã nhập, sửa trên trang của bản "
        "ghi đó.",
        f"Tệp .xlsx (không có macro) hoặc .csv UTF-8, tối đa {mb} MB và {rows} dòng.",
    ]


def _write_value(sheet: Any, row: int, col: int, value: Any, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, dt.datetime | dt.date):
        day = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        sheet.write_datetime(row, col, day, formats["example_date"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, "Có" if value else "Không", formats["example"])
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), formats["example"])
    else:
        sheet.write_string(row, col, str(value), formats["example"])


def _lists(book: Any, spec: Spec, head: Any) -> dict[str, str]:
    """The hidden sheet of the drop-downs' values, one column per column with choices."""
    sheet = book.add_worksheet(LIST_SHEET)
    ranges: dict[str, str] = {}
    for i, col in enumerate(c for c in spec.columns if c.choices):
        sheet.write_string(0, i, col.header, head)
        for r, word in enumerate(col.choices, start=1):
            sheet.write_string(r, i, word)
        letter = xl_col_to_name(i)
        ranges[col.key] = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(col.choices) + 1}"
        sheet.set_column(i, i, 24)
    sheet.hide()
    return ranges


def _validate(sheet: Any, index: int, col: Column, ranges: dict[str, str]) -> None:
    last = max_rows()
    if col.key in ranges:
        sheet.data_validation(
            1,
            index,
            last,
            index,
            {
                "validate": "list",
                "source": ranges[col.key],
                "ignore_blank": True,
                "error_type": "warning",
                "error_title": col.header[:32],
                "error_message": "Chọn một giá trị trong danh sách.",
            },
        )
    elif col.kind == "date":
        sheet.data_validation(
            1,
            index,
            last,
            index,
            {
                "validate": "date",
                "criteria": ">=",
                "value": dt.date(1900, 1, 1),
                "error_type": "warning",
                "error_message": "Nhập ngày dạng dd/mm/yyyy.",
            },
        )


def render(spec: Spec) -> bytes:
    """The template workbook of `spec`."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    formats = {
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "money": book.add_format({"num_format": "#,##0"}),
        "example": book.add_format({"italic": True, "font_color": "#666666"}),
        "example_date": book.add_format(
            {"num_format": "dd/mm/yyyy", "italic": True, "font_color": "#666666"}
        ),
    }
    main = book.add_worksheet(spec.sheet[:31])
    guide = book.add_worksheet(GUIDE_SHEET)
    ranges = _lists(book, spec, head)
    for index, col in enumerate(spec.columns):
        main.write_string(0, index, col.header, head)
        main.write_comment(0, index, comment(col), {"x_scale": 2, "y_scale": 1.5})
        fmt = formats.get("text" if col.kind in TEXT_KINDS else col.kind)
        main.set_column(index, index, col.width, fmt)
        _write_value(main, 1, index, spec.example.get(col.key), formats)
        _validate(main, index, col, ranges)
    marker = len(spec.columns)
    main.write_string(1, marker, EXAMPLE_NOTE, formats["example"])
    main.set_column(marker, marker, 44)
    main.set_row(0, 32)
    main.freeze_panes(1, 0)
    bold = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    guide.set_column(0, 0, 120, wrap)
    for row, line in enumerate(guide_lines(spec)):
        guide.write_string(row, 0, line, bold if row == 0 else wrap)
    main.activate()
    book.close()
    return out.getvalue()
