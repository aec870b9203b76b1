"""Small helpers for the accounts tests."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from congdoan.core.tests.support import PASSWORD


def totp_code(device: Any) -> str:
    """The code an authenticator app would show now for `device`."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def confirmed_device(user: Any, name: str = "Điện thoại") -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def password_login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    from django.urls import reverse

    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


_CSRF = [
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'"X-CSRFToken": "[^"]*"'),
]


def normalised(response: Any, *replace: str) -> tuple[int, str]:
    """Status and body with CSRF tokens (random per request) and given strings blanked."""
    body = response.content.decode()
    for pattern in _CSRF:
        body = pattern.sub("CSRF", body)
    for text in replace:
        body = body.replace(text, "USERNAME")
    return response.status_code, body
