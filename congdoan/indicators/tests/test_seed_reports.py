"""The target, ratio, total and rank statements of the three seed reports (../shared/seeds),
entered as the data behind them and read back from the engine.

- 000 — LĐLĐ tỉnh Lai Châu, year 2022: "đạt và vượt 10/10 chỉ tiêu Tổng LĐLĐ Việt Nam giao";
  "2.392/2.300 sáng kiến … đạt 104% chỉ tiêu cả Chương trình (02 giai đoạn)"; "7.565 suất quà với
  tổng số tiền gần 3 tỷ đồng"; "giám sát 22 cuộc, tại 119 đơn vị"; "203 đoàn viên … với tổng số
  tiền 2.481.650.000 đồng"; "tổng giá trị làm lợi … hơn 15 tỉ đồng" — totals of the province over
  its districts.
- 001 — LĐLĐ thị xã Sa Pa (one of 15 units of LĐLĐ tỉnh Lào Cai), 9 months of 2023 and school
  year 2022–2023: "kết nạp 546 đoàn viên … (đạt 110% chỉ tiêu, KH giao)" against the year's
  target; "xây dựng mới 16/2 nhà đạt 800% chỉ tiêu giao, về số tiền 3,8 tỉ đồng … đạt 4.750%";
  "1.306 sáng kiến (trong đó giai đoạn 1 có 616 sáng kiến, đạt 810% chỉ tiêu giao) xếp thứ
  nhất/15 đơn vị … giai đoạn 2 có 690 sáng kiến hợp lệ, đạt 908% chỉ tiêu giao … đứng thứ 3/15".
- 003 — Cụm thi đua số 3 (the four provincial sector unions), 6 months of 2022: totals over the
  cluster ("trên 3,5 tỉ đồng", "5200 suất quà", "16 nhà", "644 sáng kiến", "1946 đoàn viên mới",
  "16 công đoàn cơ sở", "225 … giới thiệu", "116 … kết nạp vào Đảng").

Each figure is entered by the unit that enters it under the default data sets: what happens at the
workplace (members admitted to the Party, initiatives, welfare used …) at a grassroots union below
the district or sector union, the rest by the unit itself; the statements read subtree totals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Q
from django.utils import translation

from congdoan.accounts.models import User
from congdoan.core.formats import number
from congdoan.core.tests.support import unit_type
from congdoan.indicators import selectors, services, wording
from congdoan.indicators.models import Indicator, PeriodKind, Sheet
from congdoan.indicators.periods import period_create, period_open
from congdoan.indicators.tests.clock import assign_target
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit

FOUNDED = dt.date(2015, 1, 1)
D = Decimal


@pytest.fixture
def admin(db):
    return User.objects.create_superuser(username="tld-admin", password="x")


@pytest.fixture
def vgcl(db):
    return org.unit_create_root(
        code="TLD", name="Tổng Liên đoàn Lao động Việt Nam", unit_type=unit_type("tld"), day=FOUNDED
    )


def make(parent, code, name, type_code="ldld_huyen"):
    return org.unit_create(
        actor=None, parent=parent, code=code, name=name, unit_type=unit_type(type_code), day=FOUNDED
    )


def where(unit, period, code):
    """The unit that enters `code` for `unit`: itself when its type enters it, else a grassroots
    union below it (made on first use) — the figures of its grassroots unions."""
    if code in {i.code for i in services.indicators_for(unit, period)}:
        return unit
    below = Unit.objects.filter(parent=unit, unit_type__code="cdcs").order_by("pk").first()
    return below or make(unit, f"{unit.code}-CS", f"CĐCS thuộc {unit.name}", "cdcs")


def enter_split(admin, units, period, **values):
    """Enter each figure split over `units` (remainder to the first), as units would."""
    for i, unit in enumerate(units):
        entries: dict[Unit, dict[str, int]] = defaultdict(dict)
        for code, total in values.items():
            share = total // len(units)
            entries[where(unit, period, code)][code] = share + (
                total - share * len(units) if i == 0 else 0
            )
        for target, mine in entries.items():
            services.values_save(actor=admin, unit=target, period=period, entries=mine)


def approve_all(admin, units, period):
    """Submit and approve the sheets of `units` and of the units directly below them."""
    for sheet in Sheet.objects.filter(
        Q(unit__in=units) | Q(unit__parent__in=units), period=period
    ).order_by("pk"):
        services.sheet_submit(actor=admin, sheet=sheet)
        services.sheet_approve(actor=admin, sheet=sheet)


def figs(unit, period, *codes):
    return selectors.unit_figures(unit.pk, period, list(Indicator.objects.filter(code__in=codes)))


def test_lai_chau_2022(admin, vgcl):
    province = make(vgcl, "LCH", "Liên đoàn Lao động tỉnh Lai Châu", "ldld_tinh")
    districts = [make(province, f"LCH{i}", f"LĐLĐ huyện {i}") for i in range(1, 4)]
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2022)
    values = {
        "suat_qua": 7565,
        "tien_qua": 2_962_400_000,
        "gs_217_cuoc": 22,
        "gs_217_dv": 119,
        "kt_qcdc_cuoc": 18,
        "kt_qcdc_dv": 113,
        "thanh_lap_cdcs_ngoai_nn": 10,
        "phat_trien_dv": 328,
        "gioi_thieu_dang": 815,
        "mo_hinh": 47,
        "ho_tro_kinh_te": 203,
        "tien_ho_tro_kinh_te": 2_481_650_000,
        "thoa_thuan_phuc_loi": 4,
        "dv_huong_phuc_loi": 3_960,
        "gia_tri_phuc_loi": 298_000_000,
        "kt_dieu_le_cuoc": 593,
        "kt_tai_chinh_cuoc": 689,
        "giam_sat_cuoc": 82,
        "bang_ldst": 6,
        "gia_tri_lam_loi": 15_120_000_000,
    }
    enter_split(admin, districts, year, **values)
    approve_all(admin, districts, year)
    # The ten targets VGCL gave the province (the report: "đạt và vượt 10/10 chỉ tiêu").
    targets = {
        "suat_qua": 7000, "thanh_lap_cdcs_ngoai_nn": 8, "phat_trien_dv": 300, "gioi_thieu_dang": 800,
        "mo_hinh": 40, "ho_tro_kinh_te": 200, "thoa_thuan_phuc_loi": 4, "kt_dieu_le_cuoc": 500,
        "kt_tai_chinh_cuoc": 600, "giam_sat_cuoc": 80,
    }  # fmt: skip
    for code, value in targets.items():
        assign_target(
            actor=admin,
            unit=province,
            indicator=Indicator.objects.get(code=code),
            period=year,
            value=value,
        )
    got = figs(province, year, *values)
    assert {code: got[code].value for code in values} == values
    assert all(f.is_approved for f in got.values())
    assert f"{number(got['suat_qua'].value)} suất quà" == "7.565 suất quà"
    assert wording.money(got["tien_qua"].value) == "gần 3 tỷ đồng"
    assert (
        f"giám sát {number(got['gs_217_cuoc'].value)} cuộc, tại {number(got['gs_217_dv'].value)} đơn vị"
        == ("giám sát 22 cuộc, tại 119 đơn vị")
    )
    assert f"{number(got['tien_ho_tro_kinh_te'].value)} đồng" == "2.481.650.000 đồng"
    assert wording.money(got["gia_tri_lam_loi"].value) == "hơn 15,1 tỷ đồng"
    assert wording.money(got["gia_tri_phuc_loi"].value) == "298 triệu đồng"
    result = selectors.achievement(got)
    assert (result.reached, result.total) == (10, 10)
    with translation.override("vi"):
        assert result.text.startswith("10/10 chỉ tiêu đạt và vượt")

    # The programme "1 triệu sáng kiến" (two phases), with a target for the whole programme.
    programme = period_create(
        actor=None,
        kind=PeriodKind.PROGRAMME, name="Chương trình 1 triệu sáng kiến", programme="1 triệu sáng kiến",
        start=dt.date(2020, 7, 1), end=dt.date(2023, 6, 30),
    )  # fmt: skip
    phases = [
        period_create(actor=None, kind=PeriodKind.PHASE, name="Giai đoạn 1", number=1, parent=programme,
                      start=dt.date(2020, 7, 1), end=dt.date(2021, 12, 31)),
        period_create(actor=None, kind=PeriodKind.PHASE, name="Giai đoạn 2", number=2, parent=programme,
                      start=dt.date(2022, 1, 1), end=dt.date(2023, 6, 30)),
    ]  # fmt: skip
    enter_split(admin, districts, phases[0], sang_kien=1200)
    enter_split(admin, districts, phases[1], sang_kien=1192)
    assign_target(
        actor=admin, unit=province, indicator=Indicator.objects.get(code="sang_kien"),
        period=programme, value=2300,
    )  # fmt: skip
    whole = figs(province, programme, "sang_kien")["sang_kien"]
    assert wording.fraction(whole.value, whole.target) == "2.392/2.300"
    assert f"đạt {wording.percent(whole.percent)} chỉ tiêu" == "đạt 104% chỉ tiêu"


def test_sa_pa_9_months_2023_and_programme_ranks(admin, vgcl):
    province = make(vgcl, "LCI", "Liên đoàn Lao động tỉnh Lào Cai", "ldld_tinh")
    sapa = make(province, "SPA", "Liên đoàn Lao động thị xã Sa Pa")
    others = [make(province, f"LCI{i:02d}", f"Đơn vị {i:02d}") for i in range(1, 15)]
    grassroots = [make(sapa, f"SPA{i}", f"CĐCS Sa Pa {i}", "cdcs") for i in range(1, 4)]
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
    nine = period_open(actor=None, kind=PeriodKind.NINE, year=2023)
    school = period_open(actor=None, kind=PeriodKind.SCHOOL_YEAR, year=2022)
    assert (nine.name, school.name) == ("9 tháng đầu năm 2023", "Năm học 2022 - 2023")

    def target(unit, code, period, value):
        assign_target(
            actor=admin,
            unit=unit,
            indicator=Indicator.objects.get(code=code),
            period=period,
            value=value,
        )

    # The province's plan for 2023; Sa Pa's figures after 9 months.
    target(sapa, "phat_trien_dv", year, 496)
    target(sapa, "nha_macd", year, 2)
    target(sapa, "tien_nha_macd", year, 80_000_000)
    enter_split(
        admin, grassroots, nine, phat_trien_dv=546, nha_macd=16, tien_nha_macd=3_800_000_000,
    )  # fmt: skip
    # Founding grassroots unions is the district's own work.
    services.values_save(
        actor=admin, unit=sapa, period=nine, entries={"thanh_lap_cdcs_ngoai_nn": 3}
    )
    got = figs(sapa, nine, "phat_trien_dv", "thanh_lap_cdcs_ngoai_nn", "nha_macd", "tien_nha_macd")
    assert got["phat_trien_dv"].value == 546 and got["thanh_lap_cdcs_ngoai_nn"].value == 3
    assert got["phat_trien_dv"].target_of == "Năm 2023"
    assert f"đạt {wording.percent(got['phat_trien_dv'].percent)} chỉ tiêu" == "đạt 110% chỉ tiêu"
    houses = got["nha_macd"]
    assert (
        f"xây dựng mới {wording.fraction(houses.value, houses.target)} nhà đạt "
        + (f"{wording.percent(houses.percent)} chỉ tiêu giao")
        == "xây dựng mới 16/2 nhà đạt 800% chỉ tiêu giao"
    )
    money = got["tien_nha_macd"]
    assert (
        f"về số tiền {wording.money(money.value)} chúng ta đạt {wording.percent(money.percent)}"
        == ("về số tiền 3,8 tỷ đồng chúng ta đạt 4.750%")
    )
    assert money.status == wording.EXCEEDED

    # "1 triệu sáng kiến": each phase has its own targets and its own ranking among the 15.
    programme = period_create(
        actor=None,
        kind=PeriodKind.PROGRAMME, name="Chương trình 1 triệu sáng kiến", programme="1 triệu sáng kiến",
        start=dt.date(2020, 7, 1), end=dt.date(2023, 6, 30),
    )  # fmt: skip
    one = period_create(actor=None, kind=PeriodKind.PHASE, name="Giai đoạn 1", number=1, parent=programme,
                        start=dt.date(2020, 7, 1), end=dt.date(2021, 12, 31))  # fmt: skip
    two = period_create(actor=None, kind=PeriodKind.PHASE, name="Giai đoạn 2", number=2, parent=programme,
                        start=dt.date(2022, 1, 1), end=dt.date(2023, 6, 30))  # fmt: skip
    target(sapa, "sang_kien", one, 76)
    target(sapa, "sang_kien", two, 76)
    enter_split(admin, grassroots, one, sang_kien=616)
    enter_split(admin, grassroots, two, sang_kien=690)
    for i, unit in enumerate(others):
        target(unit, "sang_kien", one, 100)
        target(unit, "sang_kien", two, 100)
        # Initiatives are entered by the grassroots unions below each unit.
        below = where(unit, one, "sang_kien")
        services.values_save(
            actor=admin, unit=below, period=one, entries={"sang_kien": 100 + 20 * i}
        )
        # Two units do better than Sa Pa in phase 2 (950% and 920%).
        actual = {0: 950, 1: 920}.get(i, 150 + 10 * i)
        services.values_save(actor=admin, unit=below, period=two, entries={"sang_kien": actual})

    p1 = figs(sapa, one, "sang_kien")["sang_kien"]
    p2 = figs(sapa, two, "sang_kien")["sang_kien"]
    assert p1.value == 616 and p2.value == 690
    assert figs(sapa, programme, "sang_kien")["sang_kien"].value == 1306  # "1.306 sáng kiến"
    # 616/76 = 810,5%: the report keeps the digits ("810%"); rounded half up it is 811%.
    assert wording.percent(p1.percent, truncate=True) == "810%"
    assert wording.percent(p1.percent, 1) == "810,5%"
    assert wording.percent(p2.percent) == "908%"
    siblings = [u for u, _name in selectors.siblings_on(sapa.pk, one.end)]
    assert len(siblings) == 15
    assert selectors.ranking(siblings, one, "pct:sang_kien")[sapa.pk].text == "thứ nhất/15"
    assert selectors.ranking(siblings, two, "pct:sang_kien")[sapa.pk].text == "thứ 3/15"


def test_cluster_3_six_months_2022(admin, vgcl):
    province = make(vgcl, "TINH", "Liên đoàn Lao động tỉnh", "ldld_tinh")
    names = ["Công đoàn Viên chức tỉnh", "Công đoàn Giáo dục tỉnh", "Công đoàn Y tế tỉnh",
             "Công đoàn Khu kinh tế tỉnh"]  # fmt: skip
    sectors = [make(province, f"CDN{i}", name, "cd_nganh_dp") for i, name in enumerate(names)]
    cluster = org.cluster_create(
        actor=None, organiser=province, code="cum-3", name="Cụm thi đua số 3"
    )
    for i, unit in enumerate(sectors):
        org.cluster_member_add(actor=None, cluster=cluster, unit=unit, year=2022, is_head=i == 0)
    half = period_open(actor=None, kind=PeriodKind.HALF, year=2022, number=1)
    totals = {
        "quy_van_dong": 3_540_000_000, "suat_qua": 5_230, "suat_qua_cong_dong": 6_800,
        "nha_chinh_sach": 16, "hd_vhtt": 5_130, "sang_kien": 644, "luot_du_thi": 4_000,
        "lop_tap_huan": 5, "phat_trien_dv": 1_946, "thanh_lap_cdcs": 16, "gioi_thieu_dang": 225,
        "ket_nap_dang": 116,
    }  # fmt: skip
    enter_split(admin, sectors, half, **totals)
    result = selectors.cluster_figures(
        cluster, half, list(Indicator.objects.filter(code__in=totals))
    )
    assert next(name for _u, name, _head in result.members) == "Công đoàn Viên chức tỉnh"
    assert {code: result.total[code].value for code in totals} == totals
    assert wording.money(result.total["quy_van_dong"].value) == "hơn 3,5 tỷ đồng"
    # Each member's own share adds up to the cluster's total.
    for code, total in totals.items():
        assert sum(f[code].value for f in result.by_unit.values()) == total
