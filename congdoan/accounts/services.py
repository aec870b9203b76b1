"""Writes of the accounts app: accounts, role grants, second-factor devices and API tokens.

Rules for granting (`role_grant`, also applied by `user_create` and `role_revoke`):
- the actor needs "accounts.grant" on the unit, i.e. the unit lies in a subtree where the actor
  holds it: a unit admin grants only inside their own subtree; a unit outside it is "not found";
- the role's actions must all be actions the actor holds on that unit (no escalation);
- roles marked `system_only` are granted (and revoked) by superusers only;
- a user holds a role on a unit at most once at a time;
- grants are never deleted: revoking records who and when, and a user may not revoke their own
  last grant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.accounts.models import ApiTokenLabel, Role, RoleGrant, User
from congdoan.core.exceptions import RuleViolation
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import clear_scope_cache, path_in_scope, require
from congdoan.core.text import nfc


def _require_active_actor(actor: Any) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise RuleViolation(_("You must be signed in to do this."))


def _check_can_manage_grant(*, actor: Any, role: Role, unit: Any) -> None:
    """Raise unless `actor` may give (or take back) `role` on `unit`."""
    _require_active_actor(actor)
    require(actor, Action.ACCOUNTS_GRANT, unit)
    if role.system_only and not actor.is_superuser:
        raise RuleViolation(
            _("The role “%(role)s” can only be granted by system administrators.")
            % {"role": role.name},
            field="role",
        )
    missing = [a for a in role.permissions if not path_in_scope(actor, Action(a), unit.path)]
    if missing:
        raise RuleViolation(
            _(
                "You cannot grant the role “%(role)s” on %(unit)s: it includes actions you do "
                "not hold there yourself (%(actions)s)."
            )
            % {"role": role.name, "unit": unit, "actions": ", ".join(missing)},
            field="role",
        )


def _check_can_manage_user(*, actor: Any, user: User) -> None:
    """The actor may change an account when every active grant of it lies within their reach.

    This keeps an officer of a small unit from changing or disabling the account of someone who
    also works above them.
    """
    _require_active_actor(actor)
    if actor.is_superuser:
        return
    if user.is_superuser:
        raise RuleViolation(_("Only system administrators can change a system administrator."))
    if not User.objects.visible_to(actor, Action.ACCOUNTS_GRANT).filter(pk=user.pk).exists():
        raise RuleViolation(_("No account was found within your scope."))
    paths = RoleGrant.objects.active().filter(user=user).values_list("unit__path", flat=True)
    if any(not path_in_scope(actor, Action.ACCOUNTS_GRANT, path) for path in paths):
        raise RuleViolation(
            _("This account also holds roles outside your scope; ask the unit above to change it.")
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages), field="password") from exc


# --- accounts -------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    email: str = "",
    job_title: str = "",
    phone: str = "",
    role: Role,
    unit: Any,
) -> User:
    """Create an account together with its first grant, which must lie in the actor's scope."""
    _check_can_manage_grant(actor=actor, role=role, unit=unit)
    username = nfc(username)
    if not username:
        raise RuleViolation(_("Enter a username."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise RuleViolation(_("This username is already taken."), field="username")
    user = User(
        username=username,
        full_name=nfc(full_name),
        email=nfc(email).lower(),
        job_title=nfc(job_title),
        phone=nfc(phone),
    )
    _check_password(password, user)
    user.set_password(password)
    stamp(user, actor, "user_create")
    user.save()
    _grant(actor=actor, user=user, role=role, unit=unit, note="")
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    email: str = "",
    job_title: str = "",
    phone: str = "",
) -> User:
    """Change an account's details. Users may change their own; officers those they manage."""
    if actor is None or actor.pk != user.pk:
        _check_can_manage_user(actor=actor, user=user)
    user.full_name = nfc(full_name)
    user.email = nfc(email).lower()
    user.job_title = nfc(job_title)
    user.phone = nfc(phone)
    stamp(user, actor, "user_update")
    user.save(update_fields=["full_name", "email", "job_title", "phone"])
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Enable or disable an account (accounts are never deleted)."""
    _check_can_manage_user(actor=actor, user=user)
    if actor.pk == user.pk and not active:
        raise RuleViolation(_("You cannot disable your own account."))
    if user.is_active == active:
        return user
    user.is_active = active
    stamp(user, actor, "user_set_active")
    user.save(update_fields=["is_active"])
    if not active:
        from knox.models import AuthToken

        AuthToken.objects.filter(user=user).delete()
        ApiTokenLabel.objects.filter(user=user).delete()
    return user


# --- role grants ----------------------------------------------------------------------------


def _grant(*, actor: Any, user: User, role: Role, unit: Any, note: str) -> RoleGrant:
    if not unit.is_active:
        raise RuleViolation(_("%(unit)s has been dissolved.") % {"unit": unit}, field="unit")
    if RoleGrant.objects.active().filter(user=user, role=role, unit=unit).exists():
        raise RuleViolation(
            _("%(user)s already holds the role “%(role)s” on %(unit)s.")
            % {"user": user, "role": role.name, "unit": unit}
        )
    grant = RoleGrant(
        user=user,
        role=role,
        unit=unit,
        granted_by=actor if getattr(actor, "pk", None) else None,
        note=nfc(note),
    )
    stamp(grant, actor, "role_grant")
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as exc:  # a concurrent identical grant
        raise RuleViolation(
            _("%(user)s already holds the role “%(role)s” on %(unit)s.")
            % {"user": user, "role": role.name, "unit": unit}
        ) from exc
    clear_scope_cache(user)
    return grant


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: Role, unit: Any, note: str = "") -> RoleGrant:
    """Give `user` the role `role` on `unit` and its subtree."""
    _check_can_manage_grant(actor=actor, role=role, unit=unit)
    if not actor.is_superuser and not (
        actor.pk == user.pk
        or User.objects.visible_to(actor, Action.ACCOUNTS_GRANT).filter(pk=user.pk).exists()
    ):
        raise RuleViolation(_("No account was found within your scope."), field="user")
    return _grant(actor=actor, user=user, role=role, unit=unit, note=note)


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> RoleGrant:
    """End a grant. The record stays, with who revoked it and when."""
    grant = RoleGrant.objects.select_for_update().select_related("role", "unit").get(pk=grant.pk)
    _check_can_manage_grant(actor=actor, role=grant.role, unit=grant.unit)
    if grant.revoked_at is not None:
        raise RuleViolation(_("This role has already been revoked."))
    if (
        grant.user_id == actor.pk
        and not RoleGrant.objects.active().filter(user_id=actor.pk).exclude(pk=grant.pk).exists()
    ):
        raise RuleViolation(_("You cannot revoke your own last role."))
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    stamp(grant, actor, "role_revoke")
    grant.save(update_fields=["revoked_at", "revoked_by"])
    clear_scope_cache(grant.user)
    if grant.user_id == actor.pk:
        clear_scope_cache(actor)
    return grant


# --- second factor --------------------------------------------------------------------------


def otp_device_pending(*, user: User) -> Any:
    """The user's unconfirmed TOTP device, created when there is none yet."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


@transaction.atomic
def otp_device_confirm(*, user: User, device: Any, token: str, name: str = "") -> bool:
    """Confirm a new device with a code it shows; False when the code is wrong."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(token):
        return False
    device.confirmed = True
    if name:
        device.name = nfc(name)[:64]
    device.save(update_fields=["confirmed", "name"])
    return True


@transaction.atomic
def otp_device_remove(*, user: User, device: Any, otp_required: bool) -> None:
    """Remove one of the user's devices; the last confirmed one stays while OTP is required."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if (
        device.confirmed
        and otp_required
        and not TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).exists()
    ):
        raise RuleViolation(
            _("Two-step verification is required for your account: add another device first.")
        )
    device.delete()


@transaction.atomic
def otp_verify(*, user: User, token: str) -> Any:
    """The confirmed device of `user` that accepts `token`, or None.

    Each wrong code doubles the wait before the next try (django-otp's throttling)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = token.strip().replace(" ", "")
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    if devices and not any(device.verify_is_allowed()[0] for device in devices):
        raise RuleViolation(_("Too many wrong codes. Wait a few seconds, then try again."))
    for device in devices:
        if device.verify_token(token):
            return device
    return None


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def token_create(
    *, actor: User, name: str, days: int | None = None, otp_verified: bool = False
) -> tuple[Any, str]:
    """A new API token for `actor`; the key is returned once and never stored in clear.

    `otp_verified`: the session creating it has passed a second factor (the token then works
    for an account that must use one; see `congdoan.accounts.auth`)."""
    from knox.models import AuthToken

    _require_active_actor(actor)
    name = nfc(name)
    if not name:
        raise RuleViolation(_("Give the token a name."), field="name")
    existing = AuthToken.objects.filter(user=actor).values("digest")
    ApiTokenLabel.objects.filter(user=actor).exclude(digest__in=existing).delete()
    expiry = dt.timedelta(days=days) if days else None
    token, key = AuthToken.objects.create(user=actor, expiry=expiry)
    ApiTokenLabel.objects.create(
        digest=token.digest, user=actor, name=name[:100], otp_verified=otp_verified
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: Any) -> None:
    if token.user_id != actor.pk:
        raise RuleViolation(_("No such token."))
    ApiTokenLabel.objects.filter(digest=token.digest).delete()
    token.delete()
