"""Pages and API through HTTP with the three personas."""

import datetime as dt

import pytest
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A
from congdoan.meetings.models import AgendaItem, Meeting
from congdoan.meetings.tests.helpers import cluster_a, cluster_meeting_a, meeting_a, term_a, upload

pytestmark = pytest.mark.django_db


def test_list_filters_by_unit_kind_year(world, client_of):
    meeting_a(world)
    cluster_meeting_a(world)
    c = client_of("officer_a")
    page = c.get(reverse("meetings:list"), {"kind": "bch", "year": 2024, "unit": "HA"})
    assert "Hội nghị Ban Chấp hành lần thứ II (mở rộng)" in page.content.decode()
    page = c.get(reverse("meetings:list"), {"kind": "cluster"})
    assert "Ban Chấp hành lần thứ II" not in page.content.decode()


def test_officer_b_sees_nothing(world, client_of):
    meeting_a(world)
    page = client_of("officer_b").get(reverse("meetings:list"))
    assert MARKER_A not in page.content.decode()
    assert (
        client_of("officer_b")
        .get(reverse("meetings:detail", args=[meeting_a(world).pk]))
        .status_code
        == 404
    )


def test_create_a_bch_meeting_through_the_page(world, client_of):
    term = term_a(world)
    response = client_of("officer_a").post(
        reverse("meetings:create"),
        {"unit": "HA", "kind": "bch", "held_on": "15/08/2024", "term": term.pk, "number": 3},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(number=3)
    assert meeting.history.get().history_user == world.officer_a


def test_create_on_a_unit_outside_scope_is_not_found(world, client_of):
    response = client_of("officer_b").post(
        reverse("meetings:create"), {"unit": "HA", "kind": "other", "held_on": "15/08/2024"}
    )
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert MARKER_A not in response.content.decode()


def test_congress_page_opens_a_term(world, client_of):
    response = client_of("officer_a").post(
        reverse("meetings:create"),
        {"unit": "A1", "kind": "congress", "held_on": "10/05/2023", "opens_term": "on"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(kind="congress")
    assert (meeting.term.number, meeting.term.start_year, meeting.term.end_year) == (1, 2023, 2028)


def test_upload_too_big_is_refused_on_the_page(world, client_of):
    meeting = meeting_a(world)
    response = client_of("officer_a").post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Phụ lục", "document": upload("phu-luc.zip", b"PK")},
    )
    assert response.status_code == 200
    assert ".docx" in response.content.decode()
    assert meeting.agenda.count() == 1


def test_download_streams_after_the_scope_check(world, client_of):
    meeting_a(world)
    item = AgendaItem.objects.get(title="Báo cáo sơ kết")
    url = reverse("meetings:agenda_document", args=[item.pk])
    response = client_of("officer_a").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 docx"
    assert "bao-cao.docx" in response["Content-Disposition"]
    assert client_of("officer_b").get(url).status_code == 404


def test_detail_shows_attendees_agenda_pledges(world, client_of):
    meeting = cluster_meeting_a(world)
    body = (
        client_of("officer_a").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    )
    assert f"Giao ước thi đua {MARKER_A} 2024" in body
    assert reverse("meetings:pledge_document", args=[meeting.pledges.get().pk]) in body
    body = (
        client_of("officer_a")
        .get(reverse("meetings:detail", args=[meeting_a(world).pk]))
        .content.decode()
    )
    assert "Lò Thị Khách" in body and "Báo cáo sơ kết" in body


def test_pledge_page_offers_the_cluster_units(world, client_of):
    meeting = services_cluster_meeting(world)
    url = reverse("meetings:pledge_create", args=[meeting.pk])
    c = client_of("officer_a")
    assert f"CĐCS {MARKER_A} Hai" in c.get(url).content.decode()
    response = c.post(
        url, {"title": "Giao ước 2", "signed_on": "01/03/2024", "signatories": [world.grass_a1.pk]}
    )
    assert response.status_code == 302
    assert meeting.pledges.count() == 1


def services_cluster_meeting(world):
    from congdoan.meetings import services

    return services.meeting_create(
        actor=None,
        unit=world.grass_a1,
        kind="cluster",
        held_on=dt.date(2024, 4, 1),
        cluster=cluster_a(world),
    )


def test_api_create_update_delete(world, client_of):
    c = client_of("officer_a")
    term = term_a(world)
    response = c.post(
        "/api/v1/meetings/",
        {
            "unit": "HA",
            "kind": "bch",
            "held_on": "2024-09-01",
            "term": term.pk,
            "number": 4,
            "extended": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["display_title"].startswith("Hội nghị Ban Chấp hành lần thứ IV (mở rộng)")
    pk = data["id"]
    response = c.patch(
        f"/api/v1/meetings/{pk}/", {"place": "Hội trường"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["place"] == "Hội trường"
    assert c.delete(f"/api/v1/meetings/{pk}/").status_code == 204


def test_api_officer_b_cannot_write_to_a(world, client_of):
    meeting = meeting_a(world)
    c = client_of("officer_b")
    assert (
        c.patch(
            f"/api/v1/meetings/{meeting.pk}/", {"place": "X"}, content_type="application/json"
        ).status_code
        == 404
    )
    response = c.post(
        "/api/v1/meeting-attendees/",
        {"meeting": meeting.pk, "full_name": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = c.post(
        "/api/v1/meetings/",
        {"unit": "HA", "kind": "other", "held_on": "2024-09-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and MARKER_A not in response.content.decode()


def test_api_agenda_upload_and_limits(world, client_of):
    meeting = meeting_a(world)
    c = client_of("officer_a")
    response = c.post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "Dự thảo", "document": upload("du-thao.pdf", b"%PDF")},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["document_url"].endswith("/document/")
    response = c.post(
        "/api/v1/agenda-items/",
        {"meeting": meeting.pk, "title": "X", "document": upload("x.txt", b"x")},
    )
    assert response.status_code == 400 and response.json()["field"] == "document"


def test_api_pledge_signatories_must_be_members(world, client_of):
    meeting = services_cluster_meeting(world)
    c = client_of("officer_a")
    body = {
        "cluster": cluster_a(world).pk,
        "meeting": meeting.pk,
        "year": 2024,
        "signed_on": "2024-04-01",
        "title": "Giao ước",
        "signatories": [world.grass_a1.pk, world.group_a1.pk],
    }
    response = c.post("/api/v1/pledges/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "signatories"
    body["signatories"] = [world.grass_a1.pk, world.grass_a2.pk]
    response = c.post("/api/v1/pledges/", body, content_type="application/json")
    assert response.status_code == 201 and len(response.json()["signatories"]) == 2


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    meeting_a(world)
    cluster_meeting_a(world)
    c = client_of("officer_a")
    with django_assert_max_num_queries(15):
        assert c.get(reverse("meetings:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/meetings/").status_code == 200
