"""The data behind the three seed reports (/work/shared/seeds), entered through the services, and
the reports made from it.

Each builder creates the structure (the body, its parent, the siblings a rank is stated among,
the cluster), opens the periods, assigns the targets the text implies while the period runs,
enters the figures spread over units below (so that the roll-up is exercised; the body's own
work on its own sheet), submits, approves and locks the sheets, saves the body's report
template and creates its report(s) as the body's officer. The tests generate them
(test_seeds.py, test_browser_report.py).

- 000 — LĐLĐ tỉnh Lai Châu, year 2022, with the programme "1 triệu sáng kiến" (two phases) as
  the second period ("2.392/2.300 sáng kiến … đạt 104% chỉ tiêu cả Chương trình (02 giai
  đoạn)"). The ten targets VGCL gave are not listed in the seed ("đạt và vượt 10/10 chỉ
  tiêu"): ten of its figures get a target they reach. The template writes plain counts
  (`fractions=False`), as this seed does ("thành lập được 10 CĐCS …" against a target of 8).
- 001 — LĐLĐ thị xã Sa Pa, one of the 15 units of LĐLĐ tỉnh Lào Cai: 9 months of 2023 against
  the 2023 plan (546 of 496 admissions = 110%; 16 of 2 houses = 800%; 3,8 tỷ of 80 triệu =
  4.750%) beside the school year 2022 – 2023; and the report on the two phases of "1 triệu
  sáng kiến" (616 of 76 = 810,5%, written "810%": the template truncates; 690 of 76 = 907,9%)
  ranked among the 15 (first in phase 1, third in phase 2). The seed gives no figure of the
  school year (it tells its awards): the builder gives it the grading of the grassroots unions
  and their officials' conferences, which the domain counts by school year.
- 003 — Cụm thi đua số 3 (CĐVC tỉnh head, CĐGD, CĐYT, CĐKKT tỉnh), 6 months of 2022, reported by
  its head unit: totals over the cluster, no targets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from congdoan.core.tests.support import make_user, unit_type
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, Period, PeriodKind, Sheet, SheetStatus
from congdoan.indicators.periods import period_create, period_open
from congdoan.indicators.tests.clock import on
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit
from congdoan.reports import services
from congdoan.reports.models import Report

FOUNDED = dt.date(2015, 1, 1)
VGCL = "Tổng Liên đoàn Lao động Việt Nam"


@dataclass
class Seed:
    """What a builder made: the body, its officer (username = `officer.username`, password
    `support.PASSWORD`) and its reports by name ("main", "programme")."""

    body: Unit
    officer: Any
    reports: dict[str, Report]
    periods: dict[str, Period] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Small helpers (all through the services; actor None: the work of the system)


def vgcl() -> Unit:
    """The root of the tree (one per database)."""
    root = Unit.objects.filter(depth=1).first()
    return root or org.unit_create_root(
        code="TLD", name=VGCL, short_name="Tổng LĐLĐ", unit_type=unit_type("tld"), day=FOUNDED
    )


def unit(parent: Unit, code: str, name: str, type_code: str, short_name: str = "") -> Unit:
    return org.unit_create(
        actor=None,
        parent=parent,
        code=code,
        name=name,
        short_name=short_name or name,
        unit_type=unit_type(type_code),
        day=FOUNDED,
    )


def targets(target_unit: Unit, period: Period, **values: Any) -> None:
    """Targets are assigned while the period runs (they close once its figures are in)."""
    with on(period.start):
        for code, value in values.items():
            ind.target_set(
                actor=None,
                unit=target_unit,
                indicator=Indicator.objects.get(code=code),
                period=period,
                value=value,
            )


def enter(entering: Unit, period: Period, **values: Any) -> None:
    ind.values_save(actor=None, unit=entering, period=period, entries=values)


def share(total: int, parts: int) -> int:
    """An even share kept to three significant digits (1.612.400.000 / 6 → 268.000.000), as
    figures of units look; the first unit takes the rest."""
    even = total // parts
    step = 10 ** max(0, len(str(even)) - 3)
    return even // step * step


def spread(units: list[Unit], period: Period, **totals: int) -> None:
    """Enter each total split over `units` (the rest to the first), one sheet per unit."""
    for i, entering in enumerate(units):
        mine = {}
        for code, total in totals.items():
            each = share(total, len(units))
            mine[code] = total - each * (len(units) - 1) if i == 0 else each
        enter(entering, period, **mine)


def approve(period: Period, units: list[Unit], *, lock: bool = False) -> None:
    """Submit and approve (and lock) the sheets of `units` for `period`."""
    for sheet in Sheet.objects.filter(unit__in=units, period=period).order_by("pk"):
        if sheet.status == SheetStatus.DRAFT:
            ind.sheet_submit(actor=None, sheet=sheet)
            sheet = ind.sheet_approve(actor=None, sheet=sheet)
        if lock and sheet.status == SheetStatus.APPROVED:
            ind.sheet_lock(actor=None, sheet=sheet)


def programme_phases() -> tuple[Period, Period, Period]:
    """The programme "1 triệu sáng kiến" (7/2020 – 6/2023) and its two phases."""
    found = Period.objects.filter(kind=PeriodKind.PROGRAMME, programme="1 triệu sáng kiến").first()
    if found is not None:
        one, two = Period.objects.filter(parent=found).order_by("start")
        return found, one, two
    programme = period_create(
        actor=None,
        kind=PeriodKind.PROGRAMME,
        name="Chương trình 1 triệu sáng kiến",
        programme="1 triệu sáng kiến",
        start=dt.date(2020, 7, 1),
        end=dt.date(2023, 6, 30),
    )
    phases = tuple(
        period_create(
            actor=None,
            kind=PeriodKind.PHASE,
            name=f"Giai đoạn {n}",
            number=n,
            parent=programme,
            start=start,
            end=end,
        )
        for n, start, end in (
            (1, dt.date(2020, 7, 1), dt.date(2021, 12, 31)),
            (2, dt.date(2022, 1, 1), dt.date(2023, 6, 30)),
        )
    )
    return programme, phases[0], phases[1]


# ---------------------------------------------------------------------------------------------
# 000 — LĐLĐ tỉnh Lai Châu, year 2022

LAI_CHAU_TASKS = """\
Chỉ đạo tổ chức thành công Đại hội Công đoàn các cấp nhiệm kỳ 2023 – 2028 tiến tới Đại hội XIII Công đoàn tỉnh
Quan tâm chăm lo, hỗ trợ đoàn viên, CCVCLĐ khó khăn; tập trung phát triển đoàn viên, thành lập công đoàn
Tiếp tục thực hiện tốt Chương trình “01 triệu sáng kiến - nỗ lực vượt khó, sáng tạo, quyết tâm chiến thắng đại dịch Covid-19”"""

# The districts' own figures (their level's work), and the grassroots unions' (the workplace).
LAI_CHAU_DISTRICTS = {
    "gs_217_cuoc": 16,
    "gs_217_dv": 90,
    "kt_qcdc_cuoc": 15,
    "kt_qcdc_dv": 95,
    "thanh_lap_cdcs_ngoai_nn": 10,
    "mo_hinh": 47,
    "suat_qua": 1_500,
    "tien_qua": 750_000_000,
}
LAI_CHAU_GRASSROOTS = {
    "suat_qua": 4_865,
    "tien_qua": 1_612_400_000,
    "phat_trien_dv": 328,
    "gioi_thieu_dang": 815,
    "ho_tro_kinh_te": 203,
    "tien_ho_tro_kinh_te": 2_481_650_000,
    "dv_huong_phuc_loi": 3_960,
    "gia_tri_phuc_loi": 298_000_000,
    "bang_ldst": 6,
    "kt_dieu_le_cuoc": 593,
    "kt_tai_chinh_cuoc": 689,
    "giam_sat_cuoc": 82,
}
# The province's own work: its gifts, the supervisions with the Party's bodies, the welfare
# agreements it signed.
LAI_CHAU_OWN = {
    "suat_qua": 1_200,
    "tien_qua": 600_000_000,
    "gs_217_cuoc": 6,
    "gs_217_dv": 29,
    "kt_qcdc_cuoc": 3,
    "kt_qcdc_dv": 18,
    "thoa_thuan_phuc_loi": 4,
}
# Ten targets VGCL gave, all reached ("đạt và vượt 10/10 chỉ tiêu").
LAI_CHAU_TARGETS = {
    "suat_qua": 7_000,
    "thanh_lap_cdcs_ngoai_nn": 8,
    "phat_trien_dv": 300,
    "gioi_thieu_dang": 800,
    "mo_hinh": 40,
    "ho_tro_kinh_te": 200,
    "thoa_thuan_phuc_loi": 4,
    "kt_dieu_le_cuoc": 500,
    "kt_tai_chinh_cuoc": 600,
    "giam_sat_cuoc": 80,
}


def build_lai_chau() -> Seed:
    """000: the province, three district federations with two grassroots unions each."""
    province = unit(
        vgcl(), "LCH", "Liên đoàn Lao động tỉnh Lai Châu", "ldld_tinh", "LĐLĐ tỉnh Lai Châu"
    )
    places = [("TP", "thành phố Lai Châu"), ("TD", "huyện Tam Đường"), ("PT", "huyện Phong Thổ")]
    districts = [unit(province, f"LCH-{c}", f"LĐLĐ {p}", "ldld_huyen") for c, p in places]
    grassroots = [
        unit(d, f"{d.code}-{n}", f"CĐCS {kind} {p}", "cdcs")
        for d, (_c, p) in zip(districts, places, strict=True)
        for n, kind in ((1, "Trường Tiểu học"), (2, "Trung tâm Y tế"))
    ]
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2022)
    programme, one, two = programme_phases()
    targets(province, year, **LAI_CHAU_TARGETS)
    targets(province, programme, sang_kien=2_300)
    spread(districts, year, **LAI_CHAU_DISTRICTS)
    spread(grassroots, year, **LAI_CHAU_GRASSROOTS)
    enter(province, year, **LAI_CHAU_OWN)
    # "1 triệu sáng kiến": 2.392 initiatives over the two phases, "hơn 15 tỉ đồng" of benefit.
    spread(grassroots, one, sang_kien=1_200, gia_tri_lam_loi=7_000_000_000)
    spread(grassroots, two, sang_kien=1_192, gia_tri_lam_loi=8_030_000_000)
    for period in (year, one, two):
        approve(period, grassroots, lock=True)
        approve(period, districts)
        approve(period, [province])
    officer = make_user("lai-chau", "federation_admin", province, full_name="Lưỡng Hà")
    services.template_save(
        actor=officer,
        unit=province,
        place="Lai Châu",
        signer_name="Nguyễn Thị Thiện",
        fractions=False,
        recipients="Tổng LĐLĐ Việt Nam (b/c);\nThường trực Tỉnh ủy (b/c);\nLưu: VT, CSPL&QHLĐ.",
    )
    report = services.report_create(
        actor=officer,
        unit=province,
        period=year,
        second_period=programme,
        title="Báo cáo tổng kết phong trào CNVCLĐ và hoạt động công đoàn năm 2022",
        tasks=LAI_CHAU_TASKS,
    )
    return Seed(
        body=province,
        officer=officer,
        reports={"main": report},
        periods={"year": year, "programme": programme, "one": one, "two": two},
        units={"province": province, **{d.code: d for d in districts}},
    )


# ---------------------------------------------------------------------------------------------
# 001 — LĐLĐ thị xã Sa Pa, 9 months of 2023 and the school year 2022 – 2023

LAO_CAI_OTHERS = [
    ("TP", "LĐLĐ thành phố Lào Cai", "ldld_huyen"),
    ("BX", "LĐLĐ huyện Bát Xát", "ldld_huyen"),
    ("BT", "LĐLĐ huyện Bảo Thắng", "ldld_huyen"),
    ("BY", "LĐLĐ huyện Bảo Yên", "ldld_huyen"),
    ("BH", "LĐLĐ huyện Bắc Hà", "ldld_huyen"),
    ("MK", "LĐLĐ huyện Mường Khương", "ldld_huyen"),
    ("SMC", "LĐLĐ huyện Si Ma Cai", "ldld_huyen"),
    ("VB", "LĐLĐ huyện Văn Bàn", "ldld_huyen"),
    ("VC", "Công đoàn Viên chức tỉnh Lào Cai", "cd_nganh_dp"),
    ("GD", "Công đoàn Giáo dục tỉnh Lào Cai", "cd_nganh_dp"),
    ("YT", "Công đoàn Y tế tỉnh Lào Cai", "cd_nganh_dp"),
    ("CT", "Công đoàn Công Thương tỉnh Lào Cai", "cd_nganh_dp"),
    ("NN", "Công đoàn Nông nghiệp và PTNT tỉnh Lào Cai", "cd_nganh_dp"),
    ("KKT", "Công đoàn Khu kinh tế tỉnh Lào Cai", "cd_kcn"),
]
SA_PA_TASKS = """\
Bám sát sự chỉ đạo của Thị ủy, thực hiện tốt nhiệm vụ năm học 2023 – 2024
Nhân rộng các mô hình điển hình tiên tiến, cách làm hay; tích cực tham gia dự án “Sa Pa sạch”"""


def build_sa_pa(*, with_reports: bool = True) -> Seed:
    """001: the province of Lào Cai with its 15 units (Sa Pa and 14 others, one grassroots union
    each), Sa Pa's three grassroots unions; the nine months' figures against the 2023 plan, the
    school year, and the two phases of "1 triệu sáng kiến". Without `with_reports`, the
    template is saved but no report is made (the browser test makes it on the page)."""
    province = unit(
        vgcl(), "LCI", "Liên đoàn Lao động tỉnh Lào Cai", "ldld_tinh", "LĐLĐ tỉnh Lào Cai"
    )
    sapa = unit(
        province, "LCI-SP", "Liên đoàn Lao động thị xã Sa Pa", "ldld_huyen", "LĐLĐ thị xã Sa Pa"
    )
    others = [unit(province, f"LCI-{c}", name, t) for c, name, t in LAO_CAI_OTHERS]
    theirs = [unit(o, f"{o.code}-1", f"CĐCS Văn phòng {o.name}", "cdcs") for o in others]
    grassroots = [
        unit(sapa, "LCI-SP-1", "CĐCS Trường Tiểu học Sa Pả", "cdcs"),
        unit(sapa, "LCI-SP-2", "CĐCS Trường PTDTBT TH Bản Hồ", "cdcs"),
        unit(sapa, "LCI-SP-3", "CĐCS Cơ quan Ủy ban nhân dân thị xã Sa Pa", "cdcs"),
    ]
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
    nine = period_open(actor=None, kind=PeriodKind.NINE, year=2023)
    school = period_open(actor=None, kind=PeriodKind.SCHOOL_YEAR, year=2022)
    _programme, one, two = programme_phases()
    # The province's plan for Sa Pa in 2023, and for each unit in each phase.
    targets(sapa, year, phat_trien_dv=496, nha_macd=2, tien_nha_macd=80_000_000)
    targets(sapa, one, sang_kien=76)
    targets(sapa, two, sang_kien=76)
    for other in others:
        targets(other, one, sang_kien=100)
        targets(other, two, sang_kien=100)
    # Nine months: 546 members admitted at the workplaces, houses by Sa Pa and its unions.
    spread(grassroots, nine, phat_trien_dv=546, nha_macd=4, tien_nha_macd=1_300_000_000)
    enter(sapa, nine, thanh_lap_cdcs_ngoai_nn=3, nha_macd=12, tien_nha_macd=2_500_000_000)
    for i, other in enumerate(others):  # Sa Pa leads the province in admissions
        enter(other, nine, phat_trien_dv=100 + 20 * i)
    # The school year (not in the seed's figures): grading and officials' conferences.
    enter(sapa, school, cdcs_danh_gia=40, cdcs_tot=34)
    spread(grassroots, school, hn_cbccvc=3)
    # "1 triệu sáng kiến": Sa Pa first of 15 in phase 1, third in phase 2 (two units above it).
    spread(grassroots, one, sang_kien=616)
    spread(grassroots, two, sang_kien=690)
    for i, theirs_unit in enumerate(theirs):
        enter(theirs_unit, one, sang_kien=100 + 20 * i)
        enter(theirs_unit, two, sang_kien={0: 950, 1: 920}.get(i, 150 + 10 * i))
    for period in (nine, school, one, two):
        approve(period, grassroots, lock=True)
        approve(period, [sapa])
    officer = make_user("sa-pa", "federation_admin", sapa, full_name="Má Thị Đa")
    services.template_save(
        actor=officer,
        unit=sapa,
        place="Sa Pa",
        signer_name="Má Thị Đa",
        rounding="truncate",
        recipients="LĐLĐ tỉnh Lào Cai (b/c);\nThường trực Thị ủy Sa Pa (b/c);\nLưu: VT.",
    )
    reports = {}
    if with_reports:
        reports["main"] = services.report_create(
            actor=officer, unit=sapa, period=nine, second_period=school, tasks=SA_PA_TASKS
        )
        reports["programme"] = services.report_create(
            actor=officer,
            unit=sapa,
            period=one,
            second_period=two,
            title="Báo cáo tổng kết giai đoạn 2 Chương trình “1 triệu sáng kiến”",
        )
    return Seed(
        body=sapa,
        officer=officer,
        reports=reports,
        periods={"year": year, "nine": nine, "school": school, "one": one, "two": two},
        units={"province": province, "sapa": sapa, **{g.code: g for g in grassroots}},
    )


# ---------------------------------------------------------------------------------------------
# 003 — Cụm thi đua số 3, 6 months of 2022

SECTORS = [
    ("VC", "Công đoàn Viên chức tỉnh", "CĐVC tỉnh", "cd_nganh_dp"),
    ("GD", "Công đoàn Giáo dục tỉnh", "CĐGD tỉnh", "cd_nganh_dp"),
    ("YT", "Công đoàn Y tế tỉnh", "CĐYT tỉnh", "cd_nganh_dp"),
    ("KKT", "Công đoàn Khu kinh tế tỉnh", "CĐKKT tỉnh", "cd_kcn"),
]
# The sector unions' own work, and their grassroots unions' (initiatives, the Party).
CLUSTER_OWN = {
    "quy_van_dong": 3_540_000_000,
    "suat_qua": 2_030,
    "suat_qua_cong_dong": 6_800,
    "nha_chinh_sach": 16,
    "hd_vhtt": 130,
    "luot_du_thi": 4_000,
    "lop_tap_huan": 5,
    "phat_trien_dv": 946,
    "thanh_lap_cdcs": 16,
}
CLUSTER_GRASSROOTS = {
    "suat_qua": 3_200,
    "hd_vhtt": 5_000,
    "sang_kien": 644,
    "phat_trien_dv": 1_000,
    "gioi_thieu_dang": 225,
    "ket_nap_dang": 116,
}
CLUSTER_TASKS = """\
Tiếp tục đẩy mạnh Chương trình “01 triệu sáng kiến - nỗ lực vượt khó, sáng tạo, quyết tâm chiến thắng đại dịch Covid-19” giai đoạn 2
Phát động phong trào thi đua chào mừng đại hội công đoàn các cấp nhiệm kỳ 2023 - 2028"""


def build_cluster_3() -> Seed:
    """003: the province, its four sector unions (two grassroots unions each) forming Cụm thi
    đua số 3 in 2022 with CĐVC tỉnh at its head; the cluster's report by its head unit."""
    province = unit(vgcl(), "TINH", "Liên đoàn Lao động tỉnh", "ldld_tinh", "LĐLĐ tỉnh")
    sectors = [unit(province, f"TINH-{c}", name, t, short) for c, name, short, t in SECTORS]
    grassroots = [
        unit(s, f"{s.code}-{n}", f"CĐCS {kind} ({s.short_name})", "cdcs")
        for s in sectors
        for n, kind in ((1, "Văn phòng"), (2, "Trung tâm"))
    ]
    cluster = org.cluster_create(
        actor=None, organiser=province, code="cum-3", name="Cụm thi đua số 3"
    )
    for i, sector in enumerate(sectors):
        org.cluster_member_add(actor=None, cluster=cluster, unit=sector, year=2022, is_head=i == 0)
    half = period_open(actor=None, kind=PeriodKind.HALF, year=2022, number=1)
    spread(sectors, half, **CLUSTER_OWN)
    spread(grassroots, half, **CLUSTER_GRASSROOTS)
    approve(half, grassroots, lock=True)
    approve(half, sectors)
    head = sectors[0]
    officer = make_user("cdvc", "federation_admin", head, full_name="Nguyễn Thị Phương Loan")
    services.template_save(
        actor=officer,
        unit=head,
        on_behalf="TM. CỤM THI ĐUA SỐ 3",
        signer_title="CỤM TRƯỞNG",
        signer_name="Nguyễn Thị Phương Loan",
        number_symbol="BC-CTĐ3",
        recipients="Thường trực LĐLĐ tỉnh (b/c);\nCác đơn vị trong Cụm;\nLưu: VT.",
    )
    report = services.report_create(
        actor=officer, unit=head, period=half, cluster=cluster, tasks=CLUSTER_TASKS
    )
    return Seed(
        body=head,
        officer=officer,
        reports={"main": report},
        periods={"half": half},
        units={"province": province, **{s.code: s for s in sectors}},
        extra={"cluster": cluster},
    )
