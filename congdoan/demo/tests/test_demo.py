"""The demo federation, built once for this module at a small scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from congdoan.demo.federation import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoError,
    build_demo,
    make_plan,
    summarise,
)
from congdoan.demo.records import REFORM

BEFORE = dt.date(2025, 6, 30)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Run `congdoan demo --no-serve` once; everything is rolled back at the end of the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("demo", "--no-serve", scale=0.1, stdout=out)
        yield summarise(), out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded):
    return loaded[0]


def test_demo_command_prints_the_logins(loaded, db):
    text = loaded[1]
    assert "Tạo liên đoàn demo" in text
    assert "http://127.0.0.1:8000/" in text
    assert DEMO_PASSWORD in text
    for username, *_rest in DEMO_ACCOUNTS:
        assert username in text
    assert "as_of=2025-06-30" in text
    # A second run keeps the data.
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "giữ nguyên" in again.getvalue()


def unit(code):
    from congdoan.organisation.models import Unit

    return Unit.objects.get(code=code)


def types_on(root, day):
    from congdoan.organisation import selectors

    return Counter(v.unit_type.code for v in selectors.subtree_on(root, day))


def test_tree_before_and_after_the_reform(demo, db):
    province = unit("LC")
    before = types_on(province, BEFORE)
    after = types_on(province, REFORM)
    assert before["ldld_huyen"] == 8
    assert before["cd_xa"] == 0
    assert before["cd_nganh_dp"] == 3 and before["cd_kcn"] == 1
    assert after["ldld_huyen"] == 0
    assert after["cd_xa"] == 38
    # Công đoàn Viên chức tỉnh is gone; education, health and the zone union remain.
    assert after["cd_nganh_dp"] == 2 and after["cd_kcn"] == 1
    assert before["cdcs"] > after["cdcs"] > 0  # budget-funded agencies' unions dissolved
    # Điện Biên is a separate subtree.
    from congdoan.organisation import selectors

    names = {v.name for v in selectors.subtree_on(province, REFORM)}
    assert not any("Điện Biên" in n for n in names)
    assert types_on(unit("DB"), BEFORE)["ldld_huyen"] == 2


def test_every_grassroots_union_of_a_district_went_to_its_commune(demo, db):
    from congdoan.organisation.models import Unit

    for u in Unit.objects.filter(
        unit_type__code__in=["cdcs", "nghiep_doan"],
        dissolved_on__isnull=True,
        code__startswith="LC",
    ).select_related("parent__unit_type"):
        assert u.parent.unit_type.code in {"ldld_tinh", "cd_xa", "cd_nganh_dp", "cd_kcn"}, u
        assert u.ward_code and u.province_code == 12, u
        if u.parent.unit_type.code == "cd_xa":
            assert u.parent.ward_code == u.ward_code, u


def test_members_are_conserved(demo, db):
    from congdoan.members.models import ExitReason, Member, Membership, MemberStatus
    from congdoan.organisation.models import Unit

    members = list(Member.objects.select_related("unit"))
    assert 5 * demo.units_total > len(members) > 0
    open_spells = Counter(
        Membership.objects.filter(end__isnull=True).values_list("member_id", flat=True)
    )
    for m in members:
        if m.status == MemberStatus.ACTIVE:
            assert m.unit.dissolved_on is None, m
            assert m.unit.unit_type.is_grassroots, m
            assert open_spells[m.pk] == 1, m
        else:
            assert m.status == MemberStatus.EXITED
            assert m.exit_reason and m.exited_on, m
            assert open_spells[m.pk] == 0, m
            assert m.exited_on >= m.admitted_on
    reasons = Counter(m.exit_reason for m in members if m.exit_reason)
    assert {"retired", "left_job", "unit_dissolved"} <= set(reasons)
    # Members of the dissolved unions of budget-funded agencies left on 1/7/2025.
    agencies = Unit.objects.filter(ownership__code="cq_hcnn", dissolved_on=REFORM)
    assert agencies.exists()
    dissolved = [m for m in members if m.unit_id in {a.pk for a in agencies}]
    assert dissolved
    for m in dissolved:
        if m.status == MemberStatus.EXITED and m.exited_on == REFORM:
            assert m.exit_reason == ExitReason.UNIT_DISSOLVED
        else:  # retired or left before the reform
            assert m.exited_on < REFORM, m
    for m in members:
        if m.exit_reason == ExitReason.UNIT_DISSOLVED:
            assert m.exited_on == REFORM and m.unit.ownership.code == "cq_hcnn", m


def test_card_numbers_are_unique(demo, db):
    from congdoan.members.models import Member

    cards = list(Member.objects.values_list("card_number", flat=True))
    assert all(cards)
    assert len(cards) == len(set(cards))


def test_transfers_and_admissions_are_spread(demo, db):
    from congdoan.members.models import EventKind, MemberEvent

    transfers = MemberEvent.objects.filter(kind=EventKind.TRANSFER, reorg_event__isnull=True)
    assert transfers.exists()
    years = set(
        MemberEvent.objects.filter(kind=EventKind.ADMIT).values_list("date__year", flat=True)
    )
    assert len(years) >= 10


def test_lineage_of_the_2025_dissolutions(demo, db):
    from congdoan.organisation.models import LineageLink

    links = LineageLink.objects.filter(event__effective_date=REFORM).select_related(
        "source__unit_type", "target__unit_type"
    )
    sources = {link.source.code for link in links}
    assert {f"LC-{k}" for k in ("TP", "TD", "PT", "SH", "MT", "TU", "TNU", "NN", "VC")} <= sources
    for link in links:
        assert link.target.unit_type.code == "cd_xa"
        assert link.source.dissolved_on == REFORM
    assert sum(link.children_moved for link in links) > 0
    merge = LineageLink.objects.get(event__effective_date=dt.date(2023, 8, 1))
    assert merge.members_moved > 0
    assert "Tiểu học và THCS" in merge.target.name


def test_history_has_renames_and_moves(demo, db):
    from congdoan.organisation.models import UnitVersion

    city = [v.name for v in UnitVersion.objects.filter(unit=unit("LC-TP")).order_by("valid_from")]
    assert city[0] == "Liên đoàn Lao động thị xã Lai Châu"
    assert "Liên đoàn Lao động thành phố Lai Châu" in city
    # Nậm Nhùn (2013) took over grassroots unions from Mường Tè.
    moved = UnitVersion.objects.filter(valid_from=dt.date(2013, 1, 2), parent=unit("LC-NN")).count()
    assert moved > 0


def test_clusters_and_terms(demo, db):
    from congdoan.organisation.models import Cluster, ClusterMembership, CommitteeSeat, Term

    cluster = Cluster.objects.get(code="lc-cum-3")
    assert cluster.name == "Cụm thi đua số 3 (Công đoàn ngành)"
    for year in range(2022, 2026):
        members = ClusterMembership.objects.filter(cluster=cluster, year=year)
        assert members.count() == 4
        assert members.filter(is_head=True).count() == 1
    head = ClusterMembership.objects.get(cluster=cluster, year=2022, is_head=True)
    assert head.unit.code == "LC-VC"
    assert ClusterMembership.objects.filter(cluster__code="lc-khoi-huyen", year=2024).count() == 8
    assert ClusterMembership.objects.filter(cluster__code="lc-khoi-xa", year=2025).count() == 38
    term = Term.objects.get(unit=unit("LC"), number=13)
    assert (term.start_year, term.end_year) == (2023, 2028)
    seats = CommitteeSeat.objects.filter(term=term)
    assert seats.filter(committee="bch", position__code="chu_tich").count() == 1
    assert seats.filter(committee="btv").count() >= 9
    assert seats.filter(committee="ubkt", position__code="chu_nhiem_ubkt").count() == 1
    assert seats.filter(end_date__isnull=False).exists()


def test_every_demo_account_logs_in_and_sees_its_scope(demo, db, client, settings):
    from congdoan.accounts.models import User
    from congdoan.organisation.models import Unit

    for username, *_rest in DEMO_ACCOUNTS:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()
    province, other = unit("LC"), unit("DB")
    admin = User.objects.get(username="tinh.quantri")
    visible = Unit.objects.visible_to(admin)
    assert visible.filter(pk=province.pk).exists()
    assert visible.count() == Unit.objects.subtree_of(province).count()
    assert not visible.subtree_of(other).exists()
    dien_bien = Unit.objects.visible_to(User.objects.get(username="dienbien.quantri"))
    assert dien_bien.filter(pk=other.pk).exists()
    assert not dien_bien.filter(pk=province.pk).exists()
    commune = Unit.objects.visible_to(User.objects.get(username="xa.quantri"))
    assert not commune.filter(pk=province.pk).exists()
    assert commune.filter(unit_type__code="cdcs").exists()
    assert User.objects.get(username="quantri").is_superuser


def test_summary(demo, db):
    assert demo.members_total > demo.members_active > 0
    assert demo.members_exited == demo.members_total - demo.members_active
    assert len(demo.logins) == len(DEMO_ACCOUNTS)
    text = "\n".join(demo.lines())
    assert "30/06/2025" in text and "Công đoàn xã, phường, đặc khu" in text


def test_refuses_a_database_that_is_not_empty(demo, db):
    with pytest.raises(DemoError):
        build_demo(scale=0.05)


def test_the_plan_is_deterministic():
    def plan(seed):
        p = make_plan(scale=0.2, seed=seed)
        units = [(s.code, s.name, s.parent, s.founded, s.end) for s in p.specs.values()]
        members = [(m.name.full, m.dob, m.unit, m.admitted, m.transfer, m.exit) for m in p.members]
        return units, members

    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


@pytest.mark.parametrize("scale", [0.01, 1.0, 3.0])
def test_plans_of_every_scale_stay_within_the_history(scale):
    from congdoan.demo.records import END

    plan = make_plan(scale=scale, seed=11)  # refuses to schedule anything after END
    events = plan.sorted_events()
    assert events[-1][0] <= END
    grassroots = sum(1 for s in plan.specs.values() if s.grassroots)
    assert grassroots >= 40
    if scale == 1.0:
        assert 270 <= grassroots <= 340
        assert 8 <= len(plan.members) / grassroots <= 13
