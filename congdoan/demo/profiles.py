"""The member record of a demo person: ethnicity, religion, identity numbers, contact, schooling,
job, salary base, hardship and Party membership (domain.md §2). No database access.

Everything is drawn from the plan's seeded generator, so the same seed gives the same people. The
mix follows the province: Thái, Mông, Kinh, Dao first, then Hà Nhì, Giáy, Khơ Mú, Lự, La Hủ,
Mảng, Cống, Si La, Lào; more Kinh among teachers, health workers and officials (many born in the
lowland provinces), more local peoples in remote communes, co-operatives and guilds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any

from congdoan.demo.places import DISTRICTS, LAI_CHAU, REMOTE
from congdoan.demo.records import SCHOOLS, IdentityNumbers, Spec, between, years_after
from congdoan.organisation import divisions

D = dt.date
KINH = "01"

# Peoples other than Kinh among members in Lai Châu (official code, weight).
Mix = Sequence[tuple[str, float]]
LOCAL_MIX: Mix = [
    ("03", 40), ("08", 24), ("09", 13), ("35", 5), ("25", 4), ("29", 2.5), ("42", 2),
    ("41", 1.5), ("45", 1), ("48", 0.6), ("50", 0.4), ("37", 0.8), ("02", 1.6), ("06", 1.2),
    ("07", 0.6),
]  # fmt: skip
# Where some peoples live (district key → extra weight per code).
DISTRICT_MIX: dict[str, dict[str, float]] = {
    "MT": {"35": 14, "41": 6, "48": 2, "50": 1.5, "45": 2},
    "NN": {"35": 6, "45": 4, "48": 1, "41": 1},
    "PT": {"08": 10, "09": 8, "35": 3, "25": 3},
    "SH": {"08": 12, "09": 4, "35": 2},
    "TD": {"25": 8, "42": 6, "09": 3},
    "TU": {"03": 15, "29": 5},
    "TNU": {"03": 12, "29": 4, "37": 2},
    "TP": {"25": 2},
}
DIEN_BIEN_MIX: Mix = [("03", 45), ("08", 30), ("29", 8), ("37", 3), ("09", 2), ("35", 1), ("06", 2)]

# Share of Kinh members by kind of employer (lower in remote communes).
KINH_SHARE = {
    "kindergarten": 0.35, "primary": 0.45, "secondary": 0.5, "high": 0.55, "company": 0.35,
    "dnnn": 0.5, "fdi": 0.25, "htx": 0.1, "guild": 0.3, "agency": 0.45, "dvsn": 0.55,
    "hospital": 0.55, "health": 0.45, "union": 0.5,
}  # fmt: skip

# Where Kinh members were born (CCCD province code of the 63 pre-2025 provinces, weight).
LOWLAND_BIRTH: Mix = [
    ("012", 35), ("034", 9), ("036", 7), ("038", 8), ("040", 6), ("025", 6), ("001", 4),
    ("030", 4), ("035", 3), ("033", 3), ("037", 3), ("017", 3), ("015", 3), ("026", 2),
    ("042", 2), ("010", 2), ("014", 2), ("011", 3), ("024", 2), ("019", 1), ("008", 1),
]  # fmt: skip
HIGHLAND_BIRTH: Mix = [("012", 78), ("011", 9), ("014", 6), ("010", 5), ("015", 2)]
DIEN_BIEN_BIRTH: Mix = [("011", 80), ("012", 8), ("014", 7), ("034", 2), ("038", 3)]
# CCCD province (pre-2025) → province of today's map whose communes name the hometown.
BIRTH_TO_PROVINCE = {
    "012": 12, "011": 11, "014": 14, "010": 15, "015": 15, "034": 33, "036": 37, "035": 37,
    "037": 37, "038": 38, "040": 40, "042": 42, "025": 25, "017": 25, "026": 25, "001": 1,
    "030": 31, "033": 33, "024": 24, "019": 19, "008": 8,
}  # fmt: skip

VILLAGES = [
    "Nà Khum", "Hua Pầu", "Phiêng Phát", "Nậm Ngá", "Co Muông", "Pá Khôm", "Huổi Luông", "Nà Ít",
    "Lả Mường", "Sin Chải", "Tả Phìn", "Mù Sang", "Hô Ta", "Nậm Pô", "Pá Pạt", "Nà Luồng",
    "Phiêng Lanh", "Coóc Pa", "Huổi Ke", "Nậm Củm", "Thèn Sin", "Chu Va", "Nà Hừ", "Khu Chợ",
]  # fmt: skip


@cache
def _wards(province: int) -> list[tuple[int, str]]:
    return divisions.wards_of(province)


_CUMULATIVE: dict[int, tuple[list[str], list[float]]] = {}


def _weighted(rng: random.Random, items: Mix) -> str:
    """One key of `items` (a list that lives as long as the module) by weight."""
    table = _CUMULATIVE.get(id(items))
    if table is None:
        table = _CUMULATIVE[id(items)] = (
            [k for k, _ in items],
            list(accumulate(w for _, w in items)),
        )
    keys, cumulative = table
    return rng.choices(keys, cum_weights=cumulative, k=1)[0]


@cache
def _local_mix(district: str | None) -> Mix:
    extra = DISTRICT_MIX.get(district or "", {})
    return [(code, w + extra.get(code, 0)) for code, w in LOCAL_MIX]


def _district_key(spec: Spec) -> str | None:
    for d in DISTRICTS:
        if spec.ward in d.communes or spec.ward == d.seat:
            return d.key
    return None


def ethnicity_for(rng: random.Random, spec: Spec) -> str:
    """The official code of a new member's people, by employer and place."""
    kind = spec.kind or "company"
    share = KINH_SHARE.get(kind, 0.4)
    if spec.ward in REMOTE:
        share *= 0.6
    if rng.random() < share:
        return KINH
    if spec.province != LAI_CHAU:
        return _weighted(rng, DIEN_BIEN_MIX)
    return _weighted(rng, _local_mix(_district_key(spec)))


def religion_for(rng: random.Random, ethnicity: str) -> str:
    """Most members follow no religion; Protestants among the Mông, some Buddhists, Catholics."""
    roll = rng.random()
    if ethnicity == "08" and roll < 0.12:
        return "tin_lanh"
    if ethnicity == KINH and roll < 0.05:
        return "phat_giao" if roll < 0.035 else "cong_giao"
    if roll < 0.01:
        return "phat_giao"
    return "khong"


def birth_province(rng: random.Random, ethnicity: str, spec: Spec) -> str:
    if spec.province != LAI_CHAU:
        return _weighted(rng, DIEN_BIEN_BIRTH)
    if ethnicity in (KINH, "02", "06", "07"):
        return _weighted(rng, LOWLAND_BIRTH)
    return _weighted(rng, HIGHLAND_BIRTH)


def _in_province(name: str) -> str:
    return name if name.startswith("Thành phố") else f"tỉnh {name}"


def hometown(rng: random.Random, born: str, spec: Spec) -> str:
    """ "Xã Bình Lư, tỉnh Lai Châu": a commune of the province of birth (today's map)."""
    province = BIRTH_TO_PROVINCE.get(born, LAI_CHAU)
    if province == (spec.province or LAI_CHAU) and spec.ward and rng.random() < 0.5:
        ward = spec.ward
    else:
        ward = rng.choice(_wards(province))[0]
    return f"{divisions.ward_name(ward)}, {_in_province(divisions.province_name(province))}"


def address(rng: random.Random, spec: Spec) -> tuple[str, int, int]:
    """Where the member lives today: near the workplace. (text, province code, commune code)."""
    province = spec.province or LAI_CHAU
    ward = spec.ward or rng.choice(_wards(province))[0]
    if province == LAI_CHAU and rng.random() < 0.3:
        district = next((d for d in DISTRICTS if ward in d.communes), None)
        if district is not None:
            ward = rng.choice(district.communes)
    name = divisions.ward_name(ward)
    if name.startswith("Phường"):
        street = f"Tổ dân phố số {rng.randint(1, 28)}"
    else:
        street = f"Bản {rng.choice(VILLAGES)}"
    text = f"{street}, {name}, {_in_province(divisions.province_name(province))}"
    return text, province, ward


def phone(rng: random.Random, used: set[str]) -> str:
    """A mobile number 09x/03x (Viettel, VinaPhone, MobiFone prefixes); rarely none."""
    if rng.random() < 0.04:
        return ""
    while True:
        value = rng.choice(["09", "03"]) + f"{rng.randint(0, 99_999_999):08d}"
        if value[2] == "0" and value[1] == "3":  # 030 is not a mobile prefix
            continue
        if value not in used:
            used.add(value)
            return value


# --- jobs -------------------------------------------------------------------------------------

# Job titles by kind of employer: (title, weight, professional levels to draw from).
UNI = ["dai_hoc"]
TEACHER = ["cao_dang", "dai_hoc", "dai_hoc", "dai_hoc"]
STAFF = ["trung_cap", "cao_dang", "dai_hoc"]
WORKER = ["", "", "so_cap", "so_cap", "trung_cap"]
JOBS: dict[str, list[tuple[str, int, list[str]]]] = {
    "kindergarten": [("Giáo viên mầm non", 80, ["trung_cap", "cao_dang", "dai_hoc"]),
                     ("Nhân viên nấu ăn", 8, WORKER), ("Kế toán", 4, STAFF),
                     ("Nhân viên y tế học đường", 3, STAFF), ("Nhân viên bảo vệ", 3, WORKER)],
    "primary": [("Giáo viên tiểu học", 82, TEACHER), ("Tổng phụ trách Đội", 4, TEACHER),
                ("Kế toán", 4, STAFF), ("Nhân viên thư viện – thiết bị", 4, STAFF),
                ("Nhân viên y tế học đường", 3, STAFF), ("Nhân viên bảo vệ", 3, WORKER)],
    "secondary": [("Giáo viên trung học cơ sở", 82, TEACHER), ("Tổng phụ trách Đội", 3, TEACHER),
                  ("Kế toán", 4, STAFF), ("Nhân viên thư viện – thiết bị", 5, STAFF),
                  ("Nhân viên văn thư", 3, STAFF), ("Nhân viên bảo vệ", 3, WORKER)],
    "high": [("Giáo viên trung học phổ thông", 85, ["dai_hoc", "dai_hoc", "dai_hoc", "thac_si"]),
             ("Kế toán", 4, STAFF), ("Nhân viên thư viện – thiết bị", 4, STAFF),
             ("Nhân viên văn thư", 3, STAFF), ("Nhân viên bảo vệ", 4, WORKER)],
    "hospital": [("Bác sĩ", 24, ["dai_hoc", "dai_hoc", "thac_si", "thac_si", "tien_si"]),
                 ("Điều dưỡng", 38, ["trung_cap", "cao_dang", "dai_hoc"]),
                 ("Hộ sinh", 7, ["trung_cap", "cao_dang", "dai_hoc"]),
                 ("Kỹ thuật viên xét nghiệm", 7, ["cao_dang", "dai_hoc"]),
                 ("Dược sĩ", 6, ["trung_cap", "dai_hoc"]), ("Kế toán", 4, UNI),
                 ("Nhân viên hành chính", 8, STAFF), ("Hộ lý", 6, WORKER)],
    "health": [("Bác sĩ", 18, ["dai_hoc", "dai_hoc", "thac_si"]),
               ("Y sĩ", 18, ["trung_cap", "trung_cap", "cao_dang"]),
               ("Điều dưỡng", 30, ["trung_cap", "cao_dang", "dai_hoc"]),
               ("Hộ sinh", 12, ["trung_cap", "cao_dang"]), ("Dược sĩ", 6, ["trung_cap", "dai_hoc"]),
               ("Kế toán", 4, UNI), ("Nhân viên hành chính", 6, STAFF)],
    "agency": [("Chuyên viên", 60, ["dai_hoc", "dai_hoc", "dai_hoc", "thac_si"]),
               ("Công chức", 20, ["trung_cap", "dai_hoc", "dai_hoc"]), ("Kế toán", 6, UNI),
               ("Văn thư – lưu trữ", 7, STAFF), ("Lái xe", 4, WORKER), ("Bảo vệ", 3, WORKER)],
    "dvsn": [("Viên chức", 55, ["cao_dang", "dai_hoc", "dai_hoc", "thac_si"]),
             ("Kỹ thuật viên", 15, STAFF), ("Kế toán", 8, UNI), ("Văn thư", 8, STAFF),
             ("Nhân viên hợp đồng", 14, WORKER)],
    "union": [("Chuyên viên", 80, ["dai_hoc", "dai_hoc", "thac_si"]), ("Kế toán", 10, UNI),
              ("Lái xe", 10, WORKER)],
    "htx": [("Thành viên hợp tác xã", 80, WORKER), ("Kế toán hợp tác xã", 10, STAFF),
            ("Người lao động", 10, WORKER)],
    "dnnn": [("Công nhân", 45, WORKER), ("Nhân viên nghiệp vụ", 20, STAFF),
             ("Kỹ sư", 10, UNI), ("Kế toán", 8, UNI), ("Lái xe", 7, WORKER),
             ("Tổ trưởng sản xuất", 5, WORKER), ("Bảo vệ", 5, WORKER)],
}  # fmt: skip
# Workers of companies, by the company's sector.
SECTOR_JOBS = {
    "xay_dung": ["Công nhân xây dựng", "Thợ nề", "Thợ điện", "Lái máy thi công"],
    "nang_luong": ["Công nhân vận hành nhà máy thủy điện", "Công nhân sửa chữa điện"],
    "nong_lam": ["Công nhân chăm sóc chè", "Công nhân chế biến", "Công nhân lâm nghiệp"],
    "giao_thong": ["Lái xe", "Phụ xe", "Công nhân sửa chữa đường bộ"],
    "thuong_mai": ["Nhân viên bán hàng", "Nhân viên kho", "Nhân viên giao hàng"],
    "khai_khoang": ["Công nhân khai thác", "Công nhân vận hành máy nghiền"],
    "van_hoa": ["Nhân viên lễ tân", "Nhân viên buồng phòng", "Hướng dẫn viên du lịch"],
    "tai_chinh": ["Giao dịch viên", "Cán bộ tín dụng", "Kiểm soát viên"],
    "khac": ["Công nhân", "Nhân viên"],
}
COMPANY_STAFF = [("Kỹ sư", 8, UNI), ("Kế toán", 6, ["cao_dang", "dai_hoc"]),
                 ("Nhân viên văn phòng", 8, STAFF), ("Bảo vệ", 3, WORKER)]  # fmt: skip
GUILD_JOBS = {
    "Xe ôm": "Lái xe mô tô chở khách", "Thợ xây dựng": "Thợ xây", "Hướng dẫn viên": "Hướng dẫn viên du lịch",
    "Vận tải hàng hóa": "Lái xe tải", "Lao động tự do": "Lao động tự do",
}  # fmt: skip
# The head and the deputy of each kind of employer.
HEADS = {
    "kindergarten": ("Hiệu trưởng", "Phó Hiệu trưởng"), "primary": ("Hiệu trưởng", "Phó Hiệu trưởng"),
    "secondary": ("Hiệu trưởng", "Phó Hiệu trưởng"), "high": ("Hiệu trưởng", "Phó Hiệu trưởng"),
    "hospital": ("Giám đốc", "Phó Giám đốc"), "health": ("Giám đốc", "Phó Giám đốc"),
    "agency": ("Thủ trưởng cơ quan", "Phó Thủ trưởng cơ quan"), "dvsn": ("Giám đốc", "Phó Giám đốc"),
    "company": ("Giám đốc", "Phó Giám đốc"), "dnnn": ("Giám đốc", "Phó Giám đốc"),
    "fdi": ("Phó Tổng Giám đốc", "Trưởng phòng Nhân sự"), "htx": ("Giám đốc hợp tác xã", "Phó Giám đốc hợp tác xã"),
    "guild": ("Trưởng nhóm", "Phó Trưởng nhóm"), "union": ("Chủ tịch LĐLĐ tỉnh", "Phó Chủ tịch LĐLĐ tỉnh"),
}  # fmt: skip
PUBLIC = {"kindergarten", "primary", "secondary", "high", "hospital", "health", "agency", "dvsn",
          "union"}  # fmt: skip


def workplace(spec: Spec) -> str:
    """The employer, from the union's name: "CĐCS Trường Tiểu học Bum Tở" → "Trường Tiểu học
    Bum Tở"; members of a guild work on their own."""
    if spec.kind == "guild":
        return "Lao động tự do (" + spec.name.replace("Nghiệp đoàn ", "").lower() + ")"
    if spec.kind == "union":
        return "Liên đoàn Lao động tỉnh Lai Châu"
    name = spec.name
    for prefix in ("CĐCS Cơ quan UBND", "CĐCS Cơ quan ", "CĐCS "):
        if name.startswith(prefix):
            name = ("UBND" if prefix == "CĐCS Cơ quan UBND" else "") + name[len(prefix) :]
            break
    return name


def job(rng: random.Random, spec: Spec, rank: int) -> tuple[str, str]:
    """(job title, professional level) of the `rank`-th member admitted to `spec` (0: the
    head, 1: the deputy)."""
    kind = spec.kind or "company"
    if rank < 2 and kind in HEADS:
        title = HEADS[kind][rank]
        if kind == "union":
            title = "Chuyên viên"
        elif kind in ("guild", "htx"):
            return title, rng.choice(["", "so_cap", "trung_cap"])
        return title, rng.choice(["dai_hoc", "dai_hoc", "thac_si"])
    if kind == "guild":
        line = next((v for k, v in GUILD_JOBS.items() if k in spec.name), "Lao động tự do")
        return line, rng.choice(["", "", "so_cap"])
    if kind in ("company", "fdi"):
        if rng.random() < 0.12:
            title, _w, levels = rng.choices(
                COMPANY_STAFF, weights=[w for _, w, _ in COMPANY_STAFF]
            )[0]
            return title, rng.choice(levels)
        return rng.choice(SECTOR_JOBS.get(spec.sector or "khac", SECTOR_JOBS["khac"])), rng.choice(
            WORKER
        )
    options = JOBS.get(kind, JOBS["dnnn"])
    title, _w, levels = rng.choices(options, weights=[w for _, w, _ in options])[0]
    if (
        kind == "dnnn"
        and spec.sector == "tai_chinh"
        and title in ("Công nhân", "Tổ trưởng sản xuất")
    ):
        title = rng.choice(SECTOR_JOBS["tai_chinh"])
    return title, rng.choice(levels)


def general_education(rng: random.Random, dob: dt.date, kind: str) -> str:
    if dob.year < 1968 and rng.random() < 0.6:
        return "10/10"  # the northern 10-year school
    if kind in ("htx", "guild", "company", "fdi") and rng.random() < 0.25:
        return rng.choice(["9/12", "9/12", "7/12", "5/12"])
    return "12/12"


def political_theory(rng: random.Random, party: bool, head: bool) -> str:
    if head and party:
        return rng.choice(["trung_cap", "trung_cap", "cao_cap"])
    if party:
        return rng.choice(["so_cap", "so_cap", "so_cap", "trung_cap"])
    return "so_cap" if rng.random() < 0.08 else ""


def salary_base(rng: random.Random, spec: Spec, level: str, dob: dt.date, head: bool) -> Decimal:
    """Monthly salary used for union dues today, in đồng: for the public sector its pay
    coefficient times the base salary (2,340,000 đ since 1/7/2024), for enterprises the wage in
    the labour contract (at least the regional minimum, 3,700,000 đ in 2026 in region IV)."""
    age = 2026 - dob.year
    if spec.kind in PUBLIC:
        start = {"thac_si": 2.67, "tien_si": 3.0, "dai_hoc": 2.34, "cao_dang": 2.1}.get(level, 1.86)
        coefficient = min(start + 0.33 * max(0, age - 23) / 3, 7.0) + (0.5 if head else 0)
        return Decimal(round(coefficient * 2_340_000 / 1000) * 1000)
    factor = rng.uniform(1.05, 2.2) * (2.5 if head else 1) * (1.3 if level == "dai_hoc" else 1)
    if spec.kind == "fdi":
        factor *= 1.2
    return Decimal(round(factor * 3_700_000 / 10_000) * 10_000)


def party_joined_at_admission(
    rng: random.Random, spec: Spec, dob: dt.date, admitted: dt.date, head: bool
) -> dt.date | None:
    """Some members already belong to the Party when they join the union."""
    share = 0.2 if spec.kind in PUBLIC else 0.1 if spec.kind == "dnnn" else 0.03
    if head:
        share = 0.9 if spec.kind in PUBLIC or spec.kind == "dnnn" else 0.3
    earliest = years_after(dob, 19)
    if admitted - earliest < dt.timedelta(days=120) or rng.random() >= share:
        return None
    return between(rng, earliest, admitted - dt.timedelta(days=60))


def record(
    rng: random.Random,
    spec: Spec,
    rank: int,
    sex: str,
    dob: dt.date,
    ethnicity: str,
    ids: IdentityNumbers,
    phones: set[str],
) -> dict[str, Any]:
    """The member record's details (field names of `members.Member`) for someone employed by
    `spec`: a citizen ID for most, the old ID card (CMND) or nothing for a few."""
    born = birth_province(rng, ethnicity, spec)
    roll = rng.random()
    if roll < 0.03:
        citizen_id: str | None = None
    elif roll < 0.07:
        citizen_id = ids.cmnd(born)
    else:
        citizen_id = ids.cccd(born, sex, dob)
    title, level = job(rng, spec, rank)
    head = rank == 0 and spec.kind not in ("guild", "union")
    text, province, ward = address(rng, spec)
    hardship_share = 0.045 if spec.kind in ("htx", "guild", "company") else 0.02
    return {
        "citizen_id": citizen_id,
        "phone": phone(rng, phones),
        "hometown": hometown(rng, born, spec),
        "address": text,
        "province_code": province,
        "ward_code": ward,
        "general_education": general_education(rng, dob, spec.kind),
        "professional_level": level,
        "job_title": title,
        "workplace": workplace(spec),
        "salary_base": salary_base(rng, spec, level, dob, head),
        "hardship": rng.random() < hardship_share,
        "disability": rng.random() < 0.01,
        "head": head,
    }


def finish(rng: random.Random, details: dict[str, Any], party_joined: dt.date | None) -> None:
    """Fields that depend on the member's Party membership at admission."""
    head = details.pop("head", False)
    details["party_member"] = party_joined is not None
    details["party_joined_on"] = party_joined
    details["political_theory"] = political_theory(rng, party_joined is not None, head)


def is_school(spec: Spec) -> bool:
    return spec.kind in SCHOOLS
