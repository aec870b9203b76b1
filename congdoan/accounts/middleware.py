"""Second factor enforcement.

A signed-in user who has a confirmed OTP device must verify it before anything else; a user
holding a role that requires a second factor must set one up first.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")


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
        from django_otp import user_has_device

        from congdoan.accounts.selectors import user_requires_otp

        user = request.user
        # Token-authenticated API calls are checked by the API's own permission class.
        if request.path.startswith("/api/"):
            return None
        exempt = {
            reverse("accounts:otp_verify"),
            reverse("accounts:otp_setup"),
            reverse("accounts:logout"),
        }
        if request.path in exempt:
            return None
        if user.is_verified():  # type: ignore[union-attr]
            return None
        if user_has_device(user):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        if user_requires_otp(user):
            return redirect(reverse("accounts:otp_setup"))
        return None
