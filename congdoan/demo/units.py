"""Plan the units of the demo: the federation of Lai Châu from 2004, the 2025 reform, Điện Biên.

A fixed core shows every feature at any scale (each district's agency union and schools, a
renamed semi-boarding school, the 2023 school merger, an equitised state company, a closed
company, unions of every ownership type, the sector unions' members); `scale` adds filler units.
"""

from __future__ import annotations

import datetime as dt

from congdoan.demo import names as N
from congdoan.demo.places import (
    CAPITAL_WARDS,
    DIEN_BIEN,
    DIEN_BIEN_CITY_WARDS,
    DIEN_BIEN_DISTRICT_COMMUNE,
    DISTRICTS,
    LAI_CHAU,
    REMOTE,
    District,
)
from congdoan.demo.records import (
    END,
    MOVE,
    REFORM,
    REFORM_PHASE,
    Plan,
    Spec,
    between,
    commune_code,
    place,
    ward_kind,
    years_after,
)
from congdoan.organisation import divisions

FILLER_AT_SCALE_1 = 255  # with the core, about 300 grassroots unions at scale 1.0
D = dt.date

# Provincial sector and zone unions: key, name, short name, type, founded, dissolved on.
# fmt: off
SECTOR_UNIONS = [
    ("VC", "Công đoàn Viên chức tỉnh Lai Châu", "CĐ Viên chức tỉnh", "cd_nganh_dp", D(2004, 3, 1), REFORM),
    ("GD", "Công đoàn Giáo dục tỉnh Lai Châu", "CĐ Giáo dục tỉnh", "cd_nganh_dp", D(2004, 3, 1), None),
    ("YT", "Công đoàn Y tế tỉnh Lai Châu", "CĐ Y tế tỉnh", "cd_nganh_dp", D(2004, 3, 1), None),
    ("KKT", "Công đoàn Khu kinh tế tỉnh Lai Châu", "CĐ Khu kinh tế tỉnh", "cd_kcn", D(2013, 5, 1), None),
]

# Core grassroots unions under a district federation: ward, name, founded, kind, sector, ownership.
CORE_DISTRICT_UNITS = [
    (3598, "CĐCS Công ty Cổ phần Chè Tân Uyên Xanh", D(2012, 6, 1), "company", "nong_lam", "dn_ngoai_nn"),
    (3408, "CĐCS Hợp tác xã Dịch vụ tổng hợp Tân Phong", D(2021, 3, 15), "htx", "thuong_mai", "htx"),
    (3388, "Nghiệp đoàn Xe ôm thành phố Lai Châu", D(2018, 5, 1), "guild", "giao_thong", "khac"),
    (3549, "CĐCS Công ty TNHH Mắc ca Việt – Úc Tây Bắc", D(2019, 7, 1), "fdi", "nong_lam", "dn_fdi"),
]

# Core grassroots unions of the provincial sector unions: parent, name, founded, kind, sector,
# ownership, ward.
CORE_SECTOR_UNITS = [
    ("LC-VC", "CĐCS Văn phòng UBND tỉnh Lai Châu", D(2004, 4, 1), "agency", "hanh_chinh", "cq_hcnn", 3408),
    ("LC-VC", "CĐCS Sở Tài chính tỉnh Lai Châu", D(2004, 4, 1), "agency", "hanh_chinh", "cq_hcnn", 3408),
    ("LC-VC", "CĐCS Đài Phát thanh và Truyền hình tỉnh Lai Châu", D(2004, 6, 1), "dvsn", "van_hoa", "dvsn", 3408),
    ("LC-VC", "CĐCS Báo Lai Châu", D(2004, 6, 1), "dvsn", "van_hoa", "dvsn", 3388),
    ("LC-GD", "CĐCS Sở Giáo dục và Đào tạo tỉnh Lai Châu", D(2004, 4, 1), "agency", "giao_duc", "cq_hcnn", 3408),
    ("LC-GD", "CĐCS Trường THPT Chuyên Lê Quý Đôn", D(2005, 9, 1), "high", "giao_duc", "dvsn", 3388),
    ("LC-GD", "CĐCS Trường THPT Tam Đường", D(2004, 9, 1), "high", "giao_duc", "dvsn", 3390),
    ("LC-YT", "CĐCS Sở Y tế tỉnh Lai Châu", D(2004, 4, 1), "agency", "y_te", "cq_hcnn", 3408),
    ("LC-YT", "CĐCS Bệnh viện Đa khoa tỉnh Lai Châu", D(2004, 5, 1), "hospital", "y_te", "dvsn", 3408),
    ("LC-KKT", "CĐCS Ban Quản lý Khu kinh tế tỉnh Lai Châu", D(2013, 6, 1), "agency", "hanh_chinh", "cq_hcnn", 3408),
    ("LC-KKT", "CĐCS Công ty TNHH Xuất nhập khẩu Ma Lù Thàng", D(2014, 3, 1), "company", "thuong_mai", "dn_ngoai_nn", 3583),
]

# Filler for the sector unions, taken in order.
VC_MORE = [
    ("CĐCS Sở Nội vụ tỉnh Lai Châu", "cq_hcnn"), ("CĐCS Sở Tư pháp tỉnh Lai Châu", "cq_hcnn"),
    ("CĐCS Sở Công Thương tỉnh Lai Châu", "cq_hcnn"), ("CĐCS Sở Xây dựng tỉnh Lai Châu", "cq_hcnn"),
    ("CĐCS Thanh tra tỉnh Lai Châu", "cq_hcnn"),
    ("CĐCS Sở Văn hóa, Thể thao và Du lịch tỉnh Lai Châu", "cq_hcnn"),
    ("CĐCS Trung tâm Dịch vụ việc làm tỉnh Lai Châu", "dvsn"),
    ("CĐCS Trường Chính trị tỉnh Lai Châu", "dvsn"),
    ("CĐCS Trung tâm Xúc tiến đầu tư tỉnh Lai Châu", "dvsn"),
    ("CĐCS Quỹ Bảo vệ và Phát triển rừng tỉnh Lai Châu", "dvsn"),
    ("CĐCS Trung tâm Phát triển quỹ đất tỉnh Lai Châu", "dvsn"),
]
HIGH_SCHOOLS = [
    ("Thành phố Lai Châu", 3408), ("Bình Lư", 3390), ("Phong Thổ", 3549), ("Mường So", 3583),
    ("Sìn Hồ", 3478), ("Nậm Tăm", 3517), ("Mường Tè", 3445), ("Than Uyên", 3595),
    ("Mường Kim", 3637), ("Tân Uyên", 3598), ("Trung Đồng", 3598), ("Nậm Nhùn", 3434),
    ("Dân tộc nội trú tỉnh", 3388),
]
HEALTH_MORE = [
    "CĐCS Bệnh viện Y dược cổ truyền tỉnh Lai Châu",
    "CĐCS Trung tâm Kiểm soát bệnh tật tỉnh Lai Châu",
]

# Filler kinds and their weights (the city has more enterprises, fewer schools).
FILLER_KINDS = ["kindergarten", "primary", "secondary", "company", "htx", "dnnn", "agency", "dvsn", "fdi", "guild"]
WEIGHTS_RURAL = [13, 14, 12, 22, 8, 4, 9, 6, 2, 3]
WEIGHTS_CITY = [8, 6, 6, 38, 6, 6, 6, 10, 4, 6]
# fmt: on


def school_name(level: str, ward: int, *, remote: bool, number: int = 0) -> str:
    if remote and level in ("Tiểu học", "THCS"):
        level = f"PTDTBT {level}"
    return f"CĐCS Trường {level}{f' số {number}' if number else ''} {place(ward)}"


def plan_units(p: Plan) -> None:
    _plan_upper(p)
    _plan_core(p)
    _plan_filler(p)
    _plan_after_reform(p)
    _plan_dien_bien(p)
    _plan_groups(p)
    _plan_reform(p)


def _upper(p: Plan, code: str, name: str, type_code: str, parent: str, founded: dt.date,
           short: str, province: int, ward: int, end: dt.date | None = None) -> Spec:  # fmt: skip
    spec = Spec(code, name, type_code, parent, founded, short_name=short, province=province)
    spec.ward = ward
    if province == LAI_CHAU and founded < REFORM:
        spec.address = p.old_address(ward, founded)
    else:
        spec.address = f"{divisions.ward_name(ward)}, tỉnh {divisions.province_name(province)}"
    if end is not None:
        spec.end, spec.end_kind = end, "reform_upper"
    return p.add(spec)


def _plan_upper(p: Plan) -> None:
    p.add(Spec("TLD", "Tổng Liên đoàn Lao động Việt Nam", "tld", "", D(1929, 7, 28),
               short_name="Tổng LĐLĐ Việt Nam", address="82 Trần Hưng Đạo, Hà Nội"))  # fmt: skip
    _upper(p, "LC", "Liên đoàn Lao động tỉnh Lai Châu", "ldld_tinh", "TLD", D(2004, 1, 1),
           "LĐLĐ tỉnh Lai Châu", LAI_CHAU, 3408)  # fmt: skip
    for d in DISTRICTS:
        label = d.old_label or d.label
        spec = _upper(p, f"LC-{d.key}", f"Liên đoàn Lao động {label}", "ldld_huyen", "LC",
                      d.founded, f"LĐLĐ {label}", LAI_CHAU, d.seat, REFORM)  # fmt: skip
        if d.renamed_on:
            p.rename(spec.code, d.renamed_on, f"Liên đoàn Lao động {d.label}",
                     short_name=f"LĐLĐ {d.label}")  # fmt: skip
    for key, name, short, type_code, founded, end in SECTOR_UNIONS:
        _upper(p, f"LC-{key}", name, type_code, "LC", founded, short, LAI_CHAU, 3408, end)
    for ward, _name in divisions.wards_of(LAI_CHAU):  # commune unions, from 1/7/2025
        _upper(p, commune_code("LC", ward), f"Công đoàn {ward_kind(ward)} {place(ward)}", "cd_xa",
               "LC", REFORM, f"CĐ {ward_kind(ward)} {place(ward)}", LAI_CHAU, ward)  # fmt: skip
    # The federation's own staff union; its members sit on the provincial committees.
    staff = Spec("LC-CS0000", "CĐCS Cơ quan Liên đoàn Lao động tỉnh Lai Châu", "cdcs", "LC",
                 D(2004, 2, 1), sector="khac", ownership="khac", province=LAI_CHAU, ward=3408,
                 kind="union")  # fmt: skip
    staff.address = p.old_address(3408, staff.founded)
    p.add(staff)


def _plan_core(p: Plan) -> None:
    rng = p.rng
    for d in DISTRICTS:
        label = d.old_label or d.label
        p.district_unit(d.seat, f"CĐCS Văn phòng HĐND và UBND {label}",
                        d.founded + dt.timedelta(days=45), "agency", "hanh_chinh", "cq_hcnn")  # fmt: skip
        p.district_unit(d.seat, school_name("Tiểu học", d.seat, remote=False),
                        d.founded + dt.timedelta(days=120), "primary", "giao_duc", "dvsn")  # fmt: skip
        # A kindergarten in another commune; in a district split off later, older than it.
        other = d.communes[1]
        older = p.district(d.parent_key) if d.parent_key else d
        early = max(older.founded, D(2005, 9, 5))
        last = d.founded - dt.timedelta(days=30) if d.parent_key else D(2010, 9, 5)
        p.district_unit(other, school_name("Mầm non", other, remote=False),
                        between(rng, early, last), "kindergarten", "giao_duc", "dvsn")  # fmt: skip
    # A school that became a semi-boarding school, and two schools merged in 2023.
    bum_to = p.district_unit(3433, "CĐCS Trường Tiểu học Bum Tở", D(2005, 9, 1), "primary",
                             "giao_duc", "dvsn")  # fmt: skip
    p.rename(bum_to.code, D(2015, 8, 15), "CĐCS Trường PTDTBT Tiểu học Bum Tở")
    th = p.district_unit(3517, "CĐCS Trường PTDTBT Tiểu học Nậm Tăm", D(2006, 9, 1),
                         "primary", "giao_duc", "dvsn")  # fmt: skip
    thcs = p.district_unit(3517, "CĐCS Trường PTDTBT THCS Nậm Tăm", D(2007, 9, 1),
                           "secondary", "giao_duc", "dvsn")  # fmt: skip
    p.merge(thcs.code, th.code, D(2023, 8, 1), rename="CĐCS Trường PTDTBT Tiểu học và THCS Nậm Tăm")
    # A state company equitised (renamed, ownership changed) and a company that closed.
    road = p.district_unit(3408, "CĐCS Công ty TNHH MTV Quản lý và Sửa chữa đường bộ Lai Châu",
                           D(2005, 3, 1), "dnnn", "giao_thong", "dnnn")  # fmt: skip
    p.rename(road.code, D(2016, 1, 1), "CĐCS Công ty Cổ phần Quản lý và Xây dựng đường bộ Lai Châu",
             ownership="dn_ngoai_nn")  # fmt: skip
    closed = p.district_unit(3595, "CĐCS Công ty TNHH Xây dựng Hưng Thịnh Than Uyên",
                             D(2010, 4, 1), "company", "xay_dung", "dn_ngoai_nn")  # fmt: skip
    p.close(closed.code, D(2019, 10, 1))
    for ward, name, founded, kind, sector, ownership in CORE_DISTRICT_UNITS:
        type_code = "nghiep_doan" if kind == "guild" else "cdcs"
        p.district_unit(ward, name, founded, kind, sector, ownership, type_code)
    for parent, name, founded, kind, sector, ownership, ward in CORE_SECTOR_UNITS:
        spec = p.grassroots(parent=parent, name=name, founded=founded, kind=kind, sector=sector,
                            ownership=ownership, ward=ward)  # fmt: skip
        if kind == "hospital":
            _hospital_departments(p, spec)
    _health_centre(p, p.district("TD"))


def _hospital_departments(p: Plan, hospital: Spec) -> None:
    for i, (dept, groups) in enumerate(N.HOSPITAL_DEPARTMENTS, start=1):
        founded = hospital.founded + dt.timedelta(days=30 * i)
        sub = p.add(Spec(f"{hospital.code}-B{i}", dept, "cd_bo_phan", hospital.code, founded,
                         sector=hospital.sector, province=hospital.province))  # fmt: skip
        for j, group in enumerate(groups, start=1):
            p.add(Spec(f"{sub.code}-T{j}", group, "to_cd", sub.code,
                       founded + dt.timedelta(days=10), province=hospital.province))  # fmt: skip


def _health_centre(p: Plan, d: District) -> Spec:
    """A district health centre: under its district federation until 2018, then CĐ Y tế tỉnh.

    Its departments are the communes' health stations.
    """
    founded = max(d.founded, D(2004, 6, 1)) + dt.timedelta(days=20)
    label = d.old_label or d.label
    spec = p.district_unit(d.seat, f"CĐCS Trung tâm Y tế {label}", founded, "health", "y_te",
                           "dvsn")  # fmt: skip
    p.at(D(2018, 1, 1), MOVE, "move", spec.code, "LC-YT")
    for i, ward in enumerate(d.communes, start=1):
        p.add(Spec(f"{spec.code}-B{i}", f"Công đoàn bộ phận Trạm Y tế {ward_kind(ward)} "
                   f"{place(ward)}", "cd_bo_phan", spec.code, founded + dt.timedelta(days=15 * i),
                   sector="y_te", province=LAI_CHAU))  # fmt: skip
    return spec


def _plan_filler(p: Plan) -> None:
    total = round(FILLER_AT_SCALE_1 * p.scale)
    sector_share = round(total * 0.14)
    district_total = total - sector_share
    weights = sum(d.weight for d in DISTRICTS)
    for d in DISTRICTS:
        for _ in range(round(district_total * d.weight / weights)):
            _filler_district(p, d)
    _filler_sectors(p, sector_share)


def _filler_name(p: Plan, d: District, kind: str, ward: int) -> tuple[str, str, str, dt.date]:
    """A name, sector, ownership and founding date for a filler unit of `kind` in `ward`."""
    rng = p.rng
    label = d.old_label or d.label
    start = max((p.district(d.parent_key) if d.parent_key else d).founded, D(2004, 3, 1))
    if kind in ("kindergarten", "primary", "secondary"):
        level = {"kindergarten": "Mầm non", "primary": "Tiểu học", "secondary": "THCS"}[kind]
        if d.key == "TP" and rng.random() < 0.7:
            name = f"CĐCS Trường {level} {rng.choice(N.CITY_SCHOOL_NAMES[level])}"
        else:
            name = school_name(level, ward, remote=ward in REMOTE)
            if p.taken(name):
                name = school_name(level, ward, remote=ward in REMOTE, number=2)
        last = D(2021, 9, 5) if rng.random() < 0.15 else D(2012, 9, 5)
        return name, "giao_duc", "dvsn", between(rng, start, last)
    if kind == "company":
        line, sector = rng.choice(N.BUSINESS_LINES)
        name = f"CĐCS {rng.choice(N.COMPANY_FORMS)} {line} {rng.choice(N.TRADE_WORDS)}"
        return name, sector, "dn_ngoai_nn", between(rng, max(start, D(2006, 1, 1)), D(2024, 12, 1))
    if kind == "dnnn":
        name, sector = rng.choice([
            (f"CĐCS Chi nhánh Ngân hàng Nông nghiệp và Phát triển nông thôn {label}", "tai_chinh"),
            (f"CĐCS Phòng giao dịch Ngân hàng Chính sách xã hội {label}", "tai_chinh"),
            (f"CĐCS Bưu điện {label}", "thuong_mai"),
            (f"CĐCS Công ty TNHH MTV Lâm nghiệp {place(ward)}", "nong_lam"),
        ])  # fmt: skip
        return name, sector, "dnnn", between(rng, start, D(2010, 12, 31))
    if kind == "htx":
        name = f"CĐCS {rng.choice(N.HTX_LINES)} {place(ward)}"
        return name, "nong_lam", "htx", between(rng, max(start, D(2014, 1, 1)), D(2024, 12, 1))
    if kind == "agency":
        name = rng.choice([
            f"CĐCS Cơ quan UBND {ward_kind(ward)} {place(ward)}",
            f"CĐCS Cơ quan UBND {ward_kind(ward)} {place(ward)}",
            f"CĐCS Phòng Giáo dục và Đào tạo {label}",
            f"CĐCS Phòng Tài chính – Kế hoạch {label}",
            f"CĐCS Cơ quan {'Thành' if d.key == 'TP' else 'Huyện'} ủy {label}",
        ])  # fmt: skip
        return name, "hanh_chinh", "cq_hcnn", between(rng, start, D(2010, 12, 31))
    if kind == "dvsn":
        name, sector = rng.choice([
            (f"CĐCS Trung tâm Văn hóa, Thể thao và Truyền thông {label}", "van_hoa"),
            (f"CĐCS Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {label}", "giao_duc"),
            (f"CĐCS Ban Quản lý dự án đầu tư xây dựng {label}", "xay_dung"),
        ])  # fmt: skip
        return name, sector, "dvsn", between(rng, start, D(2016, 12, 31))
    if kind == "fdi":
        base, sector = rng.choice(N.FDI_NAMES)
        return f"CĐCS {base}", sector, "dn_fdi", between(rng, max(start, D(2014, 1, 1)),
                                                         D(2023, 12, 1))  # fmt: skip
    name = f"{rng.choice(N.GUILD_LINES)} {ward_kind(ward)} {place(ward)}"  # guild
    return name, "khac", "khac", between(rng, max(start, D(2016, 1, 1)), D(2024, 12, 1))


def _filler_district(p: Plan, d: District) -> None:
    rng = p.rng
    for _attempt in range(12):
        ward = rng.choice([d.seat, *d.communes])
        kind = rng.choices(FILLER_KINDS, WEIGHTS_CITY if d.key == "TP" else WEIGHTS_RURAL)[0]
        name, sector, ownership, founded = _filler_name(p, d, kind, ward)
        label = d.old_label or d.label
        if label in name:  # a district-level body: at the seat, not older than its district
            ward = d.seat
            founded = max(founded, d.founded + dt.timedelta(days=rng.randint(30, 400)))
        if d.old_label and d.renamed_on and founded >= d.renamed_on:
            name = name.replace(d.old_label, d.label)
        if p.taken(name):
            continue
        type_code = "nghiep_doan" if kind == "guild" else "cdcs"
        spec = p.district_unit(ward, name, founded, kind, sector, ownership, type_code)
        _fate(p, spec)
        return


def _fate(p: Plan, spec: Spec) -> None:
    """Closures and renames for some filler units."""
    rng = p.rng
    if spec.kind in ("company", "htx", "fdi") and rng.random() < 0.1:
        lo, hi = years_after(spec.founded, 2), p.end - dt.timedelta(days=30)
        day = between(rng, lo, hi)
        if lo < hi and day != REFORM:
            p.close(spec.code, day)
            return
    if spec.kind == "dnnn" and "TNHH MTV" in spec.name and rng.random() < 0.6:
        day = between(rng, D(2014, 1, 1), D(2018, 12, 31))
        if day > spec.founded:  # equitised
            p.rename(spec.code, day, spec.name.replace("Công ty TNHH MTV", "Công ty Cổ phần"),
                     ownership="dn_ngoai_nn")  # fmt: skip
    if (
        spec.kind in ("primary", "secondary")
        and "PTDTBT" in spec.name
        and spec.founded < D(2013, 1, 1)
        and rng.random() < 0.4
    ):
        # Founded as an ordinary school, it became a semi-boarding school later.
        plain = spec.name.replace("PTDTBT ", "")
        if not p.taken(plain):
            boarding, spec.name = spec.name, plain
            p.claim(plain)
            p.rename(spec.code, between(rng, D(2014, 8, 1), D(2017, 8, 31)), boarding)


def _filler_sectors(p: Plan, total: int) -> None:
    rng = p.rng
    vc, gd, yt = list(VC_MORE), list(HIGH_SCHOOLS), list(HEALTH_MORE)

    def add_vc() -> bool:
        if not vc:
            return False
        name, ownership = vc.pop(0)
        kind = "agency" if ownership == "cq_hcnn" else "dvsn"
        p.grassroots(parent="LC-VC", name=name, founded=between(rng, D(2004, 4, 1), D(2012, 12, 31)),
                     kind=kind, sector="hanh_chinh", ownership=ownership,
                     ward=rng.choice(CAPITAL_WARDS))  # fmt: skip
        return True

    def add_gd() -> bool:
        if not gd:
            return False
        name, ward = gd.pop(0)
        p.grassroots(parent="LC-GD", name=f"CĐCS Trường THPT {name}",
                     founded=between(rng, D(2004, 8, 15), D(2012, 9, 5)), kind="high",
                     sector="giao_duc", ownership="dvsn", ward=ward)  # fmt: skip
        return True

    def add_yt() -> bool:
        if yt:
            p.grassroots(parent="LC-YT", name=yt.pop(0),
                         founded=between(rng, D(2004, 6, 1), D(2010, 12, 31)), kind="health",
                         sector="y_te", ownership="dvsn", ward=3408)  # fmt: skip
            return True
        left = [d for d in DISTRICTS if not p.taken(f"CĐCS Trung tâm Y tế {d.label}")]
        if not left:
            return False
        _health_centre(p, left[0])
        return True

    def add_kkt() -> bool:
        line, sector = rng.choice(N.BUSINESS_LINES[:4] + N.BUSINESS_LINES[12:16])
        name = f"CĐCS Công ty TNHH {line} {rng.choice(N.TRADE_WORDS)} Ma Lù Thàng"
        if p.taken(name):
            return False
        p.grassroots(parent="LC-KKT", name=name, founded=between(rng, D(2014, 1, 1), D(2024, 6, 1)),
                     kind="company", sector=sector, ownership="dn_ngoai_nn",
                     ward=rng.choice([3583, 3549]))  # fmt: skip
        return True

    made = 0
    for _ in range(total * 4):
        if made >= total:
            break
        if rng.choice([add_vc, add_gd, add_yt, add_kkt])():
            made += 1


def _plan_after_reform(p: Plan) -> None:
    """New grassroots unions founded under commune unions after 1/7/2025."""
    rng = p.rng
    last = min(p.end, END) - dt.timedelta(days=60)
    for i in range(2 + round(6 * p.scale)):
        d = DISTRICTS[i % len(DISTRICTS)]
        ward = rng.choice(d.communes)
        line, sector = rng.choice(N.BUSINESS_LINES)
        kind, ownership = ("htx", "htx") if i % 3 == 2 else ("company", "dn_ngoai_nn")
        if kind == "htx":
            name, sector = f"CĐCS {rng.choice(N.HTX_LINES)} {place(ward)}", "nong_lam"
        else:
            name = f"CĐCS Công ty TNHH {line} {rng.choice(N.TRADE_WORDS)} {place(ward)}"
        if p.taken(name):
            continue
        founded = between(rng, REFORM + dt.timedelta(days=30), last)
        p.grassroots(parent=commune_code("LC", ward), name=name, founded=founded, kind=kind,
                     sector=sector, ownership=ownership, ward=ward)  # fmt: skip


def _plan_dien_bien(p: Plan) -> None:
    """A small second province, with its own reform, so that scopes can be seen apart."""
    wards = {name: code for code, name in divisions.wards_of(DIEN_BIEN)}
    city = [wards[n] for n in DIEN_BIEN_CITY_WARDS]
    district = wards[DIEN_BIEN_DISTRICT_COMMUNE]
    _upper(p, "DB", "Liên đoàn Lao động tỉnh Điện Biên", "ldld_tinh", "TLD", D(2004, 1, 1),
           "LĐLĐ tỉnh Điện Biên", DIEN_BIEN, city[1])  # fmt: skip
    _upper(p, "DB-TP", "Liên đoàn Lao động thành phố Điện Biên Phủ", "ldld_huyen", "DB",
           D(2004, 1, 1), "LĐLĐ TP Điện Biên Phủ", DIEN_BIEN, city[0], REFORM)  # fmt: skip
    _upper(p, "DB-MA", "Liên đoàn Lao động huyện Mường Ảng", "ldld_huyen", "DB", D(2007, 4, 1),
           "LĐLĐ huyện Mường Ảng", DIEN_BIEN, district, REFORM)  # fmt: skip
    _upper(p, "DB-GD", "Công đoàn Giáo dục tỉnh Điện Biên", "cd_nganh_dp", "DB", D(2004, 3, 1),
           "CĐ Giáo dục tỉnh Điện Biên", DIEN_BIEN, city[1])  # fmt: skip
    for ward in [*city, district]:
        _upper(p, commune_code("DB", ward), f"Công đoàn {ward_kind(ward)} {place(ward)}", "cd_xa",
               "DB", REFORM, f"CĐ {ward_kind(ward)} {place(ward)}", DIEN_BIEN, ward)  # fmt: skip
    # fmt: off
    units = [
        ("DB-TP", "CĐCS Trường Tiểu học Him Lam", "primary", "giao_duc", "dvsn", city[0]),
        ("DB-TP", "CĐCS Trường THCS Mường Thanh", "secondary", "giao_duc", "dvsn", city[1]),
        ("DB-TP", "CĐCS Cơ quan UBND phường Mường Thanh", "agency", "hanh_chinh", "cq_hcnn", city[1]),
        ("DB-TP", "CĐCS Công ty TNHH Xây dựng Hoàng Gia Điện Biên", "company", "xay_dung", "dn_ngoai_nn", city[0]),
        ("DB-MA", "CĐCS Trường Mầm non Mường Ảng", "kindergarten", "giao_duc", "dvsn", district),
        ("DB-MA", "CĐCS Hợp tác xã Cà phê Mường Ảng", "htx", "nong_lam", "htx", district),
        ("DB-GD", "CĐCS Trường THPT Thành phố Điện Biên Phủ", "high", "giao_duc", "dvsn", city[0]),
        ("DB-GD", "CĐCS Sở Giáo dục và Đào tạo tỉnh Điện Biên", "agency", "giao_duc", "cq_hcnn", city[1]),
    ]
    # fmt: on
    for parent, name, kind, sector, ownership, ward in units:
        founded = max(p.specs[parent].founded, between(p.rng, D(2005, 1, 1), D(2016, 12, 31)))
        p.grassroots(parent=parent, name=name, founded=founded, kind=kind, sector=sector,
                     ownership=ownership, ward=ward, province=DIEN_BIEN, prefix="DB-CS")  # fmt: skip


GROUP_POOLS = {
    "kindergarten": "kindergarten",
    "primary": "school",
    "secondary": "school2",
    "high": "school2",
    "company": "company",
    "fdi": "company",
    "dnnn": "company",
    "agency": "agency",
    "dvsn": "agency",
}


def _plan_groups(p: Plan) -> None:
    """Union groups (tổ công đoàn) inside about a third of the larger grassroots unions."""
    rng = p.rng
    for spec in list(p.specs.values()):
        if not spec.grassroots or spec.children or spec.size < 10:
            continue
        pool = GROUP_POOLS.get(spec.kind)
        if pool is None or rng.random() > 0.3:
            continue
        last = spec.end or p.end
        for i, group in enumerate(N.GROUPS[pool][: rng.randint(2, 3)], start=1):
            founded = between(rng, spec.founded, spec.founded + dt.timedelta(days=700))
            if founded < last:
                p.add(Spec(f"{spec.code}-T{i}", group, "to_cd", spec.code, founded,
                           province=spec.province))  # fmt: skip


def _plan_reform(p: Plan) -> None:
    """Mark what ends on 1/7/2025; the reform itself is played as one step (Player.op_reform)."""
    for spec in p.specs.values():
        budget_funded = spec.grassroots and spec.ownership == "cq_hcnn"
        if budget_funded and spec.end is None and spec.founded < REFORM:
            spec.end, spec.end_kind = REFORM, "reform_exit"
    p.at(REFORM, REFORM_PHASE, "reform")
