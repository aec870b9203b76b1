"""Golden tests of the report's wording (writing.py), in Vietnamese and a few in English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from congdoan.reports import writing as w
from congdoan.reports.facts import Options, Result
from congdoan.reports.tests.report_facts import result

D = Decimal
HALF_UP = Options()
TRUNCATE = Options(rounding="truncate")


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def members(value=546, **kw) -> Result:
    return result("phat_trien_dv", "Kết nạp đoàn viên mới", value, **kw)


def houses(value=16, **kw) -> Result:
    return result("nha_macd", "Xây dựng mới nhà Mái ấm Công đoàn", value, "căn nhà", **kw)


def money(value, **kw) -> Result:
    name = "Kinh phí xây dựng nhà Mái ấm Công đoàn"
    return result("tien_nha_macd", name, value, "đồng", value_type="money", **kw)


# --- Achievement ---------------------------------------------------------------------------


def test_a_result_against_its_target():
    assert w.clause(members(target=496), HALF_UP) == "kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu"


@pytest.mark.parametrize("target", [None, 0])
def test_no_target_gives_no_percentage(target):
    text = w.clause(members(target=target), HALF_UP)
    assert text == "kết nạp 546 đoàn viên mới"
    assert w.achieved(members(target=target), HALF_UP) == ""


def test_above_a_thousand_percent_has_a_thousands_dot():
    text = w.clause(money(3_800_000_000, target=80_000_000), HALF_UP)
    assert text == "kinh phí xây dựng nhà Mái ấm Công đoàn: 3,8 tỷ đồng, đạt 4.750% chỉ tiêu"


@pytest.mark.parametrize(("options", "shown"), [(HALF_UP, "811%"), (TRUNCATE, "810%")])
def test_rounding_half_up_or_truncated(options, shown):
    initiatives = result(
        "sang_kien", "Sáng kiến tham gia chương trình", 616, "sáng kiến", target=76
    )
    assert w.achieved(initiatives, options) == f"đạt {shown} chỉ tiêu"  # 616/76 = 810,53%


def test_percent_decimals():
    assert w.achieved(members(target=496), Options(percent_decimals=1)) == "đạt 110,1% chỉ tiêu"


def test_small_target_is_written_a_over_b():
    assert w.clause(houses(target=2), HALF_UP) == (
        "xây dựng mới 16/2 nhà Mái ấm Công đoàn, đạt 800% chỉ tiêu"
    )


def test_a_over_b_only_for_small_targets_and_when_chosen():
    assert w.figure(members(target=496), D(546), HALF_UP) == "546"
    assert w.figure(houses(target=2), D(16), Options(fractions=False)) == "16"
    assert w.figure(houses(target=20), D(16), HALF_UP) == "16/20"


def test_a_target_of_another_period():
    text = w.achieved(members(target=496, target_of="Năm 2023"), HALF_UP)
    assert text == "đạt 110% chỉ tiêu năm 2023"


def test_lower_is_better_is_said_against_its_ceiling():
    exits = result("ra_khoi", "Đoàn viên ra khỏi tổ chức", 25, lower_is_better=True, target=20)
    assert w.clause(exits, HALF_UP) == (
        "25 đoàn viên ra khỏi tổ chức, chưa đạt chỉ tiêu (không quá 20 người)"
    )
    fewer = result("ra_khoi", "Đoàn viên ra khỏi tổ chức", 12, lower_is_better=True, target=20)
    assert w.achieved(fewer, HALF_UP) == "đạt chỉ tiêu (không quá 20 người)"


def test_a_percent_indicator_is_compared_with_its_target():
    rate = result("ty_le", "Tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên", D("85.5"), "%",
                  value_type="percent", target=80)  # fmt: skip
    assert w.clause(rate, HALF_UP) == (
        "tỷ lệ CĐCS hoàn thành tốt nhiệm vụ trở lên: 85,5%, vượt chỉ tiêu (80%)"
    )


# --- The shapes of a clause ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit", "value", "said"),
    [
        ("Thành lập CĐCS doanh nghiệp ngoài nhà nước", "đơn vị", 3,
         "thành lập 3 CĐCS doanh nghiệp ngoài nhà nước"),
        ("Kiểm tra chấp hành Điều lệ Công đoàn", "cuộc", 593,
         "kiểm tra 593 cuộc chấp hành Điều lệ Công đoàn"),
        ("Trao suất quà Tết", "suất", 7565, "trao 7.565 suất quà Tết"),
        ("Suất quà thăm hỏi, hỗ trợ đoàn viên, người lao động", "suất", 5200,
         "5.200 suất quà thăm hỏi, hỗ trợ đoàn viên, người lao động"),
        ("Nhà cho hộ gia đình chính sách, khó khăn", "căn nhà", 16,
         "16 nhà cho hộ gia đình chính sách, khó khăn"),
        ("Đoàn viên được kết nạp Đảng", "người", 116, "116 đoàn viên được kết nạp Đảng"),
        ("CĐCS thành lập mới (theo cây tổ chức)", "đơn vị", 16,
         "16 CĐCS thành lập mới (theo cây tổ chức)"),
        ("Hội nghị người lao động", "cuộc", 12, "hội nghị người lao động: 12 cuộc"),
    ],
)  # fmt: skip
def test_the_clause_follows_the_name(name, unit, value, said):
    assert w.stated(result("x", name, value, unit), HALF_UP) == said


def test_money_goes_after_a_verb_phrase():
    dues = result("thu", "Thu đoàn phí công đoàn", 1_200_000_000, "đồng", value_type="money")
    assert w.stated(dues, HALF_UP) == "thu đoàn phí công đoàn 1,2 tỷ đồng"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (3_800_000_000, "3,8 tỷ đồng"),
        (2_960_000_000, "gần 3 tỷ đồng"),
        (15_240_000_000, "hơn 15,2 tỷ đồng"),
        (126_100_000, "126,1 triệu đồng"),
    ],
)
def test_money_in_the_body_is_rounded_and_says_so(value, said):
    assert w.figure(money(value), D(value), HALF_UP) == said


def test_money_in_tables_is_exact():
    assert w.money_exact(D(2_481_650_000)) == "2.481.650.000 đồng"
    assert w.cell(D(2_481_650_000), "money") == "2.481.650.000"
    assert w.cell(None, "money") == "–"


# --- Honesty -------------------------------------------------------------------------------


def test_not_approved_is_said():
    text = w.clause(members(target=496, approved=False), HALF_UP)
    assert text == "kết nạp 546 đoàn viên mới, đạt 110% chỉ tiêu (số liệu chưa duyệt)"


def test_missing_data_is_never_zero():
    assert w.clause(members(None, target=500), HALF_UP) == (
        "kết nạp đoàn viên mới: chưa có số liệu (chỉ tiêu 500 người)"
    )
    assert w.clause(members(None), HALF_UP) == "kết nạp đoàn viên mới: chưa có số liệu"


# --- Comparisons and ranks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "previous", "label", "said"),
    [
        (560, 500, "", "tăng 12% so với cùng kỳ"),
        (475, 500, "9 tháng đầu năm 2022", "giảm 5% so với 9 tháng đầu năm 2022"),
        (500, 500, "", "bằng cùng kỳ"),
        (4, 2, "", "tăng 2 người so với cùng kỳ"),  # small counts: in units, not "tăng 100%"
    ],
)
def test_comparison_with_the_same_period(value, previous, label, said):
    assert w.compared(members(value, previous=previous), label) == said


def test_comparison_in_units_and_in_points():
    unions = result("cdcs", "Thành lập công đoàn cơ sở mới", 7, "đơn vị", previous=12)
    assert w.compared(unions) == "giảm 5 đơn vị so với cùng kỳ"
    rate = result("ty_le", "Tỷ lệ đoàn viên nữ", D("47.5"), "%", value_type="percent", previous=45)
    assert w.compared(rate) == "tăng 2,5 điểm phần trăm so với cùng kỳ"


def test_ranks():
    assert w.ranked(1, 15, "toàn tỉnh") == "xếp thứ nhất/15 đơn vị toàn tỉnh"
    assert w.ranked(3, 15) == "xếp thứ 3/15 đơn vị"
    assert w.ranked(None, 15) == ""
    assert w.ranked_in_cluster(3, "Cụm thi đua số 12") == "xếp thứ 3 trong Cụm thi đua số 12"
    assert w.ranked_in_cluster(4, "Cụm thi đua số 12") == "xếp thứ tư trong Cụm thi đua số 12"


def test_a_ranked_result_says_its_rank():
    initiatives = result("sang_kien", "Sáng kiến tham gia chương trình", 616, "sáng kiến",
                         target=76, rank=1, rank_of=15, rank_among="toàn tỉnh")  # fmt: skip
    assert w.clause(initiatives, TRUNCATE) == (
        "616 sáng kiến tham gia chương trình, đạt 810% chỉ tiêu, xếp thứ nhất/15 đơn vị toàn tỉnh"
    )


def test_own_figure_and_the_units_below():
    gifts = result("qua", "Trao suất quà Tết", 7565, "suất", own=1200)
    assert w.clause(gifts, HALF_UP, body="LĐLĐ tỉnh") == (
        "trao 7.565 suất quà Tết (trong đó LĐLĐ tỉnh trực tiếp trao 1.200 suất, các đơn vị trực "
        "thuộc trao 6.365 suất)"
    )
    noun = result("qua", "Suất quà thăm hỏi", 7565, "suất", own=1200)
    assert w.split(noun, "LĐLĐ tỉnh", HALF_UP) == (
        "trong đó LĐLĐ tỉnh: 1.200 suất, các đơn vị trực thuộc: 6.365 suất"
    )
    assert w.split(result("qua", "Suất quà", 7565, "suất", own=7565), "LĐLĐ tỉnh", HALF_UP) == ""


# --- Lists, periods, counts ----------------------------------------------------------------


def test_lists_of_names():
    assert w.names(["A", "B", "C"]) == "A, B và C"
    assert w.names(["A", "B"]) == "A và B"
    assert w.names(["A"]) == "A"
    assert w.names([]) == ""


def test_two_periods_in_one_report():
    labels = ["9 tháng đầu năm 2023", "Năm học 2022 - 2023"]
    assert w.periods(labels) == "9 tháng đầu năm 2023 và năm học 2022 - 2023"


def test_the_summary_of_targets():
    results = [
        members(target=496),
        houses(target=2),
        money(3_800_000_000, target=80_000_000),
        result("x", "Thành lập CĐCS", 3, "đơn vị", target=3),
        result("y", "Kiểm tra chấp hành Điều lệ", 10, "cuộc", target=12),
        result("z", "Giám sát của công đoàn", None, "cuộc", target=5),  # missing: not reached
        result("t", "Hội nghị người lao động", 4, "cuộc"),  # no target: not counted
    ]
    assert w.summary(results) == "4/6 chỉ tiêu đạt và vượt, trong đó 3 chỉ tiêu vượt"
    assert w.period_summary("9 tháng đầu năm 2023", "LĐLĐ thị xã", results) == (
        "Trong 9 tháng đầu năm 2023, LĐLĐ thị xã có 4/6 chỉ tiêu đạt và vượt, trong đó 3 chỉ "
        "tiêu vượt."
    )
    assert w.summary([members()]) == ""


def test_text_keeps_ampersands_quotes_and_diacritics():
    name = "Trao quà “Tết Sum vầy” & <Mái ấm>"
    assert (
        w.stated(result("x", name, 5, "suất"), HALF_UP)
        == "trao 5 suất quà “Tết Sum vầy” & <Mái ấm>"
    )


# --- English -------------------------------------------------------------------------------


def test_english_forms():
    with translation.override("en"):
        assert w.clause(members(target=496), HALF_UP) == (
            "kết nạp đoàn viên mới: 546 people, 110% of target"
        )
        assert w.clause(money(2_960_000_000), HALF_UP) == (
            "kinh phí xây dựng nhà Mái ấm Công đoàn: nearly 3 billion dong"
        )
        assert w.names(["A", "B", "C"]) == "A, B and C"
        assert w.compared(members(560, previous=500)) == "up 12% on the same period last year"
        assert w.ranked(1, 15) == "ranked 1st of 15 units"
        assert w.clause(members(None), HALF_UP) == "kết nạp đoàn viên mới: no figures yet"
        assert w.achieved(money(3_800_000_000, target=80_000_000), HALF_UP) == "4,750% of target"
