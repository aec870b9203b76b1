"""Member files for tests and benchmarks: valid random members, written as xlsx or csv.

    rows = member_rows(1000, seed=1)                 # dicts of column key → cell value
    data = xlsx_bytes(rows)                          # the template's columns
    data = csv_bytes(rows, delimiter=";")

Citizen IDs agree with sex and year of birth and are unique for a seed (the six last digits
come from the row number); card numbers are unique per seed ("T<seed><n>").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import struct
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter

from congdoan.members.cccd import PROVINCES, century_sex_digit
from congdoan.members.imports.columns import COLUMNS, TEMPLATE_KEYS

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà", "Đinh", "Quàng"]  # fmt: skip
MIDDLE_F = ["Thị", "Thị Thanh", "Ngọc", "Thu", "Thị Hồng", "Minh", "Kim", ""]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", ""]
GIVEN_F = ["Hòa", "Thủy", "Lan", "Hương", "Mai", "Ngọc", "Trang", "Hạnh", "Oanh", "Yến",
           "Thúy", "Loan", "Nhung", "Uyên", "Ánh", "Dung"]  # fmt: skip
GIVEN_M = ["Hùng", "Dũng", "Nam", "Quý", "Toàn", "Đạt", "Cường", "Khoa", "Bình", "Tuấn",
           "Thủy", "Hòa", "Việt", "Long", "Sơn", "Đức"]  # fmt: skip
ETHNICITIES = ["Kinh", "Thái", "Mông", "Dao", "Giáy", "Hà Nhì", "Tày", "Lự"]
JOBS = ["Giáo viên", "Công nhân", "Kế toán", "Nhân viên", "Kỹ sư", "Y sĩ", "Lái xe"]
LEVELS = ["", "Sơ cấp", "Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ"]
PROVINCE_CODES = sorted(PROVINCES)
DEFAULT_KEYS = [k for k in TEMPLATE_KEYS if k != "stt"]


def citizen_id(i: int, sex: str, year: int, seed: int = 0) -> str:
    province = PROVINCE_CODES[i % len(PROVINCE_CODES)]
    serial = (i // len(PROVINCE_CODES) + seed * 104_729) % 1_000_000
    return f"{province}{century_sex_digit(sex, year)}{year % 100:02d}{serial:06d}"


def member_rows(
    n: int,
    *,
    seed: int = 0,
    start: int = 0,
    unit_code: str = "",
    today: dt.date | None = None,
    card_prefix: str | None = None,
    earliest_admission: dt.date | None = None,
) -> list[dict[str, Any]]:
    """`n` valid members (file cells: text and dates), rows `start`… of seed `seed`."""
    rnd = random.Random(f"{seed}:{start}")
    today = today or dt.date.today()
    prefix = card_prefix if card_prefix is not None else f"T{seed:03d}"
    out: list[dict[str, Any]] = []
    for i in range(start, start + n):
        sex = "F" if rnd.random() < 0.55 else "M"
        year = rnd.randint(1965, 2004)
        born = dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
        admitted = min(
            today,
            born + dt.timedelta(days=rnd.randint(18 * 365, 18 * 365 + 20 * 365)),
        )
        if earliest_admission and admitted < earliest_admission:
            admitted = min(today, earliest_admission + dt.timedelta(days=rnd.randint(0, 300)))
        party = rnd.random() < 0.1
        out.append(
            {
                "family_name": rnd.choice(FAMILY),
                "middle_name": rnd.choice(MIDDLE_F if sex == "F" else MIDDLE_M),
                "given_name": rnd.choice(GIVEN_F if sex == "F" else GIVEN_M),
                "date_of_birth": born,
                "sex": "Nữ" if sex == "F" else "Nam",
                "citizen_id": citizen_id(i, sex, year, seed),
                "ethnicity": rnd.choice(ETHNICITIES),
                "religion": "Không",
                "phone": f"09{rnd.randint(0, 99_999_999):08d}",
                "hometown": "Tỉnh Lai Châu",
                "address": f"Số {rnd.randint(1, 300)} đường Trần Phú, phường Tân Phong",
                "professional_level": rnd.choice(LEVELS),
                "political_theory": "Sơ cấp" if party else "",
                "job_title": rnd.choice(JOBS),
                "workplace": "Công ty Cổ phần Thử Nghiệm",
                "card_number": f"{prefix}{i:07d}",
                "admitted_on": admitted,
                "party_member": "Có" if party else "",
                "party_joined_on": admitted + dt.timedelta(days=400)
                if party and admitted + dt.timedelta(days=400) <= today
                else "",
                "salary_base": 4_500_000 + 100_000 * rnd.randint(0, 60),
                "hardship": "Có" if rnd.random() < 0.03 else "",
                "disability": "",
                "unit_code": unit_code,
                "note": "",
            }
        )
    return out


def _headers(keys: Sequence[str], headers: dict[str, str] | None) -> list[str]:
    return [(headers or {}).get(k, COLUMNS[k][0]) for k in keys]


def xlsx_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    headers: dict[str, str] | None = None,
    sheet: str = "Đoàn viên",
    numbers: Sequence[str] = ("salary_base",),
    title_rows: int = 0,
) -> bytes:
    """An xlsx with a header row (after `title_rows` rows of title) and one row per member.
    Dates are Excel dates; keys in `numbers` are written as numbers (e.g. "citizen_id" to
    reproduce the lost leading zero), everything else as text."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "constant_memory": True}
    )
    ws = book.add_worksheet(sheet)
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    for t in range(title_rows):
        ws.write_string(t, 0, "DANH SÁCH ĐOÀN VIÊN" if t == 0 else "")
    for col, text in enumerate(_headers(keys, headers)):
        ws.write_string(title_rows, col, text)
    for r, row in enumerate(rows, start=title_rows + 1):
        for col, key in enumerate(keys):
            value = row.get(key, "")
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, col, dt.datetime.combine(value, dt.time()), date)
            elif key in numbers and str(value).replace(".", "").isdigit():
                ws.write_number(r, col, float(value))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(r, col, value)
            else:
                ws.write_string(r, col, str(value))
    book.close()
    return out.getvalue()


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    keys: Sequence[str] = DEFAULT_KEYS,
    headers: dict[str, str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(_headers(keys, headers))
    for row in rows:
        writer.writerow(
            [
                v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else ("" if v is None else v)
                for v in (row.get(k, "") for k in keys)
            ]
        )
    return out.getvalue().encode(encoding)


def damaged_xlsx(data: bytes, member: str, how: str) -> bytes:
    """`data` with one part spoiled as a cut download or a bad disk would: its compressed bytes
    ("deflate": an invalid block), its local header ("header": the part seems to start past the
    end of the file), or its entry in the directory ("version": an unknown zip version; "name": a
    name said to be UTF-8 that is not)."""
    out = bytearray(data)
    at = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    entry = data.index(member.encode(), data.index(b"PK\x01\x02")) - 46
    name, extra = struct.unpack("<HH", data[at + 26 : at + 30])
    if how == "deflate":
        out[at + 30 + name + extra : at + 34 + name + extra] = b"\xff" * 4
    elif how == "header":
        out[at + 28 : at + 30] = b"\xff\xff"
    elif how == "version":
        out[entry + 6] = 0xFF
    else:
        out[entry + 9] |= 0x08  # flag bit 11: the name is UTF-8
        out[entry + 46] = 0xFF
    return bytes(out)
