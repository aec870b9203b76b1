"""Pages and API through HTTP with the three personas."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.core.tests.support import MARKER_A
from congdoan.grading.models import Grading, Status
from congdoan.grading.tests.helpers import MAXIMA, confirm, grade, grading_a, marks

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def form_data(share: float = 0.8, notes: str = "") -> dict[str, str]:
    data = {f"scores.{code}": str(points) for code, points in marks(share).items()}
    data["notes"] = notes
    return data


def test_grading_a_union_on_its_sheet(world, client_of):
    c = client_of("officer_a")
    start = c.get(reverse("grading:create"), {"unit": "A2", "year": 2024})
    url = reverse("grading:grade", args=[world.grass_a2.pk, 2024])
    assert start.status_code == 302 and start["Location"] == url
    page = html(c.get(url))
    assert "I. Đại diện, bảo vệ quyền" in page and "Tối đa 15 điểm." in page
    assert page.count('name="scores.') == len(MAXIMA)
    response = c.post(url, form_data(0.95, "Tốt"))
    grading = Grading.objects.get(unit=world.grass_a2, year=2024)
    assert response.status_code == 302 and response["Location"] == grading.get_absolute_url()
    assert (
        grading.category.name == "Hoàn thành xuất sắc nhiệm vụ" and grading.status == Status.DRAFT
    )
    assert grading.graded_by == world.unit_a and grading.created_by == world.officer_a
    assert c.get(url)["Location"] == grading.get_absolute_url()  # graded already: its page


def test_every_criterion_is_checked_on_the_form(world, client_of):
    c = client_of("officer_a")
    url = reverse("grading:grade", args=[world.grass_a2.pk, 2024])
    data = form_data()
    data["scores.1.3"] = "16"
    del data["scores.2.1"]
    page = html(c.post(url, data))
    assert "Đảm bảo giá trị này nhỏ hơn hoặc bằng 15" in page or "15" in page
    assert "Trường này là bắt buộc." in page
    assert not Grading.objects.exists()


def test_a_young_union_is_refused_on_its_page(world, client_of):
    from congdoan.organisation import services as org

    young = org.unit_create(
        actor=None, parent=world.unit_a, code="A5", name="CĐCS ALPHA Mới", short_name="CĐCS ALPHA Mới",
        unit_type=world.grass_a1.unit_type, day=__import__("datetime").date(2024, 3, 1),
    )  # fmt: skip
    c = client_of("officer_a")
    url = reverse("grading:grade", args=[young.pk, 2024])
    page = html(c.get(url))
    assert "chưa đủ 12 tháng" in page and 'name="scores.' not in page
    assert c.post(url, form_data()).status_code == 200
    assert not Grading.objects.exists()


def test_list_counts_categories_and_filters(world, client_of):
    confirm(grade(world.grass_a1, 2024, scores=marks(0.95)))
    grade(world.grass_a2, 2024, scores=marks(0.8))
    grade(world.grass_b1, 2024, scores=marks(0.4))
    c = client_of("national")
    page = html(c.get(reverse("grading:list"), {"year": 2024}))
    assert 'data-rank="1">1<' in page and 'data-rank="2">1<' in page and 'data-rank="4">1<' in page
    page = html(c.get(reverse("grading:list"), {"year": 2024, "unit": "HA", "category": 2}))
    assert "CĐCS ALPHA Hai" in page and "CĐCS ALPHA Một" not in page and "BETA" not in page
    page = html(client_of("officer_a").get(reverse("grading:list"), {"year": 2024}))
    assert 'data-rank="4">0<' in page and "BETA" not in page


def test_detail_confirm_edit_and_delete_pages(world, client_of):
    g = grading_a(world)
    c = client_of("officer_a")
    page = html(c.get(g.get_absolute_url()))
    assert "Hoàn thành tốt nhiệm vụ" in page and "Dự thảo" in page and "Nhật ký thay đổi" in page
    edit = reverse("grading:edit", args=[g.pk])
    assert c.post(edit, form_data(0.5)).status_code == 302
    g.refresh_from_db()
    assert g.category.code == "hoan_thanh" and g.total == Decimal(50)
    response = c.post(reverse("grading:confirm", args=[g.pk]),
                      {"decision_number": "12/QĐ-LĐLĐ", "decision_date": "15/01/2025"})  # fmt: skip
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.confirmed and g.decision_number == "12/QĐ-LĐLĐ"
    assert c.post(edit, form_data(0.9)).status_code == 302  # refused: a message, no change
    g.refresh_from_db()
    assert g.total == Decimal(50)
    delete = reverse("grading:delete", args=[g.pk])
    page = html(c.post(delete, {"reason": ""}))
    assert "hãy nêu lý do xóa" in page
    assert c.post(delete, {"reason": "Chấm nhầm"}).status_code == 302
    assert not Grading.objects.exists()


def test_a_union_officer_may_see_but_not_grade_itself(world, client_of):
    from congdoan.core.tests.support import make_user

    make_user("cdcs", "federation_admin", world.grass_a1)
    from django.test import Client

    c = Client()
    c.force_login(
        __import__("congdoan.accounts.models", fromlist=["User"]).User.objects.get(username="cdcs")
    )
    g = grading_a(world)
    assert c.get(g.get_absolute_url()).status_code == 200
    assert c.get(reverse("grading:edit", args=[g.pk])).status_code == 403
    assert (
        c.post(reverse("grading:grade", args=[world.grass_a1.pk, 2023]), form_data()).status_code
        == 200
    )
    assert not Grading.objects.filter(year=2023).exists()


def test_officer_b_sees_nothing_of_a(world, client_of):
    g = grading_a(world)
    c = client_of("officer_b")
    for name, args in (("grading:detail", [g.pk]), ("grading:edit", [g.pk]),
                       ("grading:confirm", [g.pk]), ("grading:delete", [g.pk]),
                       ("grading:unit_history", [world.grass_a1.pk]),
                       ("grading:grade", [world.grass_a1.pk, 2023])):  # fmt: skip
        response = c.get(reverse(name, args=args))
        assert response.status_code == 404 and MARKER_A not in html(response)
    page = html(c.get(reverse("grading:list"), {"unit": world.grass_a1.pk}))
    assert MARKER_A not in page
    page = html(c.get(reverse("grading:ungraded"), {"unit": "HA", "year": 2024}))
    assert MARKER_A not in page and "Không tìm thấy đơn vị" in page


def test_not_yet_graded_lists_the_unions_and_why(world, client_of):
    grading_a(world)
    page = html(
        client_of("officer_a").get(reverse("grading:ungraded"), {"unit": "HA", "year": 2024})
    )
    assert "CĐCS ALPHA Hai" in page and "CĐCS ALPHA Một" not in page
    assert reverse("grading:grade", args=[world.grass_a2.pk, 2024]) in page


def test_the_pages_speak_english_when_chosen(world, client_of):
    g = grading_a(world)
    c = client_of("officer_a")
    c.cookies["django_language"] = "en"
    page = html(c.get(g.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Grading history" in page and "Total points" in page and "Lịch sử xếp loại" not in page
    page = html(c.get(reverse("grading:schemes"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Grading schemes" in page and "Calendar year" in page


def test_scheme_pages(world, client_of):
    c = client_of("officer_b")
    page = html(c.get(reverse("grading:schemes")))
    assert "cdcs_2024" in page and "Năm học" in page
    from congdoan.grading.models import Scheme

    page = html(c.get(Scheme.objects.get(code="cdcs_2024").get_absolute_url()))
    assert "Hoàn thành xuất sắc nhiệm vụ" in page and "từ 90 điểm" in page and "50%" in page


def test_export_reads_back(world, client_of):
    confirm(grading_a(world))
    grade(world.grass_b1, 2024)
    response = client_of("officer_a").get(reverse("grading:export"), {"year": 2024})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][1:5] == ["Mã đơn vị", "Tên CĐCS", "Năm", "Kỳ đánh giá"]
    assert len(rows) == 2  # officer A: not B's grading
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Mã đơn vị"] == "A1" and record["Xếp loại"] == "Hoàn thành tốt nhiệm vụ"
    assert "1.1: 8" in record["Điểm theo tiêu chí"] and record["Trạng thái"] == "Đã xác nhận"
    assert record["Số quyết định"] == "15/QĐ-LĐLĐ"


# ---------------------------------------------------------------------------------------------
# API


def api_scores(share: float = 0.8) -> dict[str, str]:
    return {code: str(points) for code, points in marks(share).items()}


def test_api_create_update_confirm_and_delete(world, client_of):
    c = client_of("officer_a")
    url = reverse("api:grading-list")
    response = c.post(url, {"unit": "A2", "year": 2024, "scores": api_scores(0.95)},
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["category"]["code"] == "xuat_sac" and body["graded_by"]["code"] == "HA"
    assert body["period"] == "2024" and len(body["scores"]) == len(MAXIMA)
    detail = reverse("api:grading-detail", args=[body["id"]])
    bad = api_scores()
    bad["1.1"] = "11"
    response = c.patch(detail, {"scores": bad}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "scores.1.1"
    response = c.patch(detail, {"scores": api_scores(0.5)}, content_type="application/json")
    assert response.json()["category"]["code"] == "hoan_thanh"
    response = c.post(reverse("api:grading-confirm", args=[body["id"]]),
                      {"decision_number": "3/QĐ", "decision_date": "20/01/2025"},
                      content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert c.delete(detail).status_code == 400
    assert c.delete(f"{detail}?reason=Nhầm").status_code == 204


def test_api_list_filters_and_scope(world, client_of):
    confirm(grading_a(world))
    grade(world.grass_b1, 2024, scores=marks(0.4))
    rows = (
        client_of("national").get(reverse("api:grading-list"), {"year": 2024, "category": 4}).json()
    )
    assert [r["unit"]["code"] for r in rows["results"]] == ["B1"]
    rows = client_of("officer_b").get(reverse("api:grading-list")).json()["results"]
    assert [r["unit"]["code"] for r in rows] == ["B1"]
    response = client_of("officer_b").get(reverse("api:grading-detail", args=[grading_a(world).pk]))
    assert response.status_code == 404 and MARKER_A not in response.content.decode()
    response = client_of("officer_b").post(
        reverse("api:grading-list"), {"unit": "A2", "year": 2024, "scores": api_scores()},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400 and MARKER_A not in response.content.decode()
    schemes = client_of("officer_b").get(reverse("api:grading-scheme-list")).json()
    assert {s["code"] for s in schemes} == {"cdcs_2019", "cdcs_2024", "cdcs_gd_2024"}


def test_the_list_and_the_api_list_read_a_bounded_number_of_queries(
    world, client_of, django_assert_max_num_queries
):
    from congdoan.organisation import services as org

    for n in range(8):
        unit = org.unit_create(
            actor=None, parent=world.unit_a, code=f"AX{n}", name=f"CĐCS ALPHA {n}",
            short_name=f"CĐCS ALPHA {n}", unit_type=world.grass_a1.unit_type,
            day=world.grass_a1.founded_on,
        )  # fmt: skip
        confirm(grade(unit, 2024, scores=marks(0.5 + n / 20)))
    c = client_of("officer_a")
    with django_assert_max_num_queries(30):
        assert c.get(reverse("grading:list"), {"year": 2024}).status_code == 200
    with django_assert_max_num_queries(20):
        assert len(c.get(reverse("api:grading-list")).json()["results"]) == 8
