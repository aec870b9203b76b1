"""Second factor enforcement.

A signed-in user who has a confirmed OTP device must verify it before anything else; a user who
must use a second factor (a role with `requires_otp`, or a superuser while
OTP_REQUIRED_FOR_SUPERUSERS is on) but has no device must set one up first.

API calls authenticated by a token are left to `congdoan.accounts.auth.TokenAuthentication`,
which applies the same rule with the second-factor state of the session that created the token;
session-authenticated API calls of a user who still has to verify get 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")
API_PREFIX = "/api/"

VERIFY = "verify"
SETUP = "setup"


def otp_state(request: HttpRequest) -> str | None:
    """What the signed-in user still has to do: VERIFY, SETUP or nothing (None)."""
    return otp_state_of(request.user)


def otp_state_of(user: Any) -> str | None:
    """What `user` still has to do before anything else: VERIFY, SETUP or nothing (None).
    `user.is_verified()` (set by django-otp for a session, by the token authentication for a
    token) tells whether the second factor was passed."""
    from django_otp import user_has_device

    from congdoan.accounts.selectors import otp_required

    if not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_device(user):
        return VERIFY
    if otp_required(user):
        return SETUP
    return None


class OTPRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        if request.path.startswith(API_PREFIX):
            # Token-authenticated calls: the token authentication applies the same rule.
            if request.headers.get("Authorization", "").startswith("Token "):
                return None
            if otp_state(request) is None:
                return None
            return JsonResponse(
                {"detail": _("Two-step verification is required: sign in on the website first.")},
                status=403,
            )

        verify_url = reverse("accounts:otp_verify")
        setup_url = reverse("accounts:otp_setup")
        if request.path == reverse("accounts:logout"):
            return None
        state = otp_state(request)
        if state is None:
            return None
        if state == VERIFY:
            # The setup page is not open before verifying: it could remove the device.
            if request.path == verify_url:
                return None
            target = f"{verify_url}?{urlencode({'next': request.get_full_path()})}"
        else:
            if request.path in (setup_url, verify_url):
                return None
            target = setup_url
        if request.headers.get("HX-Request") == "true":  # django-htmx runs after this
            from django_htmx.http import HttpResponseClientRedirect

            return HttpResponseClientRedirect(target)
        return redirect(target)
