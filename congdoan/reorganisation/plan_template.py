"""The downloadable plan template (.xlsx): Vietnamese headers, example rows, an instructions
sheet, and drop-down lists for "Thao tác" and "Loại đơn vị". A pure renderer: catalogue rows in,
bytes out. Codes are written with `write_string` in text-formatted columns so that leading zeros
survive, and `strings_to_formulas=False` keeps "=…" as text."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from congdoan.reorganisation.plans import (
    ASSIGN_COLUMNS,
    ASSIGN_SHEET,
    COLUMNS,
    GUIDE_SHEET,
    MAIN_SHEET,
    MAX_ROWS,
    OPERATIONS,
)

LIST_SHEET = "Danh mục"

MAIN_KEYS = [
    "stt",
    "op",
    "code",
    "name",
    "short_name",
    "type",
    "target",
    "sector",
    "ownership",
    "day",
    "note",
]
WIDTHS = {"op": 18, "code": 16, "name": 42, "short_name": 20, "type": 30, "target": 30, "note": 36}

EXAMPLES = [
    ["1", "Thành lập", "XA_AN_PHU", "Công đoàn xã An Phú", "CĐ xã An Phú", "cd_xa", "TINH_X", "", "", "01/07/2025", "Thành lập mới"],
    ["2", "Chuyển", "0012", "", "", "", "XA_AN_PHU", "", "", "01/07/2025", "CĐCS về công đoàn xã"],
    ["3", "Giải thể", "CDCS_UBND_HUYEN", "", "", "", "", "", "", "01/07/2025", "Đoàn viên ra khỏi tổ chức"],
    ["4", "Giải thể", "LDLD_HUYEN_A", "", "", "", "", "", "", "01/07/2025", "Sau khi đã chuyển hết CĐCS"],
    ["5", "Sáp nhập", "CDCS_A;CDCS_B", "", "", "", "CDCS_C", "", "", "01/07/2025", ""],
    ["6", "Chia tách", "CDCS_D", "", "", "", "CDCS_E;CDCS_F", "", "", "01/07/2025", "Phân bổ ở trang Phân bổ"],
    ["7", "Đổi tên – cập nhật", "CDCS_G", "Công đoàn cơ sở Công ty G", "CĐCS G", "", "", "", "", "01/07/2025", ""],
]  # fmt: skip

ASSIGN_KEYS = ["stt", "source", "member", "child", "target"]
ASSIGN_EXAMPLES = [
    ["1", "CDCS_D", "CD0001234", "", "CDCS_F"],
    ["2", "CDCS_D", "", "CDCS_D_TO1", "CDCS_F"],
]

GUIDE = [
    "Hướng dẫn lập kế hoạch sắp xếp tổ chức công đoàn",
    "",
    "Mỗi dòng ở trang “Kế hoạch” là một thao tác; các dòng được thực hiện theo thứ tự từ trên xuống.",
    "Cả kế hoạch có một ngày hiệu lực: ghi cùng một ngày ở cột “Ngày hiệu lực” (dd/mm/yyyy) hoặc nhập ngày một lần khi tải lên.",
    "Thao tác: Thành lập, Đổi tên – cập nhật, Chuyển, Sáp nhập, Chia tách, Giải thể (có thể viết không dấu).",
    "Mã đơn vị: mã của đơn vị được thực hiện thao tác; với Sáp nhập ghi các đơn vị bị sáp nhập, cách nhau bằng dấu “;”.",
    "Mã đơn vị cấp trên / đơn vị nhận: Thành lập, Chuyển: đơn vị cấp trên mới; Sáp nhập: đơn vị nhận; Chia tách: các đơn vị nhận “X;Y” (đơn vị đầu tiên nhận phần còn lại); Giải thể: đơn vị nhận đoàn viên và đơn vị trực thuộc, để trống thì đoàn viên ra khỏi tổ chức công đoàn (lý do: giải thể đơn vị).",
    "Đơn vị thành lập ở dòng trên có thể được dùng ở các dòng dưới.",
    "Mỗi đơn vị chỉ là đối tượng của một thao tác trong một kế hoạch.",
    "Loại đơn vị, Ngành, Loại hình: ghi mã hoặc tên trong danh mục (trang “Danh mục”).",
    "Trang “Phân bổ” (không bắt buộc): phân đoàn viên (Mã thẻ đoàn viên) hoặc đơn vị trực thuộc (Mã đơn vị) của đơn vị chia tách về các đơn vị nhận.",
    "Mã đơn vị là chữ: giữ định dạng Văn bản (Text) cho các cột mã, nếu không Excel sẽ bỏ số 0 ở đầu (0012 thành 12).",
    f"Tệp .xlsx hoặc .csv (UTF-8), tối đa 5 MB và {MAX_ROWS:,} dòng; không nhận tệp có macro (.xlsm).".replace(",", "."),
    "Kế hoạch được kiểm tra toàn bộ và xem trước; chỉ khi không còn lỗi mới được áp dụng, và được áp dụng toàn bộ trong một lần.",
]  # fmt: skip


def render_template(
    unit_types: Sequence[tuple[str, str]],
    sectors: Sequence[tuple[str, str]] = (),
    ownerships: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The template workbook; catalogues are (code, name) pairs."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    main = book.add_worksheet(MAIN_SHEET)
    assign = book.add_worksheet(ASSIGN_SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)
    lists = book.add_worksheet(LIST_SHEET)

    # Catalogue lists (the drop-downs point here).
    lists.write_string(0, 0, "Thao tác", head)
    for i, (label, _aliases) in enumerate(OPERATIONS.values(), start=1):
        lists.write_string(i, 0, label)
    for col, (title, items) in enumerate(
        (("Loại đơn vị", unit_types), ("Ngành", sectors), ("Loại hình", ownerships)), start=1
    ):
        lists.write_string(0, col * 2 - 1, f"Mã – {title}", head)
        lists.write_string(0, col * 2, title, head)
        for i, (code, name) in enumerate(items, start=1):
            lists.write_string(i, col * 2 - 1, code)
            lists.write_string(i, col * 2, name)
    lists.set_column(0, 6, 28)

    for col, key in enumerate(MAIN_KEYS):
        main.write_string(0, col, COLUMNS[key][0], head)
        main.set_column(col, col, WIDTHS.get(key, 14), text)
    for r, values in enumerate(EXAMPLES, start=1):
        for col, value in enumerate(values):
            main.write_string(r, col, value)
    main.freeze_panes(1, 0)
    last = MAX_ROWS
    op_col = MAIN_KEYS.index("op")
    type_col = MAIN_KEYS.index("type")
    main.data_validation(
        1,
        op_col,
        last,
        op_col,
        {
            "validate": "list",
            "source": f"='{LIST_SHEET}'!$A$2:$A${len(OPERATIONS) + 1}",
            "error_type": "warning",
            "input_title": "Thao tác",
            "input_message": "Chọn thao tác trong danh sách",
        },
    )
    if unit_types:
        main.data_validation(
            1,
            type_col,
            last,
            type_col,
            {
                "validate": "list",
                "source": f"='{LIST_SHEET}'!$B$2:$B${len(unit_types) + 1}",
                "error_type": "warning",
                "input_title": "Loại đơn vị",
                "input_message": "Chọn mã loại đơn vị (xem trang Danh mục)",
            },
        )

    for col, key in enumerate(ASSIGN_KEYS):
        assign.write_string(0, col, ASSIGN_COLUMNS[key][0], head)
        assign.set_column(col, col, 22, text)
    for r, values in enumerate(ASSIGN_EXAMPLES, start=1):
        for col, value in enumerate(values):
            assign.write_string(r, col, value)
    assign.freeze_panes(1, 0)

    guide.set_column(0, 0, 120, wrap)
    for r, line in enumerate(GUIDE):
        guide.write_string(r, 0, line, bold if r == 0 else wrap)

    main.activate()
    book.close()
    return out.getvalue()
