"""Report facts built by hand in the shape of the seed reports (../shared/seeds), for the
wording and compose tests (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from congdoan.reports.facts import (
    ClusterFacts,
    IndicatorRef,
    MeetingFacts,
    PeriodFacts,
    Person,
    ReportFacts,
    Result,
    UnitLine,
    UnitsBelow,
)

D = Decimal
ORGANISING = "Phát triển đoàn viên, xây dựng tổ chức"
CARE = "Chăm lo đời sống đoàn viên, người lao động"
EMULATION = "Phong trào thi đua, sáng kiến, mô hình"
PARTY = "Tham gia xây dựng Đảng"


def result(code: str, name: str, value, unit: str = "người", **kw) -> Result:
    """A result with the defaults of a count; `value`, `target`, `own`, `previous` as ints."""
    for key in ("target", "own", "previous"):
        if kw.get(key) is not None:
            kw[key] = D(kw[key])
    return Result(
        code=code,
        name=name,
        short_name=kw.pop("short_name", name),
        group=kw.pop("group", ORGANISING),
        unit_of_measure=unit,
        value_type=kw.pop("value_type", "count"),
        lower_is_better=kw.pop("lower_is_better", False),
        value=None if value is None else D(value),
        **kw,
    )


def sa_pa() -> ReportFacts:
    """Seed 001: LĐLĐ thị xã Sa Pa, 9 months of 2023 and the school year 2022 - 2023."""
    nine = PeriodFacts(
        label="9 tháng đầu năm 2023",
        kind="nine",
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 9, 30),
        previous_label="9 tháng đầu năm 2022",
        results=[
            result(
                "phat_trien_dv",
                "Kết nạp đoàn viên mới",
                546,
                target=496,
                target_of="Năm 2023",
                previous=480,
            ),
            result(
                "thanh_lap_cdcs_ngoai_nn",
                "Thành lập CĐCS doanh nghiệp ngoài nhà nước",
                3,
                "đơn vị",
                target=3,
            ),
            result(
                "nha_macd", "Xây dựng mới nhà Mái ấm Công đoàn", 16, "căn nhà", target=2, group=CARE
            ),
            result(
                "tien_nha_macd",
                "Kinh phí xây dựng nhà Mái ấm Công đoàn",
                3_800_000_000,
                "đồng",
                value_type="money",
                target=80_000_000,
                group=CARE,
            ),
        ],
        pending_units=3,
        missing_units=2,
        units_below=42,
    )
    school = PeriodFacts(
        label="Năm học 2022 - 2023",
        kind="school",
        start=dt.date(2022, 9, 1),
        end=dt.date(2023, 8, 31),
        previous_label="",
        results=[
            result(
                "sang_kien",
                "Sáng kiến tham gia chương trình",
                616,
                "sáng kiến",
                target=76,
                rank=1,
                rank_of=15,
                rank_among="toàn tỉnh",
                group=EMULATION,
            ),
        ],
    )
    return ReportFacts(
        subject="unit",
        issuer="Liên đoàn Lao động thị xã Sa Pa",
        issuer_parent="Liên đoàn Lao động tỉnh Lào Cai",
        issuer_short="LĐLĐ thị xã",
        subject_name="Liên đoàn Lao động thị xã Sa Pa",
        periods=[nine, school],
        units_below=[sa_pa_units()],
        clusters=[],
        sections=[],
        tasks=["Tiếp tục đẩy mạnh phong trào thi đua “Lao động giỏi, Lao động sáng tạo”."],
        data_at=dt.datetime(2023, 10, 5, 9, 30),
        meeting=sa_pa_meeting(),
        number=34,
        issued_on=dt.date(2024, 2, 5),
    )


def sa_pa_units() -> UnitsBelow:
    members = IndicatorRef("phat_trien_dv", "Kết nạp đoàn viên mới", "người", "count")
    money = IndicatorRef("tien_nha_macd", "Kinh phí xây dựng nhà Mái ấm Công đoàn", "đồng", "money")
    rows = [
        UnitLine(
            "CĐCS Trường Tiểu học Sa Pả",
            "SP01",
            {"phat_trien_dv": D(300), "tien_nha_macd": D(2_481_650_000)},
            {"phat_trien_dv": D(250)},
            True,
            "Đã duyệt",
        ),
        UnitLine(
            "CĐCS Công ty Du lịch Sa Pa & Fansipan",
            "SP02",
            {"phat_trien_dv": D(246), "tien_nha_macd": None},
            {"phat_trien_dv": D(246)},
            False,
            "Chưa gửi",
        ),
    ]
    return UnitsBelow("9 tháng đầu năm 2023", [members, money], rows, hidden=1)


def sa_pa_meeting() -> MeetingFacts:
    return MeetingFacts(
        title="Hội nghị Ban chấp hành lần thứ II (mở rộng), khoá X, nhiệm kỳ 2023 – 2028",
        held_on=dt.date(2023, 6, 22),
        place="",
        host="BCH Liên đoàn Lao động thị xã Sa Pa",
        chair=Person("Thào A Sinh", "Phó Bí thư Thường trực Thị ủy"),
        presenter=Person("Má Thị Đa", "Ủy viên BCH LĐLĐ tỉnh, Chủ tịch LĐLĐ thị xã"),
        guests=[
            Person("Đặng Đình Chung", "TUV, Chủ tịch LĐLĐ tỉnh Lào Cai"),
            Person("Thào A Sinh", "Phó Bí thư Thường trực Thị ủy"),
        ],
        attendees=0,
        conclusions="tiếp tục phát huy tinh thần đoàn kết, trách nhiệm",
    )


CLUSTER_UNITS = [
    "Công đoàn Viên chức tỉnh",
    "Công đoàn Giáo dục tỉnh",
    "Công đoàn Y tế tỉnh",
    "Công đoàn các Khu kinh tế tỉnh",
]


def cluster_results() -> list[Result]:
    return [
        result(
            "quy_van_dong",
            "Vận động đóng góp các quỹ",
            3_520_000_000,
            "đồng",
            value_type="money",
            group=CARE,
        ),
        result(
            "suat_qua",
            "Suất quà thăm hỏi, hỗ trợ đoàn viên, người lao động",
            5210,
            "suất",
            group=CARE,
        ),
        result(
            "nha_chinh_sach", "Nhà cho hộ gia đình chính sách, khó khăn", 16, "căn nhà", group=CARE
        ),
        result("sang_kien", "Sáng kiến tham gia chương trình", 644, "sáng kiến", group=EMULATION),
        result("phat_trien_dv", "Kết nạp đoàn viên mới", 1946),
        result("thanh_lap_cdcs", "Thành lập công đoàn cơ sở mới", 16, "đơn vị"),
        result(
            "gioi_thieu_dang",
            "Đoàn viên ưu tú giới thiệu cho Đảng xem xét kết nạp",
            225,
            group=PARTY,
        ),
        result("ket_nap_dang", "Đoàn viên được kết nạp Đảng", 116, group=PARTY),
    ]


def cluster_three() -> ReportFacts:
    """Seed 003: Cụm thi đua số 3 (the four provincial sector unions), 6 months of 2022."""
    half = PeriodFacts(
        label="6 tháng đầu năm 2022",
        kind="half",
        start=dt.date(2022, 1, 1),
        end=dt.date(2022, 6, 30),
        previous_label="",
        results=cluster_results(),
    )
    cluster = ClusterFacts(
        name="Cụm thi đua số 3",
        head="Công đoàn Viên chức tỉnh",
        units=CLUSTER_UNITS,
        period_label="6 tháng đầu năm 2022",
        results=cluster_results(),
    )
    meeting = MeetingFacts(
        title="Hội nghị sơ kết 6 tháng đầu năm 2022",
        held_on=dt.date(2022, 7, 19),
        place="Hội trường cơ quan LĐLĐ tỉnh",
        host="Cụm thi đua số 3 (Công đoàn ngành)",
        chair=None,
        presenter=Person(
            "Nguyễn Thị Phương Loan", "Chủ tịch Công đoàn Viên chức tỉnh (cụm trưởng)"
        ),
        guests=[Person("Lê Từ Bình", "Phó Chủ tịch LĐLĐ tỉnh")],
        attendees=35,
        pledge="các đơn vị trong cụm ký giao ước thi đua năm 2022",
    )
    return ReportFacts(
        subject="cluster",
        issuer="Công đoàn Viên chức tỉnh",
        issuer_parent="Liên đoàn Lao động tỉnh Lai Châu",
        issuer_short="CĐVC tỉnh",
        subject_name="Cụm thi đua số 3",
        periods=[half],
        units_below=[],
        clusters=[cluster],
        sections=[],
        tasks=[],
        data_at=dt.datetime(2022, 7, 15, 16, 0),
        meeting=meeting,
    )
