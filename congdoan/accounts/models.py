"""Users, roles and role grants.

A `Role` is a named set of actions (see `congdoan.core.permissions.ACTIONS`); a `RoleGrant` gives
a role to a user on one unit and its whole subtree. Revoked grants are kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.permissions import ACTIONS, Action
from congdoan.core.scoping import ScopedQuerySet, scope_q
from congdoan.core.text import fold, nfc


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Any, action: Action = Action.ACCOUNTS_VIEW) -> UserQuerySet:
        """Accounts holding a grant (active or not) inside the viewer's subtree, and oneself."""
        q = scope_q(user, action, "grants__unit__path")
        if q is None:
            return self
        own = Q(pk=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
        ids = self.model.objects.filter(q).values("pk")
        return self.filter(Q(pk__in=ids) | own)

    def search(self, text: str) -> UserQuerySet:
        """Every word of `text` in the name, username or email, ignoring case and diacritics."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    search_text = models.CharField(max_length=600, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["password", "last_login", "search_text"])

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_name = nfc(self.full_name)
        self.search_text = fold(f"{self.full_name} {self.username} {self.email}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & {"full_name", "username", "email"}:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class Role(models.Model):
    """A named set of actions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    requires_otp = models.BooleanField(
        _("requires a second factor"),
        default=False,
        help_text=_("Holders must set up and use a one-time-password device."),
    )
    system_only = models.BooleanField(_("granted by system administrators only"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [p for p in self.permissions if p not in ACTIONS]
        if unknown:
            raise ValidationError({"permissions": _("Unknown actions: %s") % ", ".join(unknown)})


class RoleGrantQuerySet(ScopedQuerySet["RoleGrant"]):
    def active(self) -> RoleGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """`user` holds `role` on `unit` and its subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="grants")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="role_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = RoleGrantQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(revoked_at__isnull=True),
                name="grant_active_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.unit}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiTokenLabel(models.Model):
    """What knox does not keep about one of a user's API tokens: the name the user gave it, and
    whether the session that created it had passed a second factor (`otp_verified`).

    A token stands for the session that created it: when the account must use a second factor
    (a role that requires one, or a confirmed device), only a token created after verifying it
    is accepted (`congdoan.accounts.auth.TokenAuthentication`).

    Linked by the token's digest rather than a foreign key: knox's token model is swappable
    through a setting (KNOX_TOKEN_MODEL) that the migration autodetector requires, and a label
    left behind by a token knox deleted on expiry is harmless (pruned by `token_create`).
    """

    digest = models.CharField(max_length=128, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token_labels"
    )
    name = models.CharField(_("name"), max_length=100)
    otp_verified = models.BooleanField(_("created after two-step verification"), default=False)

    class Meta:
        verbose_name = _("API token name")
        verbose_name_plural = _("API token names")

    def __str__(self) -> str:
        return self.name
