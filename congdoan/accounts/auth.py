"""API token authentication that keeps the second-factor rule.

A token stands for the session that created it. When the account must use a second factor now
(a role that requires one, a confirmed device, or a superuser under OTP_REQUIRED_FOR_SUPERUSERS),
a token is accepted only if it was created in a session that had passed the second factor
(`ApiTokenLabel.otp_verified`); otherwise every call answers 403 and the token list says why.
Granting a role that requires a second factor thus stops the account's older tokens at once,
and revoking it lets them work again. What the token may reach is the account's scope at the
time of the call (grants are read per request), never the scope when it was created.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.request import Request

from congdoan.accounts.middleware import otp_state_of


def token_verified(token: Any) -> bool:
    """Whether the session that created `token` had passed a second factor."""
    from congdoan.accounts.models import ApiTokenLabel

    return ApiTokenLabel.objects.filter(digest=token.digest, otp_verified=True).exists()


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        verified = token_verified(token)
        # What django-otp's middleware sets on a session's user: read by `otp_state_of`.
        user.is_verified = lambda: verified
        if otp_state_of(user) is not None:
            raise exceptions.PermissionDenied(
                _(
                    "This API token was created without two-step verification, which your "
                    "account now requires. Sign in on the website with your second factor and "
                    "create a new token."
                )
            )
        return user, token


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI description of this authentication: knox's."""

    target_class = "congdoan.accounts.auth.TokenAuthentication"
