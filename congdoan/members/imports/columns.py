"""The member file format: columns, their Vietnamese headers and accepted variants, and the
Vietnamese words of the value lists (sex, levels, yes/no).

The Vietnamese headers and values are part of the file format (like the reorganisation plan
format), not interface text: a file reads the same whatever the interface language. Headers are
matched after `header_key` (folded: no case, no diacritics, no punctuation), so "Số CCCD",
"SO CCCD" and "số cccd" are one column.
"""

from __future__ import annotations

import re

from congdoan.core.text import fold

SHEET = "Đoàn viên"
GUIDE_SHEET = "Hướng dẫn"
LIST_SHEET = "Danh mục"
# The template's example row says this in "Ghi chú"; the import skips such a row.
EXAMPLE_NOTE = "DÒNG VÍ DỤ – xóa dòng này trước khi tải lên"

# key → (header written in the template and in exports, accepted variants as header keys)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "stt": ("STT", ("stt", "tt", "so thu tu")),
    "full_name": ("Họ và tên", ("ho va ten", "ho ten", "ho va ten doan vien", "ten doan vien")),
    "family_middle": ("Họ và tên đệm", ("ho va ten dem", "ho dem", "ho va chu dem", "ho va dem")),
    "family_name": ("Họ", ("ho",)),
    "middle_name": ("Tên đệm", ("ten dem", "chu dem", "dem", "ten lot")),
    "given_name": ("Tên", ("ten", "ten goi")),
    "date_of_birth": ("Ngày sinh", ("ngay sinh", "ngay thang nam sinh", "sinh ngay")),
    "sex": ("Giới tính", ("gioi tinh", "gioi", "nam nu", "nam/nu", "phai")),
    "female": ("Nữ", ("nu",)),
    "citizen_id": (
        "Số CCCD",
        (
            "so cccd",
            "cccd",
            "so dinh danh",
            "so dinh danh ca nhan",
            "ma dinh danh",
            "so can cuoc",
            "so can cuoc cong dan",
            "can cuoc cong dan",
            "cmnd",
            "so cmnd",
            "so cccd cmnd",
            "cccd cmnd",
            "so cmnd cccd",
            "cmnd cccd",
        ),
    ),
    "ethnicity": ("Dân tộc", ("dan toc",)),
    "religion": ("Tôn giáo", ("ton giao",)),
    "phone": ("Số điện thoại", ("so dien thoai", "dien thoai", "sdt", "so dt", "dt di dong")),
    "email": ("Email", ("email", "thu dien tu", "e mail")),
    "hometown": ("Quê quán", ("que quan", "que")),
    "address": (
        "Địa chỉ",
        (
            "dia chi",
            "noi o hien nay",
            "noi o",
            "cho o hien nay",
            "dia chi thuong tru",
            "noi cu tru",
        ),
    ),
    "general_education": (
        "Trình độ văn hóa",
        ("trinh do van hoa", "trinh do pho thong", "van hoa", "trinh do giao duc pho thong"),
    ),
    "professional_level": (
        "Trình độ chuyên môn",
        ("trinh do chuyen mon", "chuyen mon", "trinh do chuyen mon nghiep vu", "trinh do"),
    ),
    "political_theory": (
        "Lý luận chính trị",
        ("ly luan chinh tri", "trinh do ly luan chinh tri", "trinh do chinh tri", "chinh tri"),
    ),
    "job_title": (
        "Chức vụ",
        ("chuc vu", "chuc danh", "chuc vu chuc danh", "nghe nghiep", "cong viec", "vi tri"),
    ),
    "workplace": (
        "Nơi làm việc",
        ("noi lam viec", "don vi cong tac", "co quan don vi", "noi cong tac", "bo phan"),
    ),
    "card_number": (
        "Số thẻ đoàn viên",
        ("so the doan vien", "so the", "ma the", "ma the doan vien", "so the dv", "the doan vien"),
    ),
    "card_issued_on": ("Ngày cấp thẻ", ("ngay cap the", "ngay cap the doan vien")),
    "admitted_on": (
        "Ngày kết nạp",
        ("ngay ket nap", "ngay vao cong doan", "ngay ket nap cong doan", "ngay ket nap doan vien"),
    ),
    "party_member": ("Đảng viên", ("dang vien", "la dang vien")),
    "party_joined_on": ("Ngày vào Đảng", ("ngay vao dang", "ngay ket nap dang")),
    "salary_base": (
        "Lương đóng đoàn phí",
        (
            "luong dong doan phi",
            "tien luong dong doan phi",
            "muc luong dong doan phi",
            "luong lam can cu dong doan phi",
            "luong",
        ),
    ),
    "hardship": ("Hoàn cảnh khó khăn", ("hoan canh kho khan", "kho khan", "hckk")),
    "disability": ("Khuyết tật", ("khuyet tat", "nguoi khuyet tat")),
    "unit_code": (
        "Mã đơn vị",
        ("ma don vi", "ma cong doan", "ma cdcs", "ma don vi cong doan", "ma dv"),
    ),
    "note": ("Ghi chú", ("ghi chu",)),
}

# The columns of the template, in order.
TEMPLATE_KEYS = [
    "stt",
    "family_name",
    "middle_name",
    "given_name",
    "date_of_birth",
    "sex",
    "citizen_id",
    "ethnicity",
    "religion",
    "phone",
    "hometown",
    "address",
    "professional_level",
    "political_theory",
    "job_title",
    "workplace",
    "card_number",
    "admitted_on",
    "party_member",
    "party_joined_on",
    "salary_base",
    "hardship",
    "disability",
    "unit_code",
    "note",
]

DATE_KEYS = frozenset({"date_of_birth", "card_issued_on", "admitted_on", "party_joined_on"})
BOOL_KEYS = frozenset({"party_member", "hardship", "disability", "female"})
SENSITIVE_KEYS = frozenset(
    {"citizen_id", "ethnicity", "religion", "party_member", "party_joined_on"}
)

_PUNCT = re.compile(r"[^\w\s]+")
_PAREN = re.compile(r"\(.*?\)")


def header_key(text: str) -> str:
    """ "Số CCCD/CMND (12 số)" → "so cccd cmnd": folded, without punctuation or notes."""
    return " ".join(_PUNCT.sub(" ", _PAREN.sub(" ", fold(text))).split())


HEADER_KEYS: dict[str, str] = {}
for _key, (_label, _variants) in COLUMNS.items():
    HEADER_KEYS[header_key(_label)] = _key
    for _variant in _variants:
        HEADER_KEYS[header_key(_variant)] = _key


def label(key: str) -> str:
    return COLUMNS[key][0]


# ---------------------------------------------------------------------------------------------
# Value lists (Vietnamese words of the file format; first one is what the template offers)

SEX_VALUES: dict[str, tuple[str, ...]] = {
    "M": ("Nam", "m", "male", "trai"),
    "F": ("Nữ", "f", "female", "gai"),
}
PROFESSIONAL_LEVELS: dict[str, tuple[str, ...]] = {
    "": ("Không", "chua qua dao tao", "khong co", "lao dong pho thong"),
    "so_cap": ("Sơ cấp", "so cap nghe", "cong nhan ky thuat", "chung chi nghe"),
    "trung_cap": ("Trung cấp", "trung cap nghe", "trung hoc chuyen nghiep", "tc"),
    "cao_dang": ("Cao đẳng", "cao dang nghe", "cd"),
    "dai_hoc": ("Đại học", "cu nhan", "ky su", "bac si", "dh"),
    "thac_si": ("Thạc sĩ", "thac sy", "ths", "cao hoc", "bac si chuyen khoa i"),
    "tien_si": ("Tiến sĩ", "tien sy", "ts", "tien si khoa hoc"),
}
POLITICAL_THEORY_LEVELS: dict[str, tuple[str, ...]] = {
    "": ("Không", "chua qua dao tao", "khong co"),
    "so_cap": ("Sơ cấp",),
    "trung_cap": ("Trung cấp", "tc"),
    "cao_cap": ("Cao cấp", "cc"),
    "cu_nhan": ("Cử nhân", "cu nhan chinh tri", "cu nhan ly luan chinh tri"),
}
YES_NO: dict[bool, tuple[str, ...]] = {
    True: ("Có", "co", "x", "yes", "y", "true", "1", "dang vien", "v", "✓", "co khuyet tat"),
    False: ("Không", "khong", "no", "n", "false", "0", "-"),
}


def value_lookup(values: dict) -> dict[str, object]:
    out: dict[str, object] = {}
    for code, words in values.items():
        for word in words:
            out[header_key(word)] = code
    return out


SEX_KEYS = value_lookup(SEX_VALUES)
PROFESSIONAL_KEYS = value_lookup(PROFESSIONAL_LEVELS)
POLITICAL_KEYS = value_lookup(POLITICAL_THEORY_LEVELS)
YES_NO_KEYS = value_lookup(YES_NO)


def sex_word(code: str) -> str:
    return SEX_VALUES[code][0] if code in SEX_VALUES else ""


def professional_word(code: str) -> str:
    return PROFESSIONAL_LEVELS[code][0] if code else ""


def political_word(code: str) -> str:
    return POLITICAL_THEORY_LEVELS[code][0] if code else ""


def yes_no_word(value: bool | None) -> str:
    return YES_NO[True][0] if value else ""


STATUS_WORDS = {
    "active": "Đang sinh hoạt",
    "suspended": "Tạm dừng sinh hoạt",
    "exited": "Đã ra khỏi tổ chức",
}
