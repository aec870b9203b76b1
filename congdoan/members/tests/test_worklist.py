"""What the member registry puts on the home page's work list (`members/worklist.py`): transfers
to confirm, possible duplicates to review, the user's recent imports; scoped like the pages
they link to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from congdoan.core.tests.support import MARKER_A, START, make_user
from congdoan.members import selectors, services, worklist
from congdoan.members.models import ImportJob, ImportStatus


def kinds(user) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in worklist.work_items(user):
        out.setdefault(item.kind, []).append(item)
    return out


def home(client) -> str:
    response = client.get(reverse("organisation:home"))
    assert response.status_code == 200
    return response.content.decode()


# --- transfers -------------------------------------------------------------------------------


def test_a_transfer_waits_for_the_side_that_did_not_ask(world):
    # B's officer sends member B to A's grassroots union: A confirms.
    services.transfer_request(
        actor=world.officer_b, member=world.member_b, to_unit=world.grass_a1, day=START
    )
    [item] = kinds(world.officer_a)["transfers"]
    assert item.count == 1 and item.url == reverse("members:transfer_list")
    assert "transfers" not in kinds(world.officer_b)  # B asked: it waits for A
    assert kinds(world.national)["transfers"][0].count == 1  # both sides are the national's


def test_a_transfer_asked_by_the_receiving_side_waits_for_the_sender(world):
    services.transfer_request(
        actor=world.officer_a, member=world.member_b, to_unit=world.grass_a1, day=START
    )
    assert "transfers" not in kinds(world.officer_a)
    assert kinds(world.officer_b)["transfers"][0].count == 1


@pytest.mark.parametrize("persona", ["national", "officer_a", "officer_b"])
def test_transfers_follow_the_rule_of_the_transfers_page(world, persona):
    services.transfer_request(
        actor=world.officer_b, member=world.member_b, to_unit=world.grass_a1, day=START
    )
    services.transfer_request(
        actor=world.officer_a,
        member=services.member_admit(
            actor=None,
            unit=world.grass_a2,
            family_name="Lê",
            given_name=f"{MARKER_A}an",
            sex="M",
            admitted_on=START,
        ),
        to_unit=world.grass_b1,
        day=START,
    )
    user = world.persona(persona)
    page = selectors.transfer_lists(user).to_confirm.paginator.count
    items = kinds(user).get("transfers", [])
    assert (items[0].count if items else 0) == page


def test_a_viewer_has_no_transfer_to_confirm(world):
    services.transfer_request(
        actor=world.officer_b, member=world.member_b, to_unit=world.grass_a1, day=START
    )
    viewer = make_user("xem_a", "viewer", world.unit_a)
    assert "transfers" not in kinds(viewer)


# --- possible duplicates ---------------------------------------------------------------------


def _twin(unit):
    """A record with the name and birth date of the world's member A."""
    return services.member_admit(
        actor=None,
        unit=unit,
        family_name="Nguyễn",
        middle_name="Thị",
        given_name=f"{MARKER_A}hoa",
        sex="F",
        admitted_on=START,
        date_of_birth=dt.date(1990, 5, 17),
    )


def test_possible_duplicates_wait_for_either_side(world):
    _twin(world.grass_b1)  # same name and birth date as member A
    for persona in ("officer_a", "officer_b", "national"):
        [item] = kinds(world.persona(persona))["duplicates"]
        assert item.count == 1 and item.url == reverse("members:duplicate_list")
    viewer = make_user("xem_a", "viewer", world.unit_a)
    assert "duplicates" not in kinds(viewer)  # may not decide


def test_resolved_duplicates_are_gone(world, client_of):
    twin = _twin(world.grass_a2)
    [row] = selectors.duplicates_of(world.officer_a, twin)
    services.duplicate_resolve(actor=world.officer_a, flag=row.flag, status="distinct")
    assert "duplicates" not in kinds(world.officer_a)


# --- imports ---------------------------------------------------------------------------------


def _job(world, status, *, user=None, days_ago=0, filename="doan-vien.xlsx"):
    job = ImportJob.objects.create(
        unit=world.grass_a1,
        filename=filename,
        status=status,
        created_by=user or world.officer_a,
        created_count=12,
        message="Tệp hỏng" if status == ImportStatus.FAILED else "",
    )
    if days_ago:
        ImportJob.objects.filter(pk=job.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    return job


def test_the_users_recent_imports_link_to_their_page(world):
    done = _job(world, ImportStatus.DONE, filename="xong.xlsx")
    failed = _job(world, ImportStatus.FAILED, filename="hong.xlsx")
    ready = _job(world, ImportStatus.READY, filename="san-sang.xlsx")
    _job(world, ImportStatus.CHECKING, filename="dang-kiem.xlsx")  # not finished
    _job(world, ImportStatus.DONE, days_ago=10, filename="cu.xlsx")  # too old
    _job(world, ImportStatus.DONE, user=world.national, filename="cua-nguoi-khac.xlsx")
    items = kinds(world.officer_a)["imports"]
    assert [i.url for i in items] == [
        reverse("members:import_detail", args=[job.pk]) for job in (ready, failed, done)
    ]
    assert "12" in items[2].detail and "Tệp hỏng" in items[1].detail
    assert all(world.grass_a1.name in i.title for i in items)


def test_imports_of_a_unit_no_longer_in_scope_are_not_shown(world):
    job = _job(world, ImportStatus.DONE, user=world.officer_b)
    assert job.unit == world.grass_a1
    assert "imports" not in kinds(world.officer_b)


# --- the home page ---------------------------------------------------------------------------


def test_the_home_page_shows_what_waits_and_links_to_it(world, client_of):
    services.transfer_request(
        actor=world.officer_b, member=world.member_b, to_unit=world.grass_a1, day=START
    )
    _twin(world.grass_a2)
    job = _job(world, ImportStatus.DONE)
    body = home(client_of("officer_a"))
    assert 'id="work-transfers"' in body and reverse("members:transfer_list") in body
    assert 'id="work-duplicates"' in body and reverse("members:duplicate_list") in body
    assert reverse("members:import_detail", args=[job.pk]) in body
    assert "Chuyển sinh hoạt chờ xác nhận" in body  # Vietnamese by default


def test_the_home_page_of_b_shows_nothing_of_a(world, client_of):
    _twin(world.grass_a2)  # a pair inside A only
    _job(world, ImportStatus.DONE)
    body = home(client_of("officer_b"))
    assert MARKER_A not in body
    assert 'id="work-duplicates"' not in body
