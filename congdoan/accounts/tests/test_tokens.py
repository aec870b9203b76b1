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
