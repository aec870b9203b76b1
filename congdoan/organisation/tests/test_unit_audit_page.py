"""The unit's audit trail: an htmx fragment inside the unit page, a whole page in a new tab."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.organisation import services as org


def _renamed(world):
    org.unit_update(
        actor=world.officer_a,
        unit=world.grass_a1,
        day=dt.date(2022, 1, 1),
        name=f"CĐCS {MARKER_A} Một Mới",
    )
    return reverse("organisation:unit_audit", args=[world.grass_a1.pk])


def test_htmx_gets_the_fragment(client_of, world):
    url = _renamed(world)
    response = client_of("officer_a").get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "breadcrumb" not in body
    assert "Đổi tên – cập nhật" in body and f"CĐCS {MARKER_A} Một Mới" in body
    assert "HX-Request" in response["Vary"]


def test_a_direct_visit_gets_a_whole_page(client_of, world):
    url = _renamed(world)
    response = client_of("officer_a").get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "<title>Nhật ký thay đổi · CĐCS ALPHA Một Mới" in body
    assert '<h1 class="h3 mb-1">Nhật ký thay đổi</h1>' in body
    crumbs = body.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    assert reverse("organisation:tree") in crumbs
    assert reverse("organisation:unit_detail", args=[world.unit_a.pk]) in crumbs
    assert reverse("organisation:unit_detail", args=[world.grass_a1.pk]) in crumbs
    assert 'aria-current="page">Nhật ký thay đổi</li>' in crumbs
    assert "Quay lại trang đơn vị" in body
    # The trail itself: who, why, each field before → after.
    assert "Cán bộ A" in body and "Đổi tên – cập nhật" in body
    assert f"CĐCS {MARKER_A} Một</span> → CĐCS {MARKER_A} Một Mới" in body
    assert "HX-Request" in response["Vary"]


def test_both_are_404_outside_scope_and_without_audit_view(client_of, client, world):
    url = _renamed(world)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client_of("officer_b").get(url, **headers)
        assert response.status_code == 404 and MARKER_A not in response.content.decode()
    viewer = make_user("viewer_a")
    RoleGrant.objects.create(user=viewer, role=Role.objects.get(code="viewer"), unit=world.unit_a)
    client.force_login(viewer)
    assert client.get(url).status_code == 404


def test_the_unit_page_links_the_page(client_of, world):
    body = (
        client_of("officer_a")
        .get(reverse("organisation:unit_detail", args=[world.grass_a1.pk]))
        .content.decode()
    )
    url = reverse("organisation:unit_audit", args=[world.grass_a1.pk])
    assert f'hx-get="{url}"' in body and f'href="{url}"' in body


def test_a_long_trail_says_it_shows_the_latest(client_of, world):
    for i in range(101):
        org.unit_update(
            actor=None, unit=world.grass_a1, day=dt.date(2021, 1, 1), phone=f"0900000{i:03d}"
        )
    body = (
        client_of("officer_a")
        .get(reverse("organisation:unit_audit", args=[world.grass_a1.pk]))
        .content.decode()
    )
    assert "Đang hiện 100 thay đổi gần nhất." in body
