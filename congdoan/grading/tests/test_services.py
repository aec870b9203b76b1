"""The grading services: eligibility, every criterion checked, the category the thresholds give,
scoping, the draft → confirmed workflow, deletion, reorganisations, and the selectors other apps
call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from congdoan.core.exceptions import RuleViolation
from congdoan.grading import selectors, services
from congdoan.grading.models import Category, Criterion, Grading, Scheme, Score, Status
from congdoan.grading.tests.helpers import MAXIMA, confirm, grade, marks
from congdoan.organisation import services as org
from congdoan.organisation.models import Sector

pytestmark = pytest.mark.django_db


def refusal(excinfo) -> str:
    with translation.override("vi"):
        return str(excinfo.value.message)


# ---------------------------------------------------------------------------------------------
# The default catalogue


def test_the_default_schemes_total_100_points_over_12_criteria_in_4_groups():
    for code in ("cdcs_2019", "cdcs_2024", "cdcs_gd_2024"):
        scheme = Scheme.objects.get(code=code)
        criteria = Criterion.objects.filter(group__scheme=scheme)
        assert scheme.groups.count() == 4
        assert criteria.count() == len(MAXIMA) == 12
        assert sum(c.max_points for c in criteria) == 100
        assert scheme.categories.count() == 4 and scheme.min_months == 12
    names = list(Scheme.objects.get(code="cdcs_2024").categories.values_list("name", flat=True))
    assert names == [
        "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ",
    ]  # fmt: skip
    older = Scheme.objects.get(code="cdcs_2019").categories.values_list("name", flat=True)
    assert list(older) == ["Vững mạnh", "Khá", "Trung bình", "Yếu"]


def test_the_seed_is_idempotent():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("congdoan.grading.migrations.0002_default_schemes")
    before = Criterion.objects.count()
    migration.forwards(apps, None)
    assert Criterion.objects.count() == before


# ---------------------------------------------------------------------------------------------
# Points and category


def test_every_criterion_must_be_filled(world):
    scheme = Scheme.objects.get(code="cdcs_2024")
    codes = list(Criterion.objects.filter(group__scheme=scheme).values_list("code", flat=True))
    scores = {c: "5" for c in codes}
    del scores[codes[3]]
    with pytest.raises(RuleViolation) as exc:
        services.check_scores(scheme, scores)
    assert exc.value.field == f"scores.{codes[3]}"
    assert refusal(exc) == f"Tiêu chí {codes[3]} chưa có điểm: hãy nhập điểm."


@pytest.mark.parametrize("value", ["-1", "10.5", "abc", "NaN", "1e3", True])
def test_points_are_from_0_to_the_maximum(world, value):
    scheme = Scheme.objects.get(code="cdcs_2024")
    codes = list(Criterion.objects.filter(group__scheme=scheme).values_list("code", flat=True))
    scores = {c: "5" for c in codes}
    scores["1.1"] = value
    with pytest.raises(RuleViolation) as exc:
        services.check_scores(scheme, scores)
    assert exc.value.field == "scores.1.1"
    assert refusal(exc) == "Tiêu chí 1.1: nhập điểm từ 0 đến 10."


def test_points_have_one_decimal_and_unknown_criteria_are_refused(world):
    scheme = Scheme.objects.get(code="cdcs_2024")
    codes = list(Criterion.objects.filter(group__scheme=scheme).values_list("code", flat=True))
    scores = {c: "5" for c in codes}
    scores["1.1"] = "7,25"
    with pytest.raises(RuleViolation) as exc:
        services.check_scores(scheme, scores)
    assert "một chữ số thập phân" in refusal(exc)
    scores["1.1"] = "7,5"  # a comma is a decimal point
    assert services.check_scores(scheme, scores)[
        Criterion.objects.get(group__scheme=scheme, code="1.1").pk
    ] == Decimal("7.5")
    with pytest.raises(RuleViolation) as exc:
        services.check_scores(scheme, {**scores, "9.9": "1"})
    assert refusal(exc) == "Bộ tiêu chí cdcs_2024 không có tiêu chí 9.9."


def _all(scheme, share_by_group):
    """Points by code: each group's criteria at the group's share."""
    out = {}
    for c in Criterion.objects.filter(group__scheme=scheme).select_related("group"):
        out[c.code] = str(c.max_points * Decimal(str(share_by_group[c.group.code])))
    return out


@pytest.mark.parametrize(
    ("shares", "total", "category"),
    [
        ({"I": 1, "II": 1, "III": 1, "IV": 1}, 100, "xuat_sac"),
        ({"I": 0.9, "II": 0.9, "III": 0.9, "IV": 0.9}, 90, "xuat_sac"),
        ({"I": 0.8, "II": 0.9, "III": 0.9, "IV": 0.9}, Decimal("86.5"), "tot"),
        ({"I": 0.7, "II": 0.7, "III": 0.7, "IV": 0.7}, 70, "tot"),
        ({"I": 0.6, "II": 0.6, "III": 0.6, "IV": 0.6}, 60, "hoan_thanh"),
        ({"I": 0.5, "II": 0.5, "III": 0.5, "IV": 0.5}, 50, "hoan_thanh"),
        ({"I": 0.4, "II": 0.4, "III": 0.4, "IV": 0.4}, 40, "khong_hoan_thanh"),
        # 92 points, but group IV under half its points: not excellent, nor good
        ({"I": 1, "II": 1, "III": 1, "IV": 0.4}, 91, "hoan_thanh"),
    ],
)
def test_the_category_follows_the_thresholds_and_the_group_condition(
    world, shares, total, category
):
    scheme = Scheme.objects.get(code="cdcs_2024")
    points = services.check_scores(scheme, _all(scheme, shares))
    got_total, got = services.compute(scheme, points)
    assert got_total == Decimal(total)
    assert got.code == category


def test_the_older_scale_names_its_categories(world):
    g = grade(world.grass_a1, 2022, scores=_all(Scheme.objects.get(code="cdcs_2019"),
                                                 {"I": 1, "II": 1, "III": 0.9, "IV": 1}))  # fmt: skip
    assert g.scheme.code == "cdcs_2019" and g.category.name == "Vững mạnh"
    assert g.total == Decimal("97.5")


# ---------------------------------------------------------------------------------------------
# Eligibility


def test_a_union_younger_than_12_months_at_the_period_end_is_refused(world):
    young = org.unit_create(
        actor=None, parent=world.unit_a, code="A3", name="CĐCS Mới", short_name="CĐCS Mới",
        unit_type=world.grass_a1.unit_type, day=dt.date(2024, 1, 2),
    )  # fmt: skip
    scores = _all(Scheme.objects.get(code="cdcs_2024"), {"I": 1, "II": 1, "III": 1, "IV": 1})
    with pytest.raises(RuleViolation) as exc:
        grade(young, 2024, scores=scores)
    assert refusal(exc) == (
        "CĐCS Mới (A3) thành lập ngày 02/01/2024: đến 31/12/2024, cuối kỳ 2024, mới hoạt động "
        "chưa đủ 12 tháng nên không được đánh giá, xếp loại kỳ này."
    )
    assert exc.value.field == "unit"
    assert grade(young, 2025, scores=scores).category.code == "xuat_sac"  # a year later


def test_twelve_months_are_counted_from_the_founding_day(world):
    assert services.add_months(dt.date(2024, 1, 1), 12) == dt.date(2025, 1, 1)
    assert services.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    founded_first = org.unit_create(
        actor=None, parent=world.unit_a, code="A4", name="CĐCS Đầu năm", short_name="CĐCS Đầu năm",
        unit_type=world.grass_a1.unit_type, day=dt.date(2024, 1, 1),
    )  # fmt: skip
    assert grade(founded_first, 2024).year == 2024  # 12 months by 31/12/2024


def test_only_grassroots_unions_are_graded(world):
    with pytest.raises(RuleViolation) as exc:
        grade(world.group_a1, 2024)
    assert "không phải công đoàn cơ sở" in refusal(exc)
    with pytest.raises(RuleViolation):
        grade(world.unit_a, 2024, graded_by=world.province)


def test_a_union_dissolved_before_the_period_end_is_refused(world):
    org.unit_dissolve(actor=None, unit=world.grass_a2, day=dt.date(2024, 6, 30), reason="Giải thể")
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a2, 2024)
    assert "giải thể ngày 30/06/2024" in refusal(exc)
    assert grade(world.grass_a2, 2023).scheme.code == "cdcs_2019"  # a year it lived through


def test_no_scheme_in_force_and_future_periods_are_refused(world):
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, 2010)
    assert (
        refusal(exc)
        == "Không có bộ tiêu chí đánh giá, xếp loại nào áp dụng cho CĐCS ALPHA Một (A1) năm 2010."
    )
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, dt.date.today().year + 1)
    assert "chưa bắt đầu" in refusal(exc)


def test_an_education_union_is_graded_by_school_year(world):
    world.grass_a2.sector = Sector.objects.get(code="giao_duc")
    world.grass_a2.save(update_fields=["sector"])
    g = grade(world.grass_a2, 2025)
    assert g.scheme.code == "cdcs_gd_2024" and g.period == "2024–2025"
    assert (g.period_start, g.period_end) == (dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    # before the education scheme's first school year, the scheme for all unions applies
    assert grade(world.grass_a2, 2024).scheme.code == "cdcs_2024"


def test_one_grading_per_union_and_period(world):
    grade(world.grass_a1, 2024)
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, 2024)
    assert refusal(exc) == "CĐCS ALPHA Một (A1) đã có kết quả xếp loại kỳ 2024: hãy mở để sửa."


# ---------------------------------------------------------------------------------------------
# Scoping


def test_an_officer_of_another_district_cannot_grade_and_learns_nothing(world):
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, 2024, actor=world.officer_b)
    assert refusal(exc) == "Không tìm thấy đơn vị này trong phạm vi của bạn."
    assert not Grading.objects.exists()


def test_the_grading_unit_is_above_the_union_and_within_the_actors_scope(world):
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, 2024, actor=world.officer_a, graded_by=world.grass_a2)
    assert exc.value.field == "graded_by" and "không phải đơn vị cấp trên" in refusal(exc)
    with pytest.raises(RuleViolation) as exc:
        grade(world.grass_a1, 2024, actor=world.officer_a, graded_by=world.province)
    assert exc.value.field == "unit"  # officer A holds no role on the province
    g = grade(world.grass_a1, 2024, actor=world.officer_a)
    assert g.graded_by == world.unit_a and g.created_by == world.officer_a


def test_only_the_grading_side_changes_a_grading(world):
    g = grade(world.grass_a1, 2024)
    for call in (
        lambda: services.grading_update(actor=world.officer_b, grading=g, notes="x"),
        lambda: confirm_as(world.officer_b, g),
        lambda: services.grading_delete(actor=world.officer_b, grading=g),
    ):
        with pytest.raises(RuleViolation) as exc:
            call()
        assert refusal(exc) == "Không tìm thấy đơn vị này trong phạm vi của bạn."
    assert Grading.objects.get(pk=g.pk).notes == ""


def confirm_as(actor, g):
    return services.grading_confirm(
        actor=actor, grading=g, decision_number="1/QĐ", decision_date=dt.date(2025, 1, 10)
    )


# ---------------------------------------------------------------------------------------------
# Workflow


def test_a_draft_changes_and_its_total_and_category_follow(world):
    g = grade(world.grass_a1, 2024)
    assert g.status == Status.DRAFT and g.category.code == "tot"
    scheme = g.scheme
    g = services.grading_update(
        actor=world.officer_a, grading=g, scores=_all(scheme, {"I": 1, "II": 1, "III": 1, "IV": 1})
    )
    assert (g.total, g.category.code) == (Decimal(100), "xuat_sac")
    assert Score.objects.filter(grading=g).count() == 12
    assert [h.history_change_reason for h in g.history.all()][:2] == [
        "grading_update",
        "grading_create",
    ]


def test_confirming_needs_a_decision_and_freezes_the_grading(world):
    g = grade(world.grass_a1, 2024)
    with pytest.raises(RuleViolation) as exc:
        services.grading_confirm(actor=None, grading=g, decision_number=" ",
                                 decision_date=dt.date(2025, 1, 1))  # fmt: skip
    assert exc.value.field == "decision_number"
    with pytest.raises(RuleViolation) as exc:
        services.grading_confirm(actor=None, grading=g, decision_number="5/QĐ",
                                 decision_date=dt.date(2023, 12, 31))  # fmt: skip
    assert refusal(exc) == "Quyết định phải ghi ngày từ ngày bắt đầu kỳ (01/01/2024) trở đi."
    with pytest.raises(RuleViolation) as exc:
        services.grading_confirm(actor=None, grading=g, decision_number="5/QĐ",
                                 decision_date=dt.date.today() + dt.timedelta(days=1))  # fmt: skip
    assert exc.value.field == "decision_date"
    g = confirm_as(world.officer_a, g)
    assert g.confirmed and g.confirmed_by == world.officer_a and g.decision_number == "1/QĐ"
    with pytest.raises(RuleViolation) as exc:
        services.grading_update(actor=world.officer_a, grading=g, notes="sửa")
    assert (
        refusal(exc)
        == "Kết quả xếp loại CĐCS ALPHA Một (A1) kỳ 2024 đã được xác nhận, không sửa được nữa."
    )


def test_a_confirmed_grading_is_deleted_only_with_a_reason_kept_in_history(world):
    g = confirm(grade(world.grass_a1, 2024))
    with pytest.raises(RuleViolation) as exc:
        services.grading_delete(actor=world.officer_a, grading=g)
    assert exc.value.field == "reason" and "nêu lý do" in refusal(exc)
    services.grading_delete(actor=world.officer_a, grading=g, reason="Nhầm đơn vị")
    assert not Grading.objects.filter(pk=g.pk).exists()
    last = Grading.history.filter(id=g.pk).first()
    assert last.history_type == "-" and last.deletion_reason == "Nhầm đơn vị"
    draft = grade(world.grass_a2, 2024)
    services.grading_delete(actor=world.officer_a, grading=draft)  # a draft needs no reason
    assert not Grading.objects.exists()


# ---------------------------------------------------------------------------------------------
# For other apps


def test_result_for_and_good_or_better(world):
    g = grade(world.grass_a1, 2024)  # 80 points: good
    assert selectors.result_for(world.grass_a1, 2024) is None  # a draft is no result yet
    assert not selectors.is_good_or_better(g)
    confirm(g)
    found = selectors.result_for(world.grass_a1, 2024)
    assert found == g and selectors.is_good_or_better(found)
    low = confirm(grade(world.grass_a2, 2024, scores=marks(0.55)))
    assert low.category.code == "hoan_thanh" and not selectors.is_good_or_better(low)
    assert selectors.result_for(world.grass_b1, 2024) is None
    assert not selectors.is_good_or_better(None)


# ---------------------------------------------------------------------------------------------
# Reorganisations


def test_a_merged_unions_gradings_stay_readable_and_drafts_follow_the_grader(world):
    kept = confirm(grade(world.grass_a1, 2024))
    draft = grade(world.grass_a2, 2024)
    org.units_merge(
        actor=None, sources=[world.unit_a], target=world.unit_b, day=dt.date(2025, 3, 1)
    )
    draft.refresh_from_db()
    kept.refresh_from_db()
    assert draft.graded_by == world.unit_b  # the receiving unit finishes it
    assert kept.graded_by == world.unit_a  # a decision stays as it was taken
    assert list(selectors.unit_history(world.grass_a1)) == [kept]
    assert selectors.result_for(world.grass_a1, 2024) == kept
    assert draft.history.first().history_change_reason == "grading_handover"


def test_categories_have_a_floor(world):
    scheme = Scheme.objects.get(code="cdcs_2024")
    worst = Category.objects.get(scheme=scheme, rank=4)
    groups = [services.GroupPoints("I", Decimal(0), Decimal(35))]
    assert services.categorise(list(scheme.categories.all()), groups) == worst
