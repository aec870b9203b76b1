"""The indicator engine through its services and selectors: periods, targets and allocation,
entry, workflow, roll-up (incremental = rebuilt), formulas, derived figures, clusters, ranks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import make_user
from congdoan.indicators import rollup, selectors, services, wording
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    PeriodRule,
    SheetStatus,
    SheetStep,
    Total,
    Value,
)
from congdoan.indicators.periods import bounds, period_create, period_open
from congdoan.indicators.selectors import year_before
from congdoan.indicators.tests.clock import on
from congdoan.organisation import services as org

D = Decimal


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def enter(world, unit, period, **values):
    return services.values_save(actor=world.national, unit=unit, period=period, entries=values)


# --- periods -------------------------------------------------------------------------------


def test_calendar_periods_follow_the_rules(db):
    q3 = period_open(actor=None, kind=PeriodKind.QUARTER, year=2026, number=3)
    assert (q3.name, q3.start, q3.end) == (
        "Quý III/2026",
        dt.date(2026, 7, 1),
        dt.date(2026, 9, 30),
    )
    assert q3.due_on == dt.date(2026, 10, 10)
    school = period_open(actor=None, kind=PeriodKind.SCHOOL_YEAR, year=2022)
    assert (school.name, school.start, school.end) == (
        "Năm học 2022 - 2023",
        dt.date(2022, 9, 1),
        dt.date(2023, 8, 31),
    )
    assert (
        period_open(actor=None, kind=PeriodKind.HALF, year=2022, number=1).name
        == "6 tháng đầu năm 2022"
    )
    assert period_open(actor=None, kind=PeriodKind.NINE, year=2023).end == dt.date(2023, 9, 30)
    assert year_before(q3) is None  # a read never opens a period
    before = period_open(actor=None, kind=PeriodKind.QUARTER, year=2025, number=3)
    assert year_before(q3) == before


def test_cut_off_rule_from_a_year_on(db):
    PeriodRule.objects.create(kind=PeriodKind.HALF, valid_from_year=2025, cutoff_day=15)
    first = period_open(actor=None, kind=PeriodKind.HALF, year=2025, number=1)
    assert (first.start, first.end) == (dt.date(2024, 12, 16), dt.date(2025, 6, 15))
    # Earlier years keep the rule they had.
    assert period_open(actor=None, kind=PeriodKind.HALF, year=2024, number=1).end == dt.date(
        2024, 6, 30
    )
    rule = PeriodRule(kind=PeriodKind.MONTH, cutoff_day=20)
    assert bounds(PeriodKind.MONTH, 2025, 1, rule) == (dt.date(2024, 12, 21), dt.date(2025, 1, 20))
    with pytest.raises(RuleViolation):
        period_open(actor=None, kind=PeriodKind.QUARTER, year=2025, number=5)


def test_programme_phases_add_up(world):
    programme = period_create(
        actor=None,
        kind=PeriodKind.PROGRAMME,
        name="Chương trình 1 triệu sáng kiến",
        start=dt.date(2021, 1, 1),
        end=dt.date(2023, 6, 30),
        programme="1 triệu sáng kiến",
    )
    one = period_create(
        actor=None,
        kind=PeriodKind.PHASE,
        name="Giai đoạn 1",
        start=dt.date(2021, 1, 1),
        end=dt.date(2022, 6, 30),
        parent=programme,
    )
    two = period_create(
        actor=None,
        kind=PeriodKind.PHASE,
        name="Giai đoạn 2",
        number=2,
        start=dt.date(2022, 7, 1),
        end=dt.date(2023, 6, 30),
        parent=programme,
    )
    with pytest.raises(RuleViolation):
        period_create(
            actor=None,
            kind=PeriodKind.PHASE,
            name="x",
            start=dt.date(2020, 1, 1),
            end=dt.date(2021, 1, 1),
            parent=programme,
        )
    enter(world, world.grass_a1, one, sang_kien=616)
    enter(world, world.grass_a1, two, sang_kien=690)
    figs = selectors.unit_figures(world.unit_a.pk, programme, [ind("sang_kien")])
    assert figs["sang_kien"].value == 1306


# --- who opens and creates periods -------------------------------------------------------------
# Periods are shared by the whole federation. A calendar period's dates come from the rules:
# anyone who enters or approves figures somewhere opens it. A period with dates of its own is
# seen by every province: only approvers over the whole tree create it.

OPEN_REFUSED = "Chỉ người dùng nhập hoặc duyệt số liệu mới được mở kỳ báo cáo."
DATED_REFUSED = (
    "Nhiệm kỳ, chương trình, giai đoạn của chương trình và kỳ tùy chỉnh dùng chung cho mọi "
    "tỉnh, thành: chỉ cấp Trung ương được tạo."
)


def _custom(actor, name="Đợt thi đua 2026", number=1):
    return period_create(
        actor=actor,
        kind=PeriodKind.CUSTOM,
        name=name,
        number=number,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 5, 31),
    )


def test_opening_a_calendar_period_records_who_opened_it(world):
    q1 = period_open(actor=world.officer_a, kind=PeriodKind.QUARTER, year=2026, number=1)
    row = q1.history.get()
    assert (row.history_type, row.history_user, row.history_change_reason) == (
        "+",
        world.officer_a,
        "period_open",
    )
    # Opened again (by anyone): the same period, nothing more recorded.
    again = period_open(actor=world.officer_b, kind=PeriodKind.QUARTER, year=2026, number=1)
    assert again == q1 and q1.history.count() == 1


def test_who_may_open_a_calendar_period(world):
    viewer = make_user("viewer_a", "viewer", world.unit_a)
    with pytest.raises(RuleViolation) as refused:
        period_open(actor=viewer, kind=PeriodKind.YEAR, year=2030)
    assert str(refused.value) == OPEN_REFUSED
    assert not Period.objects.filter(year=2030).exists()
    # Entering figures of one grassroots union, or approving those below one district, is enough.
    enterer = make_user("entry_a1", "data_entry", world.grass_a1)
    approver = make_user("approver_b", "approver", world.unit_b)
    assert period_open(actor=enterer, kind=PeriodKind.YEAR, year=2030).name == "Năm 2030"
    assert period_open(actor=approver, kind=PeriodKind.MONTH, year=2030, number=2).pk


def test_only_the_national_level_creates_dated_periods(world):
    entry_root = make_user("entry_root", "data_entry", world.root)
    for actor in (world.officer_a, world.officer_b, entry_root):
        with pytest.raises(RuleViolation) as refused:
            _custom(actor)
        assert str(refused.value) == DATED_REFUSED
    assert not Period.objects.filter(kind=PeriodKind.CUSTOM).exists()
    custom = _custom(world.national)
    row = custom.history.get()
    assert (row.history_user, row.history_change_reason) == (world.national, "period_create")
    approver_root = make_user("approver_root", "approver", world.root)
    assert _custom(approver_root, "Đợt 2", 2).name == "Đợt 2"
    # The calendar kinds are not created with dates of their own, whoever asks.
    with pytest.raises(RuleViolation):
        period_create(
            actor=world.national,
            kind=PeriodKind.YEAR,
            name="Năm 2031",
            start=dt.date(2031, 1, 1),
            end=dt.date(2031, 12, 31),
        )


# --- targets -------------------------------------------------------------------------------


def test_allocate_keeps_the_total():
    assert services.allocate(D(10), [D(1)] * 3) == [4, 3, 3]
    assert services.allocate(D(100), [D(1), D(2), D(3)]) == [17, 33, 50]
    assert sum(services.allocate(D(7), [D(0), D(0)])) == 7
    assert services.allocate(D("1.00"), [D(1)] * 3, decimals=2) == [D("0.34"), D("0.33"), D("0.33")]


@pytest.fixture
def during_2024():
    """Targets of 2024 are assigned while 2024 runs."""
    with on(dt.date(2024, 3, 1)):
        yield


def test_targets_are_assigned_by_the_unit_above(world, year, during_2024):
    kn = ind("phat_trien_dv")
    services.target_set(
        actor=world.national, unit=world.unit_a, indicator=kn, period=year, value=10
    )
    # Officer A acts for unit A: assigns to its grassroots unions, never to itself.
    with pytest.raises(RuleViolation):
        services.target_set(
            actor=world.officer_a, unit=world.unit_a, indicator=kn, period=year, value=99
        )
    with pytest.raises(RuleViolation):
        services.target_set(
            actor=world.officer_b, unit=world.grass_a1, indicator=kn, period=year, value=1
        )
    made = services.targets_allocate(
        actor=world.officer_a, parent=world.unit_a, indicator=kn, period=year
    )
    assert sorted(t.value for t in made) == [5, 5]
    assert all(t.assigned_by == world.unit_a for t in made)
    assert made[0].history.first().history_user == world.officer_a
    assert selectors.target_gaps(world.unit_a.pk, year) == []
    services.target_set(
        actor=world.officer_a, unit=world.grass_a1, indicator=kn, period=year, value=7
    )
    gap = selectors.target_gaps(world.unit_a.pk, year)[0]
    assert (gap.parent_target, gap.children_total) == (10, 12)


# --- entry and workflow ----------------------------------------------------------------------


def test_entry_checks_every_value_and_changes_nothing_on_error(world, year):
    with pytest.raises(services.EntryErrors) as exc:
        enter(world, world.grass_a1, year, suat_qua="12,5", tien_qua="abc", phat_trien_dv=3)
    codes = [code for code, _msg in exc.value.errors]
    assert codes == ["suat_qua", "tien_qua"]
    assert "12,5" in exc.value.errors[0][1]
    assert not Value.objects.exists() and not Total.objects.exists()
    with pytest.raises(services.EntryErrors):
        enter(world, world.grass_a1, year, dv_cuoi_ky=3)  # derived: not entered
    # The share of grassroots unions is entered by the unit above them (the default data sets).
    with pytest.raises(services.EntryErrors):
        enter(world, world.grass_a1, year, ty_le_cdcs_tuyen_truyen="50")
    with pytest.raises(services.EntryErrors) as exc:
        enter(world, world.unit_a, year, ty_le_cdcs_tuyen_truyen="120")
    assert "100" in exc.value.errors[0][1]
    enter(world, world.grass_a1, year, tien_qua="1.234.567")
    enter(world, world.unit_a, year, ty_le_cdcs_tuyen_truyen="99,5")
    assert Value.objects.get(indicator__code="tien_qua").value == D(1234567)
    assert Value.objects.get(indicator__code="ty_le_cdcs_tuyen_truyen").value == D("99.5")


def test_officer_b_cannot_enter_for_a(world, year):
    with pytest.raises(RuleViolation):
        services.values_save(
            actor=world.officer_b, unit=world.grass_a1, period=year, entries={"suat_qua": 1}
        )


def test_roll_up_and_workflow(world, year):
    enter(world, world.grass_a1, year, suat_qua=10)
    enter(world, world.grass_a2, year, suat_qua=5)
    sheet = enter(world, world.unit_a, year, suat_qua=1)  # the district's own gifts
    enter(world, world.grass_b1, year, suat_qua=100)

    def total(unit):
        return Total.objects.get(unit=unit, period=year, indicator__code="suat_qua")

    assert total(world.unit_a).value == 16
    assert total(world.province).value == 116
    assert total(world.root).units == 4 and total(world.root).approved_units == 0

    a1 = services.sheet_for(world.grass_a1, year)
    services.sheet_submit(actor=world.officer_a, sheet=a1)
    with pytest.raises(RuleViolation):  # submitted figures are frozen
        enter(world, world.grass_a1, year, suat_qua=11)
    with pytest.raises(RuleViolation):  # B is not the unit above A1
        services.sheet_approve(actor=world.officer_b, sheet=a1)
    services.sheet_approve(actor=world.officer_a, sheet=a1)
    assert total(world.province).approved == 10 and total(world.province).approved_units == 1
    fig = selectors.unit_figures(world.unit_a.pk, year, [ind("suat_qua")])["suat_qua"]
    assert (fig.value, fig.is_approved) == (16, False)

    services.sheet_lock(actor=world.officer_a, sheet=a1)
    with pytest.raises(RuleViolation):
        services.sheet_reopen(actor=world.officer_a, sheet=a1, reason=" ")
    services.sheet_reopen(actor=world.officer_a, sheet=a1, reason="Sai số suất quà")
    assert total(world.province).approved == 0
    enter(world, world.grass_a1, year, suat_qua=12)
    assert total(world.province).value == 118
    steps = list(
        SheetStep.objects.filter(sheet=a1).values_list("step", "actor__username", "reason")
    )
    assert steps == [
        ("submit", "officer_a", ""),
        ("approve", "officer_a", ""),
        ("lock", "officer_a", ""),
        ("reopen", "officer_a", "Sai số suất quà"),
    ]
    # Unit A's own sheet is approved by the province (national here), not by officer A.
    services.sheet_submit(actor=world.officer_a, sheet=sheet)
    with pytest.raises(RuleViolation):
        services.sheet_approve(actor=world.officer_a, sheet=sheet)
    services.sheet_return(actor=world.national, sheet=sheet, reason="Thiếu số liệu")
    assert services.sheet_for(world.unit_a, year).status == SheetStatus.DRAFT
    assert rollup.differences(year) == []


def test_past_totals_survive_a_reorganisation(world, year):
    enter(world, world.grass_a1, year, suat_qua=10)
    enter(world, world.grass_b1, year, suat_qua=1)
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2025, 3, 1))
    rollup.rebuild([year])
    assert Total.objects.get(unit=world.unit_a, period=year, indicator__code="suat_qua").value == 10
    assert Total.objects.get(unit=world.unit_b, period=year, indicator__code="suat_qua").value == 1
    # A later period follows the new tree.
    later = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    enter(world, world.grass_a1, later, suat_qua=4)
    assert Total.objects.get(unit=world.unit_b, period=later, indicator__code="suat_qua").value == 4
    assert not Total.objects.filter(unit=world.unit_a, period=later).exists()
    assert rollup.differences(later) == []


# --- formulas, derived, clusters, ranks -----------------------------------------------------


def test_formula_after_aggregation(world, year):
    enter(world, world.grass_a1, year, dn_co_cd=1, dn_co_tu=1)
    enter(world, world.grass_a2, year, dn_co_cd=3, dn_co_tu=0)
    figs = selectors.figures([world.grass_a1.pk, world.unit_a.pk], year, [ind("ty_le_dn_co_tu")])
    assert figs[world.grass_a1.pk]["ty_le_dn_co_tu"].value == 100
    assert figs[world.unit_a.pk]["ty_le_dn_co_tu"].value == 25  # 1/4, not (100 + 0)/2
    assert (
        figs[world.grass_b1.pk]["ty_le_dn_co_tu"].value is None
        if world.grass_b1.pk in figs
        else True
    )


def test_derived_from_the_member_registry(world, year):
    figs = selectors.figures(
        [world.root.pk, world.unit_a.pk, world.unit_b.pk],
        year,
        [ind("dv_cuoi_ky"), ind("dv_nu_cuoi_ky"), ind("ty_le_dv_nu")],
    )
    assert figs[world.root.pk]["dv_cuoi_ky"].value == 2
    assert figs[world.unit_a.pk]["dv_nu_cuoi_ky"].value == 1
    assert figs[world.root.pk]["ty_le_dv_nu"].value == 50
    assert figs[world.root.pk]["dv_cuoi_ky"].is_approved


def test_cluster_totals_and_ranks(world, year, during_2024):
    cluster = org.cluster_create(actor=None, organiser=world.province, code="cum", name="Cụm 1")
    for unit in (world.unit_a, world.unit_b):
        org.cluster_member_add(actor=None, cluster=cluster, unit=unit, year=2024)
    kn = ind("phat_trien_dv")
    for unit, target, actual in ((world.unit_a, 10, 12), (world.unit_b, 10, 10)):
        services.target_set(
            actor=world.national, unit=unit, indicator=kn, period=year, value=target
        )
        enter(world, unit, year, phat_trien_dv=actual)
    result = selectors.cluster_figures(cluster, year, [kn])
    assert result.total["phat_trien_dv"].value == 22
    assert result.total["phat_trien_dv"].target == 20
    assert wording.percent(result.total["phat_trien_dv"].percent) == "110%"
    ranks = selectors.ranking([world.unit_a.pk, world.unit_b.pk], year, "pct:phat_trien_dv")
    assert ranks[world.unit_a.pk].text == "thứ nhất/2"
    a = selectors.achievement(selectors.unit_figures(world.unit_a.pk, year, [kn]))
    assert (a.reached, a.total, a.exceeded) == (1, 1, 1)


def test_wording():
    assert wording.percent(wording.achievement(D(2392), D(2300))) == "104%"
    assert wording.percent(wording.achievement(D("3.8e9"), D("8e7"))) == "4.750%"
    assert wording.fraction(D(16), D(2)) == "16/2"
    assert wording.money(D("3.8e9")) == "3,8 tỷ đồng"
    assert wording.money(D(2_960_000_000)) == "gần 3 tỷ đồng"
    assert wording.money(D(15_240_000_000)) == "hơn 15,2 tỷ đồng"
    assert wording.money(D(126_100_000)) == "126,1 triệu đồng"
    assert wording.rank(3, 15) == "thứ 3/15"
    assert wording.status(D(1), D(1)) == wording.REACHED


def test_sheets_below_count_the_subtree(world, year):
    enter(world, world.grass_a1, year, suat_qua=1)
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))
    below = selectors.sheets_below([world.unit_a.pk, world.unit_b.pk], year)
    # A's subtree: grass_a1 (submitted), grass_a2 and its union group (nothing entered).
    assert below[world.unit_a.pk] == {"submitted": 1, "": 2}
    assert below[world.unit_b.pk] == {"": 1}
