"""Rules of the tree services: create, update, move, merge, split, dissolve, dry run, scope."""

import datetime as dt

import pytest
from django.utils import timezone

from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.members.models import ExitReason, Member, MemberEvent, MemberStatus
from congdoan.organisation import selectors
from congdoan.organisation import services as org
from congdoan.organisation.models import LineageLink, ReorgEvent, Unit, UnitVersion

D1 = dt.date(2023, 3, 1)
D2 = dt.date(2024, 5, 10)
REFORM = dt.date(2025, 7, 1)


def fresh(unit):
    return Unit.objects.get(pk=unit.pk)


def state():
    return (
        list(
            Unit.objects.order_by("pk").values_list(
                "pk", "path", "parent_id", "name", "dissolved_on"
            )
        ),
        list(
            UnitVersion.objects.order_by("pk").values_list("pk", "valid_from", "valid_to", "path")
        ),
        list(Member.objects.order_by("pk").values_list("pk", "unit_id", "status")),
        ReorgEvent.objects.count(),
        LineageLink.objects.count(),
    )


def test_create_checks_code_level_and_dates(world):
    cdcs = unit_type("cdcs")
    with pytest.raises(RuleViolation, match="HA"):
        org.unit_create(
            actor=None, parent=world.unit_a, code="ha", name="Trùng mã", unit_type=cdcs, day=D1
        )
    with pytest.raises(RuleViolation):  # a grassroots union under a grassroots union
        org.unit_create(
            actor=None, parent=world.grass_a1, code="X1", name="Sai cấp", unit_type=cdcs, day=D1
        )
    with pytest.raises(RuleViolation):  # district federations no longer exist after 30/06/2025
        org.unit_create(
            actor=None,
            parent=world.province,
            code="X2",
            name="Huyện mới",
            unit_type=unit_type("ldld_huyen"),
            day=REFORM,
        )
    with pytest.raises(RuleViolation):  # commune unions do not exist before 01/07/2025
        org.unit_create(
            actor=None,
            parent=world.province,
            code="X3",
            name="Xã cũ",
            unit_type=unit_type("cd_xa"),
            day=D1,
        )
    future = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(RuleViolation):
        org.unit_create(
            actor=None, parent=world.unit_a, code="X4", name="Tương lai", unit_type=cdcs, day=future
        )


def test_create_records_version_and_address(world):
    from congdoan.organisation.divisions import wards_of

    ward_code, ward = wards_of(12)[0]
    unit = org.unit_create(
        actor=None,
        parent=world.province,
        code="xa1",
        name="  Công đoàn  xã Thử ",
        unit_type=unit_type("cd_xa"),
        day=REFORM,
        province_code=12,
        ward_code=ward_code,
    )
    assert unit.code == "XA1" and unit.name == "Công đoàn xã Thử"
    assert unit.ward_name == ward and unit.province_name == "Lai Châu"
    version = UnitVersion.objects.get(unit=unit)
    assert (version.valid_from, version.valid_to, version.parent_id, version.path) == (
        REFORM,
        None,
        world.province.pk,
        unit.path,
    )
    with pytest.raises(RuleViolation):  # a commune of Lai Châu is not in Hà Nội
        org.unit_create(
            actor=None,
            parent=world.province,
            code="xa2",
            name="Sai tỉnh",
            unit_type=unit_type("cd_xa"),
            day=REFORM,
            province_code=1,
            ward_code=ward_code,
        )


def test_rename_keeps_old_name_on_old_dates(world):
    org.unit_update(actor=world.officer_a, unit=world.grass_a1, day=D2, name="CĐCS ALPHA Một (mới)")
    assert selectors.version_on(world.grass_a1, D1).name == "CĐCS ALPHA Một"
    assert selectors.version_on(world.grass_a1, D2).name == "CĐCS ALPHA Một (mới)"
    record = fresh(world.grass_a1).history.first()
    assert record.history_user == world.officer_a and record.history_change_reason == "unit_update"
    with pytest.raises(RuleViolation, match="10/05/2024"):  # history is appended, never rewritten
        org.unit_update(actor=None, unit=world.grass_a1, day=D1, short_name="Sớm hơn")


def test_move_subtree_keeps_history_and_refuses_cycles(world):
    with pytest.raises(RuleViolation):
        org.unit_move(actor=None, unit=world.unit_a, new_parent=world.group_a1, day=D1)
    with pytest.raises(RuleViolation):  # a grassroots union cannot sit directly under another one
        org.unit_move(actor=None, unit=world.grass_a2, new_parent=world.grass_b1, day=D1)
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=D1)
    a1, group = fresh(world.grass_a1), fresh(world.group_a1)
    assert a1.parent == world.unit_b and a1.path.startswith(fresh(world.unit_b).path)
    assert group.path.startswith(a1.path)
    before = {v.unit_id for v in selectors.subtree_on(world.unit_a, D1 - dt.timedelta(days=1))}
    after = {v.unit_id for v in selectors.subtree_on(world.unit_a, D1)}
    assert {world.grass_a1.pk, world.group_a1.pk} <= before
    assert not {world.grass_a1.pk, world.group_a1.pk} & after
    assert world.group_a1.pk in {v.unit_id for v in selectors.subtree_on(world.unit_b, D1)}
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_merge_moves_children_members_and_records_lineage(world):
    org.units_merge(actor=world.national, sources=[world.unit_a], target=world.unit_b, day=D2)
    a, b = fresh(world.unit_a), fresh(world.unit_b)
    assert a.dissolved_on == D2 and "HB" in a.dissolution_reason
    assert fresh(world.grass_a1).parent == b and fresh(world.grass_a2).parent == b
    link = LineageLink.objects.get(source=a)
    assert link.target == b and link.children_moved == 2
    assert selectors.lineage(b)["came_from"][0].source == a
    assert selectors.lineage(a)["became"][0].target == b
    assert ReorgEvent.objects.get(pk=link.event_id).kind == "merge"
    # The member of A1 stays in A1 (A1 itself moved), nobody was lost.
    assert Member.objects.filter(status=MemberStatus.ACTIVE).count() == 2


def test_merge_refuses_target_inside_source(world):
    with pytest.raises(RuleViolation):
        org.units_merge(actor=None, sources=[world.unit_a], target=world.grass_a1, day=D2)


def test_split_assigns_members_and_children(world):
    from congdoan.members.services import member_admit

    extra = member_admit(
        actor=None,
        unit=world.grass_a1,
        family_name="Lò",
        given_name="Văn Sáng",
        sex="M",
        admitted_on=D1,
    )
    new1 = org.unit_create(
        actor=None,
        parent=world.unit_a,
        code="A3",
        name="CĐCS ALPHA Ba",
        unit_type=unit_type("cdcs"),
        day=D2,
    )
    new2 = org.unit_create(
        actor=None,
        parent=world.unit_a,
        code="A4",
        name="CĐCS ALPHA Bốn",
        unit_type=unit_type("cdcs"),
        day=D2,
    )
    org.unit_split(
        actor=None,
        source=world.grass_a1,
        targets=[new1, new2],
        day=D2,
        member_targets={extra.pk: new2},
    )
    assert Member.objects.get(pk=extra.pk).unit == new2
    assert Member.objects.get(pk=world.member_a.pk).unit == new1
    assert fresh(world.group_a1).parent == new1
    assert LineageLink.objects.filter(source=world.grass_a1).count() == 2
    assert fresh(world.grass_a1).dissolved_on == D2


def test_dissolve_members_leave_or_move(world):
    with pytest.raises(RuleViolation, match="1"):  # A1 still has a union group
        org.unit_dissolve(actor=None, unit=world.grass_a1, day=REFORM)
    org.unit_dissolve(actor=None, unit=world.grass_a1, day=REFORM, children_to=world.grass_a2)
    member = Member.objects.get(pk=world.member_a.pk)
    assert member.status == MemberStatus.EXITED and member.exit_reason == ExitReason.UNIT_DISSOLVED
    assert member.exited_on == REFORM
    assert MemberEvent.objects.filter(
        member=member, kind="exit", reorg_event__isnull=False
    ).exists()
    org.unit_dissolve(actor=None, unit=world.grass_b1, day=REFORM, members_to=world.unit_b)
    assert Member.objects.get(pk=world.member_b.pk).unit == world.unit_b
    assert Member.objects.get(pk=world.member_b.pk).status == MemberStatus.ACTIVE


def test_dry_run_changes_nothing_and_describes_everything(world):
    before = state()
    changes = org.dry_run(
        org.units_merge, actor=None, sources=[world.unit_a], target=world.unit_b, day=D2
    )
    assert state() == before
    kinds = [c.kind for c in changes.items]
    assert kinds.count("move") == 2 and "dissolve" in kinds
    totals = changes.totals()
    assert totals["move"] == 2 and totals["dissolve"] == 1


def test_services_respect_scope(world):
    # Refusals name nothing outside the actor's scope (issue 11).
    with pytest.raises(RuleViolation, match="trong phạm vi") as exc:
        org.unit_move(actor=world.officer_a, unit=world.grass_b1, new_parent=world.unit_a, day=D1)
    assert "B1" not in str(exc.value)
    with pytest.raises(RuleViolation, match="trong phạm vi") as exc:
        org.unit_move(actor=world.officer_a, unit=world.grass_a1, new_parent=world.unit_b, day=D1)
    assert "HB" not in str(exc.value)
    before = state()
    with pytest.raises(RuleViolation):
        org.units_merge(
            actor=world.officer_b, sources=[world.grass_a1], target=world.grass_b1, day=D1
        )
    assert state() == before
    org.unit_move(actor=world.officer_a, unit=world.group_a1, new_parent=world.grass_a2, day=D1)
