"""The accounts API: me, accounts, roles and grants written through the services."""

from __future__ import annotations

from django.urls import reverse

from congdoan.accounts.models import Role, RoleGrant
from congdoan.core.permissions import Action
from congdoan.core.tests.support import make_user


def test_me_lists_grants_and_actions_per_unit(world, client_of):
    data = client_of("officer_a").get(reverse("api:me")).json()
    assert data["user"]["username"] == "officer_a"
    assert [g["unit"]["code"] for g in data["grants"]] == ["HA"]
    scope = data["scopes"][0]
    assert scope["unit"]["code"] == "HA"
    assert (
        Action.ACCOUNTS_GRANT in scope["actions"]
        and Action.MEMBERS_VIEW_PERSONAL not in scope["actions"]
    )


def test_users_are_scoped_and_searchable(world, client_of):
    client = client_of("officer_b")
    data = client.get(reverse("api:user-list")).json()
    assert [u["username"] for u in data["results"]] == ["officer_b"]
    assert client.get(reverse("api:user-detail", args=[world.officer_a.pk])).status_code == 404
    data = client_of("national").get(reverse("api:user-list"), {"q": "Cán Bộ officer_A"}).json()
    assert [u["username"] for u in data["results"]] == ["officer_a"]
    assert data["results"][0]["grants"][0]["unit"]["code"] == "HA"


def test_roles_list(world, client_of):
    data = client_of("officer_b").get(reverse("api:role-list")).json()
    codes = [r["code"] for r in data]
    assert "federation_admin" in codes and "system_admin" in codes


def test_a_role_is_read_by_id(world, client_of):
    role = Role.objects.get(code="data_entry")
    client = client_of("officer_b")
    data = client.get(reverse("api:role-detail", args=[role.pk])).json()
    assert data["code"] == "data_entry" and data["actions"] == role.permissions
    assert client.get(reverse("api:role-detail", args=[10**9])).status_code == 404


def test_grant_create_and_revoke(world, client_of):
    target = make_user("someone", "viewer", world.grass_a1)
    client = client_of("officer_a")
    response = client.post(
        reverse("api:grant-list"),
        {"user": target.pk, "role": "data_entry", "unit": world.grass_a1.pk, "note": "API"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    grant_id = response.json()["id"]
    assert response.json()["granted_by"]["username"] == "officer_a"

    response = client.post(reverse("api:grant-revoke", args=[grant_id]))
    assert response.status_code == 200
    assert response.json()["revoked_by"]["username"] == "officer_a"
    assert RoleGrant.objects.get(pk=grant_id).revoked_at is not None
    # Revoked grants stay listed.
    listed = client.get(reverse("api:grant-list"), {"user": target.pk, "active": "false"}).json()
    assert [g["id"] for g in listed["results"]] == [grant_id]


def test_grant_escalation_and_out_of_scope_are_refused(world, client_of):
    target = make_user("someone", "viewer", world.grass_a1)
    client = client_of("officer_a")
    url = reverse("api:grant-list")
    response = client.post(
        url,
        {"user": target.pk, "role": "personal_data_officer", "unit": world.grass_a1.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["field"] == "role"
    response = client.post(
        url,
        {"user": target.pk, "role": "viewer", "unit": world.grass_b1.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "unit" in str(response.json())
    response = client.post(
        url,
        {"user": world.officer_b.pk, "role": "viewer", "unit": world.grass_a1.pk},
        content_type="application/json",
    )
    assert response.status_code == 400 and "user" in str(response.json())
    assert not RoleGrant.objects.filter(user=target, role__code="personal_data_officer").exists()


def test_revoke_through_api_is_scoped(world, client_of):
    grant = RoleGrant.objects.get(user=world.officer_a)
    assert (
        client_of("officer_b").post(reverse("api:grant-revoke", args=[grant.pk])).status_code == 404
    )
    assert RoleGrant.objects.get(pk=grant.pk).is_active
    assert Role.objects.exists()
