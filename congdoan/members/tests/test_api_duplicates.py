"""The duplicates page in the API: pairs of records that may be one person, seen from either
side (the other record named only when the caller may see it), and the decision on a pair
through `services.duplicate_resolve`, with the page's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import include, path
from drf_spectacular.validation import validate_schema

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.core.tests.test_api_base import _generate
from congdoan.members.models import DuplicateFlag, DuplicateStatus
from congdoan.members.services import member_admit
from congdoan.members.tests.url_cases_registry import duplicate_a

LIST = "/api/v1/member-duplicates/"
BIRTH = dt.date(1979, 9, 2)


def decide(client, flag, status="distinct"):
    return client.post(
        f"{LIST}{flag.pk}/resolve/", {"status": status}, content_type="application/json"
    )


def admit(unit, given_name="Trùng"):
    return member_admit(
        actor=None,
        unit=unit,
        family_name="Phạm",
        middle_name="Văn",
        given_name=given_name,
        sex="M",
        admitted_on=dt.date(2021, 1, 1),
        date_of_birth=BIRTH,
    )


@pytest.fixture
def across(world):
    """The same name and date of birth in A1 (unit A) and B1 (unit B): a pair across scopes.
    The names carry no marker; A's side is known by its unit's name, which contains ALPHA."""
    mine_a, mine_b = admit(world.grass_a1), admit(world.grass_b1)
    flag = DuplicateFlag.objects.get(member=mine_b, other=mine_a)
    return flag, mine_a, mine_b


def test_officer_a_lists_the_pairs_of_its_scope(world, client_of):
    flag = duplicate_a(world)
    body = client_of("officer_a").get(LIST).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert (row["id"], row["status"], row["can_resolve"]) == (flag.pk, "open", True)
    records = {row["mine"]["id"], row["other"]["id"]}
    assert records == {world.member_a.pk, world.extra["duplicate_twin"].pk}
    assert {row["mine"]["unit"]["code"], row["other"]["unit"]["code"]} == {"A1", "A2"}
    assert row["mine"]["date_of_birth"] == "1990-05-17" and row["mine"]["status"] == "active"
    assert row["reviewed_by"] is None and row["reviewed_at"] is None
    assert client_of("officer_a").get(LIST, {"status": "distinct"}).json()["count"] == 0


def test_a_pair_across_scopes_names_only_the_callers_record(world, client_of, across):
    flag, mine_a, mine_b = across
    (row,) = client_of("officer_a").get(LIST).json()["results"]
    assert (row["mine"]["id"], row["other"]) == (mine_a.pk, None)
    assert row["can_resolve"] is True
    response = client_of("officer_b").get(LIST)
    (row,) = response.json()["results"]
    assert (row["id"], row["mine"]["id"], row["mine"]["unit"]["code"]) == (flag.pk, mine_b.pk, "B1")
    assert row["other"] is None and MARKER_A not in response.content.decode()
    # The unit above both sees both records.
    (row,) = client_of("national").get(LIST).json()["results"]
    assert {row["mine"]["id"], row["other"]["id"]} == {mine_a.pk, mine_b.pk}


def test_decide_a_pair(world, client_of):
    flag = duplicate_a(world)
    client = client_of("officer_a")
    response = decide(client, flag, "resolved")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["reviewed_by"], body["can_resolve"]) == (
        "resolved",
        "Cán bộ A",
        False,
    )
    flag.refresh_from_db()
    assert (flag.status, flag.reviewed_by) == (DuplicateStatus.RESOLVED, world.officer_a)
    assert client.get(LIST).json()["count"] == 0
    assert [r["id"] for r in client.get(LIST, {"status": "resolved"}).json()["results"]] == [
        flag.pk
    ]
    # Decided once.
    body = decide(client, flag, "distinct").json()
    assert body["detail"] == "Cặp hồ sơ này đã được xem xét."
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.RESOLVED


@pytest.mark.parametrize("status", ["open", "maybe", ""])
def test_only_the_two_decisions(world, client_of, status):
    flag = duplicate_a(world)
    response = decide(client_of("officer_a"), flag, status)
    assert response.status_code == 400 and response.json()["field"] == "status"
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.OPEN


def test_an_unknown_list_status_answers_400(world, client_of):
    response = client_of("officer_a").get(LIST, {"status": "closed"})
    assert response.status_code == 400 and response.json()["field"] == "status"


def test_either_side_decides_a_pair_across_scopes(world, client_of, across):
    flag, _mine_a, _mine_b = across
    response = decide(client_of("officer_b"), flag)
    assert response.status_code == 200, response.content
    assert response.json()["other"] is None and MARKER_A not in response.content.decode()
    flag.refresh_from_db()
    assert (flag.status, flag.reviewed_by) == (DuplicateStatus.DISTINCT, world.officer_b)


def test_a_viewer_sees_pairs_but_does_not_decide(world, client):
    flag = duplicate_a(world)
    client.force_login(make_user("viewer_a", "viewer", world.unit_a))
    (row,) = client.get(LIST).json()["results"]
    assert row["can_resolve"] is False
    response = decide(client, flag)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Vai trò của bạn không cho phép")
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.OPEN


def test_officer_b_reaches_no_pair_of_a(world, client_of):
    flag = duplicate_a(world)
    client = client_of("officer_b")
    assert client.get(LIST).json()["count"] == 0
    for response in (
        client.get(f"{LIST}{flag.pk}/"),
        decide(client, flag),
        client.get(f"{LIST}{10**9}/"),
    ):
        assert response.status_code == 404
        assert MARKER_A not in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.OPEN


def test_the_list_reads_a_bounded_number_of_queries(
    world, client_of, django_assert_max_num_queries
):
    for n in range(12):
        admit(world.grass_a1, f"Trùng{n}")
        admit(world.grass_a2, f"Trùng{n}")
    assert DuplicateFlag.objects.count() == 12
    client = client_of("officer_a")
    client.get(LIST)  # warms the caller's scope
    with django_assert_max_num_queries(8):
        body = client.get(LIST).json()
    assert body["count"] == 12 and all(r["other"] for r in body["results"])


def test_the_schema_documents_the_review_without_warnings():
    schema, problems = _generate([path("api/v1/", include(("congdoan.members.api.urls", "api")))])
    assert problems == []
    validate_schema(schema)
    listed = schema["paths"]["/api/v1/member-duplicates/"]["get"]
    assert "status" in {p["name"] for p in listed["parameters"]}
    resolve = schema["paths"]["/api/v1/member-duplicates/{id}/resolve/"]["post"]
    assert {"200", "400", "404"} <= set(resolve["responses"])
