"""The unit page: its sections, lineage seen from both sides, the audit trail, query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.tests.support import MARKER_A, make_user, unit_type
from congdoan.organisation import services as org
from congdoan.organisation.tests.url_cases import cluster_a, term_a

MERGED = dt.date(2024, 7, 1)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def unit_page(client, unit, **params) -> str:
    return html(client.get(reverse("organisation:unit_detail", args=[unit.pk]), params))


def test_unit_page_sections(client_of, world):
    cluster_a(world)
    term_a(world)
    body = unit_page(client_of("officer_a"), world.grass_a1)
    for heading in (
        "Chi tiết",
        "Đơn vị trực thuộc",
        "Nhiệm kỳ",
        "Cụm thi đua",
        "Lịch sử",
        "Nguồn gốc – kế thừa",
        "Nhật ký thay đổi",
    ):
        assert heading in body, heading
    # Breadcrumbs: the ancestors, linked only inside the user's scope.
    assert reverse("organisation:unit_detail", args=[world.unit_a.pk]) in body
    assert reverse("organisation:unit_detail", args=[world.province.pk]) not in body
    assert "LĐLĐ tỉnh Thử Nghiệm" in body
    # Details, children, the current term's committees, clusters by year, history.
    assert "A1" in body and "Công đoàn cơ sở" in body and "01/01/2020" in body
    assert "Tổ CĐ ALPHA" in body
    assert "Khóa XI, nhiệm kỳ 2023–2028" in body
    assert f"Lê Thị {MARKER_A}" in body and "Chủ tịch" in body
    assert "Phạm Văn Kiểm" in body and "Chủ nhiệm Ủy ban Kiểm tra" in body
    assert "Cụm thi đua huyện ALPHA" in body and "2024" in body
    assert "– nay" in body  # the open history period
    assert reverse("organisation:unit_audit", args=[world.grass_a1.pk]) in body
    # The organiser's page lists the clusters it organises.
    body = unit_page(client_of("officer_a"), world.unit_a)
    assert "Cụm, khối thi đua do đơn vị tổ chức" in body and "Cụm thi đua huyện ALPHA" in body


def test_action_buttons_follow_the_users_rights(client_of, client, world):
    body = unit_page(client_of("officer_a"), world.grass_a1)
    pk = world.grass_a1.pk
    for name in ("update", "move", "merge", "split", "dissolve"):
        assert f"{reverse(f'reorganisation:{name}')}?unit={pk}" in body, name
    assert f"{reverse('reorganisation:create')}?parent={pk}" in body
    assert reverse("organisation:term_create", args=[pk]) in body

    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    body = unit_page(client, world.grass_a1)
    assert reverse("reorganisation:move") not in body
    assert reverse("organisation:term_create", args=[pk]) not in body
    assert reverse("organisation:unit_audit", args=[pk]) not in body  # no audit.view
    assert client.get(reverse("organisation:unit_audit", args=[pk])).status_code == 404


def test_dissolved_children_toggle(client_of, world):
    org.unit_dissolve(actor=None, unit=world.grass_a2, day=dt.date(2024, 1, 1), reason="Giải thể")
    client = client_of("officer_a")
    body = unit_page(client, world.unit_a)
    assert "CĐCS ALPHA Một" in body and "CĐCS ALPHA Hai" not in body
    assert "?show_dissolved=1" in body
    body = unit_page(client, world.unit_a, show_dissolved="1")
    assert "CĐCS ALPHA Hai" in body
    body = unit_page(client, world.grass_a2)
    assert "01/01/2024" in body and "Giải thể" in body
    assert reverse("reorganisation:move") not in body  # nothing to reorganise on a dissolved unit


def test_history_shows_names_and_parents_of_each_period(client_of, world):
    new = f"CĐCS {MARKER_A} Hai Mới"
    org.unit_update(actor=None, unit=world.grass_a2, day=dt.date(2022, 1, 1), name=new)
    org.unit_update(
        actor=None, unit=world.unit_a, day=dt.date(2022, 6, 1), short_name="LĐLĐ ALPHA mới"
    )
    org.unit_move(actor=None, unit=world.grass_a2, new_parent=world.unit_b, day=dt.date(2023, 1, 1))
    body = unit_page(client_of("national"), world.grass_a2)
    assert "01/01/2020 – 01/01/2022" in body
    assert "01/01/2022 – 01/01/2023" in body
    assert "01/01/2023 – nay" in body
    assert "CĐCS ALPHA Hai Mới" in body
    # The parent's name as it was when the period began.
    assert "LĐLĐ huyện ALPHA" in body and "LĐLĐ huyện BETA" in body
    assert reverse("reorganisation:event_detail", args=[1]).rsplit("/", 2)[0] in body


def test_lineage_after_a_merge_is_visible_from_both_sides(client_of, world):
    org.units_merge(
        actor=world.officer_a, sources=[world.grass_a2], target=world.grass_a1, day=MERGED
    )
    client = client_of("officer_a")
    target_page = unit_page(client, world.grass_a1)
    source_page = unit_page(client, world.grass_a2)
    source_link = reverse("organisation:unit_detail", args=[world.grass_a2.pk])
    target_link = reverse("organisation:unit_detail", args=[world.grass_a1.pk])
    lineage_target = target_page.split('id="lineage"', 1)[1].split("</section>", 1)[0]
    lineage_source = source_page.split('id="lineage"', 1)[1].split("</section>", 1)[0]
    assert source_link in lineage_target and "01/07/2024" in lineage_target
    assert "Sáp nhập" in lineage_target
    assert target_link in lineage_source and "01/07/2024" in lineage_source
    # Members moved: the merged union had no members; the numbers are shown.
    assert '<td class="text-end">0</td>' in lineage_source


def test_lineage_to_a_unit_outside_the_scope_is_named_not_linked(client_of, world):
    org.units_merge(actor=None, sources=[world.grass_a2], target=world.grass_b1, day=MERGED)
    body = unit_page(client_of("officer_a"), world.grass_a2)
    lineage = body.split('id="lineage"', 1)[1].split("</section>", 1)[0]
    assert "CĐCS BETA Một" in lineage
    assert reverse("organisation:unit_detail", args=[world.grass_b1.pk]) not in lineage
    body = unit_page(client_of("officer_b"), world.grass_b1)
    lineage = body.split('id="lineage"', 1)[1].split("</section>", 1)[0]
    assert "CĐCS ALPHA Hai" in lineage  # where B's new members came from


def test_audit_trail_shows_who_when_why_and_before_after(client_of, world):
    org.unit_update(
        actor=world.officer_a,
        unit=world.grass_a1,
        day=dt.date(2022, 1, 1),
        name=f"CĐCS {MARKER_A} Một Mới",
        sector=None,
        unit_type=unit_type("nghiep_doan"),
    )
    response = client_of("officer_a").get(
        reverse("organisation:unit_audit", args=[world.grass_a1.pk]), HTTP_HX_REQUEST="true"
    )
    body = html(response)
    assert "<html" not in body  # a fragment
    assert "Cán bộ A" in body and 'title="unit_update">Đổi tên – cập nhật' in body
    assert "CĐCS ALPHA Một" in body and "CĐCS ALPHA Một Mới" in body
    assert "Công đoàn cơ sở" in body and "Nghiệp đoàn cơ sở" in body  # names, not ids
    assert "Tên chính thức" in body
    assert "Tạo mới" in body  # the creation


def test_unit_page_query_budget(client_of, world, django_assert_max_num_queries):
    cluster_a(world)
    term_a(world)
    for i in range(20):
        org.unit_create(
            actor=None,
            parent=world.grass_a1,
            code=f"T{i:02d}",
            name=f"Tổ {i:02d}",
            unit_type=unit_type("to_cd"),
            day=dt.date(2021, 1, 1),
        )
    org.units_merge(actor=None, sources=[world.grass_a2], target=world.grass_a1, day=MERGED)
    client = client_of("officer_a")
    with django_assert_max_num_queries(22):  # about 17 today, whatever the number of rows
        unit_page(client, world.grass_a1)
    with django_assert_max_num_queries(10):
        html(client.get(reverse("organisation:unit_audit", args=[world.grass_a1.pk])))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_unit_page_in_both_languages(client_of, world, language):
    client = client_of("officer_a")
    client.cookies["django_language"] = language
    body = unit_page(client, world.unit_a)
    assert ("Đơn vị trực thuộc" in body) == (language == "vi")
    assert ("Units directly below" in body) == (language == "en")
