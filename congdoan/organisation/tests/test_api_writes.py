"""The API does what the cluster and term pages do: the same services, the same scope, rules
broken answered 400 `{"detail", "field"}`, objects outside the caller's scope 404."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.core.tests.url_cases import make_cluster_a, make_term_a
from congdoan.organisation.models import Cluster, ClusterMembership, CommitteeSeat, Term


def post(client, url, data=None, method="post"):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def refused(response, field=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.fixture
def viewer_a(world):
    """Sees unit A's subtree but manages neither clusters nor terms."""
    user = make_user("viewer_a")
    RoleGrant.objects.create(user=user, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    return user


# ---------------------------------------------------------------------------------------------
# Clusters


def test_create_a_cluster(world, client_of):
    body = ok(
        post(
            client_of("officer_a"),
            "/api/v1/clusters/",
            {"organiser": "ha", "code": "cum-moi", "name": "Cụm thi đua số 1", "kind": "block"},
        ),
        201,
    )
    assert body["code"] == "cum-moi" and body["kind"] == "block" and body["years"] == []
    assert body["organiser"]["code"] == "HA"
    cluster = Cluster.objects.get(code="cum-moi")
    assert cluster.history.get().history_change_reason == "cluster_create"
    assert cluster.history.get().history_user == world.officer_a


def test_create_a_cluster_refused(world, client_of, viewer_a):
    client = client_of("officer_a")
    body = refused(
        post(client, "/api/v1/clusters/", {"organiser": "HB", "code": "c", "name": "C"}),
        "organiser",
    )
    assert body["detail"] == "Không tìm thấy đơn vị có mã này trong phạm vi của bạn."
    refused(
        post(client, "/api/v1/clusters/", {"organiser": "HA", "code": "có dấu", "name": "C"}),
        "code",
    )
    refused(post(client, "/api/v1/clusters/", {"organiser": "HA", "name": "C"}), "code")
    # A viewer of A holds no right to manage clusters there: the unit is not found for it.
    viewer = client_of("national")
    viewer.force_login(viewer_a)
    refused(
        post(viewer, "/api/v1/clusters/", {"organiser": "HA", "code": "c", "name": "C"}),
        "organiser",
    )
    assert not Cluster.objects.filter(code="c").exists()


def test_change_a_cluster(world, client_of):
    cluster = make_cluster_a(world)
    url = f"/api/v1/clusters/{cluster.pk}/"
    client = client_of("officer_a")
    body = ok(post(client, url, {"name": "Cụm mới", "description": "Năm 2025"}, "patch"))
    assert body["name"] == "Cụm mới" and body["description"] == "Năm 2025"
    assert body["code"] == "cum-alpha" and [y["year"] for y in body["years"]] == [2024]
    refused(post(client, url, {}, "patch"))
    # The new organiser must hold every member unit (A1 and A2 lie under A, not under A1).
    body = refused(post(client, url, {"organiser": "A1"}, "patch"), "organiser")
    assert "A2" in body["detail"]
    assert post(client_of("officer_b"), url, {"name": "X"}, "patch").status_code == 404
    assert Cluster.objects.get(pk=cluster.pk).name == "Cụm mới"


def test_a_viewer_cannot_change_a_cluster(world, client, viewer_a):
    cluster = make_cluster_a(world)
    client.force_login(viewer_a)
    body = refused(post(client, f"/api/v1/clusters/{cluster.pk}/", {"name": "X"}, "patch"))
    assert "Vai trò của bạn không cho phép" in body["detail"]
    assert Cluster.objects.get(pk=cluster.pk).name == f"Cụm thi đua {MARKER_A}"


def test_members_listed_added_made_head_and_removed(world, client_of):
    cluster = make_cluster_a(world)
    base = f"/api/v1/clusters/{cluster.pk}/members/"
    client = client_of("officer_a")
    rows = ok(client.get(base))
    assert [(r["unit"]["code"], r["year"], r["is_head"]) for r in rows] == [
        ("A1", 2024, True),
        ("A2", 2024, False),
    ]
    added = ok(post(client, base, {"unit": "A2", "year": 2025, "is_head": True}), 201)
    assert (added["unit"]["code"], added["year"], added["is_head"]) == ("A2", 2025, True)
    assert added["cluster"]["code"] == "cum-alpha"
    refused(post(client, base, {"unit": "A2", "year": 2025}), "unit")  # already a member
    refused(post(client, base, {"unit": "B1", "year": 2025}), "unit")  # not in scope
    refused(post(client, base, {"unit": "A1", "year": 1800}), "year")
    assert [r["year"] for r in ok(client.get(base, {"year": 2025}))] == [2025]
    refused(client.get(base, {"year": "abc"}), "year")

    a2 = ClusterMembership.objects.get(cluster=cluster, year=2024, unit=world.grass_a2)
    head = ok(post(client, f"{base}{a2.pk}/head/"))
    assert head["is_head"] is True
    assert not ClusterMembership.objects.get(
        cluster=cluster, year=2024, unit=world.grass_a1
    ).is_head

    assert client.delete(f"{base}{a2.pk}/").status_code == 204
    assert not ClusterMembership.objects.filter(pk=a2.pk).exists()
    assert client.delete(f"{base}{a2.pk}/").status_code == 404
    assert (
        ClusterMembership.history.filter(history_change_reason="cluster_member_remove").count() == 1
    )


def test_a_membership_of_another_cluster_is_404(world, client_of):
    cluster = make_cluster_a(world)
    other = Cluster.objects.create(code="khac", name="Khác", organiser=world.unit_a)
    foreign = ClusterMembership.objects.create(cluster=other, year=2024, unit=world.grass_a1)
    url = f"/api/v1/clusters/{cluster.pk}/members/{foreign.pk}/"
    assert client_of("officer_a").delete(url).status_code == 404
    assert ClusterMembership.objects.filter(pk=foreign.pk).exists()


def test_officer_b_reaches_nothing_of_a_cluster_of_a(world, client_of):
    cluster = make_cluster_a(world)
    a1 = ClusterMembership.objects.get(cluster=cluster, unit=world.grass_a1)
    client = client_of("officer_b")
    base = f"/api/v1/clusters/{cluster.pk}"
    for response in (
        post(client, f"{base}/members/", {"unit": "B1", "year": 2025}),
        client.delete(f"{base}/members/{a1.pk}/"),
        post(client, f"{base}/members/{a1.pk}/head/"),
        post(client, f"{base}/copy-year/", {"from_year": 2024, "to_year": 2025}),
    ):
        assert response.status_code == 404 and MARKER_A not in response.content.decode()
    assert ClusterMembership.objects.filter(cluster=cluster).count() == 2


def test_copy_a_year(world, client_of):
    cluster = make_cluster_a(world)
    url = f"/api/v1/clusters/{cluster.pk}/copy-year/"
    client = client_of("officer_a")
    assert ok(post(client, url, {"from_year": 2024, "to_year": 2025})) == {"copied": 2}
    assert ok(post(client, url, {"from_year": 2024, "to_year": 2025})) == {"copied": 0}
    refused(post(client, url, {"from_year": 2024, "to_year": 2024}), "to_year")
    refused(post(client, url, {"from_year": 2024}), "to_year")
    rows = ClusterMembership.objects.filter(cluster=cluster, year=2025)
    assert {m.unit_id for m in rows} == {world.grass_a1.pk, world.grass_a2.pk}
    assert rows.get(is_head=True).unit_id == world.grass_a1.pk


# ---------------------------------------------------------------------------------------------
# Terms and seats


def test_record_a_term(world, client_of):
    body = ok(
        post(
            client_of("officer_a"),
            "/api/v1/terms/",
            {
                "unit": "A2",
                "number": 3,
                "start_year": 2023,
                "end_year": 2028,
                "congress_date": "12/05/2023",
                "note": "Đại hội lần thứ III",
            },
        ),
        201,
    )
    assert body["unit"]["code"] == "A2" and body["roman"] == "III" and body["seats"] == []
    assert body["congress_date"] == "2023-05-12" and body["note"] == "Đại hội lần thứ III"
    term = Term.objects.get(unit=world.grass_a2)
    assert term.history.get().history_change_reason == "term_create"


def test_record_a_term_refused(world, client_of, viewer_a):
    client = client_of("officer_a")
    term = {"unit": "A2", "number": 3, "start_year": 2023, "end_year": 2028}
    refused(post(client, "/api/v1/terms/", {**term, "end_year": 2020}), "end_year")
    refused(post(client, "/api/v1/terms/", {**term, "unit": "B1"}), "unit")
    refused(
        post(client, "/api/v1/terms/", {**term, "congress_date": "31/02/2023"}), "congress_date"
    )
    refused(post(client, "/api/v1/terms/", {**term, "number": 0}), "number")
    other = client_of("national")
    other.force_login(viewer_a)
    refused(post(other, "/api/v1/terms/", term), "unit")
    assert not Term.objects.filter(unit=world.grass_a2).exists()


def test_seat_a_person_and_end_the_seat(world, client_of):
    term = make_term_a(world)
    client = client_of("officer_a")
    seat = ok(
        post(
            client,
            f"/api/v1/terms/{term.pk}/seats/",
            {
                "committee": "bch",
                "position": "pho_chu_tich",
                "full_name": "Đỗ Văn Phó",
                "start_date": "2023-05-10",
            },
        ),
        201,
    )
    assert seat["position"]["code"] == "pho_chu_tich" and seat["end_date"] is None
    url = f"/api/v1/terms/{term.pk}/seats/{seat['id']}/end/"
    ended = ok(post(client, url, {"end_date": "01/06/2025", "reason": "Nghỉ hưu"}))
    assert (ended["end_date"], ended["end_reason"]) == ("2025-06-01", "Nghỉ hưu")
    refused(post(client, url, {"end_date": "01/07/2025"}))  # already ended
    reasons = CommitteeSeat.history.filter(id=seat["id"]).values_list(
        "history_change_reason", flat=True
    )
    assert set(reasons) == {"seat_add", "seat_end"}


def test_a_seat_linked_by_card_number(world, client_of):
    term = make_term_a(world)
    url = f"/api/v1/terms/{term.pk}/seats/"
    seat = {"committee": "bch", "position": "uv_bch", "start_date": "2023-05-10"}
    client = client_of("officer_a")
    body = ok(post(client, url, {**seat, "card_number": "CDA0001"}), 201)
    assert body["full_name"] == world.member_a.full_name
    assert CommitteeSeat.objects.get(pk=body["id"]).member_id == world.member_a.pk
    # A card outside the scope is "not found", as is a card of nobody.
    refused(post(client, url, {**seat, "card_number": "CDB0001"}), "card_number")
    refused(post(client, url, {**seat, "full_name": ""}), "full_name")
    refused(post(client, url, {**seat, "full_name": "X", "position": "chu_nhiem_ubkt"}), "position")
    refused(post(client, url, {**seat, "full_name": "X", "start_date": "01/01/2030"}), "start_date")


def test_officer_b_reaches_nothing_of_a_term_of_a(world, client_of):
    term = make_term_a(world)
    seat = CommitteeSeat.objects.get(term=term)
    client = client_of("officer_b")
    seats = post(
        client,
        f"/api/v1/terms/{term.pk}/seats/",
        {"committee": "bch", "position": "uv_bch", "full_name": "X", "start_date": "2023-05-10"},
    )
    end = post(client, f"/api/v1/terms/{term.pk}/seats/{seat.pk}/end/", {"end_date": "2024-01-01"})
    for response in (seats, end):
        assert response.status_code == 404 and MARKER_A not in response.content.decode()
    assert CommitteeSeat.objects.get(pk=seat.pk).end_date is None
    assert CommitteeSeat.objects.filter(term=term).count() == 1


def test_a_seat_of_another_term_is_404(world, client_of):
    term = make_term_a(world)
    other = Term.objects.create(unit=world.grass_a2, number=1, start_year=2023, end_year=2028)
    seat = CommitteeSeat.objects.get(term=term)
    url = f"/api/v1/terms/{other.pk}/seats/{seat.pk}/end/"
    assert post(client_of("officer_a"), url, {"end_date": "2024-01-01"}).status_code == 404


def test_the_schema_documents_the_writes(world, client_of):
    schema = client_of("officer_a").get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/clusters/"])
    assert "patch" in paths["/api/v1/clusters/{id}/"]
    assert {"get", "post"} <= set(paths["/api/v1/clusters/{id}/members/"])
    assert "delete" in paths["/api/v1/clusters/{id}/members/{membership}/"]
    assert "post" in paths["/api/v1/clusters/{id}/members/{membership}/head/"]
    assert "post" in paths["/api/v1/clusters/{id}/copy-year/"]
    assert "post" in paths["/api/v1/terms/"]
    assert "post" in paths["/api/v1/terms/{id}/seats/"]
    assert "post" in paths["/api/v1/terms/{id}/seats/{seat}/end/"]
    create = paths["/api/v1/clusters/"]["post"]
    assert set(create["responses"]) >= {"201", "400"}
    assert create["summary"] == "Create an emulation cluster or block"


def test_the_walk_covers_every_new_url():
    from congdoan.organisation.tests.url_cases import CASES

    assert {
        "api:cluster-members",
        "api:cluster-member",
        "api:cluster-member-head",
        "api:cluster-copy-year",
        "api:term-seats",
        "api:term-seat-end",
    } <= set(CASES)


def test_dates_in_the_past_only_where_the_service_says(world, client_of):
    """A term may be recorded for the years to come (congresses are planned)."""
    year = dt.date.today().year
    body = ok(
        post(
            client_of("officer_a"),
            "/api/v1/terms/",
            {"unit": "A1", "number": 12, "start_year": year + 3, "end_year": year + 8},
        ),
        201,
    )
    assert body["start_year"] == year + 3
