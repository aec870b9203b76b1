"""Rules of the emulation-cluster services: scope, members under the organiser, one head."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.core.exceptions import RuleViolation
from congdoan.organisation import services as org
from congdoan.organisation.models import Cluster, ClusterMembership


@pytest.fixture
def cluster(world):
    return org.cluster_create(
        actor=world.officer_a, organiser=world.unit_a, code="cum-a", name="Cụm thi đua A"
    )


def members(cluster, year):
    return sorted(
        ClusterMembership.objects.filter(cluster=cluster, year=year).values_list(
            "unit__code", "is_head"
        )
    )


def test_create_records_who_and_why(world, cluster):
    assert cluster.organiser == world.unit_a
    assert cluster.kind == "cluster"
    record = cluster.history.get()
    assert record.history_user == world.officer_a
    assert record.history_change_reason == "cluster_create"


def test_create_needs_scope_on_the_organiser(world):
    with pytest.raises(RuleViolation) as exc:
        org.cluster_create(actor=world.officer_b, organiser=world.unit_a, code="x", name="X")
    assert "HA" not in str(exc.value) and "ALPHA" not in str(exc.value)  # names nothing
    assert not Cluster.objects.filter(code="x").exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "cum-a", "name": "Trùng mã"}, "code"),
        ({"code": "có dấu", "name": "Mã sai"}, "code"),
        ({"code": "", "name": "Không mã"}, "code"),
        ({"code": "ok", "name": "  "}, "name"),
        ({"code": "ok", "name": "Loại lạ", "kind": "team"}, "kind"),
    ],
)
def test_create_checks_values(world, cluster, values, field):
    with pytest.raises(RuleViolation) as exc:
        org.cluster_create(actor=world.officer_a, organiser=world.unit_a, **values)
    assert exc.value.field == field


def test_dissolved_unit_cannot_organise(world):
    org.unit_dissolve(actor=None, unit=world.group_a1, day=dt.date(2024, 1, 1))
    with pytest.raises(RuleViolation) as exc:
        org.cluster_create(actor=None, organiser=world.group_a1, code="x", name="X")
    assert exc.value.field == "organiser"


def test_update_changes_only_what_differs(world, cluster):
    org.cluster_update(actor=world.officer_a, cluster=cluster, name="Khối thi đua A", kind="block")
    cluster.refresh_from_db()
    assert (cluster.name, cluster.kind) == ("Khối thi đua A", "block")
    assert cluster.history.first().history_change_reason == "cluster_update"
    with pytest.raises(RuleViolation):
        org.cluster_update(actor=world.officer_b, cluster=cluster, name="Của B")
    with pytest.raises(TypeError):
        org.cluster_update(actor=world.officer_a, cluster=cluster, colour="red")


def test_update_organiser_keeps_members_underneath(world, cluster):
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a1, year=2024)
    with pytest.raises(RuleViolation) as exc:
        org.cluster_update(actor=None, cluster=cluster, organiser=world.grass_a2)
    assert exc.value.field == "organiser"
    org.cluster_update(actor=None, cluster=cluster, organiser=world.province)
    assert Cluster.objects.get(pk=cluster.pk).organiser == world.province


def test_members_must_lie_under_the_organiser_and_be_active(world, cluster):
    with pytest.raises(RuleViolation) as exc:
        org.cluster_member_add(
            actor=world.officer_a, cluster=cluster, unit=world.grass_b1, year=2024
        )
    assert exc.value.field == "unit"
    org.unit_dissolve(actor=None, unit=world.group_a1, day=dt.date(2024, 1, 1))
    with pytest.raises(RuleViolation):
        org.cluster_member_add(
            actor=world.officer_a, cluster=cluster, unit=world.group_a1, year=2024
        )
    assert members(cluster, 2024) == []


def test_member_add_scope_duplicates_and_years(world, cluster):
    org.cluster_member_add(actor=world.officer_a, cluster=cluster, unit=world.grass_a1, year=2024)
    with pytest.raises(RuleViolation):  # twice in one year
        org.cluster_member_add(
            actor=world.officer_a, cluster=cluster, unit=world.grass_a1, year=2024
        )
    with pytest.raises(RuleViolation):  # officer B does not manage unit A's clusters
        org.cluster_member_add(
            actor=world.officer_b, cluster=cluster, unit=world.grass_a2, year=2024
        )
    with pytest.raises(RuleViolation) as exc:
        org.cluster_member_add(actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=24)
    assert exc.value.field == "year"
    org.cluster_member_add(actor=world.officer_a, cluster=cluster, unit=world.grass_a1, year=2025)
    assert members(cluster, 2024) == [("A1", False)]


def test_one_head_per_cluster_year(world, cluster):
    org.cluster_member_add(
        actor=None, cluster=cluster, unit=world.grass_a1, year=2024, is_head=True
    )
    with pytest.raises(RuleViolation) as exc:
        org.cluster_member_add(
            actor=None, cluster=cluster, unit=world.grass_a2, year=2024, is_head=True
        )
    assert exc.value.field == "is_head"
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a2, year=2024)
    head = org.cluster_set_head(
        actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=2024
    )
    assert head.is_head and head.unit == world.grass_a2
    assert members(cluster, 2024) == [("A1", False), ("A2", True)]
    # A head in another year is independent.
    org.cluster_member_add(
        actor=None, cluster=cluster, unit=world.grass_a1, year=2025, is_head=True
    )
    assert members(cluster, 2025) == [("A1", True)]


def test_set_head_needs_a_member_and_scope(world, cluster):
    with pytest.raises(RuleViolation) as exc:
        org.cluster_set_head(actor=None, cluster=cluster, unit=world.grass_a1, year=2024)
    assert exc.value.field == "unit"
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a1, year=2024)
    with pytest.raises(RuleViolation):
        org.cluster_set_head(actor=world.officer_b, cluster=cluster, unit=world.grass_a1, year=2024)
    assert members(cluster, 2024) == [("A1", False)]


def test_member_remove(world, cluster):
    m = org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a1, year=2024)
    with pytest.raises(RuleViolation):
        org.cluster_member_remove(actor=world.officer_b, membership=m)
    org.cluster_member_remove(actor=world.officer_a, membership=m)
    assert members(cluster, 2024) == []
    deleted = ClusterMembership.history.filter(id=m.pk, history_type="-").get()
    assert deleted.history_user == world.officer_a
    assert deleted.history_change_reason == "cluster_member_remove"


def test_copy_year_skips_dissolved_and_present_units(world, cluster):
    org.cluster_member_add(
        actor=None, cluster=cluster, unit=world.grass_a1, year=2024, is_head=True
    )
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a2, year=2024)
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.group_a1, year=2024)
    org.unit_dissolve(actor=None, unit=world.group_a1, day=dt.date(2024, 12, 31))
    org.cluster_member_add(actor=None, cluster=cluster, unit=world.grass_a2, year=2025)

    n = org.cluster_copy_year(actor=world.officer_a, cluster=cluster, from_year=2024, to_year=2025)

    assert n == 1
    assert members(cluster, 2025) == [("A1", True), ("A2", False)]
    assert members(cluster, 2024) == [("A1", True), ("A1T1", False), ("A2", False)]
    copied = ClusterMembership.history.filter(year=2025, unit_id=world.grass_a1.pk).get()
    assert copied.history_user == world.officer_a
    assert copied.history_change_reason == "cluster_copy_year"
    # Again: nothing left to copy; the existing head is kept.
    assert org.cluster_copy_year(actor=None, cluster=cluster, from_year=2024, to_year=2025) == 0


def test_copy_year_keeps_an_existing_head_and_checks_input(world, cluster):
    org.cluster_member_add(
        actor=None, cluster=cluster, unit=world.grass_a1, year=2024, is_head=True
    )
    org.cluster_member_add(
        actor=None, cluster=cluster, unit=world.grass_a2, year=2025, is_head=True
    )
    assert org.cluster_copy_year(actor=None, cluster=cluster, from_year=2024, to_year=2025) == 1
    assert members(cluster, 2025) == [("A1", False), ("A2", True)]
    with pytest.raises(RuleViolation):
        org.cluster_copy_year(actor=None, cluster=cluster, from_year=2024, to_year=2024)
    with pytest.raises(RuleViolation):
        org.cluster_copy_year(actor=world.officer_b, cluster=cluster, from_year=2024, to_year=2026)
    assert members(cluster, 2026) == []
