"""Member counts per unit, over a subtree (as the tree was) and over a cluster.

`assert_counts_agree` is shared with the summary and property tests: counts from the summaries
equal counts from the spells, equal a replay of the member events, and flows equal the events.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pytest
from django.utils import timezone

from congdoan.core.tests.support import make_user, unit_type
from congdoan.members import counts, summaries
from congdoan.members.counts import Period, members_per_unit, subtree_counts
from congdoan.members.models import EventKind, Member, MemberEvent
from congdoan.members.services import (
    member_admit,
    member_exit,
    member_party_admission,
    member_party_referral,
    member_suspend,
    transfer_request,
)
from congdoan.organisation import services as org
from congdoan.organisation.models import Cluster, ClusterMembership

pytestmark = pytest.mark.django_db
D = dt.date


# ---------------------------------------------------------------------------------------------
# Shared checks


def replay(day: dt.date) -> dict[int, tuple[int, int]]:
    """Members and women per unit on `day`, by replaying every member event in order."""
    sex = dict(Member.objects.values_list("pk", "sex"))
    where: dict[int, int | None] = {}
    events = MemberEvent.objects.filter(date__lte=day).order_by("date", "id")
    for kind, member_id, to_unit in events.values_list("kind", "member_id", "to_unit_id"):
        if kind in (EventKind.ADMIT, EventKind.TRANSFER):
            where[member_id] = to_unit
        elif kind == EventKind.EXIT:
            where[member_id] = None
    out: Counter[tuple[int, str]] = Counter()
    for member_id, unit_id in where.items():
        if unit_id is not None:
            out[(unit_id, "m")] += 1
            out[(unit_id, "w")] += sex[member_id] == "F"
    units = {u for u, _ in out}
    return {u: (out[(u, "m")], out[(u, "w")]) for u in units if out[(u, "m")]}


def assert_counts_agree(days: Iterable[dt.date], periods: Iterable[Period] = ()) -> None:
    assert summaries.differences() == []
    for day in days:
        from_summaries = members_per_unit(day)
        assert from_summaries == counts.members_from_spells(day), day
        assert from_summaries == replay(day), day
    for period in periods:
        ids = set(counts.flows_from_events(period)) | set(
            Member.objects.values_list("unit_id", flat=True)
        )
        figures = counts.unit_figures(ids, period)
        events = counts.flows_from_events(period)
        for unit_id, f in figures.items():
            expected = events.get(unit_id, counts.Figures())
            got = f.as_dict()
            want = expected.as_dict()
            for key in ("members", "women", "members_at_start", "women_at_start"):
                got.pop(key)
                want.pop(key)
            assert got == want, (unit_id, period)


def admit(unit: Any, name: str, day: dt.date, sex: str = "M", **extra: Any) -> Member:
    return member_admit(
        actor=None,
        unit=unit,
        family_name="Phạm",
        given_name=name,
        sex=sex,
        admitted_on=day,
        **extra,
    )


def rows_by_code(result: counts.SubtreeCounts) -> dict[str, counts.Row]:
    return {("=" if r.direct else "") + r.code: r for r in result.rows}


# ---------------------------------------------------------------------------------------------
# The standard world


def test_world_counts(world):
    today = timezone.localdate()
    assert members_per_unit(today) == {world.grass_a1.pk: (1, 1), world.grass_b1.pk: (1, 0)}
    assert members_per_unit(D(2019, 12, 31)) == {}
    result = subtree_counts(world.province, Period(D(2020, 1, 1), today))
    rows = rows_by_code(result)
    assert set(rows) == {"HA", "HB"}
    assert (rows["HA"].figures.members, rows["HA"].figures.women) == (1, 1)
    assert rows["HA"].figures.admissions == 1
    assert (rows["HB"].figures.members, rows["HB"].figures.women) == (1, 0)
    assert result.total.members == 2 and result.total.admissions == 2
    assert result.total.members_at_start == 0
    # The grassroots union itself: its own members in a "direct" row.
    own = subtree_counts(world.grass_a1, Period(D(2021, 1, 1), today))
    assert [r.direct for r in own.rows] == [True]
    assert own.total.members == own.total.members_at_start == 1
    assert_counts_agree([D(2019, 12, 31), D(2020, 1, 1), today])


def test_unit_that_did_not_exist(world):
    result = subtree_counts(world.unit_a, Period(D(2010, 1, 1), D(2010, 12, 31)))
    assert result.existed is False and result.rows == []


# ---------------------------------------------------------------------------------------------
# A hand-made history


@pytest.fixture
def history(world):
    """2021–2024 in unit A (A1, A2) and B (B1): admissions, transfers, exits, Party, suspension."""
    a1, a2, b1 = world.grass_a1, world.grass_a2, world.grass_b1
    m = {
        "lan": admit(a1, "Lan", D(2021, 3, 1), "F"),
        "hung": admit(a1, "Hùng", D(2021, 6, 1)),
        "mai": admit(a2, "Mai", D(2022, 2, 1), "F"),
        "son": admit(b1, "Sơn", D(2022, 5, 1)),
        "thu": admit(a2, "Thu", D(2024, 1, 10), "F"),
    }
    transfer_request(actor=None, member=m["hung"], to_unit=a2, day=D(2023, 4, 1))  # inside A
    transfer_request(actor=None, member=m["mai"], to_unit=b1, day=D(2023, 9, 1))  # A → B
    member_exit(actor=None, member=m["son"], day=D(2024, 3, 1), reason="retired")
    member_exit(actor=None, member=world.member_a, day=D(2024, 5, 1), reason="left_job")
    member_party_referral(actor=None, member=m["lan"], day=D(2023, 5, 1))
    member_party_admission(actor=None, member=m["lan"], day=D(2024, 2, 1))
    member_suspend(actor=None, member=m["thu"], day=D(2024, 6, 1))
    return m


def test_per_unit_figures(world, history):
    a1, a2, b1 = world.grass_a1.pk, world.grass_a2.pk, world.grass_b1.pk
    assert members_per_unit(D(2022, 12, 31)) == {a1: (3, 2), a2: (1, 1), b1: (2, 0)}
    # Suspended members are still members; exits and transfers are not.
    assert members_per_unit(D(2024, 12, 31)) == {a1: (1, 1), a2: (2, 1), b1: (2, 1)}
    f = counts.unit_figures([a1, a2, b1], Period(D(2023, 1, 1), D(2023, 12, 31)))
    assert (f[a1].members_at_start, f[a1].members, f[a1].transfers_out) == (3, 2, 1)
    assert (f[a2].transfers_in, f[a2].transfers_out) == (1, 1)
    assert (f[b1].transfers_in, f[b1].members) == (1, 3)
    assert f[a1].party_referrals == 1 and f[a1].party_admissions == 0
    f = counts.unit_figures([a1, a2, b1], Period(D(2024, 1, 1), D(2024, 12, 31)))
    assert f[a1].exits_by_reason == {"left_job": 1} and f[a1].party_admissions == 1
    assert f[b1].exits_by_reason == {"retired": 1}
    assert f[a2].admissions == 1
    for unit_figures in f.values():  # members(end) = start + flows, unit by unit
        assert unit_figures.members == (
            unit_figures.members_at_start
            + unit_figures.admissions
            - unit_figures.exits
            + unit_figures.transfers_in
            - unit_figures.transfers_out
            + unit_figures.reorg_in
            - unit_figures.reorg_out
        )
    assert_counts_agree(
        [D(2021, 3, 1), D(2023, 4, 1), D(2023, 8, 31), D(2024, 3, 1), D(2024, 12, 31)],
        [Period(D(2021, 1, 1), D(2025, 6, 30)), Period(D(2023, 4, 1), D(2023, 4, 1))],
    )


def test_subtree_rows_and_internal_transfers(world, history):
    year = Period(D(2023, 1, 1), D(2023, 12, 31))
    # Unit A: the transfer A1 → A2 is between two of its children; A2 → B1 leaves the subtree.
    result = subtree_counts(world.unit_a, year)
    rows = rows_by_code(result)
    assert (rows["A1"].figures.transfers_out, rows["A2"].figures.transfers_in) == (1, 1)
    assert rows["A2"].figures.transfers_out == 1
    assert (result.total.transfers_in, result.total.transfers_out) == (0, 1)
    assert (result.total.members_at_start, result.total.members) == (4, 3)
    assert result.total.party_referrals == 1
    # The province: every transfer is internal to it; A → B crosses two children.
    result = subtree_counts(world.province, year)
    rows = rows_by_code(result)
    assert (rows["HA"].figures.transfers_in, rows["HA"].figures.transfers_out) == (0, 1)
    assert rows["HB"].figures.transfers_in == 1
    assert (result.total.transfers_in, result.total.transfers_out) == (0, 0)
    assert result.total.members == result.total.members_at_start == 6
    # Whole federation over the years: members = admissions − exits.
    total = subtree_counts(world.root, Period(D(2020, 1, 1), D(2024, 12, 31))).total
    assert total.members == total.admissions - total.exits == 5
    assert total.exits_by_reason == {"retired": 1, "left_job": 1}


def test_subtree_as_the_tree_was(world, history):
    """A2 moves from unit A to unit B on 1/6/2024: before, its members count under A."""
    org.unit_move(actor=None, unit=world.grass_a2, new_parent=world.unit_b, day=D(2024, 6, 1))
    before = subtree_counts(world.unit_a, Period(D(2024, 1, 1), D(2024, 5, 31)))
    assert "A2" in rows_by_code(before) and before.total.members == 3
    assert before.total.admissions == 1  # Thu, admitted to A2 on 10/1/2024
    after = subtree_counts(world.unit_a, Period(D(2024, 1, 1), D(2024, 12, 31)))
    rows = rows_by_code(after)
    assert after.total.members == 1  # only A1 is left under A
    # A2's admission of January was made under A; it stays there, shown as no longer in the tree.
    assert after.total.admissions == 1 and rows["A2"].active is False
    b = subtree_counts(world.unit_b, Period(D(2024, 6, 1), D(2024, 12, 31)))
    assert rows_by_code(b)["A2"].figures.members == 2 and b.total.members == 4


def test_merge_split_and_dissolution(world, history):
    cdcs = unit_type("cdcs")
    day = D(2025, 1, 1)
    org.units_merge(actor=None, sources=[world.grass_a1], target=world.grass_a2, day=day)
    f = counts.unit_figures([world.grass_a1.pk, world.grass_a2.pk], Period(day, day))
    assert f[world.grass_a1.pk].reorg_out == 1 and f[world.grass_a1.pk].members == 0
    assert f[world.grass_a2.pk].reorg_in == 1 and f[world.grass_a2.pk].members == 3
    # In unit A's total the move by the merger is internal.
    result = subtree_counts(world.unit_a, Period(day, day))
    assert (result.total.reorg_in, result.total.reorg_out, result.total.members) == (0, 0, 3)
    assert rows_by_code(result)["A1"].active is False
    # A split of A2 into two new unions, then one of them dissolved without a receiver.
    t1 = org.unit_create(
        actor=None,
        parent=world.unit_a,
        code="A5",
        name="CĐCS Năm",
        unit_type=cdcs,
        day=D(2025, 2, 1),
    )
    t2 = org.unit_create(
        actor=None,
        parent=world.unit_a,
        code="A6",
        name="CĐCS Sáu",
        unit_type=cdcs,
        day=D(2025, 2, 1),
    )
    org.unit_split(actor=None, source=world.grass_a2, targets=[t1, t2], day=D(2025, 3, 1))
    org.unit_dissolve(actor=None, unit=t1, day=D(2025, 4, 1), children_to=t2)
    spring = Period(D(2025, 3, 1), D(2025, 4, 30))
    result = subtree_counts(world.unit_a, spring)
    assert result.total.members == 0 and result.total.members_at_start == 3
    # The members left on the dissolution day, counted under unit A although A5 is gone.
    assert result.total.exits_by_reason == {"unit_dissolved": 3}
    assert result.total.members == result.total.members_at_start - result.total.exits
    assert_counts_agree(
        [D(2024, 12, 31), day, D(2025, 3, 1), D(2025, 4, 1), D(2025, 12, 31)],
        [Period(D(2025, 1, 1), D(2025, 12, 31))],
    )


def test_cluster_counts(world, history):
    year = timezone.localdate().year
    cluster = Cluster.objects.create(
        code="cum-1", name="Cụm thi đua số 1", organiser=world.province
    )
    for unit in (world.unit_a, world.grass_a1, world.unit_b):
        ClusterMembership.objects.create(cluster=cluster, year=year, unit=unit)
    period = Period(D(year, 1, 1), timezone.localdate())
    result = counts.cluster_counts(cluster, period)
    assert {r.code for r in result.rows} == {"HA", "A1", "HB"}
    # A1 lies inside HA: counted once in the total.
    assert result.total.members == 5 and result.hidden_units == 0
    mine = counts.cluster_counts(cluster, period, user=world.officer_a)
    assert {r.code for r in mine.rows} == {"HA", "A1"} and mine.hidden_units == 1
    assert mine.total.members == 3


def test_past_dated_admission_updates_every_later_snapshot(world):
    from congdoan.members.models import MemberCountSnapshot

    h = summaries.horizon()
    today = timezone.localdate()
    assert h.until == today.replace(day=1) - dt.timedelta(days=1)
    assert h.monthly_from == D(h.until.year - 1, 1, 31)
    admit(world.grass_a1, "Cũ", D(2020, 7, 1), "F")
    snapshots = dict(
        MemberCountSnapshot.objects.filter(unit=world.grass_a1).values_list("day", "women")
    )
    assert snapshots == dict.fromkeys(h.days_from(D(2020, 1, 1)), 2)
    for day in [D(2020, 12, 31), h.until, h.monthly_from, today]:
        assert members_per_unit(day)[world.grass_a1.pk] == (2, 2)
    assert members_per_unit(D(2020, 6, 30))[world.grass_a1.pk] == (1, 1)
    assert_counts_agree([D(2020, 6, 30), D(2020, 7, 1), h.until, today])


def test_snapshot_days():
    h = summaries.Horizon(D(2026, 10, 31), D(2025, 1, 31))
    assert h.days_from(D(2023, 5, 5))[:3] == [D(2023, 12, 31), D(2024, 12, 31), D(2025, 1, 31)]
    assert h.days_from(D(2026, 9, 1)) == [D(2026, 9, 30), D(2026, 10, 31)]
    assert len(h.days_from(D(2025, 1, 1))) == 22 and h.days_from(D(2026, 11, 1)) == []
    assert h.base(D(2026, 11, 20)) == D(2026, 10, 31)
    assert h.base(D(2026, 3, 31)) == D(2026, 3, 31)
    assert h.base(D(2025, 2, 14)) == D(2025, 1, 31)
    assert h.base(D(2025, 1, 14)) == D(2024, 12, 31)
    assert h.base(D(2024, 6, 30)) == D(2023, 12, 31)
    assert h.base(D(2023, 12, 31)) == D(2023, 12, 31)
    assert summaries.Horizon(None, None).base(D(2024, 1, 1)) is None


def test_reads_before_the_snapshots_are_rolled_forward(world, history):
    """A new month started: reads use the older snapshots plus the deltas since; the next write
    rolls the snapshots forward."""
    from congdoan.members.models import MemberCountSnapshot, MemberSummaryState

    h = summaries.horizon()
    old = D(h.until.year - 1, 3, 31)
    MemberCountSnapshot.objects.filter(day__gt=old).delete()
    MemberSummaryState.objects.update(snapshot_until=old)
    assert members_per_unit(D(2024, 12, 31)) == counts.members_from_spells(D(2024, 12, 31))
    assert members_per_unit(h.until) == counts.members_from_spells(h.until)
    admit(world.grass_b1, "Mới", D(2023, 2, 1))
    assert summaries.horizon() == h
    assert_counts_agree([D(2023, 1, 31), D(2023, 2, 1), D(2024, 12, 31), old, h.until])


def test_sex_correction_changes_women_counts(world, history):
    from congdoan.members.services import member_update

    member_update(actor=None, member=history["hung"], sex="F")
    assert members_per_unit(D(2022, 1, 1))[world.grass_a1.pk] == (3, 3)
    assert_counts_agree([D(2022, 1, 1), D(2023, 4, 1), D(2025, 1, 1)])


# ---------------------------------------------------------------------------------------------
# The statistics page


def test_stats_page(client_of, world, history):
    response = client_of("officer_a").get(
        "/members/stats/", {"unit": "HA", "date_from": "01/01/2023", "as_of": "31/12/2023"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "CĐCS ALPHA Một" in body and "31/12/2023" in body
    assert "66,7%" in body  # 2 women among 3 members on 31/12/2023
    result = response.context["result"]
    assert result.total.members == 3 and result.total.transfers_out == 1
    # Default: the user's own top unit, this year.
    response = client_of("officer_a").get("/members/stats/")
    assert response.context["result"].unit_id == world.unit_a.pk
    # A unit outside the scope is "not found", like a unit that does not exist.
    response = client_of("officer_b").get("/members/stats/", {"unit": "HA"})
    assert response.status_code == 200 and response.context["result"] is None
    assert "ALPHA" not in response.content.decode()
    response = client_of("officer_a").get(
        "/members/stats/", {"unit": "HA", "date_from": "01/01/2024", "as_of": "31/12/2023"}
    )
    assert response.context["form"].errors["date_from"]


def test_stats_page_cluster_and_numbers(client_of, world):
    year = timezone.localdate().year
    cluster = Cluster.objects.create(code="cum-2", name="Cụm thi đua số 2", organiser=world.unit_a)
    ClusterMembership.objects.create(cluster=cluster, year=year, unit=world.grass_a1)
    # A large (fake) figure to see Vietnamese number formatting.
    fake = summaries.Changes()
    fake.add(world.grass_a1.pk, D(year, 1, 2), members=1234566)
    fake.apply()
    response = client_of("officer_a").get("/members/stats/", {"unit": "A1", "cluster": cluster.pk})
    body = response.content.decode()
    assert response.context["cluster_result"].total.members == 1234567
    assert "1.234.567" in body and "Cụm thi đua số 2" in body


def test_stats_page_needs_member_scope(world, client):
    viewer = make_user("org_only", None)
    client.force_login(viewer)
    assert client.get("/members/stats/").status_code == 403
