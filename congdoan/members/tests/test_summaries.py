"""The per-unit summaries stay equal to the spells and events after every service, and the
command `rebuild_member_summaries` finds and repairs differences."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from congdoan.core.tests.support import make_user, unit_type
from congdoan.members import summaries
from congdoan.members.models import (
    ExitReason,
    Member,
    MemberCountDelta,
    MemberCountSnapshot,
    MemberEvent,
    Membership,
)
from congdoan.members.services import (
    member_discipline,
    member_exit,
    member_party_admission,
    member_party_referral,
    member_readmit,
    member_resume,
    member_suspend,
    member_update,
    members_admit_many,
    transfer_cancel,
    transfer_confirm,
    transfer_reject,
    transfer_request,
)
from congdoan.members.tests.test_counts import admit, assert_counts_agree
from congdoan.organisation import services as org

pytestmark = pytest.mark.django_db
D = dt.date
CHECK_DAYS = [D(2020, 1, 1), D(2021, 12, 31), D(2022, 6, 30), D(2023, 12, 31), D(2025, 12, 31)]


def test_every_exit_reason_has_a_column():
    fields = {f.name for f in MemberCountDelta._meta.get_fields()}
    assert {f"exits_{r}" for r in ExitReason.values} <= fields
    assert set(summaries.COLUMNS) <= fields


def test_after_every_member_service(world):
    a1, a2, b1 = world.grass_a1, world.grass_a2, world.grass_b1
    clerk = make_user("clerk", "data_entry", a1)  # may change members of A1 only
    lan = admit(a1, "Lan", D(2021, 3, 1), "F")
    assert_counts_agree(CHECK_DAYS)
    hoa = admit(a2, "Hòa", D(2021, 4, 1), "F")
    # Transfer asked by A1's clerk, refused, asked again, confirmed by A2's side (officer A).
    t = transfer_request(actor=clerk, member=lan, to_unit=a2, day=D(2022, 1, 1))
    transfer_reject(actor=world.officer_a, request=t, reason="Chưa đủ hồ sơ")
    t = transfer_request(actor=clerk, member=lan, to_unit=a2, day=D(2022, 1, 1))
    transfer_cancel(actor=clerk, request=t)
    t = transfer_request(actor=clerk, member=lan, to_unit=a2, day=D(2022, 2, 1))
    assert MemberCountDelta.objects.filter(unit=a2, day=D(2022, 2, 1)).count() == 0
    transfer_confirm(actor=world.officer_a, request=t)
    assert_counts_agree(CHECK_DAYS)
    member_suspend(actor=None, member=hoa, day=D(2022, 3, 1))
    member_resume(actor=None, member=hoa, day=D(2022, 9, 1))
    member_party_referral(actor=None, member=hoa, day=D(2023, 1, 5))
    member_party_admission(actor=None, member=hoa, day=D(2023, 6, 5))
    member_discipline(actor=None, member=lan, day=D(2023, 2, 1), level="warning")
    assert_counts_agree(CHECK_DAYS)
    member_discipline(actor=None, member=lan, day=D(2023, 7, 1), level="expulsion")
    member_exit(actor=None, member=hoa, day=D(2023, 8, 1), reason="deceased")
    assert_counts_agree(CHECK_DAYS)
    member_readmit(actor=None, member=lan, unit=b1, day=D(2024, 1, 1))
    member_update(actor=None, member=lan, sex="M", note="Sửa giới tính nhập nhầm")
    member_update(actor=None, member=world.member_b, phone="0912 345 678")
    assert_counts_agree(CHECK_DAYS)
    f = summaries.differences()
    assert f == []


def test_admit_many(world):
    prepared = [
        Member(
            unit=world.grass_b1,
            family_name="Đỗ",
            given_name=f"Người {i}",
            sex="F" if i % 2 else "M",
            admitted_on=D(2019 + i % 5, 1 + i % 12, 1),
        )
        for i in range(30)
    ]
    members_admit_many(actor=None, members=prepared)
    assert_counts_agree([*CHECK_DAYS, D(2019, 12, 31)])


def test_many_changes_at_once(world):
    """Hundreds of admissions in one call (on PostgreSQL they travel through COPY into a
    temporary table), then again into the same days: the summaries add up."""
    for batch in range(2):
        prepared = [
            Member(
                unit=world.grass_a1 if i % 3 else world.grass_a2,
                family_name="Lý",
                given_name=f"Người {batch}-{i}",
                sex="F" if i % 2 else "M",
                admitted_on=D(2020 + i % 6, 1 + i % 12, 1 + i % 28),
            )
            for i in range(450)
        ]
        members_admit_many(actor=None, members=prepared)
    assert_counts_agree([*CHECK_DAYS, D(2020, 12, 31), D(2023, 2, 14)])


def test_after_reorganisations(world):
    cdcs = unit_type("cdcs")
    for i in range(4):
        admit(world.grass_a2, f"Hai {i}", D(2021, 1 + i, 1), "F" if i % 2 else "M")
    org.units_merge(actor=None, sources=[world.grass_a2], target=world.grass_a1, day=D(2022, 1, 1))
    assert_counts_agree([*CHECK_DAYS, D(2022, 1, 1)])
    new = [
        org.unit_create(
            actor=None, parent=world.unit_b, code=f"B{i}", name=f"CĐCS Bê {i}", unit_type=cdcs,
            day=D(2023, 1, 1),
        )
        for i in (2, 3)
    ]  # fmt: skip
    ids = list(Member.objects.filter(unit=world.grass_b1).values_list("pk", flat=True))
    org.unit_split(
        actor=None,
        source=world.grass_b1,
        targets=new,
        day=D(2023, 3, 1),
        member_targets={ids[0]: new[1]},
    )
    org.unit_dissolve(actor=None, unit=new[1], day=D(2023, 9, 1))
    org.unit_dissolve(
        actor=None, unit=world.grass_a1, day=D(2024, 1, 1), members_to=new[0],
        children_to=world.unit_a,
    )  # fmt: skip
    assert_counts_agree([*CHECK_DAYS, D(2023, 3, 1), D(2023, 9, 1), D(2024, 1, 1)])
    # Nobody was lost: the members moved by reorganisations are all still members or left
    # because their unit was dissolved.
    assert Member.objects.count() == 6
    assert MemberEvent.objects.filter(kind="exit", reason="unit_dissolved").count() == 1


def test_check_and_rebuild_command(world):
    admit(world.grass_a1, "Lan", D(2021, 3, 1), "F")
    out = StringIO()
    call_command("rebuild_member_summaries", "--check", stdout=out)
    assert "agree" in out.getvalue()
    # A bulk write that bypassed the services: the check sees it, the rebuild repairs it.
    member = Member.objects.create(
        unit=world.grass_b1, family_name="Vũ", given_name="An", sex="F", admitted_on=D(2022, 1, 1)
    )
    Membership.objects.create(member=member, unit=world.grass_b1, start=D(2022, 1, 1))
    MemberEvent.objects.create(
        member=member, kind="admit", date=D(2022, 1, 1), to_unit=world.grass_b1
    )
    with pytest.raises(CommandError, match="differences"):
        call_command("rebuild_member_summaries", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_member_summaries", stdout=out)
    assert "Rebuilt" in out.getvalue()
    assert_counts_agree(CHECK_DAYS)
    snapshot = MemberCountSnapshot.objects.get(unit=world.grass_b1, day=D(2022, 12, 31))
    assert snapshot.women == 1


def test_refresh_units_after_a_bulk_write(world):
    """What an import through COPY does: write the rows, then refresh the units it touched."""
    member = Member.objects.create(
        unit=world.grass_a2, family_name="Vũ", given_name="Bình", sex="M", admitted_on=D(2021, 5, 1)
    )
    Membership.objects.create(member=member, unit=world.grass_a2, start=D(2021, 5, 1))
    MemberEvent.objects.create(
        member=member, kind="admit", date=D(2021, 5, 1), to_unit=world.grass_a2
    )
    assert summaries.differences()
    summaries.refresh_units([world.grass_a2.pk])
    assert_counts_agree(CHECK_DAYS)
    # Refreshing again changes nothing.
    summaries.refresh_units([world.grass_a2.pk, world.grass_a1.pk])
    assert_counts_agree(CHECK_DAYS)


def test_first_write_builds_the_snapshots(world):
    """A database migrated with members already in it has deltas and no snapshots yet."""
    from congdoan.members.models import MemberSummaryState

    MemberCountSnapshot.objects.all().delete()
    MemberSummaryState.objects.update(snapshot_until=None, monthly_from=None)
    assert summaries.horizon().until is None
    assert_counts_agree(CHECK_DAYS)  # reads from the deltas alone
    admit(world.grass_a1, "Lan", D(2021, 3, 1), "F")
    assert summaries.horizon().until is not None
    assert MemberCountSnapshot.objects.filter(unit=world.grass_b1).exists()
    assert_counts_agree(CHECK_DAYS)


def test_migration_fill_matches_the_recomputation(world):
    """Migration 0005 fills the deltas of members recorded before it as the code does."""
    from importlib import import_module

    migration = import_module("congdoan.members.migrations.0005_member_count_summaries")
    admit(world.grass_a1, "Lan", D(2021, 3, 1), "F")
    member_exit(actor=None, member=world.member_b, day=D(2022, 1, 1), reason="retired")
    MemberCountDelta.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_DELTAS)
    assert summaries.differences() == []
