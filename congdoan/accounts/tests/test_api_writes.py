"""The API does what the account pages do: create an account with its first role, change its
details, enable or disable it, through the same services and with the same scope (rules broken
answer 400 `{"detail", "field"}`, accounts outside the caller's scope 404). One's own password,
API tokens and second-factor devices are deliberately not in the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, include, path, reverse
from drf_spectacular.validation import validate_schema
from knox.models import AuthToken

from congdoan.accounts.models import RoleGrant, User
from congdoan.accounts.services import token_create
from congdoan.core.tests.support import MARKER_A, PASSWORD, make_user
from congdoan.core.tests.test_api_base import _generate
from congdoan.core.tests.test_url_scoping import all_url_names

NEW_PASSWORD = "Mot-mat-khau-moi-2025"


def send(client, url, data=None, method="post"):
    return getattr(client, method)(url, data or {}, content_type="application/json")


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


def refused(response, field=None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.fixture
def clerk_a(world):
    """A data-entry clerk of grassroots union A1."""
    return make_user(
        "clerk_a",
        "data_entry",
        world.grass_a1,
        full_name=f"Nhập liệu {MARKER_A}",
        email="clerk@example.org",
    )


def user_url(user, action=""):
    return f"/api/v1/users/{user.pk}/{action}"


NEW_ACCOUNT = {
    "username": "nhaplieu.a2",
    "full_name": "Lê Thị Nhập Liệu",
    "email": "NhapLieu@Example.org",
    "job_title": "Cán bộ văn phòng",
    "phone": "0912 345 678",
    "password": NEW_PASSWORD,
    "role": "data_entry",
    "unit": "a2",
}


# ---------------------------------------------------------------------------------------------
# Create


def test_create_an_account_with_its_first_role(world, client_of):
    body = ok(send(client_of("officer_a"), "/api/v1/users/", NEW_ACCOUNT), 201)
    assert body["username"] == "nhaplieu.a2" and body["full_name"] == "Lê Thị Nhập Liệu"
    assert body["email"] == "nhaplieu@example.org" and body["is_active"] is True
    assert [(g["role"], g["unit"]["code"]) for g in body["grants"]] == [("data_entry", "A2")]
    assert "password" not in body
    account = User.objects.get(username="nhaplieu.a2")
    assert account.check_password(NEW_PASSWORD)
    created = account.history.get()
    assert (created.history_change_reason, created.history_user) == ("user_create", world.officer_a)
    assert RoleGrant.objects.get(user=account).granted_by == world.officer_a


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "B1"}, "unit"),  # outside the caller's scope: not found
        ({"unit": "ZZZ"}, "unit"),
        ({"role": "personal_data_officer"}, "role"),  # actions officer A does not hold
        ({"role": "system_admin"}, "role"),  # superusers only
        ({"role": "khong_co"}, "role"),
        ({"username": "officer_b"}, "username"),
        ({"username": "có dấu"}, "username"),
        ({"password": "123"}, "password"),
        ({"full_name": ""}, "full_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_create_refused(world, client_of, change, field):
    response = send(client_of("officer_a"), "/api/v1/users/", NEW_ACCOUNT | change)
    refused(response, field)
    assert not User.objects.filter(username=NEW_ACCOUNT["username"]).exists()


def test_create_outside_scope_names_nothing_of_it(world, client_of):
    """Officer B naming a unit of A learns only that it is not found within its scope."""
    body = refused(send(client_of("officer_b"), "/api/v1/users/", NEW_ACCOUNT), "unit")
    assert body["detail"] == "Không tìm thấy đơn vị có mã này trong phạm vi của bạn."
    body = refused(
        send(client_of("officer_b"), "/api/v1/users/", NEW_ACCOUNT | {"unit": world.grass_a2.pk}),
        "unit",
    )
    assert MARKER_A not in str(body)
    assert not User.objects.filter(username=NEW_ACCOUNT["username"]).exists()


def test_create_needs_the_right_to_grant(world, client, clerk_a):
    client.force_login(clerk_a)
    assert send(client, "/api/v1/users/", NEW_ACCOUNT | {"unit": "A1"}).status_code == 403
    assert not User.objects.filter(username=NEW_ACCOUNT["username"]).exists()


# ---------------------------------------------------------------------------------------------
# Change details


def test_change_an_accounts_details(world, client_of, clerk_a):
    body = ok(send(client_of("officer_a"), user_url(clerk_a), {"job_title": "Kế toán"}, "patch"))
    assert body["job_title"] == "Kế toán" and body["full_name"] == f"Nhập liệu {MARKER_A}"
    assert [g["unit"]["code"] for g in body["grants"]] == ["A1"]
    clerk_a.refresh_from_db()
    assert clerk_a.job_title == "Kế toán" and clerk_a.full_name == f"Nhập liệu {MARKER_A}"
    assert clerk_a.email == "clerk@example.org"  # what the call did not name is kept
    changed = clerk_a.history.first()
    assert (changed.history_change_reason, changed.history_user) == ("user_update", world.officer_a)


def test_change_refused(world, client_of, clerk_a):
    client = client_of("officer_a")
    refused(send(client, user_url(clerk_a), {}, "patch"))
    refused(send(client, user_url(clerk_a), {"full_name": ""}, "patch"), "full_name")
    refused(send(client, user_url(clerk_a), {"email": "x"}, "patch"), "email")
    clerk_a.refresh_from_db()
    assert clerk_a.full_name == f"Nhập liệu {MARKER_A}" and clerk_a.email == "clerk@example.org"


def test_the_api_does_not_change_passwords(world, client_of, clerk_a):
    """Neither another account's (through the account it manages) nor one's own."""
    for persona, account in (("officer_a", clerk_a), ("officer_b", world.officer_b)):
        data = {"password": NEW_PASSWORD, "phone": "1"}
        body = refused(send(client_of(persona), user_url(account), data, "patch"), "password")
        assert "trang web" in body["detail"]
        account.refresh_from_db()
        assert account.check_password(PASSWORD) and account.phone == ""


def test_ones_own_details(world, client, clerk_a):
    """As on the page: everybody may change their own details, nobody else's outside scope."""
    client.force_login(clerk_a)
    body = ok(send(client, user_url(clerk_a), {"phone": "0987 654 321"}, "patch"))
    assert body["phone"] == "0987 654 321"
    assert send(client, user_url(world.officer_a), {"phone": "1"}, "patch").status_code == 404


def test_an_account_holding_roles_above_the_caller_is_not_changed(world, client_of, clerk_a):
    """Its other role lies outside officer A's reach: the unit above changes it."""
    RoleGrant.objects.create(user=clerk_a, role=clerk_a.grants.get().role, unit=world.grass_b1)
    body = refused(send(client_of("officer_a"), user_url(clerk_a), {"phone": "1"}, "patch"))
    assert "ngoài phạm vi" in body["detail"] and "BETA" not in body["detail"]
    ok(send(client_of("national"), user_url(clerk_a), {"phone": "1"}, "patch"))


# ---------------------------------------------------------------------------------------------
# Enable and disable


def test_disable_and_enable_an_account(world, client_of, clerk_a):
    token_create(actor=clerk_a, name="script")
    client = client_of("officer_a")
    body = ok(send(client, user_url(clerk_a, "active/"), {"active": False}))
    assert body["is_active"] is False
    clerk_a.refresh_from_db()
    assert not clerk_a.is_active and not AuthToken.objects.filter(user=clerk_a).exists()
    changed = clerk_a.history.first()
    assert changed.history_change_reason == "user_set_active"
    assert changed.history_user == world.officer_a
    assert ok(send(client, user_url(clerk_a, "active/"), {"active": True}))["is_active"] is True


def test_disable_refused(world, client_of, clerk_a):
    client = client_of("officer_a")
    # A form-encoded body without `active` would read as false: it must be given.
    refused(client.post(user_url(clerk_a, "active/"), {}), "active")
    refused(send(client, user_url(clerk_a, "active/"), {"active": "maybe"}), "active")
    refused(send(client, user_url(world.officer_a, "active/"), {"active": False}))
    for account in (clerk_a, world.officer_a):
        account.refresh_from_db()
        assert account.is_active


def test_officer_b_reaches_no_account_of_a(world, client_of, clerk_a):
    client = client_of("officer_b")
    for response in (
        send(client, user_url(clerk_a), {"full_name": "X"}, "patch"),
        send(client, user_url(clerk_a, "active/"), {"active": False}),
        send(client, user_url(world.officer_a, "active/"), {"active": False}),
        send(client, user_url(User(pk=10**9)), {"full_name": "X"}, "patch"),
    ):
        assert response.status_code == 404, response.content
        assert MARKER_A not in response.content.decode()
    clerk_a.refresh_from_db()
    assert clerk_a.is_active and clerk_a.full_name == f"Nhập liệu {MARKER_A}"


# ---------------------------------------------------------------------------------------------
# Grants: the page's rules, the API's error shape, units by code


def test_grant_by_unit_code_warns_of_the_tokens_it_stops(world, client, clerk_a):
    token_create(actor=clerk_a, name="script")
    root = make_user("root", is_superuser=True)
    client.force_login(root)
    body = ok(
        send(
            client,
            "/api/v1/grants/",
            {"user": clerk_a.pk, "role": "personal_data_officer", "unit": "A1"},
        ),
        201,
    )
    assert (body["role"], body["unit"]["code"], body["tokens_stopped"]) == (
        "personal_data_officer",
        "A1",
        1,
    )


def test_grant_refusals_have_the_error_shape(world, client_of, clerk_a):
    client = client_of("officer_a")
    body = refused(
        send(client, "/api/v1/grants/", {"user": clerk_a.pk, "role": "viewer", "unit": "B1"}),
        "unit",
    )
    assert body["detail"] == "Không tìm thấy đơn vị có mã này trong phạm vi của bạn."
    refused(send(client, "/api/v1/grants/", {"user": clerk_a.pk, "unit": "A1"}), "role")
    assert not RoleGrant.objects.filter(user=clerk_a, role__code="viewer").exists()


# ---------------------------------------------------------------------------------------------
# Deliberately not in the API (docs/security.md)


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def test_no_api_endpoint_for_passwords_tokens_or_devices():
    words = ("password", "token", "otp", "device")
    names = [n for n in all_url_names() if n.startswith("api:")]
    routes = [r for r in _routes(get_resolver().url_patterns) if r.startswith("api/")]
    assert "api:user-active" in names and "api/v1/^users/$" in routes
    assert not [n for n in names if any(w in n for w in words)]
    assert not [r for r in routes if any(w in r for w in words)]


def test_a_token_mints_no_token_and_changes_no_password(world):
    """The pages that do are for the signed-in session only: a token is not a session."""
    _token, key = token_create(actor=world.officer_a, name="script", otp_verified=True)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("api:me")).status_code == 200  # the token works for the API
    created = client.post(reverse("accounts:token_create"), {"name": "x", "days": "30"})
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    for response in (created, changed):
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert AuthToken.objects.filter(user=world.officer_a).count() == 1
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(PASSWORD)


def test_the_schema_documents_the_writes_without_warnings():
    schema, problems = _generate([path("api/v1/", include(("congdoan.accounts.api.urls", "api")))])
    assert problems == []
    validate_schema(schema)
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/users/"])
    assert {"get", "patch"} <= set(paths["/api/v1/users/{id}/"])
    active = paths["/api/v1/users/{id}/active/"]["post"]
    assert {"200", "400", "404"} <= set(active["responses"])
    created = schema["components"]["schemas"]["UserCreateRequest"]["properties"]
    assert {"username", "password", "role", "unit"} <= set(created)
    assert (
        "password" not in schema["components"]["schemas"]["PatchedUserUpdateRequest"]["properties"]
    )
