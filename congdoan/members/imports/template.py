"""The downloadable member file template (.xlsx), a pure renderer: catalogues in, bytes out.

Sheet "Đoàn viên": Vietnamese headers with a comment each, one example row (marked in “Ghi
chú”, skipped by the import if left in), the ID, card, phone and unit-code columns formatted as
text ("@") so that Excel keeps leading zeros, date columns as dd/mm/yyyy, and drop-down lists
(sex, ethnicity, religion, professional level, political theory, yes/no) that point to the
hidden sheet "Danh mục". Sheet "Hướng dẫn": how to fill it in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter

from congdoan.members.imports.columns import (
    COLUMNS,
    EXAMPLE_NOTE,
    GUIDE_SHEET,
    LIST_SHEET,
    POLITICAL_THEORY_LEVELS,
    PROFESSIONAL_LEVELS,
    SEX_VALUES,
    SHEET,
    TEMPLATE_KEYS,
    YES_NO,
)
from congdoan.members.imports.reading import max_bytes, max_rows

TEXT_KEYS = {"citizen_id", "card_number", "phone", "unit_code", "stt"}
DATE_KEYS = {"date_of_birth", "admitted_on", "party_joined_on", "card_issued_on"}
WIDTHS = {
    "stt": 6,
    "family_name": 12,
    "middle_name": 14,
    "given_name": 10,
    "date_of_birth": 12,
    "sex": 9,
    "citizen_id": 15,
    "ethnicity": 12,
    "religion": 14,
    "phone": 13,
    "hometown": 24,
    "address": 30,
    "professional_level": 16,
    "political_theory": 14,
    "job_title": 20,
    "workplace": 24,
    "card_number": 16,
    "admitted_on": 13,
    "party_member": 10,
    "party_joined_on": 13,
    "salary_base": 14,
    "hardship": 11,
    "disability": 10,
    "unit_code": 12,
    "note": 30,
}
COMMENTS = {
    "stt": "Số thứ tự (không bắt buộc).",
    "family_name": "Bắt buộc. Có thể thay ba cột Họ, Tên đệm, Tên bằng một cột “Họ và tên”.",
    "middle_name": "Tên đệm (chữ đệm), có thể để trống.",
    "given_name": "Bắt buộc.",
    "date_of_birth": "dd/mm/yyyy, ví dụ 05/02/1990.",
    "sex": "Nam hoặc Nữ (bắt buộc với đoàn viên mới).",
    "citizen_id": "12 số (CCCD) hoặc 9 số (CMND cũ). Giữ định dạng Văn bản để không mất số 0 ở đầu.",
    "ethnicity": "Tên hoặc mã của một trong 54 dân tộc (xem trang Danh mục).",
    "religion": "Chọn trong danh sách; “Không” nếu không theo tôn giáo nào.",
    "phone": "Giữ định dạng Văn bản để không mất số 0 ở đầu.",
    "professional_level": "Không, Sơ cấp, Trung cấp, Cao đẳng, Đại học, Thạc sĩ, Tiến sĩ.",
    "political_theory": "Không, Sơ cấp, Trung cấp, Cao cấp, Cử nhân.",
    "card_number": "Để trống nếu chưa có thẻ.",
    "admitted_on": "Ngày kết nạp vào Công đoàn, dd/mm/yyyy (bắt buộc với đoàn viên mới).",
    "party_member": "Có hoặc để trống.",
    "party_joined_on": "dd/mm/yyyy; có ngày vào Đảng là đảng viên.",
    "salary_base": "Số tiền (đồng), ví dụ 5000000.",
    "hardship": "Có hoặc để trống.",
    "disability": "Có hoặc để trống.",
    "unit_code": "Mã CĐCS của đoàn viên; để trống thì là đơn vị chọn khi tải lên.",
    "note": "Ghi chú.",
}
LIST_KEYS = {
    "sex": "sex",
    "ethnicity": "ethnicity",
    "religion": "religion",
    "professional_level": "professional",
    "political_theory": "political",
    "party_member": "yes_no",
    "hardship": "yes_no",
    "disability": "yes_no",
}
EXAMPLE: dict[str, object] = {
    "stt": "1",
    "family_name": "Nguyễn",
    "middle_name": "Thị",
    "given_name": "Hòa",
    "date_of_birth": dt.date(1990, 2, 5),
    "sex": "Nữ",
    "citizen_id": "001190012345",
    "ethnicity": "Kinh",
    "religion": "Không",
    "phone": "0912345678",
    "hometown": "Xã Tân Phong, tỉnh Lai Châu",
    "address": "Số 1 đường Trần Phú, phường Tân Phong, tỉnh Lai Châu",
    "professional_level": "Đại học",
    "political_theory": "Sơ cấp",
    "job_title": "Giáo viên",
    "workplace": "Trường Tiểu học Tân Phong",
    "card_number": "",
    "admitted_on": dt.date(2015, 3, 26),
    "party_member": "",
    "party_joined_on": "",
    "salary_base": 5000000,
    "hardship": "",
    "disability": "",
    "unit_code": "",
    "note": EXAMPLE_NOTE,
}


def guide_lines() -> list[str]:
    mb = max_bytes() // (1024 * 1024)
    rows = f"{max_rows():,}".replace(",", ".")
    return [
        "Hướng dẫn nhập danh sách đoàn viên",
        "",
        "Mỗi dòng ở trang “Đoàn viên” là một đoàn viên; dòng 1 là tiêu đề cột, giữ nguyên tên cột "
        "(có thể viết không dấu; các tên khác thường gặp như “Họ và tên”, “CCCD”, “Số định danh”, "
        "“Chức danh” cũng được nhận).",
        f"Xóa dòng ví dụ (có ghi chú “{EXAMPLE_NOTE}”) trước khi tải lên.",
        "Bắt buộc: Họ, Tên; với đoàn viên mới thêm Giới tính và Ngày kết nạp; và ít nhất một "
        "trong Số CCCD, Số thẻ đoàn viên, Ngày sinh để nhận ra đoàn viên khi tải lại tệp.",
        "Ngày ghi dd/mm/yyyy (ví dụ 05/02/1990) hoặc nhập kiểu ngày của Excel.",
        "Số CCCD 12 số phải khớp giới tính và năm sinh; CMND 9 số vẫn được nhận. Các cột Số CCCD, "
        "Số thẻ, Số điện thoại, Mã đơn vị phải giữ định dạng Văn bản (Text), nếu không Excel bỏ "
        "số 0 ở đầu: hệ thống sẽ báo lỗi và gợi ý số đúng, không tự sửa.",
        "Dân tộc, Tôn giáo, Trình độ chuyên môn, Lý luận chính trị, Giới tính, Có/Không: chọn "
        "trong danh sách thả xuống (danh mục ở trang ẩn “Danh mục”).",
        "Mã đơn vị: mã CĐCS (hoặc đơn vị) của đoàn viên, thuộc đơn vị chọn khi tải lên; để trống "
        "thì đoàn viên thuộc chính đơn vị đó.",
        "Tải lại cùng một tệp không tạo trùng: đoàn viên đã có (cùng Số CCCD hoặc Số thẻ, hoặc cùng "
        "họ tên và ngày sinh trong cùng đơn vị) được cập nhật những ô có ghi; ô trống không xóa "
        "dữ liệu đã có. Ngày kết nạp và đơn vị không đổi qua nhập tệp (dùng chức năng chuyển sinh "
        "hoạt).",
        "Số CCCD đã thuộc đoàn viên của đơn vị khác: không nhập được, hãy đề nghị chuyển sinh hoạt "
        "công đoàn về đơn vị mình.",
        "Hệ thống kiểm tra toàn bộ tệp và cho xem trước; chỉ khi không còn lỗi mới ghi, và ghi tất "
        "cả trong một lần (có lỗi thì không ghi dòng nào).",
        f"Tệp .xlsx (không có macro) hoặc .csv UTF-8, tối đa {mb} MB và {rows} dòng.",
    ]


def render_template(ethnicities: Sequence[tuple[str, str]], religions: Sequence[str]) -> bytes:
    """The template workbook; `ethnicities` are (code, name), `religions` names."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    example_text = book.add_format({"num_format": "@", "italic": True, "font_color": "#666666"})
    example_date = book.add_format(
        {"num_format": "dd/mm/yyyy", "italic": True, "font_color": "#666666"}
    )
    example_plain = book.add_format({"italic": True, "font_color": "#666666"})
    bold = book.add_format({"bold": True, "font_size": 13})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    main = book.add_worksheet(SHEET)
    guide = book.add_worksheet(GUIDE_SHEET)
    lists = book.add_worksheet(LIST_SHEET)

    # Lists for the drop-downs, one column each.
    list_values: dict[str, list[str]] = {
        "sex": [words[0] for words in SEX_VALUES.values()],
        "ethnicity": [name for _code, name in ethnicities],
        "religion": list(religions),
        "professional": [words[0] for words in PROFESSIONAL_LEVELS.values()],
        "political": [words[0] for words in POLITICAL_THEORY_LEVELS.values()],
        "yes_no": [YES_NO[True][0], YES_NO[False][0]],
    }
    titles = {
        "sex": "Giới tính",
        "ethnicity": "Dân tộc",
        "religion": "Tôn giáo",
        "professional": "Trình độ chuyên môn",
        "political": "Lý luận chính trị",
        "yes_no": "Có/Không",
    }
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(list_values.items()):
        lists.write_string(0, col, titles[name], head)
        for row, word in enumerate(values, start=1):
            lists.write_string(row, col, word)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        ranges[name] = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    # Ethnicity codes next to the names, for reference.
    code_col = len(list_values)
    lists.write_string(0, code_col, "Mã dân tộc", head)
    for row, (code, _name) in enumerate(ethnicities, start=1):
        lists.write_string(row, code_col, code)
    lists.set_column(0, code_col, 20)
    lists.hide()

    last = max_rows()
    for col, key in enumerate(TEMPLATE_KEYS):
        main.write_string(0, col, COLUMNS[key][0], head)
        if key in COMMENTS:
            main.write_comment(0, col, COMMENTS[key], {"x_scale": 2, "y_scale": 1.5})
        fmt = text if key in TEXT_KEYS else date if key in DATE_KEYS else None
        main.set_column(col, col, WIDTHS.get(key, 14), fmt)
        value = EXAMPLE.get(key, "")
        if isinstance(value, dt.date):
            main.write_datetime(1, col, dt.datetime.combine(value, dt.time()), example_date)
        elif isinstance(value, int):
            main.write_number(1, col, value, example_plain)
        elif value:
            main.write_string(1, col, str(value), example_text)
        if key in LIST_KEYS:
            name = LIST_KEYS[key]
            main.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "list",
                    "source": ranges[name],
                    "ignore_blank": True,
                    "error_type": "warning",
                    "error_title": titles[name],
                    "error_message": "Chọn một giá trị trong danh sách.",
                },
            )
        if key in DATE_KEYS:
            main.data_validation(
                1,
                col,
                last,
                col,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": dt.date(1900, 1, 1),
                    "error_type": "warning",
                    "error_message": "Nhập ngày dạng dd/mm/yyyy.",
                },
            )
    main.set_row(0, 32)
    main.freeze_panes(1, 0)

    guide.set_column(0, 0, 120, wrap)
    for row, line in enumerate(guide_lines()):
        guide.write_string(row, 0, line, bold if row == 0 else wrap)
    main.activate()
    book.close()
    return out.getvalue()


def render_for_catalogues() -> bytes:
    """The template with the ethnicities and religions of the database."""
    from congdoan.members.models import Ethnicity, Religion

    return render_template(
        [(e.code, e.name) for e in Ethnicity.objects.order_by("code")],
        [r.name for r in Religion.objects.order_by("order", "name")],
    )
