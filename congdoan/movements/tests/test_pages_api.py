"""Pages and API through HTTP with the three personas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.movements import services
from congdoan.movements.models import Activity, Agreement
from congdoan.movements.tests.helpers import activity_a, agreement_a, keep

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_list_filters_by_unit_kind_year_and_words(world, client_of):
    activity_a(world)
    services.activity_create(
        actor=None, unit=world.grass_a2, kind="training", title="Nghiệp vụ ALPHA 2024",
        on=dt.date(2024, 6, 1), participants=40,
    )  # fmt: skip
    c = client_of("officer_a")
    page = html(c.get(reverse("movements:list"), {"unit": "A1", "kind": "work", "year": 2025}))
    assert "Nhà văn hóa công nhân ALPHA" in page and "Nghiệp vụ ALPHA" not in page
    page = html(c.get(reverse("movements:list"), {"q": "nha van hoa"}))
    assert "Nhà văn hóa công nhân ALPHA" in page and "Nghiệp vụ ALPHA" not in page
    page = html(c.get(reverse("movements:list"), {"year": 2024}))
    assert "Nghiệp vụ ALPHA" in page and "Nhà văn hóa" not in page


def test_the_sheet_link_shows_the_units_records_of_the_period(world, client_of):
    activity_a(world)
    services.activity_create(
        actor=None, unit=world.grass_a1, kind="culture", title="Hội diễn 2024",
        on=dt.date(2024, 12, 31),
    )  # fmt: skip
    keep(world, world.grass_a1)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    page = html(
        client_of("officer_a").get(
            reverse("movements:list"), {"unit": world.grass_a1.pk, "period": year.pk}
        )
    )
    assert "Nhà văn hóa công nhân ALPHA" in page and "Hội diễn 2024" not in page
    assert "keeps this register" in page or "giữ sổ" in page


def test_officer_b_sees_nothing(world, client_of):
    activity_a(world)
    agreement_a(world)
    c = client_of("officer_b")
    assert MARKER_A not in html(c.get(reverse("movements:list")))
    assert MARKER_A not in html(c.get(reverse("movements:agreement_list")))
    assert c.get(reverse("movements:detail", args=[activity_a(world).pk])).status_code == 404
    assert (
        c.get(reverse("movements:agreement_edit", args=[agreement_a(world).pk])).status_code == 404
    )


def test_create_an_activity_through_the_page(world, client_of):
    response = client_of("officer_a").post(
        reverse("movements:create"),
        {
            "unit": "A1",
            "kind": "work",
            "title": "Sân bóng & nhà để xe",
            "on": "15/08/2025",
            "value": "1.500.000",
            "event": "Đại hội XIII Công đoàn tỉnh",
            "for_congress": "on",
        },
    )
    assert response.status_code == 302, html(response)[:2000]
    row = Activity.objects.get()
    assert (row.title, row.value, row.for_congress) == ("Sân bóng & nhà để xe", 1_500_000, True)
    assert row.history.get().history_user == world.officer_a
    detail = html(client_of("officer_a").get(response["Location"]))
    assert "Sân bóng &amp; nhà để xe" in detail and 'id="attachments"' in detail
    assert 'id="audit"' in detail


def test_a_broken_rule_is_shown_on_the_form(world, client_of):
    response = client_of("officer_a").post(
        reverse("movements:create"),
        {"unit": "A1", "kind": "culture", "title": "Hội thao", "on": "01/05/2025", "value": "5"},
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "invalid-feedback" in html(response)


def test_create_on_a_unit_outside_scope_is_not_found(world, client_of):
    response = client_of("officer_b").post(
        reverse("movements:create"),
        {"unit": "A1", "kind": "culture", "title": "Hội thao", "on": "01/05/2025"},
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert MARKER_A not in html(response)


def test_edit_and_delete_pages(world, client_of):
    row = activity_a(world)
    c = client_of("officer_a")
    assert c.get(reverse("movements:edit", args=[row.pk])).status_code == 200
    data = {
        "kind": "work", "title": "Nhà văn hóa mới", "on": "01/03/2025", "value": "200000000",
        "event": row.event, "for_congress": "on",
    }  # fmt: skip
    assert c.post(reverse("movements:edit", args=[row.pk]), data).status_code == 302
    row.refresh_from_db()
    assert (row.title, row.value) == ("Nhà văn hóa mới", Decimal(200_000_000))
    assert c.get(reverse("movements:delete", args=[row.pk])).status_code == 200
    assert c.post(reverse("movements:delete", args=[row.pk])).status_code == 302
    assert not Activity.objects.exists()


def test_agreement_pages(world, client_of):
    c = client_of("officer_a")
    response = c.post(
        reverse("movements:agreement_create"),
        {"unit": "A2", "signed_on": "01/02/2025", "expires_on": "31/01/2028", "workers": "80",
         "rating": "B", "renewed": "on"},
    )  # fmt: skip
    assert response.status_code == 302, html(response)[:2000]
    row = Agreement.objects.get()
    assert (row.enterprise, row.workers, row.rating) == (world.grass_a2.name, 80, "B")
    page = html(c.get(reverse("movements:agreement_list"), {"rating": "B"}))
    assert world.grass_a2.name in page
    assert c.post(reverse("movements:agreement_delete", args=[row.pk])).status_code == 302


def test_a_viewer_may_not_change(world, client_of):
    from congdoan.core.tests.support import make_user

    viewer = make_user("viewer_a", "viewer", world.unit_a)
    from django.test import Client

    c = Client()
    c.force_login(viewer)
    row = activity_a(world)
    assert c.get(reverse("movements:detail", args=[row.pk])).status_code == 200
    assert c.get(reverse("movements:edit", args=[row.pk])).status_code == 403
    assert c.post(reverse("movements:delete", args=[row.pk])).status_code == 403


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    for i in range(30):
        services.activity_create(
            actor=None, unit=world.grass_a1 if i % 2 else world.grass_a2, kind="culture",
            title=f"Hoạt động {i}", on=dt.date(2025, 1, 1 + i % 28), participants=i,
        )  # fmt: skip
    c = client_of("officer_a")
    c.get(reverse("movements:list"))  # warm the caches of the session and the scope
    with django_assert_max_num_queries(14):
        assert c.get(reverse("movements:list"), {"unit": "HA", "year": 2025}).status_code == 200


# ---------------------------------------------------------------------------------------------
# API


def test_api_lists_and_filters(world, client_of):
    activity_a(world)
    agreement_a(world)
    c = client_of("officer_a")
    data = c.get("/api/v1/movement-activities/", {"unit": world.grass_a1.pk}).json()
    assert [r["title"] for r in data["results"]] == ["Nhà văn hóa công nhân ALPHA"]
    assert data["results"][0]["value"] == "150000000"
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    assert c.get("/api/v1/movement-activities/", {"period": year.pk}).json()["count"] == 0
    found = c.get("/api/v1/labour-agreements/", {"rating": "A"}).json()
    assert found["results"][0]["enterprise"] == "Công ty ALPHA & Cộng sự"
    assert c.get("/api/v1/movement-activities/", {"unit": "x"}).status_code == 400


def test_api_writes_through_the_services(world, client_of):
    c = client_of("officer_a")
    answer = c.post(
        "/api/v1/movement-activities/",
        {"unit": "A1", "kind": "training", "title": "Lớp tập huấn", "on": "10/03/2025",
         "participants": 45},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    pk = answer.json()["id"]
    changed = c.patch(
        f"/api/v1/movement-activities/{pk}/", {"participants": 50}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["participants"] == 50
    refused = c.patch(
        f"/api/v1/movement-activities/{pk}/", {"value": "1000"}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "value"
    assert c.delete(f"/api/v1/movement-activities/{pk}/").status_code == 204
    answer = c.post(
        "/api/v1/labour-agreements/",
        {"unit": "A1", "signed_on": "2025-01-01", "expires_on": "2027-12-31"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["enterprise"] == world.grass_a1.name


def test_api_refuses_a_unit_outside_scope_naming_nothing(world, client_of):
    answer = client_of("officer_b").post(
        "/api/v1/movement-activities/",
        {"unit": "A1", "kind": "culture", "title": "Hội thao", "on": "10/03/2025"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and MARKER_A not in answer.content.decode()
    row = activity_a(world)
    assert client_of("officer_b").delete(f"/api/v1/movement-activities/{row.pk}/").status_code == (
        404
    )
