"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the accounts URLs."""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase


def _clerk_a_grant(world: Any) -> Any:
    """A data-entry clerk of grassroots union A1, created once per world."""
    if "clerk_a_grant" not in world.extra:
        from congdoan.accounts.models import Role, RoleGrant, User

        clerk = User.objects.create_user(
            username="clerk_a", password="x", full_name=f"Nhập liệu {world.grass_a1.name}"
        )
        world.extra["clerk_a_grant"] = RoleGrant.objects.create(
            user=clerk, role=Role.objects.get(code="data_entry"), unit=world.grass_a1
        )
    return world.extra["clerk_a_grant"]


def _setup_clerk(world: Any) -> None:
    _clerk_a_grant(world)


def _grant_pk(world: Any) -> dict[str, Any]:
    return {"pk": _clerk_a_grant(world).pk}


def _otp_device(world: Any) -> Any:
    """An unconfirmed device of officer A (confirmed ones would send A to verification)."""
    if "otp_device_a" not in world.extra:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        world.extra["otp_device_a"] = TOTPDevice.objects.create(
            user=world.officer_a, name="ALPHA phone", confirmed=False
        )
    return world.extra["otp_device_a"]


def _setup_device(world: Any) -> None:
    _otp_device(world)


def _token_a(world: Any) -> Any:
    if "token_a" not in world.extra:
        from congdoan.accounts.services import token_create

        world.extra["token_a"] = token_create(actor=world.officer_a, name="ALPHA script")[0]
    return world.extra["token_a"]


def _setup_token(world: Any) -> None:
    _token_a(world)


def _role_pk(world: Any) -> dict[str, int]:
    from congdoan.accounts.models import Role

    return {"pk": Role.objects.get(code="data_entry").pk}


OWN = UrlCase("own")
OWN_POST = UrlCase("own", method="post", ok=(302,))

CASES: dict[str, UrlCase] = {
    # Signing in and out, second factor.
    "accounts:login": UrlCase("public"),
    "accounts:logout": OWN_POST,
    "accounts:otp_setup": OWN,
    # Without a device there is nothing to verify: back to where the user was going.
    "accounts:otp_verify": UrlCase("own", ok=(200, 302)),
    "accounts:otp_device_remove": UrlCase(
        "object",
        method="post",
        kwargs=lambda w: {"pk": _otp_device(w).pk},
        setup=_setup_device,
        ok=(302,),
        allowed=("officer_a",),
    ),
    # My account and API tokens.
    "accounts:profile": UrlCase("own", expect_marker=True),
    "accounts:password_change": OWN,
    "accounts:token_list": OWN,
    "accounts:token_create": UrlCase(
        "own", method="post", data=lambda w: {"name": "script", "days": "30"}
    ),
    "accounts:token_revoke": UrlCase(
        "object",
        method="post",
        kwargs=lambda w: {"pk": _token_a(w).pk},
        setup=_setup_token,
        ok=(302,),
        allowed=("officer_a",),
    ),
    # Accounts and role grants.
    "accounts:user_list": UrlCase("list", expect_marker=True),
    "accounts:user_create": UrlCase("list"),
    "accounts:user_detail": UrlCase(
        "object", kwargs=lambda w: {"pk": w.officer_a.pk}, expect_marker=True
    ),
    "accounts:user_edit": UrlCase("object", kwargs=lambda w: {"pk": _clerk_a_grant(w).user_id}),
    "accounts:user_set_active": UrlCase(
        "object",
        method="post",
        kwargs=lambda w: {"pk": _clerk_a_grant(w).user_id},
        data=lambda w: {"active": "1"},
        ok=(302,),
    ),
    "accounts:grant_create": UrlCase("object", kwargs=lambda w: {"user": w.officer_a.pk}),
    # National revokes the clerk's grant; officer A then finds it already revoked (a message).
    "accounts:grant_revoke": UrlCase(
        "object", method="post", kwargs=_grant_pk, setup=_setup_clerk, ok=(302,)
    ),
    # API.
    "api:me": UrlCase("own", expect_marker=True),
    "api:user-list": UrlCase("list", expect_marker=True),
    "api:user-detail": UrlCase(
        "object", kwargs=lambda w: {"pk": w.officer_a.pk}, expect_marker=True
    ),
    # Enabling the clerk of A1 (already enabled: nothing changes): the account pages' scope.
    "api:user-active": UrlCase(
        "object",
        method="post",
        kwargs=lambda w: {"pk": _clerk_a_grant(w).user_id},
        data=lambda w: {"active": "true"},
    ),
    "api:role-list": UrlCase("list"),
    "api:role-detail": UrlCase("list", kwargs=_role_pk),
    "api:grant-list": UrlCase("list", expect_marker=True),
    "api:grant-detail": UrlCase("object", kwargs=_grant_pk, setup=_setup_clerk),
    "api:grant-revoke": UrlCase(
        "object", method="post", kwargs=_grant_pk, setup=_setup_clerk, ok=(200, 400)
    ),
}
