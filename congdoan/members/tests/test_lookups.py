"""Look-ups by identity number are personal-data reads: logged with who, when and what was
sought, and limited per user (issue 11: a masked number could be recovered by searching)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.core.tests.support import START, make_user
from congdoan.members import services
from congdoan.members.imports import check_file, commit_file
from congdoan.members.lookups import LookupLimitReached, lookups_left
from congdoan.members.models import AccessKind, Member, PersonalDataAccess
from congdoan.members.tests.files import csv_bytes, member_rows

D = dt.date
CCCD_A = "001190123445"  # Hà Nội, a woman born in 1990 (member_a)
HOUR = 5


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.IDENTITY_LOOKUPS_PER_HOUR = HOUR
    settings.IDENTITY_LOOKUPS_PER_DAY = 8


@pytest.fixture
def member_a(world):
    return services.member_update(actor=None, member=world.member_a, citizen_id=CCCD_A)


@pytest.fixture
def viewer(world):
    client = Client()
    client.force_login(make_user("xem_a", "viewer", world.unit_a))
    return client


def candidates(known: str, n: int) -> list[str]:
    """What an attacker tries: numbers that agree with the mask, the sex and the birth year."""
    return [f"{known[:6]}{i:04d}{known[-2:]}" for i in range(n)]


def test_a_probe_by_search_is_stopped_and_every_guess_is_logged(world, member_a, viewer):
    """A viewer who sees the masked number tries the candidates one by one: the first few are
    answered (and logged), then every search by number is refused, the right one included."""
    guesses = [*[g for g in candidates(CCCD_A, 20) if g != CCCD_A][:HOUR], CCCD_A]
    answers = [viewer.get(reverse("members:member_list"), {"q": g}) for g in guesses]
    assert all(r.status_code == 200 for r in answers)
    for response in answers[:HOUR]:
        assert "ALPHAhoa" not in response.content.decode()
    refused = answers[-1].content.decode()
    assert "ALPHAhoa" not in refused  # the right guess is not confirmed
    assert "đã dùng hết số lần tra cứu" in refused
    log = PersonalDataAccess.objects.filter(user__username="xem_a").order_by("at", "pk")
    assert [a.sought for a in log] == guesses
    assert [a.refused for a in log] == [False] * HOUR + [True]
    assert {a.kind for a in log} == {AccessKind.LOOKUP}
    # The API answers the same, with the same counter.
    response = viewer.get("/api/v1/members/", {"q": CCCD_A})
    assert response.status_code == 400 and response.json()["field"] == "q"
    assert "ALPHAhoa" not in response.content.decode()
    assert log.all().count() == HOUR + 2


def test_a_search_that_finds_someone_names_the_member_in_the_log(world, member_a, viewer):
    response = viewer.get(reverse("members:member_list"), {"q": "001 190 123 445"})
    assert "ALPHAhoa" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.sought == CCCD_A and list(access.members.all()) == [member_a]
    assert access.where == reverse("members:member_list") and CCCD_A not in access.where


def test_names_phones_and_card_numbers_are_not_look_ups(world, member_a, viewer):
    for q in ("nguyen", "CDA0001", "0912345678", "12345"):
        viewer.get(reverse("members:member_list"), {"q": q})
    assert not PersonalDataAccess.objects.exists()


def test_the_access_log_shows_probes_to_the_auditor_of_the_searcher(world, member_a, viewer):
    for g in candidates("001190999945", 3):
        viewer.get(reverse("members:member_list"), {"q": g})  # nobody found
    client = Client()
    client.force_login(world.officer_a)  # holds audit.view on unit A
    page = client.get(reverse("members:access_log")).content.decode()
    assert page.count("**********45") == 3 and "001190999945"[:6] not in page
    other = Client()
    other.force_login(world.officer_b)
    assert "**********45" not in other.get(reverse("members:access_log")).content.decode()


def test_while_the_limit_is_reached_no_new_number_can_be_entered(world, member_a, viewer):
    """Otherwise refusing only numbers that exist would still answer the guess."""
    for g in candidates("001190999945", HOUR):
        viewer.get(reverse("members:member_list"), {"q": g})
    assert lookups_left(world.officer_a)[0] == HOUR  # limits are per user
    officer = make_user("nl_a", "data_entry", world.unit_a)
    for g in candidates("001190888845", HOUR):
        services.member_by_citizen_id(actor=officer, citizen_id=g)
    with pytest.raises(LookupLimitReached):
        services.member_admit(
            actor=officer, unit=world.grass_a1, family_name="Lò", given_name="Mai", sex="F",
            admitted_on=D(2024, 1, 1), date_of_birth=D(1990, 3, 3), citizen_id="001190777745",
        )  # fmt: skip
    assert not Member.objects.filter(given_name="Mai").exists()
    # The refusal is logged, even though the admission rolled back.
    assert PersonalDataAccess.objects.filter(user=officer, refused=True).count() == 1
    # Admitting without a number, or keeping a record's own number, still works.
    services.member_admit(
        actor=officer, unit=world.grass_a1, family_name="Lò", given_name="Mai", sex="F",
        admitted_on=D(2024, 1, 1), date_of_birth=D(1990, 3, 3),
    )  # fmt: skip
    services.member_update(actor=officer, member=member_a, citizen_id=CCCD_A, phone="0911222333")


def test_import_rows_naming_other_units_count_and_over_the_limit_the_file_is_refused(world):
    data = member_rows(HOUR + 1, seed=3, earliest_admission=START)
    first = commit_file("b.csv", csv_bytes(data), unit=world.grass_b1, actor=None)
    assert first.committed
    for r in data:
        r["card_number"] = ""
    result = check_file("a.csv", csv_bytes(data), unit=world.grass_a1, actor=world.officer_a)
    # One message for the file: no row says which numbers were found.
    assert [e["row"] for e in result.errors] == [None]
    assert "nhiều hơn" in result.errors[0]["message"]
    [refused] = PersonalDataAccess.objects.filter(user=world.officer_a)
    assert refused.refused and refused.kind == AccessKind.DUPLICATE
    # Within the limit, the rows are answered (without naming the unit) and counted.
    result = check_file("a.csv", csv_bytes(data[:2]), unit=world.grass_a1, actor=world.officer_a)
    assert [e["row"] for e in result.errors] == [2, 3]
    counted = PersonalDataAccess.objects.get(user=world.officer_a, refused=False)
    assert counted.lookups == 2 and counted.members.count() == 2
    assert lookups_left(world.officer_a)[0] == HOUR - 2


def test_requesting_a_transfer_by_number_through_the_api(world, member_a):
    """The path offered by an out-of-scope duplicate: the receiving side asks by number, the
    answer names neither the unit nor the record, the holding unit confirms."""
    api = Client()
    api.force_login(world.officer_b)
    response = api.post(
        "/api/v1/members/",
        {
            "unit": "B1", "family_name": "Nguyễn", "given_name": "Hoa", "sex": "F",
            "admitted_on": "01/01/2024", "date_of_birth": "17/05/1990", "citizen_id": CCCD_A,
        },
    )  # fmt: skip
    body = response.json()
    assert response.status_code == 400 and "existing_member" not in body
    assert "ALPHA" not in response.content.decode()
    response = api.post(
        body["request_transfer"],
        {"citizen_id": CCCD_A, "to_unit": "B1", "day": "01/02/2024"},
    )
    assert response.status_code == 201
    transfer = response.json()
    assert transfer["from_unit"] is None and transfer["member"]["full_name"] is None
    assert "ALPHA" not in response.content.decode()
    confirm = Client()
    confirm.force_login(world.officer_a)
    listing = confirm.get("/api/v1/member-transfers/").json()["results"]
    assert listing[0]["member"]["full_name"] == "Nguyễn Thị ALPHAhoa"
    assert confirm.post(f"/api/v1/member-transfers/{transfer['id']}/confirm/").status_code == 200
    assert Member.objects.get(pk=member_a.pk).unit == world.grass_b1
    assert PersonalDataAccess.objects.filter(user=world.officer_b).count() == 2
