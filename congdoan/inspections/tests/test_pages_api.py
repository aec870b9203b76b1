"""Pages and API through HTTP with the three personas (and an officer of an inspected unit)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.inspections.models import Complaint, Inspection
from congdoan.inspections.tests.helpers import complaint_a, inspection_a

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_list_filters_by_unit_period_kind_and_text(world, client_of):
    inspection_a(world)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    other = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    c = client_of("officer_a")
    url = reverse("inspections:list")
    title = f"Kiểm tra Điều lệ {MARKER_A}"

    def shown(**query):
        return title in c.get(url, query).content.decode()

    assert shown(unit=world.unit_a.pk, period=year.pk)
    assert not shown(unit=world.unit_a.pk, period=other.pk)
    assert not shown(kind="finance")
    assert shown(q="hoa binh") and not shown(q="khong co")
    # Inspections of the units below A1 (A1 was inspected), not conducted by them.
    assert not shown(unit="A1")
    assert shown(unit="A1", side="inspected")


def test_officer_b_sees_nothing(world, client_of):
    inspection = inspection_a(world)
    c = client_of("officer_b")
    assert MARKER_A not in c.get(reverse("inspections:list")).content.decode()
    assert c.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 404


def test_an_inspected_units_officer_sees_his_part_only(world):
    inspection = inspection_a(world)
    officer_a2 = make_user("officer_a2", "federation_admin", world.grass_a2)
    c = _client(officer_a2)
    assert MARKER_A in c.get(reverse("inspections:list")).content.decode()
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Nộp đoàn phí đúng hạn" in body and "Cập nhật sổ đoàn viên" not in body
    assert "Công ty TNHH Hòa Bình" not in body and f"CĐCS {MARKER_A} Một" not in body
    assert "2 đơn vị khác" in body
    assert reverse("inspections:edit", args=[inspection.pk]) not in body
    assert c.get(reverse("inspections:edit", args=[inspection.pk])).status_code == 403
    api = c.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert api["full"] is False and api["others"] == 2
    assert [t["unit"]["code"] for t in api["targets"]] == ["A2"]


def test_create_through_the_page(world, client_of):
    response = client_of("officer_a").post(
        reverse("inspections:create"),
        {
            "unit": "HA", "kind": "party_217", "body": "bch", "started_on": "01/04/2025",
            "partners": "Ủy ban MTTQ huyện", "units": "A1; A2",
            "outside": "DN: Công ty A & B\nCQ: Phòng Nội vụ <huyện>", "title": "Giám sát 217",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection = Inspection.objects.get()
    labels = sorted(t.label for t in inspection.targets.select_related("unit"))
    assert "Công ty A & B" in labels and "Phòng Nội vụ <huyện>" in labels and len(labels) == 4
    assert inspection.history.get().history_user == world.officer_a
    body = client_of("officer_a").get(response["Location"]).content.decode()
    assert "Công ty A &amp; B" in body and "Phòng Nội vụ &lt;huyện&gt;" in body


def test_create_on_a_unit_outside_scope_is_not_found(world, client_of):
    response = client_of("officer_b").post(
        reverse("inspections:create"),
        {"unit": "HA", "kind": "charter", "body": "ubkt", "started_on": "01/04/2025"},
    )
    assert response.status_code == 200 and not Inspection.objects.exists()
    assert MARKER_A not in response.content.decode()


def test_page_refuses_a_unit_outside_the_subtree_next_to_its_field(world, client_of):
    inspection = inspection_a(world)
    response = client_of("national").post(
        reverse("inspections:target_add", args=[inspection.pk]), {"unit": "B1"}
    )
    assert response.status_code == 200
    assert "BETA" in response.content.decode() and inspection.targets.count() == 3


def test_recommendation_and_follow_up_pages(world, client_of):
    inspection = inspection_a(world)
    c = client_of("officer_a")
    a2 = inspection.targets.get(unit=world.grass_a2)
    response = c.post(
        reverse("inspections:recommendation_add", args=[inspection.pk]),
        {"text": "Bổ sung chứng từ", "target": a2.pk, "due_on": "30/06/2025"},
    )
    assert response.status_code == 302
    rec = inspection.recommendations.get(text="Bổ sung chứng từ")
    assert rec.target == a2
    response = c.post(
        reverse("inspections:follow_up_add", args=[rec.pk]),
        {"on": "15/06/2025", "action": "Đã bổ sung", "done": "on"},
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.done_on == dt.date(2025, 6, 15)
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "2/3" in body


def test_detail_shows_history_and_attachments(world, client_of):
    inspection = inspection_a(world)
    c = client_of("officer_a")
    upload = SimpleUploadedFile("quyet-dinh.pdf", b"%PDF-1.4 quyet dinh", "application/pdf")
    url = reverse("activities:attachment_add", args=["inspections.Inspection", inspection.pk])
    assert c.post(url, {"file": upload, "caption": "Quyết định"}).status_code == 302
    body = c.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "quyet-dinh.pdf" in body and 'id="audit"' in body
    assert "Ghi nhận cuộc kiểm tra, giám sát" in body


def test_complaint_sender_is_masked_without_personal_data_rights(world, client_of):
    row = complaint_a(world)
    viewer = make_user("xem", "inspector", world.unit_a)
    body = (
        _client(viewer).get(reverse("inspections:complaint_detail", args=[row.pk])).content.decode()
    )
    assert "Lê Văn Tố" not in body and "L. V. T." in body
    api = _client(viewer).get(f"/api/v1/complaints/{row.pk}/").json()
    assert api["sender"] == "L. V. T."
    from congdoan.accounts.models import Role

    Role.objects.create(
        code="uv_kiem_tra", name="Ủy viên UBKT",
        permissions=["organisation.view", "indicators.view", "members.view_personal"],
    )  # fmt: skip
    member = make_user("uvkt", "uv_kiem_tra", world.unit_a)
    api = _client(member).get(f"/api/v1/complaints/{row.pk}/").json()
    assert api["sender"] == "Lê Văn Tố"


def test_complaint_pages(world, client_of):
    c = client_of("officer_a")
    response = c.post(
        reverse("inspections:complaint_create"),
        {"unit": "A1", "kind": "complaint", "received_on": "02/02/2025", "summary": "Khiếu nại"},
    )
    assert response.status_code == 302
    row = Complaint.objects.get()
    response = c.post(
        reverse("inspections:complaint_edit", args=[row.pk]),
        {"kind": "complaint", "received_on": "02/02/2025", "summary": "Khiếu nại",
         "resolved_on": "20/02/2025", "outcome": "Đã giải quyết"},
    )  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.resolved_on == dt.date(2025, 2, 20)
    page = c.get(reverse("inspections:complaints"), {"state": "resolved"}).content.decode()
    assert "Khiếu nại" in page


def test_api_create_update_delete(world, client_of):
    c = client_of("officer_a")
    response = c.post(
        "/api/v1/inspections/",
        {
            "unit": "HA", "kind": "finance", "body": "ubkt", "started_on": "2025-04-01",
            "units": [world.grass_a1.pk], "outside": [{"name": "Sở Tài chính", "outside_kind": "agency"}],
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["full"] and len(data["targets"]) == 2
    pk = data["id"]
    response = c.patch(
        f"/api/v1/inspections/{pk}/", {"ended_on": "2025-04-05"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["ended_on"] == "2025-04-05"
    response = c.post(
        "/api/v1/inspection-recommendations/",
        {"inspection": pk, "text": "Nộp đủ", "target": data["targets"][0]["id"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    rec = response.json()["id"]
    response = c.post(
        "/api/v1/inspection-follow-ups/",
        {"recommendation": rec, "on": "2025-05-01", "action": "Đã nộp", "done": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert c.get(f"/api/v1/inspection-recommendations/{rec}/").json()["done_on"] == "2025-05-01"
    assert c.delete(f"/api/v1/inspections/{pk}/").status_code == 204


def test_api_officer_b_cannot_write_to_a(world, client_of):
    inspection = inspection_a(world)
    c = client_of("officer_b")
    patch = c.patch(
        f"/api/v1/inspections/{inspection.pk}/", {"findings": "X"}, content_type="application/json"
    )
    assert patch.status_code == 404
    response = c.post(
        "/api/v1/inspection-targets/",
        {"inspection": inspection.pk, "name": "X", "outside_kind": "agency"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = c.post(
        "/api/v1/inspections/",
        {"unit": "HB", "kind": "charter", "body": "ubkt", "started_on": "2025-04-01",
         "units": [world.grass_a1.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and MARKER_A not in response.content.decode()


def test_api_filters(world, client_of):
    inspection_a(world)
    complaint_a(world)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    c = client_of("national")
    assert c.get("/api/v1/inspections/", {"unit": world.unit_b.pk}).json()["count"] == 0
    assert c.get("/api/v1/inspections/", {"inspected": world.grass_a1.pk}).json()["count"] == 1
    assert (
        c.get("/api/v1/inspections/", {"period": year.pk, "kind": "charter"}).json()["count"] == 1
    )
    assert c.get("/api/v1/complaints/", {"state": "open"}).json()["count"] == 0


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    inspection_a(world)
    for day in (5, 6, 7):
        from congdoan.inspections import services

        services.inspection_create(
            actor=None, unit=world.grass_a1, kind="finance", body="ubkt",
            started_on=dt.date(2025, 1, day), units=[world.grass_a1, world.group_a1],
        )  # fmt: skip
    complaint_a(world)
    c = client_of("officer_a")
    with django_assert_max_num_queries(15):
        assert c.get(reverse("inspections:list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(reverse("inspections:complaints")).status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/inspections/").status_code == 200
