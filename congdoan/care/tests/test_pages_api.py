"""Pages and API through HTTP with the three personas."""

import datetime as dt

import pytest
from django.urls import reverse

from congdoan.care.models import CareRecord
from congdoan.care.tests.helpers import campaign_a, gift, house_a, person_a, tet_gifts_a
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.members.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def _year(year: int):
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    return period_open(actor=None, kind=PeriodKind.YEAR, year=year)


def test_list_follows_the_sheets_link_unit_and_period(world, client_of):
    house = house_a(world)  # started 2024, handed over 15/06/2024
    tet_gifts_a(world)
    c = client_of("officer_a")
    url = reverse("care:list")
    page = body(c.get(url, {"unit": world.grass_a1.pk, "period": _year(2024).pk}))
    assert reverse("care:detail", args=[house.pk]) in page
    assert f"Trẻ em bản {MARKER_A}" not in page  # unit A's own record, not A1's subtree
    page = body(c.get(url, {"unit": world.unit_a.pk, "own": "on"}))
    assert f"Trẻ em bản {MARKER_A}" in page and reverse("care:detail", args=[house.pk]) not in page
    # A house counts in the period of its handover day.
    page = body(c.get(url, {"unit": world.grass_a1.pk, "period": _year(2023).pk}))
    assert reverse("care:detail", args=[house.pk]) not in page


def test_list_filters_by_kind_campaign_and_text_and_totals_by_campaign(world, client_of):
    house_a(world)
    tet = tet_gifts_a(world)
    c = client_of("officer_a")
    url = reverse("care:list")
    page = body(c.get(url, {"kind": "house"}))
    assert f"Trẻ em bản {MARKER_A}" not in page
    page = body(c.get(url, {"campaign": tet.campaign_id}))
    # The totals come in a fragment loaded with the same filter after the first page.
    totals_url = reverse("care:totals") + f"?campaign={tet.campaign_id}"
    assert f"Trẻ em bản {MARKER_A}" in page and f'hx-get="{totals_url}"' in page
    totals = body(c.get(totals_url))
    assert 'id="totals"' in totals and "200" in totals and "100.000.000" in totals
    page = body(c.get(url, {"q": "tre em ban alpha"}))  # folded, without diacritics
    assert f"Trẻ em bản {MARKER_A}" in page
    assert "Ngoài các đợt" in body(c.get(reverse("care:totals")))  # records outside any campaign
    assert "Ngoài các đợt" not in body(c.get(reverse("care:totals"), {"campaign": tet.campaign_id}))


def test_officer_b_sees_nothing_of_a(world, client_of):
    house = house_a(world)
    c = client_of("officer_b")
    assert MARKER_A not in body(c.get(reverse("care:list")))
    assert c.get(reverse("care:detail", args=[house.pk])).status_code == 404
    assert c.get(reverse("care:edit", args=[house.pk])).status_code == 404


def test_a_viewer_may_read_but_not_change(world, client):
    house = house_a(world)
    viewer = make_user("viewer_a", "viewer", world.unit_a)
    client.force_login(viewer)
    assert client.get(reverse("care:detail", args=[house.pk])).status_code == 200
    assert client.get(reverse("care:edit", args=[house.pk])).status_code == 403
    assert client.get(reverse("care:create")).status_code == 403


def _post_house(client, world, **extra):
    data = {
        "unit": "A1", "kind": "house", "on": "01/03/2024", "beneficiary": "member",
        "card_number": "CDA0001", "quantity": "1", "house_work": "build",
        "handover_on": "15/06/2024", "address": "Bản Nà Khum", "value": "80.000.000",
        "funding-TOTAL_FORMS": "4", "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0", "funding-MAX_NUM_FORMS": "20",
        "funding-0-source": "grassroots", "funding-0-amount": "30.000.000",
        "funding-1-source": "donor", "funding-1-donor": "Ngân hàng Nông nghiệp",
        "funding-1-amount": "50.000.000",
    }  # fmt: skip
    return client.post(reverse("care:create"), {**data, **extra})


def test_create_a_house_with_two_sources_through_the_page(world, client_of):
    response = _post_house(client_of("officer_a"), world)
    assert response.status_code == 302, body(response)[:3000]
    record = CareRecord.objects.get()
    assert (record.member, record.value, record.mobilised) == (
        world.member_a,
        80_000_000,
        50_000_000,
    )
    assert record.history.get().history_user == world.officer_a
    page = body(client_of("officer_a").get(response["Location"]))
    assert "Ngân hàng Nông nghiệp" in page and "80.000.000" in page


def test_the_form_says_when_the_value_is_not_the_sum(world, client_of):
    response = _post_house(client_of("officer_a"), world, value="90.000.000")
    assert response.status_code == 200 and not CareRecord.objects.exists()
    assert "không bằng tổng" in body(response) or "90.000.000" in body(response)


def test_a_card_outside_scope_is_not_found_on_the_form(world, client_of):
    response = _post_house(client_of("officer_b"), world, unit="B1")
    assert response.status_code == 200 and not CareRecord.objects.exists()
    assert MARKER_A not in body(response)


def test_edit_and_delete_through_the_pages(world, client_of):
    record = gift(world)
    c = client_of("officer_a")
    page = body(c.get(reverse("care:edit", args=[record.pk])))
    assert "CDA0001" in page and 'value="500.000"' in page
    data = {
        "unit": "A1", "kind": "gift", "on": "01/03/2024", "beneficiary": "member",
        "member": world.member_a.pk, "quantity": "1", "description": "Quà 8/3",
        "funding-TOTAL_FORMS": "2", "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0", "funding-MAX_NUM_FORMS": "20",
        "funding-0-source": "grassroots", "funding-0-amount": "700000",
    }  # fmt: skip
    response = c.post(reverse("care:edit", args=[record.pk]), data)
    assert response.status_code == 302, body(response)[:3000]
    record.refresh_from_db()
    assert (record.value, record.description) == (700_000, "Quà 8/3")
    assert c.post(reverse("care:delete", args=[record.pk])).status_code == 302
    assert not CareRecord.objects.exists()


def _personal_officer(world):
    """An officer of unit A holding the personal-data permission."""
    from congdoan.accounts.models import Role, RoleGrant

    role = Role.objects.create(
        code="care_personal", name="Chăm lo (dữ liệu cá nhân)",
        permissions=["indicators.view", "members.view_personal"],
    )  # fmt: skip
    officer = make_user("personal_a")
    RoleGrant.objects.create(user=officer, role=role, unit=world.unit_a)
    return officer


def test_detail_masks_personal_data_without_the_right(world, client_of, client):
    record = person_a(world)
    page = body(client_of("officer_a").get(reverse("care:detail", args=[record.pk])))
    assert "001090012345" not in page and "**********45" in page
    assert "0912345678" not in page
    officer = _personal_officer(world)
    client.force_login(officer)
    # Even with the right, the page is masked until a purpose is stated; that read is logged.
    page = body(client.get(reverse("care:detail", args=[record.pk])))
    assert "001090012345" not in page and 'id="reveal"' in page
    reveal = reverse("care:reveal", args=[record.pk])
    response = client.post(reveal, {"purpose": "other", "detail": ""})
    assert response.status_code == 400 and "001090012345" not in body(response)
    assert not PersonalDataAccess.objects.exists()
    page = body(client.post(reveal, {"purpose": "other", "detail": "Xác minh hồ sơ hỗ trợ"}))
    assert "001090012345" in page and "0912345678" in page
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.kind, access.member_count) == (officer, "view", 0)
    assert access.records == [f"care.carerecord:{record.pk}"]
    assert "Xác minh hồ sơ hỗ trợ" in access.purpose and access.where == reveal
    auditor = make_user("inspector_a", "inspector", world.unit_a)
    client.force_login(auditor)
    log = body(client.get(reverse("members:access_log")))
    assert f"Bản ghi chăm lo #{record.pk}" in log and "Xác minh hồ sơ hỗ trợ" in log
    client.force_login(make_user("reader_a", "viewer", world.unit_a))
    assert "001090012345" not in body(client.get(reverse("care:detail", args=[record.pk])))
    assert client.post(reveal, {"purpose": "care"}).status_code == 403
    client_b = client_of("officer_b")
    assert client_b.post(reveal, {"purpose": "care"}).status_code == 404
    assert PersonalDataAccess.objects.count() == 1


def test_campaign_pages(world, client_of):
    tet = tet_gifts_a(world)
    c = client_of("officer_a")
    page = body(c.get(reverse("care:campaign_detail", args=[tet.campaign_id])))
    assert "200" in page and "100.000.000" in page
    response = c.post(
        reverse("care:campaign_create"),
        {"unit": "HA", "name": "Tháng Công nhân 2024", "start": "01/05/2024", "end": "31/05/2024"},
    )
    assert response.status_code == 302, body(response)[:2000]
    # A grassroots officer sees the campaigns of the units above to record in them.
    make_user("cs_a1", "data_entry", world.grass_a1)
    from django.test import Client

    cs = Client()
    from congdoan.accounts.models import User

    cs.force_login(User.objects.get(username="cs_a1"))
    page = body(cs.get(reverse("care:campaign_list")))
    assert "Tháng Công nhân 2024" in page
    assert cs.get(reverse("care:campaign_edit", args=[tet.campaign_id])).status_code == 403


def test_member_page_shows_the_care_within_the_viewers_scope(world, client_of, client):
    house = house_a(world)
    # A gift from unit B's union to member A cannot be recorded (B cannot see A's member); a
    # gift from the province is outside a grassroots viewer's scope.
    province_gift = gift(world, unit=world.province, description="Quà tỉnh")
    url = reverse("members:member_detail", args=[world.member_a.pk])
    page = body(client_of("officer_a").get(url))
    assert reverse("care:detail", args=[house.pk]) in page
    assert reverse("care:detail", args=[province_gift.pk]) not in page
    page = body(client_of("national").get(url))
    assert reverse("care:detail", args=[province_gift.pk]) in page
    assert "80.000.000" in page


def test_api_create_read_update_delete(world, client_of):
    c = client_of("officer_a")
    campaign = campaign_a(world)
    body_ = {
        "unit": "HA", "kind": "gift", "on": "2024-02-01", "campaign": campaign.pk,
        "beneficiary": "group", "recipient_kind": "child", "person_name": "Trẻ em bản Mường",
        "quantity": 150, "funding": [{"source": "district", "amount": "30000000"}],
    }  # fmt: skip
    response = c.post("/api/v1/care-records/", body_, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["value"] == "30000000" and data["campaign_name"] == campaign.name
    pk = data["id"]
    response = c.patch(
        f"/api/v1/care-records/{pk}/",
        {"funding": [{"source": "district", "amount": 10}, {"source": "donor", "donor": "Cty A",
                                                            "amount": 5}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (response.json()["value"], response.json()["mobilised"]) == ("15", "5")
    assert c.delete(f"/api/v1/care-records/{pk}/").status_code == 204


def test_api_masks_personal_data_and_refuses_b(world, client_of, client):
    record = person_a(world)
    data = client_of("officer_a").get(f"/api/v1/care-records/{record.pk}/").json()
    assert data["citizen_id"] == "**********45" and data["date_of_birth"] == "•••"
    # With the right: masked without a purpose, revealed and logged with one.
    client.force_login(_personal_officer(world))
    url = f"/api/v1/care-records/{record.pk}/"
    assert client.get(url).json()["citizen_id"] == "**********45"
    assert not PersonalDataAccess.objects.exists()
    assert client.get(url, {"purpose": "Xác minh"}).json()["citizen_id"] == "001090012345"
    rows = client.get("/api/v1/care-records/", HTTP_X_PURPOSE="Đối chiếu").json()["results"]
    assert [r["citizen_id"] for r in rows if r["id"] == record.pk] == ["001090012345"]
    kinds = sorted(PersonalDataAccess.objects.values_list("kind", "records"))
    assert kinds == [("export", [f"care.carerecord:{record.pk}"]),
                     ("view", [f"care.carerecord:{record.pk}"])]  # fmt: skip
    c = client_of("officer_b")
    assert c.get(f"/api/v1/care-records/{record.pk}/").status_code == 404
    response = c.post(
        "/api/v1/care-records/",
        {"unit": "B1", "kind": "gift", "on": "2024-02-01", "beneficiary": "member",
         "member": world.member_a.pk, "funding": [{"source": "grassroots", "amount": 5}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and response.json()["field"] == "member"
    assert MARKER_A not in response.content.decode()


def test_api_campaigns(world, client_of):
    c = client_of("officer_a")
    response = c.post(
        "/api/v1/care-campaigns/",
        {"unit": "HA", "name": "Tết 2025", "start": "2025-01-05", "end": "2025-02-10"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = c.patch(
        f"/api/v1/care-campaigns/{pk}/", {"end": "2025-02-15"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["end"] == "2025-02-15"
    assert c.delete(f"/api/v1/care-campaigns/{pk}/").status_code == 204


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    house_a(world)
    tet_gifts_a(world)
    person_a(world)
    for day in range(1, 20):
        gift(world, on=dt.date(2024, 4, day))
    c = client_of("officer_a")
    with django_assert_max_num_queries(16):
        assert c.get(reverse("care:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/care-records/").status_code == 200


def test_detail_takes_attachments_for_those_who_manage(world, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record = house_a(world)
    c = client_of("officer_a")
    url = reverse("activities:attachment_add", args=["care.CareRecord", record.pk])
    response = c.post(url, {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 ban giao")})
    assert response.status_code == 302
    page = body(c.get(reverse("care:detail", args=[record.pk])))
    assert "bien-ban.pdf" in page and url in page
    assert (
        client_of("officer_b").post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).status_code
        == 404
    )
