"""Second factor: setting up a TOTP device, verifying after the password, enforcement."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from congdoan.accounts.models import Role, RoleGrant
from congdoan.accounts.tests.helpers import confirmed_device, password_login, totp_code
from congdoan.core.tests.support import PASSWORD


@pytest.fixture
def no_throttle(settings):
    """django-otp makes the next try wait after a wrong code; these tests try right away."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_setup_shows_qr_code_and_confirms_with_a_real_code(world, client_of, no_throttle):
    client = client_of("officer_a")
    response = client.get(reverse("accounts:otp_setup"))
    body = response.content.decode()
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=world.officer_a)
    assert not device.confirmed
    # The QR code is a data: image (the CSP forbids inline scripts and styles).
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', body)
    assert "<script>" not in body and "style=" not in body
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    assert secret[:4] in body.replace(" ", "")

    wrong = client.post(
        reverse("accounts:otp_setup"), {"action": "confirm", "token": "000000", "name": "x"}
    )
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()

    response = client.post(
        reverse("accounts:otp_setup"),
        {"action": "confirm", "token": totp_code(device), "name": "Điện thoại của tôi"},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed and device.name == "Điện thoại của tôi"
    # The session that confirmed the device counts as verified.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_login_then_code(world, no_throttle):
    device = confirmed_device(world.officer_a)
    client = Client()
    target = reverse("accounts:token_list")
    response = client.post(
        f"{reverse('accounts:login')}?next={target}",
        {"username": "officer_a", "password": PASSWORD},
    )
    verify = reverse("accounts:otp_verify")
    assert response["Location"] == f"{verify}?next={quote(target, safe='')}"

    # Until verified, every page sends the user to the verification page.
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(verify)
    # The setup page is closed too: it could otherwise remove the device.
    assert client.get(reverse("accounts:otp_setup"))["Location"].startswith(verify)

    page = client.get(response["Location"])
    assert page.status_code == 200 and "Xác thực hai bước" in page.content.decode()
    assert client.post(verify, {"token": "123456", "next": target}).status_code == 400

    response = client.post(verify, {"token": totp_code(device), "next": target})
    assert response.status_code == 302 and response["Location"] == target
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_codes_are_throttled(world):
    device = confirmed_device(world.officer_a)
    client = Client()
    password_login(client, "officer_a")
    verify = reverse("accounts:otp_verify")
    assert client.post(verify, {"token": "000000"}).status_code == 400
    response = client.post(verify, {"token": totp_code(device)})
    assert response.status_code == 400
    assert "Nhập sai mã quá nhiều lần" in response.content.decode()


def test_verify_ignores_next_pointing_elsewhere(world):
    device = confirmed_device(world.officer_a)
    client = Client()
    password_login(client, "officer_a")
    response = client.post(
        reverse("accounts:otp_verify"),
        {"token": totp_code(device), "next": "https://evil.example/steal"},
    )
    assert response["Location"] == reverse("organisation:home")


def test_role_requiring_otp_forces_setup(world, client_of):
    RoleGrant.objects.create(
        user=world.officer_a,
        role=Role.objects.get(code="personal_data_officer"),
        unit=world.grass_a1,
    )
    client = client_of("officer_a")
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:otp_setup")
    assert client.get(reverse("accounts:otp_setup")).status_code == 200
    # htmx requests are redirected as a whole page.
    response = client.get(reverse("accounts:user_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("accounts:otp_setup")
    # Session API calls are refused until the second factor is set up.
    assert client.get(reverse("api:me")).status_code == 403

    device = TOTPDevice.objects.get(user=world.officer_a)
    client.post(reverse("accounts:otp_setup"), {"action": "confirm", "token": totp_code(device)})
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 200

    # The last device cannot be removed while the role requires it.
    response = client.post(reverse("accounts:otp_device_remove", args=[device.pk]), follow=True)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert "thêm thiết bị khác trước" in response.content.decode()


def test_device_can_be_removed_when_not_required(world, client_of):
    device = confirmed_device(world.officer_a)
    client = Client()
    password_login(client, "officer_a")
    client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert client.post(reverse("accounts:otp_device_remove", args=[device.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_devices_of_others_are_not_found(world, client_of):
    device = TOTPDevice.objects.create(user=world.officer_a, name="A", confirmed=False)
    response = client_of("officer_b").post(reverse("accounts:otp_device_remove", args=[device.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize("required", [True, False])
def test_superusers_need_otp_when_configured(world, settings, required):
    from congdoan.accounts.models import User

    settings.OTP_REQUIRED_FOR_SUPERUSERS = required
    admin = User.objects.create_superuser("root_admin", password=PASSWORD)
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("accounts:profile"))
    if required:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:otp_setup")
    else:
        assert response.status_code == 200


def test_superuser_default_follows_production(world, settings):
    from congdoan.accounts.models import User
    from congdoan.accounts.selectors import otp_required

    admin = User.objects.create_superuser("root_admin", password=PASSWORD)
    if hasattr(settings, "OTP_REQUIRED_FOR_SUPERUSERS"):
        del settings.OTP_REQUIRED_FOR_SUPERUSERS
    settings.PRODUCTION = True
    assert otp_required(admin)
    settings.PRODUCTION = False
    assert not otp_required(admin)


def test_api_session_needs_verification_and_so_does_a_token(world, client_of):
    from congdoan.accounts.services import token_create

    _, unverified = token_create(actor=world.officer_a, name="script")
    _, verified = token_create(actor=world.officer_a, name="script 2", otp_verified=True)
    confirmed_device(world.officer_a)
    session = client_of("officer_a")  # signed in with the password only
    response = session.get(reverse("api:me"))
    assert response.status_code == 403
    # A token stands for the session that created it.
    response = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {unverified}")
    assert response.status_code == 403
    assert "xác thực hai bước" in response.json()["detail"]
    response = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {verified}")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "officer_a"
