"""API tokens: created once, used with `Authorization: Token <key>`, revoked by their owner."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from congdoan.accounts.models import ApiTokenLabel
from congdoan.accounts.services import token_create


def test_create_use_and_revoke_a_token(world, client_of):
    client = client_of("officer_a")
    response = client.post(
        reverse("accounts:token_create"), {"name": "Báo cáo tháng", "days": "90"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = re.search(r"\b(cd_[0-9a-f]{64})\b", response.content.decode()).group(1)
    token = AuthToken.objects.get(user=world.officer_a)
    assert token.expiry is not None
    assert ApiTokenLabel.objects.get(digest=token.digest).name == "Báo cáo tháng"

    listing = client.get(reverse("accounts:token_list")).content.decode()
    assert "Báo cáo tháng" in listing and token.token_key in listing
    assert key not in listing  # shown once only

    api = Client()
    response = api.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "officer_a"

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not AuthToken.objects.filter(user=world.officer_a).exists()
    assert not ApiTokenLabel.objects.exists()
    assert api.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_token_needs_a_name(world, client_of):
    response = client_of("officer_a").post(reverse("accounts:token_create"), {"name": ""})
    assert response.status_code == 400
    assert not AuthToken.objects.exists()


def test_tokens_of_others_cannot_be_revoked(world, client_of):
    token, _ = token_create(actor=world.officer_a, name="A")
    response = client_of("officer_b").post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert (
        client_of("officer_b").post(reverse("accounts:token_revoke", args=["khong-co"])).status_code
        == 404
    )
    assert AuthToken.objects.filter(pk=token.pk).exists()


def test_disabling_an_account_revokes_its_tokens(world):
    from congdoan.accounts.services import user_set_active

    _, key = token_create(actor=world.officer_a, name="A")
    user_set_active(actor=world.national, user=world.officer_a, active=False)
    assert not AuthToken.objects.filter(user=world.officer_a).exists()
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


# ---------------------------------------------------------------------------------------------
# A token carries the second factor of the session that created it (issue 11, first leak).


def _personal_read(key: str, member) -> Client:
    return Client().get(
        f"/api/v1/members/{member.pk}/?purpose=verify_identity",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def test_a_role_needing_otp_stops_a_token_created_without_it(world, client_of):
    """The viewer creates a token (no second factor), is then given the personal-data role
    (which requires one): the old token reads no full personal data, nor anything else."""
    from congdoan.accounts.models import Role
    from congdoan.accounts.services import role_grant, role_revoke
    from congdoan.core.tests.support import make_user
    from congdoan.members.services import member_update

    member_update(actor=None, member=world.member_a, citizen_id="001190123456")
    viewer = make_user("xem_a", "viewer", world.unit_a)
    response = client_of_user(viewer).post(reverse("accounts:token_create"), {"name": "Máy"})
    key = re.search(r"\b(cd_[0-9a-f]{64})\b", response.content.decode()).group(1)
    masked = _personal_read(key, world.member_a).json()
    assert masked["citizen_id_masked"] == "**********56" and masked["personal"] is None

    grant = role_grant(
        actor=superuser(),
        user=viewer,
        role=Role.objects.get(code="personal_data_officer"),
        unit=world.unit_a,
    )
    response = _personal_read(key, world.member_a)
    assert response.status_code == 403
    assert "001190123456" not in response.content.decode()
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 403
    # The owner sees why on the token list.
    listing = client_of_user(viewer).get(reverse("accounts:token_list"))
    assert listing.status_code == 302  # must set up the second factor first
    from congdoan.accounts.selectors import api_tokens

    assert [t["blocked"] for t in api_tokens(viewer)] == [True]

    # Revoking the role lets the token work again, still without personal data.
    role_revoke(actor=superuser(), grant=grant)
    response = _personal_read(key, world.member_a)
    assert response.status_code == 200 and response.json()["personal"] is None


def test_a_token_from_a_verified_session_reads_personal_data(world):
    from congdoan.core.tests.support import make_user
    from congdoan.members.services import member_update

    member_update(actor=None, member=world.member_a, citizen_id="001190123456")
    officer = make_user("dl_a", "personal_data_officer", world.unit_a)
    _, unverified = token_create(actor=officer, name="cũ")
    _, verified = token_create(actor=officer, name="mới", otp_verified=True)
    assert _personal_read(unverified, world.member_a).status_code == 403
    response = _personal_read(verified, world.member_a)
    assert response.status_code == 200
    assert response.json()["personal"]["citizen_id"] == "001190123456"


def test_granting_an_otp_role_warns_about_the_tokens_it_stops(world, client_of):
    from congdoan.accounts.models import Role
    from congdoan.core.tests.support import make_user

    viewer = make_user("xem_b", "viewer", world.unit_a)
    token_create(actor=viewer, name="Máy")
    response = client_of_user(superuser()).post(
        reverse("accounts:grant_create", args=[viewer.pk]),
        {
            "role": Role.objects.get(code="personal_data_officer").pk,
            "unit": world.unit_a.pk,
            "note": "",
        },
        follow=True,
    )
    assert "1 mã truy cập API" in response.content.decode()


def test_token_page_shows_the_verification_of_each_token(world, client_of):
    token_create(actor=world.officer_a, name="Có xác thực", otp_verified=True)
    token_create(actor=world.officer_a, name="Không xác thực")
    body = client_of("officer_a").get(reverse("accounts:token_list")).content.decode()
    assert "đã xác thực khi tạo" in body and "chưa xác thực" in body


def superuser():
    from congdoan.accounts.models import User

    return User.objects.filter(username="root").first() or User.objects.create_superuser("root")


def client_of_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
