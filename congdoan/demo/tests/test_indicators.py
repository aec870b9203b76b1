"""The demo's year of targets and figures (congdoan/demo/indicators.py), on a small demo."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test.utils import override_settings
from django.utils.html import escape

from congdoan.demo.federation import build_demo
from congdoan.demo.figures import (
    INSPECTIONS,
    Below,
    figures_for,
    part_figures_for,
    part_half_of,
    upper_figures_for,
    upper_half_of,
)
from congdoan.demo.indicators import TARGETED, UPPER_RETURN_REASON

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The smallest demo (its indicators included); rolled back at the end of the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        build_demo(scale=0.05, seed=7)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def year(built, db):
    from congdoan.indicators.models import Period

    return Period.objects.get(kind="year", year=2025)


def unit(code):
    from congdoan.organisation.models import Unit

    return Unit.objects.get(code=code)


def test_figures_are_seeded_and_sized_by_members():
    a = figures_for(random.Random(1), 200, True)
    assert a == figures_for(random.Random(1), 200, True)
    assert 20 <= len(a) <= 30
    assert a["tien_qua"] % 100_000 == 0 and a["tien_qua"] >= a["suat_qua"] * 300_000
    assert a["dn_co_cd"] == 1 and "hn_cbccvc" not in a
    small = figures_for(random.Random(1), 10, False)
    assert small["thu_doan_phi"] < a["thu_doan_phi"]


def test_upper_figures_are_seeded_and_sized_by_what_is_below():
    below = Below(units=25, grassroots=24, founded=2, founded_non_state=1, members=3000)
    a = upper_figures_for(random.Random(1), below)
    assert a == upper_figures_for(random.Random(1), below)
    assert a["thanh_lap_cdcs"] == 2 and a["thanh_lap_cdcs_ngoai_nn"] == 1
    assert a["cdcs_danh_gia"] == 24 and a["cdcs_tot"] <= 24
    assert 0 < a["ty_le_cdcs_tuyen_truyen"] <= 100
    assert a["tien_qua"] >= a["suat_qua"] * 500_000 and a["thu_kpcd"] % 1_000_000 == 0
    for code, _low, _high in INSPECTIONS:
        assert 1 <= a[f"{code}_cuoc"] <= a[f"{code}_dv"] <= 25
    # Nothing below it (a commune union without grassroots unions yet), half a year.
    empty = upper_figures_for(random.Random(1), Below(), months=6)
    assert "cdcs_danh_gia" not in empty and "ty_le_cdcs_tuyen_truyen" not in empty
    assert all(empty[f"{code}_dv"] == empty[f"{code}_cuoc"] == 0 for code, _l, _h in INSPECTIONS)
    # Six months of the year: no more than the year, consistent pairs, no year-end assessment.
    half = upper_half_of(random.Random(2), a)
    assert "cdcs_danh_gia" not in half and all(half[c] <= a[c] for c in half)
    for code, _low, _high in INSPECTIONS:
        assert half[f"{code}_cuoc"] <= half[f"{code}_dv"]
        assert bool(half[f"{code}_cuoc"]) == bool(half[f"{code}_dv"])
    assert half["tien_qua"] % 1000 == 0 and (half["tien_qua"] > 0) == (half["suat_qua"] > 0)


def test_part_figures_are_a_handful():
    for seed in range(50):
        year = part_figures_for(random.Random(seed))
        assert set(year) == {"suat_qua", "tien_qua", "hd_vhtt"}
        assert 0 <= year["suat_qua"] <= 6 and 0 <= year["hd_vhtt"] <= 3
        assert year["suat_qua"] * 300_000 <= year["tien_qua"] <= year["suat_qua"] * 1_000_000
        half = part_half_of(random.Random(seed), year)
        assert all(0 <= half[c] <= year[c] for c in year)
        assert half["tien_qua"] * year["suat_qua"] == year["tien_qua"] * half["suat_qua"]


def test_targets_go_from_the_nation_to_the_grassroots(year):
    from congdoan.indicators.models import Target
    from congdoan.organisation.models import UnitVersion

    province = unit("LC")
    own = {t.indicator.code: t for t in Target.objects.filter(unit=province, period=year)}
    assert set(own) == set(TARGETED)
    assert all(t.assigned_by.code == "TLD" for t in own.values())
    kids = list(
        UnitVersion.objects.on(year.end).filter(parent=province).values_list("unit_id", flat=True)
    )
    for code, target in own.items():
        below = Target.objects.filter(unit_id__in=kids, period=year, indicator__code=code)
        assert below.aggregate(s=Sum("value"))["s"] == target.value
    commune = unit("LC-X03408")
    grassroots = Target.objects.filter(
        period=year, unit__parent=commune, indicator__code="suat_qua"
    )
    assert grassroots.exists()
    assert all(t.assigned_by_id == commune.pk for t in grassroots)
    assert (
        grassroots.aggregate(s=Sum("value"))["s"]
        == Target.objects.get(unit=commune, period=year, indicator__code="suat_qua").value
    )


def test_every_grassroots_union_reports_with_mixed_statuses(year):
    from congdoan.indicators import selectors
    from congdoan.indicators.models import Sheet, SheetStep, Value
    from congdoan.organisation.models import Unit

    province = unit("LC")
    active = Unit.objects.filter(
        path__startswith=province.path, unit_type__is_grassroots=True
    ).active_on(year.end)
    sheets = Sheet.objects.filter(period=year, unit__unit_type__is_grassroots=True)
    assert set(sheets.values_list("unit_id", flat=True)) == set(active.values_list("id", flat=True))
    per_unit = Counter(
        Value.objects.filter(period=year, sheet__in=sheets).values_list("unit_id", flat=True)
    )
    assert min(per_unit.values()) >= 20
    states = Counter(sheets.values_list("status", flat=True))
    assert states["locked"] > sum(states.values()) / 2
    assert states["approved"] and states["submitted"] and states["draft"]
    late = selectors.sheet_states(list(per_unit), year, dt.date(2026, 6, 30))
    assert any(s.late and s.status == "draft" for s in late.values())
    assert any(s.late and s.status != "draft" for s in late.values())
    assert any(not s.late for s in late.values())
    # Reopened with a reason, corrected and locked again; the school by the commune's officer.
    reopens = SheetStep.objects.filter(sheet__period=year, step="reopen")
    assert reopens.count() >= 2 and all(s.reason for s in reopens)
    school = Unit.objects.get(role_grants__user__username="cs.nhaplieu")
    step = reopens.get(sheet__unit=school)
    assert step.actor.username == "xa.quantri"
    assert Sheet.objects.get(unit=school, period=year).status == "locked"
    assert Value.history.filter(unit_id=school.pk, period_id=year.pk).count() > per_unit[school.pk]
    assert SheetStep.objects.filter(sheet__period=year, step="return").exclude(reason="").exists()
    # The simulated clock: steps dated in the reporting season, not today.
    season = SheetStep.objects.filter(sheet__period__year=2025)
    assert max(season.values_list("at", flat=True)).date() < dt.date(2026, 4, 1)


def test_totals_agree_and_clusters_rank(year):
    from congdoan.indicators import rollup, selectors
    from congdoan.indicators.models import Period, Value
    from congdoan.organisation.models import Cluster, ClusterMembership

    half = Period.objects.get(kind="half", year=2025, number=1)
    assert rollup.differences(year) == []
    assert rollup.differences(half) == []
    figs = selectors.unit_figures(unit("LC").pk, year)
    entered = Value.objects.filter(period=year, indicator__code="tien_qua").aggregate(
        s=Sum("value")
    )
    assert figs["tien_qua"].value == entered["s"]
    assert figs["tien_qua"].target is not None and figs["tien_qua"].percent > Decimal(50)
    assert figs["ty_le_dn_co_tu"].value is not None  # a formula, recomputed from the totals
    block = Cluster.objects.get(code="lc-khoi-xa")
    members = list(
        ClusterMembership.objects.filter(cluster=block, year=2025).values_list("unit_id", flat=True)
    )
    ranks = selectors.ranking(members, year, "achievement")
    assert {r.rank for r in ranks.values()} >= {1}
    assert max(r.rank or 0 for r in ranks.values()) > 1
    cluster = selectors.cluster_figures(block, year)
    by_member = selectors.figures(members, year)
    assert cluster.total["suat_qua"].value == sum(
        f["suat_qua"].value or 0 for f in by_member.values()
    )
    assert 0 < cluster.total["suat_qua"].value < figs["suat_qua"].value


def test_upper_levels_enter_their_own_figures(year):
    from congdoan.demo.parts import parts_below
    from congdoan.indicators import selectors
    from congdoan.indicators.models import Period, Sheet, SheetStep, Value
    from congdoan.organisation.models import UnitVersion

    province = unit("LC")
    half = Period.objects.get(kind="half", year=2025, number=1)
    for period in (half, year):
        uppers = set(
            UnitVersion.objects.on(period.end)
            .filter(parent=province, unit_type__is_grassroots=False)
            .values_list("unit_id", flat=True)
        )
        own = Sheet.objects.filter(period=period, unit__unit_type__is_grassroots=False).exclude(
            unit_id__in=list(parts_below(province, period.end))
        )
        assert set(own.values_list("unit_id", flat=True)) == uppers | {province.pk}
        per_unit = Counter(
            Value.objects.filter(period=period, sheet__in=own).values_list("unit_id", flat=True)
        )
        assert len(per_unit) == len(uppers) + 1 and min(per_unit.values()) >= 20
    assert len(uppers) >= 40  # the 38 commune unions of the new map and the sector unions
    states = Counter(own.values_list("status", flat=True))
    assert states["locked"] > sum(states.values()) / 2
    assert states["draft"] >= 2 and states["submitted"] and states["approved"]
    # Who did what: the province's approver for the units below it, Tổng LĐLĐ's administrator
    # for the province, the commune union's own officer for its figures.
    # The sheets' ids first: PostgreSQL without fresh statistics may plan the nested subquery
    # as a scan of every step for every sheet (minutes instead of milliseconds).
    steps = SheetStep.objects.filter(sheet_id__in=list(own.values_list("pk", flat=True)))
    approvers = set(
        steps.filter(step="approve")
        .exclude(sheet__unit=province)
        .values_list("actor__username", flat=True)
    )
    assert approvers == {"tinh.pheduyet"}
    assert steps.get(step="approve", sheet__unit=province).actor.username == "quantri"
    half_step = SheetStep.objects.get(step="lock", sheet__unit=province, sheet__period=half)
    assert half_step.actor.username == "quantri"
    commune = unit("LC-X03408")
    assert steps.get(step="submit", sheet__unit=commune).actor.username == "xa.quantri"
    assert steps.get(step="return").reason == UPPER_RETURN_REASON
    # Figures that agree with the tree and with each other.
    figs = selectors.unit_figures(province.pk, year)
    assert figs["thanh_lap_cdcs"].value == figs["cdcs_moi_so"].value
    assert figs["cdcs_danh_gia"].value == figs["cdcs_cuoi_ky"].value  # every one assessed
    assert 0 < figs["ty_le_cdcs_tot"].value < 100
    for sheet in own:
        v = {code: value for code, value in sheet.values.values_list("indicator__code", "value")}
        assert v.get("cdcs_tot", 0) <= v.get("cdcs_danh_gia", 0)
        for code, _low, _high in INSPECTIONS:
            assert v[f"{code}_cuoc"] <= v[f"{code}_dv"]


def test_every_figure_passes_the_sheet_checks(year):
    from congdoan.indicators import services
    from congdoan.indicators.models import Period, Value

    half = Period.objects.get(kind="half", year=2025, number=1)
    entered: dict[int, set[str]] = {}
    values = Value.objects.filter(period__in=[half, year]).select_related("unit", "indicator")
    for v in values:
        if v.unit.unit_type_id not in entered:
            entered[v.unit.unit_type_id] = {i.code for i in services.indicators_for(v.unit, year)}
        assert v.indicator.code in entered[v.unit.unit_type_id], (v.unit.code, v.indicator.code)
        assert services.check_value(v.indicator, v.value) == v.value
        if v.indicator.value_type == "money":
            assert v.value % 1000 == 0


def test_the_province_dashboard_shows_a_few_late_units(year):
    from django.utils import timezone

    from congdoan.accounts.models import User
    from congdoan.indicators import dashboards, selectors
    from congdoan.indicators.models import Period, Sheet

    province = unit("LC")
    user = User.objects.get(username="tinh.quantri")
    half = Period.objects.get(kind="half", year=2025, number=1)
    late = {}
    for period in (half, year):
        board = dashboards.dashboard(
            user, province, period, today=dt.date(2026, 6, 30), with_trends=False
        )
        kids = [u for u, _n, _c in selectors.children_on(province.pk, period.end)]
        sheets = {s.unit_id: s for s in Sheet.objects.filter(period=period, unit_id__in=kids)}
        late[period.kind] = [
            u
            for u in kids
            if u not in sheets
            or sheets[u].first_submitted_at is None
            or timezone.localdate(sheets[u].first_submitted_at) > period.due_on
        ]
        assert board.children.count == len(kids)
        assert board.children.late == len(late[period.kind])
    assert late["half"] == []
    assert 1 <= len(late["year"]) <= 5


def test_departments_and_groups_enter_a_few_figures_mostly_on_time(year):
    from congdoan.accounts.models import User
    from congdoan.demo.parts import parts_below
    from congdoan.indicators import dashboards, rollup, selectors, services
    from congdoan.indicators.models import Period, Sheet, SheetStep, Value

    province = unit("LC")
    half = Period.objects.get(kind="half", year=2025, number=1)
    today = dt.date(2026, 6, 30)
    for period in (half, year):
        parts = parts_below(province, period.end)
        assert len(parts) >= 10
        sheets = Sheet.objects.filter(period=period, unit_id__in=list(parts))
        assert sheets.count() == len(parts)
        entered: dict[int, dict[str, Decimal]] = {}
        for u, code, value in Value.objects.filter(
            period=period, unit_id__in=list(parts)
        ).values_list("unit_id", "indicator__code", "value"):
            entered.setdefault(u, {})[code] = value
        assert set(entered) == set(parts)
        for v in entered.values():
            assert set(v) == {"suat_qua", "tien_qua", "hd_vhtt"}
            assert v["suat_qua"] <= 6 and v["hd_vhtt"] <= 3
            assert v["suat_qua"] * 300_000 <= v["tien_qua"] <= v["suat_qua"] * 1_000_000
        late = [s for s in selectors.sheet_states(list(parts), period, today).values() if s.late]
        if period == half:
            assert late == [] and set(sheets.values_list("status", flat=True)) == {"locked"}
        else:
            assert 1 <= len(late) <= 3 and all(s.status == "draft" for s in late)
            states = Counter(sheets.values_list("status", flat=True))
            assert states["locked"] > len(parts) / 2
        assert rollup.differences(period) == []
    # Sent by an account that may enter the unit's figures, approved and locked by one that acts
    # for the unit above it (the grassroots union, or the department of a group).
    steps = SheetStep.objects.filter(sheet__period=year, sheet__unit_id__in=list(parts))
    for step in steps.select_related("actor", "sheet__unit__parent"):
        allowed = services.can_enter if step.step == "submit" else services.can_approve
        assert allowed(step.actor, step.sheet.unit), (step.step, step.sheet.unit.code)
    # A grassroots union's dashboard: its departments or groups, hardly any late; its totals
    # add their figures to its own.
    union_id, _n = Counter(
        u for p, u in parts.items() if unit_parent_id(p, year.end) == u
    ).most_common(1)[0]
    union = Sheet.objects.get(unit_id=union_id, period=year).unit
    user = User.objects.get(username="tinh.quantri")
    board = dashboards.dashboard(user, union, year, today=today, with_trends=False)
    assert board.children.count >= 2 and board.children.late <= 1
    below = [p for p, u in parts.items() if u == union_id]
    gifts = Value.objects.filter(period=year, indicator__code="suat_qua")
    figs = selectors.unit_figures(union_id, year)
    assert (
        figs["suat_qua"].value
        == (gifts.filter(unit_id__in=[union_id, *below]).aggregate(s=Sum("value"))["s"])
    )


def unit_parent_id(unit_id, day):
    from congdoan.organisation.models import UnitVersion

    return UnitVersion.objects.on(day).get(unit_id=unit_id).parent_id


# --- The year running today (congdoan/demo/current.py) ------------------------------------------


@pytest.fixture
def current(built, db):
    from django.utils import timezone

    from congdoan.indicators.models import Period

    return Period.objects.get(kind="year", year=timezone.localdate().year)


def test_so_far_is_a_share_of_the_year_and_a_draft_some_of_it():
    from congdoan.demo.figures import ASSESSED, PAIRS, in_progress, so_far

    year = upper_figures_for(random.Random(3), Below(units=20, grassroots=18, members=2000))
    for share in (0.02, 0.5, 0.93, 1.0):
        now = so_far(random.Random(4), year, share, stocks=("ty_le_cdcs_tuyen_truyen",))
        assert not set(ASSESSED) & set(now)  # assessed at the year's end
        assert all(0 <= now[c] <= year[c] for c in now)
        assert now["ty_le_cdcs_tuyen_truyen"] == year["ty_le_cdcs_tuyen_truyen"]
        assert now["tien_qua"] % 1000 == 0
        for count, of in PAIRS:
            if of in now:
                assert bool(now[count]) or not now[of], (count, of)
                assert not of.endswith("_dv") or now[of] >= now[count]
    early, late = so_far(random.Random(4), year, 0.1), so_far(random.Random(4), year, 0.9)
    assert early["luot_tap_huan"] < late["luot_tap_huan"]
    draft = in_progress(random.Random(5), late)
    assert draft and set(draft) < set(late) and all(draft[c] == late[c] for c in draft)
    for count, of in PAIRS:
        assert (count in draft) == (of in draft) or of not in late


def test_the_current_year_is_open_and_its_targets_handed_down(current):
    from django.utils import timezone

    from congdoan.indicators.models import Target
    from congdoan.indicators.selectors import target_children

    assert current.start <= timezone.localdate() <= current.end
    province = unit("LC")
    own = {t.indicator.code: t for t in Target.objects.filter(unit=province, period=current)}
    assert set(own) == set(TARGETED)
    assert all(t.assigned_by.code == "TLD" for t in own.values())
    kids = [u for u, _n, _c in target_children(province.pk, current)]
    for code, target in own.items():
        below = Target.objects.filter(unit_id__in=kids, period=current, indicator__code=code)
        assert below.aggregate(s=Sum("value"))["s"] == target.value
    commune = unit("LC-X03408")
    grassroots = Target.objects.filter(
        period=current, unit__parent=commune, indicator__code="suat_qua"
    )
    assert grassroots.count() == len(target_children(commune.pk, current))
    assert all(t.assigned_by_id == commune.pk for t in grassroots)
    assert grassroots.aggregate(s=Sum("value"))["s"] == (
        Target.objects.get(unit=commune, period=current, indicator__code="suat_qua").value
    )


def test_units_have_entered_figures_of_the_year_so_far(current):
    from django.utils import timezone

    from congdoan.indicators import rollup, services
    from congdoan.indicators.models import Sheet, SheetStep, Value
    from congdoan.organisation.models import Unit

    province = unit("LC")
    grassroots = Unit.objects.filter(
        path__startswith=province.path, unit_type__is_grassroots=True
    ).active_on(timezone.localdate())
    sheets = Sheet.objects.filter(period=current)
    states = Counter(sheets.values_list("status", flat=True))
    assert set(states) == {"draft", "submitted"}
    assert states["draft"] > states["submitted"] >= 3
    entered = sheets.filter(unit__in=grassroots).count()
    assert grassroots.count() / 2 < entered < grassroots.count()  # some have nothing yet
    per_sheet = Counter(Value.objects.filter(period=current).values_list("sheet_id", flat=True))
    assert set(per_sheet) == set(sheets.values_list("pk", flat=True))  # no empty sheet
    sent = [per_sheet[pk] for pk in sheets.filter(status="submitted").values_list("pk", flat=True)]
    drafts = [per_sheet[pk] for pk in sheets.filter(status="draft").values_list("pk", flat=True)]
    assert min(sent) >= 20 and sum(drafts) / len(drafts) < sum(sent) / len(sent)
    allowed: dict[int, list] = {}  # by unit type: what its units enter
    for v in Value.objects.filter(period=current).select_related("unit", "indicator"):
        if v.unit.unit_type_id not in allowed:
            allowed[v.unit.unit_type_id] = services.indicators_for(v.unit, current)
        assert v.indicator in allowed[v.unit.unit_type_id], (v.unit.code, v.indicator.code)
        assert services.check_value(v.indicator, v.value) == v.value
        if v.indicator.value_type == "money":
            assert v.value % 1000 == 0
    assert rollup.differences(current) == []
    # Dated in the year so far, none in the future.
    moments = [
        *SheetStep.objects.filter(sheet__period=current).values_list("at", flat=True),
        *Value.history.filter(period_id=current.pk).values_list("history_date", flat=True),
    ]
    assert all(current.start <= timezone.localdate(m) <= timezone.localdate() for m in moments)
    assert max(moments) <= timezone.now()


def test_sheets_wait_for_tinh_pheduyet_who_approves_one(current, client):
    from congdoan.accounts.models import User
    from congdoan.indicators import services
    from congdoan.indicators.models import Sheet

    approver = User.objects.get(username="tinh.pheduyet")
    waiting = Sheet.objects.filter(period=current, status="submitted").select_related("unit")
    assert all(services.can_approve(approver, s.unit) for s in waiting)
    commune = User.objects.get(username="xa.quantri")
    assert any(services.can_approve(commune, s.unit) for s in waiting)
    # On the approver's list of the units below the province, and approved from the sheet.
    upper = next(s for s in waiting if s.unit.parent.code == "LC")
    client.force_login(approver)
    page = client.get(f"/indicators/units/{upper.unit.parent_id}/periods/{current.pk}/children/")
    assert page.status_code == 200
    assert escape(upper.unit.name) in page.content.decode()
    url = f"/indicators/units/{upper.unit_id}/periods/{current.pk}/sheet/approve/"
    assert client.post(url).status_code == 302
    upper.refresh_from_db()
    assert upper.status == "approved"


def test_the_school_of_cs_nhaplieu_got_its_sheet_back_with_the_reason(current, client):
    from congdoan.accounts.models import User
    from congdoan.indicators import services
    from congdoan.indicators.models import Sheet, SheetStep

    officer = User.objects.get(username="cs.nhaplieu")
    school = officer.grants.get().unit
    sheet = Sheet.objects.get(unit=school, period=current)
    assert sheet.status == "draft" and sheet.first_submitted_at is not None
    step = SheetStep.objects.get(sheet=sheet, step="return")
    assert step.actor.username == "xa.quantri" and step.reason == UPPER_RETURN_REASON
    assert services.can_enter(officer, school)
    client.force_login(officer)
    page = client.get(f"/indicators/units/{school.pk}/periods/{current.pk}/sheet/")
    assert page.status_code == 200 and escape(UPPER_RETURN_REASON) in page.content.decode()


def test_the_province_dashboard_shows_the_year_so_far(current, client):
    from congdoan.accounts.models import User
    from congdoan.indicators import dashboards

    province = unit("LC")
    user = User.objects.get(username="tinh.quantri")
    assert dashboards.default_period() == current
    board = dashboards.dashboard(user, province, current, with_trends=False)
    key = {k.indicator.code: k for k in board.key}
    assert key["dv_cuoi_ky"].value > 0  # from the member register
    with_targets = [k for k in board.key if k.target is not None]
    assert {k.indicator.code for k in with_targets} >= {"suat_qua", "tien_qua", "thu_doan_phi"}
    for code in ("suat_qua", "tien_qua", "thu_doan_phi", "luot_tap_huan", "hd_vhtt"):
        assert key[code].value and 0 < key[code].percent <= 110 and key[code].previous, code
    assert not key["suat_qua"].approved  # drafts and sheets waiting are counted, not approved
    assert board.children.count > 40 and board.children.late == 0  # not due yet
    client.force_login(user)
    page = client.get(f"/indicators/dashboard/{province.pk}/")  # the current year by default
    assert page.status_code == 200 and page.context["period"] == current
    shown = {k.indicator.code: k.value for k in page.context["d"].key}
    assert shown["suat_qua"] == key["suat_qua"].value
    assert key["suat_qua"].value_text in page.content.decode()


def test_the_year_so_far_keeps_within_the_year_on_any_day(current):
    from congdoan.demo.current import CurrentYear

    first = CurrentYear(seed=7, today=current.start)  # built on New Year's Day
    assert first.last == current.start and 0 < first.share < 0.01
    assert first.day(current.start, 30) == first.day(current.start, -5) == current.start
    last = CurrentYear(seed=7, today=current.end)
    assert last.last == current.end - dt.timedelta(days=1) and last.share > 0.99
    assert all(current.start <= last.recent(40) <= last.last for _ in range(50))


def test_a_demo_built_on_new_years_day_has_its_year_begun(current):
    """The next year played as if the demo were built on its first day: targets handed down,
    drafts, sheets waiting and the returned one, with hardly any of the year gone by."""
    from congdoan.demo.current import play_current_year
    from congdoan.demo.sheets import clock
    from congdoan.indicators import rollup
    from congdoan.indicators.models import Period

    new_year = dt.date(current.year + 1, 1, 1)
    with clock(new_year, 8):
        summary = play_current_year(today=new_year, seed=7)
    assert summary.year == new_year.year and summary.targets > 100
    assert summary.sheets["draft"] > summary.sheets["submitted"] >= 3 and summary.returned == 1
    assert rollup.differences(Period.objects.get(kind="year", year=new_year.year)) == []
