"""The cluster and term pages: they call the services and show broken rules on the form."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.tests.support import make_user
from congdoan.organisation import services as org
from congdoan.organisation.models import Cluster, ClusterMembership, CommitteeSeat, Position, Term
from congdoan.organisation.tests.url_cases import cluster_a, term_a


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def members(cluster, year):
    return sorted(
        ClusterMembership.objects.filter(cluster=cluster, year=year).values_list(
            "unit__code", "is_head"
        )
    )


def test_cluster_list_filters_and_counts(client_of, world):
    cluster_a(world)
    Cluster.objects.create(code="cum-beta", name="Cụm thi đua Bình Minh", organiser=world.unit_b)
    client = client_of("national")
    body = html(client.get(reverse("organisation:cluster_list"), {"year": 2024}))
    assert "Cụm thi đua huyện ALPHA" in body and "Cụm thi đua Bình Minh" in body
    assert "CĐCS ALPHA Một" in body  # the head unit of 2024
    body = html(client.get(reverse("organisation:cluster_list"), {"q": "binh minh"}))
    assert "Bình Minh" in body and "ALPHA" not in body
    body = html(client_of("officer_b").get(reverse("organisation:cluster_list")))
    assert "Bình Minh" in body and "ALPHA" not in body


def test_cluster_create_through_the_page(client_of, world):
    client = client_of("officer_a")
    url = reverse("organisation:cluster_create")
    body = html(client.get(url, {"organiser": world.unit_a.pk}))
    assert 'value="HA"' in body  # the organiser is preselected by code
    response = client.post(
        url, {"organiser": "HA", "code": "cum-1", "name": "Cụm số 1", "kind": "cluster"}
    )
    cluster = Cluster.objects.get(code="cum-1")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:cluster_detail", args=[cluster.pk])
    # A broken rule is shown next to its field; a unit outside the scope is "not found".
    body = html(
        client.post(url, {"organiser": "HA", "code": "cum-1", "name": "X", "kind": "block"})
    )
    assert "Mã cụm cum-1 đã được dùng." in body
    body = html(
        client.post(url, {"organiser": "HB", "code": "cum-2", "name": "X", "kind": "block"})
    )
    assert "Không tìm thấy đơn vị có mã này trong phạm vi của bạn." in body
    assert not Cluster.objects.filter(code="cum-2").exists()


def test_cluster_pages_need_manage_rights(client, world):
    cluster = cluster_a(world)
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    body = html(client.get(reverse("organisation:cluster_detail", args=[cluster.pk])))
    assert "CĐCS ALPHA Một" in body
    assert reverse("organisation:cluster_edit", args=[cluster.pk]) not in body
    assert client.get(reverse("organisation:cluster_edit", args=[cluster.pk])).status_code == 403
    assert client.get(reverse("organisation:cluster_create")).status_code == 403
    m = ClusterMembership.objects.get(cluster=cluster, unit=world.grass_a2)
    assert (
        client.post(reverse("organisation:cluster_member_remove", args=[m.pk])).status_code == 404
    )
    assert members(cluster, 2024) == [("A1", True), ("A2", False)]


def test_cluster_detail_by_year_and_actions(client_of, world):
    cluster = cluster_a(world)
    client = client_of("officer_a")
    detail = reverse("organisation:cluster_detail", args=[cluster.pk])
    body = html(client.get(detail, {"year": 2024}))
    assert "Đơn vị thành viên năm 2024: 2" in body
    assert "Cụm trưởng" in body

    # Add a member: a unit outside the organiser's subtree is refused on the form.
    add = reverse("organisation:cluster_member_add", args=[cluster.pk])
    response = client.post(add, {"unit": "A1T1", "year": 2025})
    assert response.status_code == 302
    assert members(cluster, 2025) == [("A1T1", False)]
    body = html(client.post(add, {"unit": "B1", "year": 2025}))
    assert "Không tìm thấy đơn vị có mã này trong phạm vi của bạn." in body
    body = html(client_of("national").post(add, {"unit": "B1", "year": 2025}))
    assert "không trực thuộc" in body

    # Copy 2024 into 2025, then make A2 the head of 2025, then remove A1 from 2025.
    response = client.post(
        reverse("organisation:cluster_copy_year", args=[cluster.pk]),
        {"from_year": 2024, "to_year": 2025},
    )
    assert response.status_code == 302 and response["Location"] == f"{detail}?year=2025"
    assert members(cluster, 2025) == [("A1", True), ("A1T1", False), ("A2", False)]
    a2 = ClusterMembership.objects.get(cluster=cluster, year=2025, unit=world.grass_a2)
    client.post(reverse("organisation:cluster_set_head", args=[a2.pk]))
    a1 = ClusterMembership.objects.get(cluster=cluster, year=2025, unit=world.grass_a1)
    client.post(reverse("organisation:cluster_member_remove", args=[a1.pk]))
    assert members(cluster, 2025) == [("A1T1", False), ("A2", True)]
    body = html(client.get(f"{detail}?year=2025"))
    assert "CĐCS ALPHA Hai" in body and "cụm trưởng năm 2025" in body  # the success message
    # The head unit of 2024 is unchanged.
    assert members(cluster, 2024) == [("A1", True), ("A2", False)]


def test_cluster_edit(client_of, world):
    cluster = cluster_a(world)
    client = client_of("officer_a")
    url = reverse("organisation:cluster_edit", args=[cluster.pk])
    assert "cum-thi-dua-alpha" in html(client.get(url))
    response = client.post(
        url, {"organiser": "HA", "code": "cum-alpha-2", "name": "Khối ALPHA", "kind": "block"}
    )
    assert response.status_code == 302
    cluster.refresh_from_db()
    assert (cluster.code, cluster.name, cluster.kind) == ("cum-alpha-2", "Khối ALPHA", "block")


def test_term_pages(client_of, world):
    client = client_of("officer_a")
    create = reverse("organisation:term_create", args=[world.grass_a1.pk])
    assert html(client.get(create))
    body = html(client.post(create, {"number": 1, "start_year": 2028, "end_year": 2023}))
    assert "Năm kết thúc (2023) trước năm bắt đầu (2028)." in body
    response = client.post(
        create,
        {"number": 11, "start_year": 2023, "end_year": 2028, "congress_date": "10/05/2023"},
    )
    term = Term.objects.get(unit=world.grass_a1)
    assert response["Location"] == reverse("organisation:term_detail", args=[term.pk])
    assert term.congress_date == dt.date(2023, 5, 10)
    # The next term is proposed with the next congress number.
    assert 'value="12"' in html(client.get(create))

    add = reverse("organisation:seat_add", args=[term.pk])
    body = html(client.get(add, {"committee": "ubkt"}))
    assert "Chủ nhiệm Ủy ban Kiểm tra" in body and "<optgroup" in body
    chair = Position.objects.get(code="chu_tich")
    body = html(
        client.post(
            add,
            {
                "committee": "btv",
                "position": chair.pk,
                "full_name": "Lê Văn A",
                "start_date": "10/05/2023",
            },
        )
    )
    assert "thuộc Ban Chấp hành, không thuộc Ban Thường vụ" in body
    response = client.post(
        add,
        {
            "committee": "bch",
            "position": chair.pk,
            "card_number": "CDA0001",
            "start_date": "10/05/2023",
        },
    )
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(term=term)
    assert seat.member == world.member_a and seat.full_name == world.member_a.full_name
    # B's member is not found from A's scope.
    body = html(
        client.post(
            add,
            {
                "committee": "bch",
                "position": chair.pk,
                "card_number": "CDB0001",
                "start_date": "10/05/2023",
            },
        )
    )
    assert "Không tìm thấy đoàn viên có số thẻ này" in body

    body = html(client.get(reverse("organisation:term_detail", args=[term.pk])))
    assert (
        "Khóa XI, nhiệm kỳ 2023–2028" in body and "Ban Chấp hành" in body and "10/05/2023" in body
    )
    end = reverse("organisation:seat_end", args=[seat.pk])
    body = html(client.post(end, {"end_date": "01/01/2023"}))
    assert "phải sau ngày bắt đầu" in body
    client.post(end, {"end_date": "01/03/2024", "reason": "Nghỉ hưu"})
    seat.refresh_from_db()
    assert (seat.end_date, seat.end_reason) == (dt.date(2024, 3, 1), "Nghỉ hưu")
    body = html(client.get(reverse("organisation:term_detail", args=[term.pk])))
    assert "Thành viên đã thôi" in body and "Nghỉ hưu" in body


def test_term_detail_for_a_viewer_has_no_actions(client, world):
    term = term_a(world)
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    body = html(client.get(reverse("organisation:term_detail", args=[term.pk])))
    assert "Lê Thị ALPHA" in body
    assert reverse("organisation:seat_add", args=[term.pk]) not in body
    assert client.get(reverse("organisation:seat_add", args=[term.pk])).status_code == 404


def test_admin_shows_catalogues_and_read_only_structure(client, world):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    for model in ("level", "unittype", "sector", "ownershiptype", "position"):
        assert client.get(reverse(f"admin:organisation_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:organisation_{model}_add")).status_code == 200
    body = html(client.get(reverse("admin:organisation_unit_changelist"), {"q": "alpha mot"}))
    assert "CĐCS ALPHA Một" in body and "CĐCS ALPHA Hai" not in body
    assert client.get(reverse("admin:organisation_unit_add")).status_code == 403
    assert client.get(reverse("admin:organisation_cluster_add")).status_code == 403
    assert client.get(reverse("admin:organisation_term_add")).status_code == 403
    unit = reverse("admin:organisation_unit_change", args=[world.grass_a1.pk])
    response = client.post(unit, {"name": "Đổi qua admin"})
    assert response.status_code == 403
    assert (
        client.get(reverse("admin:organisation_unit_history", args=[world.grass_a1.pk])).status_code
        == 200
    )


def test_cluster_list_query_budget(client_of, world, django_assert_max_num_queries):
    for i in range(15):
        cluster = Cluster.objects.create(code=f"cum-{i}", name=f"Cụm {i}", organiser=world.unit_a)
        ClusterMembership.objects.create(cluster=cluster, unit=world.grass_a1, year=2024)
    client = client_of("officer_a")
    with django_assert_max_num_queries(12):  # about 8 today, whatever the number of clusters
        body = html(client.get(reverse("organisation:cluster_list"), {"year": 2024}))
    assert "Cụm 14" in body


def test_cluster_page_shows_who_changed_what(client_of, client, world):
    cluster = cluster_a(world)
    org.cluster_set_head(actor=world.officer_a, cluster=cluster, unit=world.grass_a2, year=2024)
    url = reverse("organisation:cluster_detail", args=[cluster.pk])
    body = html(client_of("officer_a").get(url, {"year": 2024}))
    audit = body.split('id="audit"', 1)[1].split("</section>", 1)[0]
    assert "Nhật ký thay đổi" in body
    # Who, why, which membership, and the field before → after.
    assert 'title="cluster_set_head">Đổi đơn vị cụm trưởng' in audit and "Cán bộ A" in audit
    assert "Cụm thi đua huyện ALPHA 2024: CĐCS ALPHA Hai" in audit
    assert 'Cụm trưởng:</span> <span class="text-secondary">không</span> → có' in audit
    assert 'Cụm trưởng:</span> <span class="text-secondary">có</span> → không' in audit
    assert "Thành lập cụm, khối thi đua" in audit and "hệ thống" in audit  # made with no actor
    # Without "audit.view" on the organising unit the page has no audit trail.
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    assert 'id="audit"' not in html(client.get(url))


def test_term_page_shows_who_changed_what(client_of, client, world):
    term = term_a(world)
    seat = world.extra["page_seat_a"]
    org.seat_end(actor=world.officer_a, seat=seat, end_date=dt.date(2024, 3, 1), reason="Nghỉ hưu")
    url = reverse("organisation:term_detail", args=[term.pk])
    body = html(client_of("officer_a").get(url))
    audit = body.split('id="audit"', 1)[1].split("</section>", 1)[0]
    assert 'title="seat_end">Thôi giữ chức vụ' in audit and "Cán bộ A" in audit
    assert "Lê Thị ALPHA — Chủ tịch" in audit  # which seat
    assert 'Đến ngày:</span> <span class="text-secondary">—</span> → 01/03/2024' in audit
    assert "→ Nghỉ hưu" in audit
    assert "Ghi nhận nhiệm kỳ" in audit and "Bổ sung thành viên" in audit
    assert audit.index("seat_end") < audit.index("term_create")  # newest first
    # Officer B does not see the term at all; a viewer of A sees it without the audit trail.
    assert client_of("officer_b").get(url).status_code == 404
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    body = html(client.get(url))
    assert "Lê Thị ALPHA" in body and 'id="audit"' not in body


def test_cluster_and_term_pages_query_budget(client_of, world, django_assert_max_num_queries):
    cluster = cluster_a(world)
    term = term_a(world)
    for year in range(2025, 2035):
        org.cluster_copy_year(actor=world.officer_a, cluster=cluster, from_year=2024, to_year=year)
    for i in range(10):
        org.seat_add(
            actor=world.officer_a,
            term=term,
            committee="bch",
            position=Position.objects.get(code="uv_bch"),
            full_name=f"Ủy viên {i}",
            start_date=dt.date(2023, 5, 10),
        )
    client = client_of("officer_a")
    # About 12 each today, whatever the number of history rows (the audit trail included).
    with django_assert_max_num_queries(16):
        html(client.get(reverse("organisation:cluster_detail", args=[cluster.pk])))
    with django_assert_max_num_queries(16):
        html(client.get(reverse("organisation:term_detail", args=[term.pk])))
