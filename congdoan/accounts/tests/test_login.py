"""Signing in: Vietnamese page, argon2, throttling that does not reveal which accounts exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from congdoan.accounts.tests.helpers import normalised, password_login


def test_argon2_is_the_first_password_hasher():
    # The test run swaps in a fast hasher (conftest); the project's settings module is the truth.
    import argon2  # noqa: F401  (the hasher's library is installed)

    from congdoan import settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_login_page_is_in_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Quên mật khẩu?"):
        assert text in body


def test_login_with_password_then_logout(world):
    client = Client()
    response = password_login(client, "officer_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:home")
    assert client.get(reverse("accounts:profile")).status_code == 200

    assert client.get(reverse("accounts:logout")).status_code == 405  # POST only
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_wrong_password_is_refused_in_vietnamese(world):
    response = password_login(Client(), "officer_a", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập và mật khẩu chính xác" in response.content.decode()


def test_login_follows_next_only_on_this_site(world):
    login = reverse("accounts:login")
    client = Client()
    response = client.post(
        f"{login}?next=/accounts/me/tokens/",
        {"username": "officer_a", "password": "Mat-khau-thu-nghiem-2024"},
    )
    assert response["Location"] == "/accounts/me/tokens/"
    client = Client()
    response = client.post(
        f"{login}?next=https://evil.example/",
        {"username": "officer_a", "password": "Mat-khau-thu-nghiem-2024"},
    )
    assert response["Location"] == reverse("organisation:home")


def test_lockout_answers_alike_for_existing_and_unknown_accounts(world, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    address = {"REMOTE_ADDR": "203.0.113.7"}

    def attempts(username: str) -> list:
        client = Client()
        return [
            normalised(password_login(client, username, "sai-mat-khau", **address), username)
            for _ in range(4)
        ]

    existing = attempts("officer_a")
    unknown = attempts("khong_ton_tai")
    assert existing == unknown
    assert [status for status, _ in existing] == [200, 200, 429, 429]
    locked_body = existing[-1][1]
    assert "Tạm khóa đăng nhập" in locked_body
    assert "USERNAME" not in locked_body  # the lockout page does not echo the username

    # Locked out means locked out: even the right password gets the same page.
    right = password_login(Client(), "officer_a", "Mat-khau-thu-nghiem-2024", **address)
    assert normalised(right) == (429, locked_body)
    # Other accounts from the same address are not affected.
    assert password_login(Client(), "officer_b", **address).status_code == 302


@pytest.mark.django_db
def test_pages_stay_vietnamese_whatever_the_browser_asks_until_the_user_chooses(client):
    """An English Windows or Chrome sends Accept-Language: en-US; the officer still gets
    Vietnamese until they pick English in the navbar. API clients keep the negotiation."""
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    body = client.get(reverse("accounts:login"), **english_browser).content.decode()
    assert '<html lang="vi">' in body and "Mật khẩu" in body

    chosen = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert chosen.status_code == 302
    body = client.get(reverse("accounts:login"), **english_browser).content.decode()
    assert '<html lang="en">' in body and "Password" in body

    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    body = client.get(reverse("accounts:login"), **english_browser).content.decode()
    assert '<html lang="vi">' in body
