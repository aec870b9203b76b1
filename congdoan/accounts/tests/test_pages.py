"""Account pages: list with accent-insensitive search and unit filter, detail, create, profile."""

from __future__ import annotations

from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant, User
from congdoan.core.tests.support import make_user


def test_user_list_search_ignores_case_and_accents(world, client_of):
    make_user("nguyen.duc", "viewer", world.grass_a1, full_name="NGUYỄN ĐỨC Thắng")
    client = client_of("national")
    body = client.get(reverse("accounts:user_list"), {"q": "nguyen duc"}).content.decode()
    assert "NGUYỄN ĐỨC Thắng" in body and "Cán bộ B" not in body
    body = client.get(reverse("accounts:user_list"), {"q": "can bo"}).content.decode()
    assert "Cán bộ A" in body and "Cán bộ B" in body


def test_user_list_filters_by_unit_subtree(world, client_of):
    make_user("thu.ky", "viewer", world.grass_a1, full_name="Thư Ký Một")
    client = client_of("national")
    body = client.get(reverse("accounts:user_list"), {"unit": "HA"}).content.decode()
    assert "Cán bộ A" in body and "Thư Ký Một" in body and "Cán bộ B" not in body
    # A unit outside one's scope finds nothing rather than an error.
    body = (
        client_of("officer_a").get(reverse("accounts:user_list"), {"unit": "HB"}).content.decode()
    )
    assert "Cán bộ B" not in body and "Không tìm thấy tài khoản" in body


def test_user_list_htmx_returns_the_table_only(world, client_of):
    response = client_of("national").get(
        reverse("accounts:user_list"), {"q": "can bo a"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and "Cán bộ A" in body


def test_user_list_query_budget(world, client_of, django_assert_max_num_queries):
    for i in range(15):
        make_user(f"user{i}", "viewer", world.grass_a1)
    client = client_of("national")
    with django_assert_max_num_queries(15):
        client.get(reverse("accounts:user_list"))


def test_user_detail_shows_grants_with_units_and_history(world, client_of):
    body = (
        client_of("national")
        .get(reverse("accounts:user_detail", args=[world.officer_a.pk]))
        .content.decode()
    )
    assert "LĐLĐ huyện ALPHA" in body and "Quản trị đơn vị" in body
    assert "Lịch sử thay đổi" in body


def test_grants_outside_the_viewers_scope_are_hidden(world, client_of):
    both = make_user("both", "viewer", world.grass_b1, full_name="Hai Nơi")
    RoleGrant.objects.create(user=both, role=Role.objects.get(code="viewer"), unit=world.grass_a1)
    body = client_of("officer_b").get(reverse("accounts:user_detail", args=[both.pk])).content
    text = body.decode()
    assert "BETA" in text and "ALPHA" not in text
    assert "1 vai trò khác" in text


def test_create_account_through_the_page(world, client_of):
    response = client_of("officer_a").post(
        reverse("accounts:user_create"),
        {
            "username": "tran.thi.b",
            "full_name": "Trần Thị Bích",
            "email": "",
            "password1": "Mot-mat-khau-dai-2025",
            "password2": "Mot-mat-khau-dai-2025",
            "role": Role.objects.get(code="data_entry").pk,
            "unit": "a1",
        },
    )
    user = User.objects.get(username="tran.thi.b")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert RoleGrant.objects.get(user=user).unit == world.grass_a1
    body = client_of("officer_a").get(response["Location"]).content.decode()
    assert "user_create" in body  # the audit trail names the action


def test_user_create_page_refused_without_grant_rights(world):
    from django.test import Client

    typist = make_user("typist", "data_entry", world.unit_a)
    client = Client()
    client.force_login(typist)
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_profile_lists_my_grants_and_actions(world, client_of):
    body = client_of("officer_a").get(reverse("accounts:profile")).content.decode()
    assert "LĐLĐ huyện ALPHA" in body and "Quản trị đơn vị" in body
    assert "Tạo tài khoản và phân quyền" in body  # an action label, in Vietnamese
    assert reverse("accounts:otp_setup") in body and reverse("accounts:token_list") in body


def test_password_change(world, client_of):
    client = client_of("officer_a")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Mat-khau-thu-nghiem-2024",
            "new_password1": "Mat-khau-moi-rat-dai-2025",
            "new_password2": "Mat-khau-moi-rat-dai-2025",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password("Mat-khau-moi-rat-dai-2025")
    assert client.get(reverse("accounts:profile")).status_code == 200  # still signed in
