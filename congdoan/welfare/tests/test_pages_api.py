"""Pages and API through HTTP with the three personas."""

import datetime as dt

import pytest
from django.urls import reverse

from congdoan.activities.models import Attachment
from congdoan.core.tests.support import MARKER_A
from congdoan.indicators.models import Period
from congdoan.welfare.models import Agreement, BenefitUse
from congdoan.welfare.tests.helpers import agreement_a, new_agreement

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def year_2024() -> Period:
    return Period.objects.get_or_create(
        kind="year", year=2024, number=1, programme="",
        defaults={"name": "Năm 2024", "start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)},
    )[0]  # fmt: skip


def test_list_filters_by_unit_period_kind_text(world, client_of):
    agreement_a(world)
    new_agreement(world, partner_name="Siêu thị Hai", signed_on=dt.date(2023, 5, 5))
    c = client_of("officer_a")
    url = reverse("welfare:list")
    page = _text(c.get(url, {"unit": world.unit_a.pk, "period": year_2024().pk}))
    assert f"Ngân hàng {MARKER_A}" in page and "Siêu thị Hai" not in page
    assert "121" in page and "6.500.000" in page  # the uses in the period and their value
    page = _text(c.get(url, {"kind": "retail"}))
    assert "Siêu thị Hai" in page and f"Ngân hàng {MARKER_A}" not in page
    page = _text(c.get(url, {"q": "ngan hang alpha"}))  # diacritics and case ignored
    assert f"Ngân hàng {MARKER_A}" in page and "Siêu thị Hai" not in page
    page = _text(c.get(url, {"unit": world.grass_a1.code}))
    assert f"Ngân hàng {MARKER_A}" not in page


def test_a_period_that_does_not_exist_selects_nothing(world, client_of):
    agreement_a(world)
    page = _text(client_of("officer_a").get(reverse("welfare:list"), {"period": 999_999}))
    assert f"Ngân hàng {MARKER_A}" not in page


def test_uses_list_with_totals(world, client_of):
    agreement_a(world)
    c = client_of("officer_a")
    page = _text(c.get(reverse("welfare:uses"), {"q": "alphahoa"}))
    assert f"Nguyễn Thị {MARKER_A}hoa" in page
    assert reverse("welfare:use_totals") + "?q=alphahoa" in page  # loaded after the page
    totals = _text(c.get(reverse("welfare:use_totals"), {"q": "alphahoa"}))
    assert "Cộng: 1 lượt, trị giá 500.000 đồng." in totals
    totals = _text(c.get(reverse("welfare:use_totals"), {"q": "nobody"}))
    assert "Cộng: 0 lượt, trị giá 0 đồng." in totals


def test_officer_b_sees_nothing(world, client_of):
    agreement = agreement_a(world)
    c = client_of("officer_b")
    assert MARKER_A not in _text(c.get(reverse("welfare:list")))
    assert c.get(reverse("welfare:detail", args=[agreement.pk])).status_code == 404


def test_detail_shows_uses_attachments_history(world, client_of):
    agreement = agreement_a(world)
    page = _text(client_of("officer_a").get(reverse("welfare:detail", args=[agreement.pk])))
    assert f"Nguyễn Thị {MARKER_A}hoa" in page
    assert "Giảm 0,5% lãi suất vay tiêu dùng &amp; miễn phí thẻ &lt;ATM&gt;" in page
    assert reverse("activities:attachment_add", args=["welfare.Agreement", agreement.pk]) in page
    assert 'id="audit"' in page
    assert "không ghi sổ phúc lợi năm 2024" in page  # not kept: its figures are entered


def test_create_an_agreement_through_the_page(world, client_of):
    response = client_of("officer_a").post(
        reverse("welfare:create"),
        {
            "unit": "A1", "partner_name": "Phòng khám Thử", "partner_kind": "health",
            "signed_on": "15/08/2024", "valid_until": "31/12/2025",
            "benefits": "Khám miễn phí", "discount_percent": "12,5",
        },
    )  # fmt: skip
    assert response.status_code == 302, _text(response)[:3000]
    agreement = Agreement.objects.get(partner_name="Phòng khám Thử")
    assert str(agreement.discount_percent) == "12.50"
    assert agreement.history.get().history_user == world.officer_a


def test_create_on_a_unit_outside_scope_is_not_found(world, client_of):
    response = client_of("officer_b").post(
        reverse("welfare:create"),
        {"unit": "HA", "partner_name": "X", "partner_kind": "bank", "signed_on": "15/08/2024",
         "benefits": "X"},
    )  # fmt: skip
    assert response.status_code == 200 and not Agreement.objects.exists()
    assert MARKER_A not in _text(response)


def test_record_and_correct_uses_through_the_pages(world, client_of):
    agreement = agreement_a(world)
    c = client_of("officer_a")
    response = c.post(
        reverse("welfare:use_add", args=[agreement.pk]),
        {"card_number": "CDA0001", "count": 1, "used_on": "01/09/2024", "value": "1.500.000"},
    )
    assert response.status_code == 302, _text(response)[:3000]
    use = BenefitUse.objects.get(used_on=dt.date(2024, 9, 1))
    assert (use.member, use.value) == (world.member_a, 1_500_000)
    response = c.post(
        reverse("welfare:use_edit", args=[use.pk]),
        {"card_number": "", "count": 40, "used_on": "01/09/2024", "value": "2000000"},
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.member, use.count, use.value) == (None, 40, 2_000_000)
    response = c.post(
        reverse("welfare:use_add", args=[agreement.pk]),
        {"card_number": "CDB0001", "count": 1, "used_on": "01/09/2024"},
    )
    assert response.status_code == 200  # B's member is not found, named or not
    assert "Không tìm thấy đoàn viên có số thẻ này trong phạm vi của bạn." in _text(response)


def test_delete_pages(world, client_of):
    c = client_of("officer_a")
    agreement = agreement_a(world)
    response = c.post(reverse("welfare:delete", args=[agreement.pk]))
    assert response.status_code == 302 and Agreement.objects.filter(pk=agreement.pk).exists()
    fresh = new_agreement(world)
    assert c.get(reverse("welfare:delete", args=[fresh.pk])).status_code == 200
    assert c.post(reverse("welfare:delete", args=[fresh.pk])).status_code == 302
    assert not Agreement.objects.filter(pk=fresh.pk).exists()


def test_attach_a_scan(world, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement = agreement_a(world)
    scan = SimpleUploadedFile("thoa-thuan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    url = reverse("activities:attachment_add", args=["welfare.Agreement", agreement.pk])
    assert client_of("officer_a").post(url, {"file": scan}).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.unit == world.unit_a
    download = reverse("activities:attachment", args=[attachment.pk])
    assert client_of("officer_b").get(download).status_code == 404


def test_member_page_shows_the_welfare_section(world, client_of):
    agreement_a(world)
    page = _text(
        client_of("officer_a").get(reverse("members:member_detail", args=[world.member_a.pk]))
    )
    assert 'id="section-welfare"' in page
    assert f"Ngân hàng {MARKER_A} – Chi nhánh Lai Châu" in page and "500.000" in page
    page = _text(
        client_of("officer_b").get(reverse("members:member_detail", args=[world.member_b.pk]))
    )
    assert 'id="section-welfare"' in page and MARKER_A not in page


# ---------------------------------------------------------------------------------------------
# API


def test_api_create_update_delete(world, client_of):
    c = client_of("officer_a")
    body = {
        "unit": "A2", "partner_name": "Viễn thông Thử", "partner_kind": "telecom",
        "signed_on": "01/02/2024", "benefits": "Giảm 20% cước", "discount_percent": "20",
    }  # fmt: skip
    response = c.post("/api/v1/welfare-agreements/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["valid_from"] == "2024-02-01"
    response = c.post(
        "/api/v1/welfare-uses/",
        {"agreement": pk, "used_on": "2024-03-01", "count": 30, "value": "900000"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    use = response.json()["id"]
    response = c.patch(
        f"/api/v1/welfare-uses/{use}/",
        {"member": world.member_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "member"  # A1 is not in A2
    response = c.patch(
        f"/api/v1/welfare-agreements/{pk}/", {"notes": "Gia hạn"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["notes"] == "Gia hạn"
    assert response.json()["use_count"] == 30
    assert c.delete(f"/api/v1/welfare-agreements/{pk}/").status_code == 400  # it has uses
    assert c.delete(f"/api/v1/welfare-uses/{use}/").status_code == 204
    assert c.delete(f"/api/v1/welfare-agreements/{pk}/").status_code == 204


def test_api_filters(world, client_of):
    agreement_a(world)
    c = client_of("officer_a")
    data = c.get("/api/v1/welfare-uses/", {"unit": world.unit_a.pk, "year": 2024}).json()
    assert sorted(r["count"] for r in data["results"]) == [1, 120]
    data = c.get("/api/v1/welfare-agreements/", {"unit": world.grass_a1.pk}).json()
    assert data["results"] == []
    data = c.get("/api/v1/welfare-agreements/", {"period": year_2024().pk}).json()
    assert data["results"][0]["use_count"] == 121


def test_api_officer_b_cannot_write_to_a(world, client_of):
    agreement = agreement_a(world)
    c = client_of("officer_b")
    response = c.patch(
        f"/api/v1/welfare-agreements/{agreement.pk}/", {"notes": "X"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    response = c.post(
        "/api/v1/welfare-uses/", {"agreement": agreement.pk, "used_on": "2024-03-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    response = c.post(
        "/api/v1/welfare-agreements/",
        {"unit": "HA", "partner_name": "X", "partner_kind": "bank", "signed_on": "2024-01-01",
         "benefits": "X"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and MARKER_A not in response.content.decode()
    data = c.get("/api/v1/welfare-uses/", {"member": world.member_a.pk}).json()
    assert data["results"] == []


def test_list_query_budget(world, client_of, django_assert_max_num_queries):
    agreement_a(world)
    for n in range(5):
        new_agreement(world, partner_name=f"Đối tác {n}")
    c = client_of("officer_a")
    with django_assert_max_num_queries(15):
        assert c.get(reverse("welfare:list"), {"year": 2024}).status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get(reverse("welfare:uses"), {"year": 2024}).status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/welfare-agreements/").status_code == 200
    with django_assert_max_num_queries(10):
        assert c.get("/api/v1/welfare-uses/").status_code == 200
