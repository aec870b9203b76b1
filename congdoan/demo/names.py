"""Name lists for the demo federation: fictional people and fictional employers.

People are drawn at random from common family, middle and given names (Kinh, Thái, H'Mông and
Dao naming patterns, the main groups of Lai Châu); no list holds a real person. Names that appear
in the published seed reports are refused so that no demo record looks like a real official.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (family name, weight)
KINH_FAMILY = [
    ("Nguyễn", 30),
    ("Trần", 10),
    ("Lê", 8),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Vũ", 4),
    ("Đỗ", 3),
    ("Bùi", 3),
    ("Đặng", 3),
    ("Ngô", 2),
    ("Dương", 2),
    ("Đinh", 2),
    ("Hà", 2),
    ("Lương", 1),
    ("Trịnh", 1),
    ("Phan", 1),
    ("Đào", 1),
    ("Mai", 1),
    ("Tạ", 1),
    ("Cao", 1),
]
KINH_MIDDLE_M = [
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quang",
    "Xuân",
    "Hữu",
    "Công",
    "Thanh",
    "Ngọc",
    "Mạnh",
    "Tiến",
    "Duy",
    "Trọng",
    "Anh",
]
KINH_MIDDLE_F = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Thu",
    "Thanh",
    "Ngọc",
    "Minh",
    "Phương",
    "Hồng",
    "Kim",
    "Thúy",
    "Thị Thu",
    "Thị Minh",
    "Thị Hồng",
    "Thị Thanh",
]
KINH_GIVEN_M = [
    "Anh",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hưng",
    "Toàn",
    "Kiên",
    "Lâm",
    "Đạt",
    "Khoa",
    "Tiến",
    "Hoàn",
    "Chiến",
    "Công",
    "Hậu",
    "Lợi",
    "Quyết",
    "Thịnh",
    "Tâm",
    "Trường",
    "Vũ",
]
KINH_GIVEN_F = [
    "Anh",
    "Bích",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hồng",
    "Huệ",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "Minh",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Thơm",
    "Thu",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Liên",
    "Lụa",
    "Nguyệt",
    "Tâm",
    "Thoa",
    "Xuân",
]

THAI_FAMILY = [
    ("Lò", 6),
    ("Lường", 4),
    ("Tòng", 3),
    ("Cầm", 2),
    ("Điêu", 2),
    ("Quàng", 2),
    ("Lù", 2),
    ("Vì", 1),
    ("Kha", 1),
    ("Hoàng", 2),
]
THAI_GIVEN_M = [
    "Thanh",
    "Xuân",
    "Pánh",
    "Ún",
    "Sương",
    "Khiêm",
    "Chung",
    "Thoan",
    "Duyên",
    "Tiến",
    "Inh",
    "Hặc",
    "Lả",
    "Pọm",
    "Ương",
    "Biên",
    "Hoan",
    "Khum",
]
THAI_GIVEN_F = [
    "Hương",
    "Ngân",
    "Phanh",
    "Ón",
    "Xuyến",
    "Lả",
    "Thoa",
    "Tươi",
    "Ọt",
    "Khiên",
    "Lan",
    "Pâng",
    "Hoa",
    "Ánh",
    "Dinh",
    "Ngoan",
    "Quyên",
    "Hiên",
]

HMONG_FAMILY = [
    ("Giàng", 5),
    ("Sùng", 4),
    ("Vàng", 4),
    ("Lý", 3),
    ("Hạng", 2),
    ("Thào", 3),
    ("Mùa", 2),
    ("Sình", 1),
    ("Lầu", 2),
    ("Chang", 1),
]
HMONG_GIVEN_M = [
    "Páo",
    "Dế",
    "Lử",
    "Chứ",
    "Sử",
    "Pó",
    "Chảo",
    "Tủa",
    "Chư",
    "Lềnh",
    "Sính",
    "Vảng",
    "Giống",
    "Nhè",
    "Phừ",
    "Sàng",
    "Tráng",
    "Lồng",
]
HMONG_GIVEN_F = [
    "Mai",
    "Dợ",
    "Dua",
    "Mỷ",
    "Say",
    "Súa",
    "Chá",
    "Pà",
    "Ly",
    "Mái",
    "Sua",
    "Xía",
    "Dính",
    "Pằng",
    "Mỉ",
    "Lan",
]

DAO_FAMILY = [("Tẩn", 4), ("Chảo", 3), ("Phàn", 3), ("Triệu", 1), ("Lý", 1)]
DAO_MIDDLE_M = ["Láo", "Văn", "Văn", "Kin", "A"]
DAO_MIDDLE_F = ["Mẩy", "Thị", "Thị", "Sử", "Mẩy"]
DAO_GIVEN_M = ["Sử", "Phù", "Lở", "Kiếm", "Chòi", "Tả", "Vần", "Chạn", "Mìn", "Quẩy", "Lình"]
DAO_GIVEN_F = ["Phù", "Xiêm", "Dín", "Mẩy", "Chòi", "Lai", "Tả", "Khé", "Dào", "Mây"]

# Full names that appear in the published seed reports: never generate them.
REFUSED_NAMES = {
    "Nguyễn Thị Thiện",
    "Lê Từ Bình",
    "Nguyễn Thị Phương Loan",
    "Đặng Đình Chung",
    "Thào A Sinh",
    "Má Thị Đa",
}


@dataclass(frozen=True)
class PersonName:
    family: str
    middle: str
    given: str
    sex: str  # "M" or "F"

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.family, self.middle, self.given) if p)


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    names = [n for n, _ in items]
    weights = [w for _, w in items]
    return rng.choices(names, weights=weights, k=1)[0]


def person(rng: random.Random, sex: str, *, local_share: float = 0.35) -> PersonName:
    """A random fictional name of the given sex; `local_share` of them follow ethnic patterns."""
    while True:
        roll = rng.random()
        if roll >= local_share:
            family = _weighted(rng, KINH_FAMILY)
            middle = rng.choice(KINH_MIDDLE_M if sex == "M" else KINH_MIDDLE_F)
            given = rng.choice(KINH_GIVEN_M if sex == "M" else KINH_GIVEN_F)
        elif roll < local_share * 0.5:
            family = _weighted(rng, THAI_FAMILY)
            middle = "Văn" if sex == "M" else "Thị"
            given = rng.choice(THAI_GIVEN_M if sex == "M" else THAI_GIVEN_F)
        elif roll < local_share * 0.8:
            family = _weighted(rng, HMONG_FAMILY)
            middle = "A" if sex == "M" else "Thị"
            given = rng.choice(HMONG_GIVEN_M if sex == "M" else HMONG_GIVEN_F)
        else:
            family = _weighted(rng, DAO_FAMILY)
            middle = rng.choice(DAO_MIDDLE_M if sex == "M" else DAO_MIDDLE_F)
            given = rng.choice(DAO_GIVEN_M if sex == "M" else DAO_GIVEN_F)
        name = PersonName(family, middle, given, sex)
        if name.full not in REFUSED_NAMES:
            return name


# Names of the other peoples of Lai Châu and its neighbours, by official ethnicity code: families
# (with weights), middle names (men, women) and given names (men, women). Plausible patterns only.
# fmt: off
ETHNIC_NAMES: dict[str, tuple[list[tuple[str, int]], list[str], list[str], list[str], list[str]]] = {
    "02": ([("Hoàng", 4), ("Nông", 3), ("Lục", 2), ("Ma", 2), ("Bế", 1), ("Triệu", 1)],  # Tày
           ["Văn", "Đức", "Văn"], ["Thị", "Thị", "Thu"],
           ["Thắng", "Hùng", "Bình", "Quân", "Tuấn", "Định"], ["Hoa", "Lan", "Huyền", "Nga", "Thơm"]),
    "06": ([("Đinh", 4), ("Bùi", 4), ("Quách", 2), ("Hà", 2), ("Xa", 1)],  # Mường
           ["Văn", "Công", "Văn"], ["Thị", "Thị", "Thu"],
           ["Toàn", "Hưng", "Dũng", "Khải", "Lực"], ["Hương", "Mến", "Nhung", "Thủy", "Hiền"]),
    "07": ([("Hoàng", 3), ("Nông", 3), ("Lương", 2), ("Vi", 2), ("Lăng", 1)],  # Nùng
           ["Văn", "Văn"], ["Thị", "Thị"],
           ["Pằn", "Sáng", "Hiếu", "Chung"], ["Lìu", "Dung", "Thanh", "Xuân"]),
    "25": ([("Hoàng", 3), ("Lò", 2), ("Vương", 3), ("Lù", 2), ("Sần", 1), ("Lương", 1)],  # Giáy
           ["Văn", "Văn", "Văn"], ["Thị", "Thị"],
           ["Chiến", "Sinh", "Thuận", "Pao", "Kim", "Phàn", "Dùng", "Sáng"],
           ["Dính", "Mỷ", "Sến", "Phương", "Vân", "Dung", "Nhặt"]),
    "29": ([("Lò", 3), ("Quàng", 2), ("Vi", 2), ("Lù", 1), ("Cút", 1), ("Lường", 1)],  # Khơ Mú
           ["Văn", "Văn"], ["Thị", "Thị"],
           ["Bun", "Phăn", "Xuân", "Ươi", "Khăm", "Thanh", "Nhọt"],
           ["Ươi", "Bua", "Ín", "Khăm", "Mai", "Phăn"]),
    "35": ([("Lý", 3), ("Chu", 3), ("Pờ", 2), ("Phu", 1), ("Hù", 1), ("Lò", 1), ("Sần", 1)],  # Hà Nhì
           ["Xá", "Gò", "Ha", "Văn"], ["Thị", "Mỹ", "Thị"],
           ["Dùng", "Phì", "Chừ", "Xá", "Hừ", "Lé", "Sì", "Cà", "Gạ", "Pà"],
           ["Chừ", "Xé", "Mé", "Pà", "Xá", "Gó", "Dế", "Hờ"]),
    "37": ([("Lò", 3), ("Vi", 2), ("Tòng", 2), ("Lường", 2), ("Cầm", 1)],  # Lào
           ["Văn", "Văn"], ["Thị", "Thị"],
           ["Khăm", "Chăn", "Bun", "Phon", "Xay", "Sẻng"], ["Khăm", "Bua", "Pheng", "Ỏn", "Kẻo"]),
    "41": ([("Lò", 2), ("Chu", 2), ("Phù", 2), ("Pờ", 1), ("Vàng", 1), ("Mạ", 1), ("Lý", 1)],  # La Hủ
           ["Gia", "Ha", "Văn"], ["Thị", "Thị"],
           ["Xe", "Phứ", "Nhù", "Khừ", "Pó", "Chà", "Lừ"], ["Xe", "Mỷ", "Nu", "Pà", "Mí"]),
    "42": ([("Lò", 3), ("Tao", 2), ("Chẻo", 1), ("Pàng", 1), ("Vàng", 1), ("Lường", 1)],  # Lự
           ["Văn", "Văn"], ["Thị", "Thị"],
           ["Ón", "Khăm", "Pằn", "Ương", "Chăm", "Ín", "Hom"], ["Ón", "Khăm", "Ín", "Pọm", "Ọt"]),
    "45": ([("Lò", 2), ("Chang", 2), ("Vàng", 1), ("Tòng", 1), ("Lường", 1)],  # Mảng
           ["Văn", "Văn"], ["Thị", "Thị"],
           ["Phang", "Lun", "Nho", "Tiến", "Xuân", "Sông"], ["Thu", "Ly", "Ngoan", "Phượng"]),
    "48": ([("Chang", 2), ("Pờ", 2), ("Lò", 1), ("Lý", 1), ("Chảo", 1), ("Hoàng", 1)],  # Cống
           ["Văn", "A"], ["Thị", "Thị"],
           ["Dế", "Sào", "Xá", "Phụ", "Chòi"], ["Dế", "Mỷ", "Xá", "Pà"]),
    "50": ([("Pờ", 2), ("Hù", 1), ("Lý", 1), ("Vàng", 1), ("Chu", 1)],  # Si La
           ["Văn", "A"], ["Thị", "Thị"],
           ["Xé", "Chừ", "Hồ", "Dù", "Khà"], ["Xé", "Mí", "Chứ", "Pà"]),
}
# fmt: on


def member_name(rng: random.Random, sex: str, ethnicity: str) -> PersonName:
    """A random fictional name of the given sex, following the naming pattern of `ethnicity`
    (official code: 01 Kinh, 03 Thái, 08 Mông, 09 Dao, …)."""
    male = sex == "M"
    while True:
        if ethnicity == "03":
            family = _weighted(rng, THAI_FAMILY)
            middle = "Văn" if male else "Thị"
            given = rng.choice(THAI_GIVEN_M if male else THAI_GIVEN_F)
        elif ethnicity == "08":
            family = _weighted(rng, HMONG_FAMILY)
            middle = "A" if male else "Thị"
            given = rng.choice(HMONG_GIVEN_M if male else HMONG_GIVEN_F)
        elif ethnicity == "09":
            family = _weighted(rng, DAO_FAMILY)
            middle = rng.choice(DAO_MIDDLE_M if male else DAO_MIDDLE_F)
            given = rng.choice(DAO_GIVEN_M if male else DAO_GIVEN_F)
        elif ethnicity in ETHNIC_NAMES:
            families, middle_m, middle_f, given_m, given_f = ETHNIC_NAMES[ethnicity]
            family = _weighted(rng, families)
            middle = rng.choice(middle_m if male else middle_f)
            given = rng.choice(given_m if male else given_f)
        else:  # Kinh and anyone else
            family = _weighted(rng, KINH_FAMILY)
            middle = rng.choice(KINH_MIDDLE_M if male else KINH_MIDDLE_F)
            given = rng.choice(KINH_GIVEN_M if male else KINH_GIVEN_F)
        name = PersonName(family, middle, given, sex)
        if name.full not in REFUSED_NAMES:
            return name


# ---------------------------------------------------------------------------------------------
# Employers (fictional trading names; forms and sectors are those common in the province)

TRADE_WORDS = [
    "Hưng Thịnh",
    "Phú Cường",
    "Tây Bắc",
    "Hoàng Liên",
    "Sơn Lâm",
    "Thành Đạt",
    "An Phát",
    "Minh Phát",
    "Trường Sơn",
    "Đại Phong",
    "Tiến Đạt",
    "Hòa Bình",
    "Bảo Long",
    "Việt Hà",
    "Phú Thịnh",
    "Quyết Thắng",
    "Nam Sơn",
    "Thiên Phú",
    "Hải Nam",
    "Đông Á",
    "Hồng Hà",
    "Sông Đà",
    "Mường Thanh",
    "Ban Mai",
    "Thái Sơn",
    "Hoàng Gia",
    "Tân Tiến",
    "Vạn Lộc",
    "Đức Minh",
    "Kim Sơn",
    "Lộc Phát",
    "Hoa Ban",
    "Phúc Hưng",
    "Nam Việt",
    "Tràng An",
    "Bắc Sơn",
    "Hùng Cường",
    "Thịnh Vượng",
    "Gia Bảo",
    "Trung Kiên",
]

# (business line, sector code)
BUSINESS_LINES = [
    ("Xây dựng", "xay_dung"),
    ("Xây dựng và Thương mại", "xay_dung"),
    ("Đầu tư và Xây dựng", "xay_dung"),
    ("Tư vấn Xây dựng", "xay_dung"),
    ("Thủy điện", "nang_luong"),
    ("Năng lượng", "nang_luong"),
    ("Chè", "nong_lam"),
    ("Nông nghiệp Công nghệ cao", "nong_lam"),
    ("Mắc ca", "nong_lam"),
    ("Lâm nghiệp", "nong_lam"),
    ("Vận tải", "giao_thong"),
    ("Vận tải hành khách", "giao_thong"),
    ("Thương mại và Dịch vụ", "thuong_mai"),
    ("Dược phẩm", "thuong_mai"),
    ("Xăng dầu", "thuong_mai"),
    ("Khai thác khoáng sản", "khai_khoang"),
    ("Vật liệu xây dựng", "khai_khoang"),
    ("Du lịch", "van_hoa"),
    ("Khách sạn và Du lịch", "van_hoa"),
    ("In và Quảng cáo", "khac"),
]

COMPANY_FORMS = ["Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV"]

FDI_NAMES = [
    ("Công ty TNHH Nông nghiệp Hoàng Liên – Đài Loan", "nong_lam"),
    ("Công ty TNHH Mắc ca Việt – Úc Tây Bắc", "nong_lam"),
    ("Công ty TNHH Chè Xanh Việt – Nhật", "nong_lam"),
    ("Công ty TNHH Khoáng sản Á Châu Việt Nam", "khai_khoang"),
    ("Công ty TNHH Năng lượng Sao Mai Việt – Hàn", "nang_luong"),
    ("Công ty TNHH Dược liệu Hoa Sen Việt Nam", "thuong_mai"),
]

HTX_LINES = [
    "Hợp tác xã Chè",
    "Hợp tác xã Nông nghiệp",
    "Hợp tác xã Dịch vụ tổng hợp",
    "Hợp tác xã Chăn nuôi",
    "Hợp tác xã Du lịch cộng đồng",
    "Hợp tác xã Dược liệu",
    "Hợp tác xã Thủy sản",
    "Hợp tác xã Mây tre đan",
]

GUILD_LINES = [
    "Nghiệp đoàn Lao động tự do",
    "Nghiệp đoàn Xe ôm",
    "Nghiệp đoàn Thợ xây dựng",
    "Nghiệp đoàn Hướng dẫn viên du lịch",
    "Nghiệp đoàn Vận tải hàng hóa",
]

# Schools named after people or symbols, used for the larger towns.
CITY_SCHOOL_NAMES = {
    "Mầm non": ["Hoa Ban", "Sơn Ca", "Họa Mi", "Hoa Hồng", "19/5", "Tuổi Thơ"],
    "Tiểu học": ["Kim Đồng", "Lê Văn Tám", "Nguyễn Trãi", "Võ Thị Sáu", "Lê Lợi"],
    "THCS": ["Lê Quý Đôn", "Chu Văn An", "Trần Phú", "Nguyễn Du", "Ngô Quyền"],
}

# Union groups and departments inside grassroots unions, by kind of employer.
GROUPS = {
    "school": ["Tổ công đoàn Khối 1 – 2", "Tổ công đoàn Khối 3 – 4 – 5", "Tổ công đoàn Văn phòng"],
    "school2": ["Tổ công đoàn Tổ Tự nhiên", "Tổ công đoàn Tổ Xã hội", "Tổ công đoàn Văn phòng"],
    "kindergarten": ["Tổ công đoàn Nhà trẻ", "Tổ công đoàn Mẫu giáo", "Tổ công đoàn Văn phòng"],
    "company": [
        "Tổ công đoàn Văn phòng",
        "Tổ công đoàn Đội sản xuất số 1",
        "Tổ công đoàn Đội sản xuất số 2",
    ],
    "agency": ["Tổ công đoàn Văn phòng", "Tổ công đoàn Nghiệp vụ"],
}
HOSPITAL_DEPARTMENTS = [
    ("Công đoàn bộ phận Khối Nội", ["Tổ công đoàn Khoa Nội tổng hợp", "Tổ công đoàn Khoa Nhi"]),
    ("Công đoàn bộ phận Khối Ngoại", ["Tổ công đoàn Khoa Ngoại", "Tổ công đoàn Khoa Sản"]),
    ("Công đoàn bộ phận Cận lâm sàng", []),
    ("Công đoàn bộ phận Hành chính", []),
]

# Titles of committee members who are not staff of the federation itself.
STAFF_TITLES = [
    ("chu_tich", "Chủ tịch LĐLĐ tỉnh"),
    ("pho_chu_tich", "Phó Chủ tịch Thường trực LĐLĐ tỉnh"),
    ("pho_chu_tich", "Phó Chủ tịch LĐLĐ tỉnh"),
    ("pho_chu_tich", "Phó Chủ tịch LĐLĐ tỉnh"),
    ("uv", "Chủ nhiệm Ủy ban Kiểm tra LĐLĐ tỉnh"),
    ("uv", "Trưởng Ban Tổ chức LĐLĐ tỉnh"),
    ("uv", "Trưởng Ban Tuyên giáo – Nữ công LĐLĐ tỉnh"),
    ("uv", "Trưởng Ban Chính sách – Pháp luật LĐLĐ tỉnh"),
    ("uv", "Chánh Văn phòng LĐLĐ tỉnh"),
    ("uv", "Trưởng Ban Tài chính LĐLĐ tỉnh"),
    ("ubkt", "Phó Chủ nhiệm Ủy ban Kiểm tra LĐLĐ tỉnh"),
    ("ubkt", "Cán bộ Ban Tổ chức LĐLĐ tỉnh"),
]
