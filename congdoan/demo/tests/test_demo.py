"""The demo federation, built once for this module at a small scale."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from congdoan.core.permissions import Action
from congdoan.demo.federation import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoError,
    build_demo,
    make_plan,
    summarise,
)
from congdoan.demo.records import REFORM, years_after

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
    # The tour takes the officer to last year's figures and to the year running today.
    assert "Chỉ tiêu và số liệu năm 2025" in text
    assert f"Năm {timezone.localdate().year} đang nhập số liệu" in text
    assert f"/indicators/?period={loaded[0].current_period_id}" in text
    assert "phiếu chờ duyệt (đăng nhập tinh.pheduyet)" in text
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

    members = list(Member.objects.select_related("unit__unit_type", "unit__ownership"))
    grassroots = Unit.objects.filter(unit_type__is_grassroots=True).count()
    assert len(members) > 5 * grassroots
    by_status = Counter(m.status for m in members)
    # Everyone admitted is still in the union (active or suspended) or has left it.
    assert by_status[MemberStatus.ACTIVE] + by_status[MemberStatus.SUSPENDED] + by_status[
        MemberStatus.EXITED
    ] == len(members)
    assert by_status[MemberStatus.SUSPENDED] > 0
    open_spells = Counter(
        Membership.objects.filter(end__isnull=True).values_list("member_id", flat=True)
    )
    for m in members:
        if m.is_current:
            assert m.unit.dissolved_on is None, m
            assert m.unit.unit_type.is_grassroots, m
            assert open_spells[m.pk] == 1, m
            assert m.exited_on is None and not m.exit_reason, m
        else:
            assert m.exit_reason and m.exited_on, m
            assert open_spells[m.pk] == 0, m
            assert m.exited_on >= m.admitted_on
    reasons = Counter(m.exit_reason for m in members if m.exit_reason)
    assert set(reasons) == set(ExitReason.values)  # every reason for leaving occurs
    assert reasons[ExitReason.EXPELLED] == 1
    # Members of the dissolved unions of budget-funded agencies left on 1/7/2025.
    agencies = Unit.objects.filter(ownership__code="cq_hcnn", dissolved_on=REFORM)
    assert agencies.exists()
    dissolved = [m for m in members if m.unit_id in {a.pk for a in agencies}]
    assert dissolved
    for m in dissolved:
        if m.status == MemberStatus.EXITED and m.exited_on == REFORM:
            assert m.exit_reason == ExitReason.UNIT_DISSOLVED
        else:  # left before the reform
            assert m.exited_on < REFORM, m
    for m in members:
        if m.exit_reason == ExitReason.UNIT_DISSOLVED:
            assert m.exited_on == REFORM and m.unit.ownership.code == "cq_hcnn", m


def test_spells_and_events_agree(demo, db):
    """Every member's spells follow each other without gaps or overlaps (re-admissions apart),
    and the admissions, transfers and exits recorded as events match them."""
    from congdoan.members.models import EventKind, MemberEvent, Membership

    spells: dict[int, list] = {}
    for s in Membership.objects.order_by("member_id", "start", "id"):
        spells.setdefault(s.member_id, []).append(s)
    events = Counter(MemberEvent.objects.values_list("member_id", "kind").order_by())
    for member_id, rows in spells.items():
        for a, b in pairwise(rows):
            assert a.end is not None and a.end <= b.start, member_id
        starts = len(rows)
        admissions = events[(member_id, EventKind.ADMIT)]
        transfers = events[(member_id, EventKind.TRANSFER)]
        assert starts == admissions + transfers, member_id
        closed = sum(1 for s in rows if s.end is not None)
        assert closed == transfers + events[(member_id, EventKind.EXIT)], member_id


def test_summaries_match_the_registers(demo, db):
    from congdoan.members import summaries

    assert summaries.differences(limit=10) == []


def test_counts_before_and_after_the_reform(demo, db):
    """Members of Lai Châu on 30/06/2025 and on 01/07/2025: the unions of budget-funded
    agencies were dissolved and their members left the union that day."""
    from congdoan.members.counts import Period, subtree_counts
    from congdoan.members.models import ExitReason, MemberEvent, Membership
    from congdoan.organisation.models import Unit

    def on(day, units=None):
        qs = Membership.objects.filter(start__lte=day).exclude(end__lte=day)
        return (qs if units is None else qs.filter(unit__in=units)).count()

    left = MemberEvent.objects.filter(date=REFORM, kind="exit")
    assert left.exists()
    assert set(left.values_list("reason", flat=True)) == {ExitReason.UNIT_DISSOLVED}
    assert on(BEFORE) - on(REFORM) == left.count()
    agencies = list(Unit.objects.filter(ownership__code="cq_hcnn", dissolved_on=REFORM))
    assert on(BEFORE, agencies) == left.count()
    assert on(REFORM, agencies) == 0
    # The per-unit summaries say the same, over the province's subtree as it was.
    province = unit("LC")
    total = subtree_counts(province, Period(REFORM, REFORM)).total
    lai_chau_left = left.filter(from_unit__path__startswith=province.path).count()
    assert total.members_at_start - total.members == lai_chau_left
    assert total.exits_by_reason.get(ExitReason.UNIT_DISSOLVED) == lai_chau_left
    assert total.admissions == 0


def test_citizen_ids_are_valid_and_unique(demo, db):
    from congdoan.members import cccd
    from congdoan.members.models import Member

    rows = list(Member.objects.values_list("citizen_id", "sex", "date_of_birth"))
    ids = [r[0] for r in rows if r[0]]
    assert len(ids) == len(set(ids))
    kinds = Counter()
    for value, sex, dob in rows:
        parsed = cccd.validate(value, sex=sex, birth_year=dob.year)  # raises if inconsistent
        kinds[parsed.kind if parsed else "none"] += 1
        if parsed and parsed.kind == "cccd":
            assert parsed.province, value
    assert kinds["cccd"] > 0.8 * len(rows)
    assert kinds["cmnd"] > 0 and kinds["none"] > 0
    provinces = Counter(v[:3] for v in ids if len(v) == 12)
    assert provinces.most_common(1)[0][0] == "012"  # most were born in Lai Châu
    assert len(provinces) > 5


def test_card_numbers_are_unique_and_follow_the_scheme(demo, db):
    """Numbers from the configured scheme: the province of the union that admitted the member
    (LĐLĐ tỉnh Lai Châu 12, Điện Biên 11), two digits of the year of admission, a counter."""
    from congdoan.members.cards import card_format
    from congdoan.members.models import EventKind, Member, MemberEvent
    from congdoan.organisation.models import Unit

    top = {u.path: u.province_code for u in Unit.objects.filter(depth=2)}
    first: dict[int, tuple] = {}
    for member_id, day, path in (
        MemberEvent.objects.filter(kind=EventKind.ADMIT)
        .order_by("member_id", "date", "id")
        .values_list("member_id", "date", "to_unit__path")
    ):
        first.setdefault(member_id, (day, top[path[:8]]))
    fmt = card_format()
    cards = list(Member.objects.values_list("pk", "card_number", "card_issued_on"))
    numbers = [c for _pk, c, _d in cards]
    assert all(numbers)
    assert len(numbers) == len(set(numbers))
    for pk, card, issued in cards:
        admitted, province = first[pk]
        prefix = fmt.split("{seq")[0].format(province=province, year=admitted.year % 100)
        assert card.startswith(prefix), (card, admitted, province)
        assert len(card) == len(fmt.format(province=province, year=25, seq=1))
        assert issued == admitted


def test_member_records_are_complete(demo, db):
    from congdoan.members.models import Member

    members = list(Member.objects.select_related("ethnicity", "religion", "unit"))
    n = len(members)
    assert all(m.ethnicity_id and m.religion_id for m in members)
    assert sum(1 for m in members if m.phone) > 0.9 * n
    assert all(m.hometown and m.address and m.job_title and m.workplace for m in members)
    assert all(m.salary_base and m.salary_base > 1_000_000 for m in members)
    assert all(m.general_education and m.province_code and m.ward_code for m in members)
    assert sum(1 for m in members if m.professional_level) > 0.5 * n
    groups = Counter(m.ethnicity.code for m in members)
    assert {"01", "03", "08", "09"} <= set(groups)  # Kinh, Thái, Mông, Dao
    assert len(groups) >= 8
    religions = Counter(m.religion.code for m in members)
    assert religions.most_common(1)[0][0] == "khong"
    assert 0 < sum(m.hardship for m in members) < 0.08 * n
    assert sum(m.disability for m in members) < 0.03 * n
    # Jobs match the employer.
    for m in members:
        if "Trường Mầm non" in m.workplace and m.job_title.startswith("Giáo viên"):
            assert m.job_title == "Giáo viên mầm non", m
        if m.job_title in ("Bác sĩ", "Điều dưỡng", "Hộ sinh"):
            assert any(w in m.workplace for w in ("Bệnh viện", "Y tế", "Trung tâm")), m
    phones = [m.phone for m in members if m.phone]
    assert all(p[:2] in ("09", "03") and len(p) == 10 for p in phones)
    assert len(set(phones)) == len(phones)


def test_party_members(demo, db):
    from congdoan.members.models import EventKind, Member, MemberEvent, MemberStatus
    from congdoan.organisation.models import OwnershipType

    party = list(Member.objects.filter(party_member=True))
    assert party
    for m in party:
        assert m.party_joined_on is not None, m
        assert m.party_joined_on > years_after(m.date_of_birth, 18), m
    public = OwnershipType.objects.filter(code__in=["dvsn", "cq_hcnn"])
    active = Member.objects.filter(status=MemberStatus.ACTIVE)
    in_public = active.filter(unit__ownership__in=public)
    in_companies = active.filter(unit__ownership__code__in=["dn_ngoai_nn", "dn_fdi"])
    public_share = in_public.filter(party_member=True).count() / in_public.count()
    company_share = in_companies.filter(party_member=True).count() / max(1, in_companies.count())
    assert 0.15 < public_share < 0.45
    assert company_share < public_share
    referrals = MemberEvent.objects.filter(kind=EventKind.PARTY_REFERRAL)
    admissions = MemberEvent.objects.filter(kind=EventKind.PARTY_ADMISSION)
    assert referrals.exists() and admissions.exists()
    for event in admissions.select_related("member"):
        referral = referrals.filter(member=event.member).first()
        assert referral is not None and referral.date < event.date
        assert event.member.party_joined_on == event.date


def test_lifecycle_events(demo, db):
    from congdoan.members.models import DuplicateFlag, EventKind, MemberEvent, TransferRequest

    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    for kind in ("admit", "transfer", "suspend", "resume", "exit", "discipline",
                 "party_referral", "party_admission"):  # fmt: skip
        assert kinds[kind] > 0, kind
    assert kinds["resume"] <= kinds["suspend"]
    levels = Counter(
        MemberEvent.objects.filter(kind=EventKind.DISCIPLINE).values_list("reason", flat=True)
    )
    assert levels["expulsion"] == 1 and levels["reprimand"] + levels["warning"] > 0
    # Transfers name both units, which differ.
    for e in MemberEvent.objects.filter(kind=EventKind.TRANSFER, reorg_event__isnull=True):
        assert e.from_unit_id and e.to_unit_id and e.from_unit_id != e.to_unit_id, e
    # Re-admissions: more admissions than members admitted.
    admitted = MemberEvent.objects.filter(kind="admit").order_by().values("member").distinct()
    assert kinds["admit"] > admitted.count()
    statuses = Counter(TransferRequest.objects.values_list("status", flat=True))
    assert statuses["pending"] >= 3 and statuses["rejected"] >= 2 and statuses["confirmed"] >= 3
    assert statuses["cancelled"] >= 1
    for r in TransferRequest.objects.all():
        assert r.from_unit_id != r.to_unit_id
    # Likely duplicates flagged for review: same name and date of birth, two unions.
    flags = list(DuplicateFlag.objects.select_related("member", "other"))
    assert flags
    for f in flags:
        assert f.member.name_fold == f.other.name_fold
        assert f.member.date_of_birth == f.other.date_of_birth
        assert f.member.unit_id != f.other.unit_id


def test_pending_transfers_are_seen_by_both_sides(demo, db):
    from congdoan.accounts.models import User
    from congdoan.members.models import TransferRequest

    pending = TransferRequest.objects.pending()
    for username in ("cs.nhaplieu", "xa.quantri", "dienbien.quantri", "tinh.quantri"):
        user = User.objects.get(username=username)
        assert pending.visible_to(user, Action.MEMBERS_VIEW).exists(), username


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
    assert demo.members_exited + demo.members_active + demo.members_suspended == demo.members_total
    assert 0 < demo.women_active < demo.members_active
    assert 0 < demo.party_active < demo.members_active
    assert demo.transfers_pending >= 3 and demo.duplicates_open >= 3
    assert len(demo.logins) == len(DEMO_ACCOUNTS)
    text = "\n".join(demo.lines())
    assert "30/06/2025" in text and "Công đoàn xã, phường, đặc khu" in text
    assert "đảng viên" in text and "chờ xác nhận" in text and "giải thể đơn vị" in text
    assert demo.figures_year == 2025 and demo.current_year == timezone.localdate().year
    assert demo.figures_period_id != demo.current_period_id
    assert demo.waiting >= 3 and len(demo.returned) == 1
    assert f"năm {demo.current_year} (đang diễn ra): {demo.waiting} phiếu chờ duyệt" in text
    officer = next(login for login in demo.logins if login.username == "tinh.dulieu")
    assert "OTP" in officer.note and "lần đăng nhập đầu" in officer.note


def test_refuses_a_database_that_is_not_empty(demo, db):
    with pytest.raises(DemoError):
        build_demo(scale=0.05)


def test_the_plan_is_deterministic():
    def plan(seed):
        p = make_plan(scale=0.2, seed=seed)
        units = [(s.code, s.name, s.parent, s.founded, s.end) for s in p.specs.values()]
        members = [
            (m.name.full, m.dob, m.unit, m.admitted, m.details, m.timeline, m.exit)
            for m in p.members
        ]
        return units, members, p.sorted_events()

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
        assert 27_000 <= len(plan.members) <= 33_000
        # The build stays fast: most admissions are written in bulk, and the events that go
        # through a service one by one are a few thousand.
        ops = Counter(e[3] for e in events)
        one_by_one = sum(n for op, n in ops.items() if op not in ("admit", "create"))
        assert one_by_one < 5_500, ops


def test_the_plan_gives_valid_people():
    """Planned records are consistent before anything is written."""
    from congdoan.members import cccd

    plan = make_plan(scale=0.3, seed=5)
    seen = set()
    for m in plan.members:
        value = m.details["citizen_id"]
        if value:
            assert value not in seen
            seen.add(value)
            cccd.validate(value, sex=m.sex, birth_year=m.dob.year)
        joined = m.details["party_joined_on"]
        if joined:
            assert joined > years_after(m.dob, 18) and joined < m.admitted
        assert years_after(m.dob, 18) <= m.admitted, m  # of working age when admitted
        days = [day for day, _kind, _unit in m.timeline]
        assert days == sorted(days) and len(days) == len(set(days)), m.timeline
        assert all(day != REFORM or kind == "exit" for day, kind, _unit in m.timeline)
