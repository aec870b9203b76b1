"""Reads of the accounts app."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import F, Prefetch, QuerySet

from congdoan.accounts.models import ApiTokenLabel, Role, RoleGrant, User
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q
from congdoan.organisation.models import Unit


def grant_paths_by_action(user: Any) -> dict[str, set[str]]:
    """For each action, the current paths of the units where the user's active grants give it."""
    result: dict[str, set[str]] = defaultdict(set)
    grants = (
        RoleGrant.objects.active()
        .filter(user=user, unit__dissolved_on__isnull=True)
        .values_list("role__permissions", "unit__path")
    )
    for permissions, path in grants:
        for action in permissions or []:
            result[action].add(path)
    return result


def user_requires_otp(user: Any) -> bool:
    return RoleGrant.objects.active().filter(user=user, role__requires_otp=True).exists()


def active_grants(user: Any) -> list[RoleGrant]:
    return list(
        RoleGrant.objects.active()
        .filter(user=user)
        .select_related("role", "unit", "unit__unit_type")
        .order_by("unit__path")
    )


def otp_required(user: Any) -> bool:
    """Whether `user` must use a second factor: a role requires it, or they are a superuser
    and OTP_REQUIRED_FOR_SUPERUSERS is on (by default in production)."""
    from django.conf import settings

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser and getattr(settings, "OTP_REQUIRED_FOR_SUPERUSERS", settings.PRODUCTION):
        return True
    return user_requires_otp(user)


def with_visible_grants(qs: QuerySet[User], viewer: Any) -> QuerySet[User]:
    """Attach `visible_grants` to each account: its active grants inside the viewer's scope
    (grants elsewhere are not shown)."""
    visible = (
        RoleGrant.objects.active()
        .visible_to(viewer, Action.ACCOUNTS_VIEW)
        .select_related("role", "unit")
        .order_by("unit__path", "role__order")
    )
    return qs.prefetch_related(Prefetch("grants", queryset=visible, to_attr="visible_grants"))


def user_list(*, viewer: Any) -> QuerySet[User]:
    """Accounts the viewer may see, with their visible grants."""
    return with_visible_grants(
        User.objects.visible_to(viewer, Action.ACCOUNTS_VIEW).order_by("username"), viewer
    )


def user_with_visible_grants(*, viewer: Any, pk: int) -> User:
    """One account (already checked by the caller) with the grants the viewer may see."""
    return with_visible_grants(User.objects.filter(pk=pk), viewer).get()


def users_manageable(*, viewer: Any) -> QuerySet[User]:
    """Accounts the viewer may change and grant roles to ("accounts.grant")."""
    return User.objects.visible_to(viewer, Action.ACCOUNTS_GRANT)


def user_is_manageable(*, viewer: Any, user: User) -> bool:
    """Whether the viewer may change `user` and grant them roles."""
    return users_manageable(viewer=viewer).filter(pk=user.pk).exists()


def units_grantable(*, viewer: Any) -> QuerySet[Unit]:
    """Units on which the viewer may grant roles ("accounts.grant")."""
    return Unit.objects.visible_to(viewer, Action.ACCOUNTS_GRANT)


def unit_by_code_or_id(*, viewer: Any, text: str) -> Unit | None:
    """A unit in the viewer's "accounts.view" scope, by code or id; None when not found."""
    units = Unit.objects.visible_to(viewer, Action.ACCOUNTS_VIEW)
    text = str(text).strip()
    unit = units.filter(code=text.upper()).first()
    pk = parse_id(text)
    if unit is None and pk is not None:
        unit = units.filter(pk=pk).first()
    return unit


def roles_all() -> QuerySet[Role]:
    """Every role, in the order the role admin shows them (a catalogue)."""
    return Role.objects.all()


def users_in_unit(qs: QuerySet[User], unit: Any) -> QuerySet[User]:
    """The accounts in `qs` holding an active grant in `unit`'s subtree."""
    ids = RoleGrant.objects.active().filter(path_range_q("unit__path", unit.path)).values("user_id")
    return qs.filter(pk__in=ids)


def user_grants(*, viewer: Any, user: User) -> tuple[list[RoleGrant], int]:
    """The grants of `user` (active first, then revoked) that the viewer may see, and how many
    others lie outside the viewer's scope."""
    all_grants = RoleGrant.objects.filter(user=user)
    visible = list(
        all_grants.visible_to(viewer, Action.ACCOUNTS_VIEW)
        .select_related("role", "unit", "granted_by", "revoked_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "-granted_at")
    )
    hidden = all_grants.count() - len(visible)
    return visible, hidden


def actions_by_unit(user: Any) -> list[dict[str, Any]]:
    """For each unit where `user` holds active grants: the unit and the actions there."""
    by_unit: dict[int, dict[str, Any]] = {}
    for grant in active_grants(user):
        entry = by_unit.setdefault(grant.unit_id, {"unit": grant.unit, "actions": set()})
        entry["actions"].update(grant.role.permissions or [])
    return [
        {"unit": e["unit"], "actions": sorted(e["actions"])}
        for e in sorted(by_unit.values(), key=lambda e: e["unit"].path)
    ]


def otp_needed(user: Any) -> bool:
    """Whether every session (and token) of `user` must have passed a second factor: a role or
    the superuser rule requires one, or the user has a confirmed device."""
    from django_otp import user_has_device

    return otp_required(user) or user_has_device(user)


def otp_devices(user: Any) -> list[Any]:
    """The user's confirmed second-factor devices, oldest first."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))


def otp_device_of(*, user: Any, pk: int) -> Any | None:
    """One of the user's own devices (confirmed or not), or None."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, pk=pk).first()


def api_token_of(*, user: Any, digest: str) -> Any | None:
    """One of the user's own API tokens, by its digest, or None."""
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user, digest=digest).first()


def api_tokens(user: Any) -> list[dict[str, Any]]:
    """The user's API tokens with their names, newest first (keys are never shown again), and
    whether each works now: a token created without a second factor stops working while the
    account must use one (`congdoan.accounts.auth`)."""
    from knox.models import AuthToken

    labels = {
        digest: (name, verified)
        for digest, name, verified in ApiTokenLabel.objects.filter(user=user).values_list(
            "digest", "name", "otp_verified"
        )
    }
    needed = otp_needed(user)
    tokens = []
    for t in AuthToken.objects.filter(user=user).order_by("-created"):
        name, verified = labels.get(t.digest, ("", False))
        tokens.append(
            {
                "pk": t.digest,
                "name": name,
                "token_key": t.token_key,
                "created": t.created,
                "expiry": t.expiry,
                "otp_verified": verified,
                "blocked": needed and not verified,
            }
        )
    return tokens


def tokens_stopped_by(user: Any, role: Any) -> int:
    """How many of `user`'s tokens a grant of `role` stops (created without a second factor,
    while the account does not need one yet)."""
    if not role.requires_otp or otp_needed(user):
        return 0
    return sum(1 for t in api_tokens(user) if not t["otp_verified"])


def account_audit(viewer: Any, account: User) -> list[Any] | None:
    """The audit trail of an account and of its grants in the viewer's audit scope; None when
    the viewer may not see it (no "audit.view" on a unit where the account holds a grant)."""
    from congdoan.core.audit import audit_trail
    from congdoan.core.scoping import scope_prefixes

    grants = list(
        RoleGrant.objects.filter(user=account)
        .visible_to(viewer, Action.AUDIT_VIEW)
        .values_list("pk", flat=True)
    )
    if not grants and scope_prefixes(viewer, Action.AUDIT_VIEW) is not None:
        return None
    return audit_trail(account.history.all(), RoleGrant.history.filter(id__in=grants), limit=50)
