"""The one scoping mechanism: every check of what a user may see or do goes through here.

A user's role grants give, per action (`core.permissions.Action`), a set of subtrees (the
granted units' current paths). The doors:

- reads: every scoped model's queryset has `.visible_to(user, action)`, which keeps the rows
  whose unit lies in one of those subtrees; single objects come from `get_visible_or_404`, which
  answers 404 both for "missing" and "not yours". Page views reach them through
  `core.views.ScopedMixin`, API views through `core.api.base` (`ScopedAPIView`,
  `ScopedViewSetMixin`), never by hand.
- writes: every service calls `require(actor, action, unit)` before it changes anything; it
  raises one `RuleViolation` whose message names nothing (not even the unit the caller pointed
  at). A service called with no actor (`actor=None`) is work of the system (data migrations,
  demo, reorganisations applying a checked plan, imports committed by their job) and skips the
  check: only code, never a request, calls a service without an actor.
- questions: `path_in_scope(user, action, path)` for one unit, `has_any_scope(user, action)` to
  show or hide a feature.

Grants are read through a function the accounts app registers (`register_grant_source`), so
that this ground floor imports no app. Paths are compared as ranges (`path >= p AND path <
next(p)`), which uses the index on SQLite and on PostgreSQL ("C" collation on path columns).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action

_M = TypeVar("_M", bound=models.Model)
_CACHE_ATTR = "_congdoan_scope_cache"
# A user (or AnonymousUser, or None for "nobody"); typed loosely so that this floor imports no
# app: the user model lives in accounts.
User = Any

# For a user: the current paths of the units where their active grants give each action.
GrantSource = Callable[[Any], dict[str, set[str]]]
_grant_source: GrantSource | None = None


def register_grant_source(source: GrantSource) -> None:
    """Called once by the accounts app (AppConfig.ready) with its reader of role grants."""
    global _grant_source
    _grant_source = source


def _checked(action: Action) -> Action:
    if type(action) is not Action:
        raise TypeError(
            f"name actions with congdoan.core.permissions.Action, not {action!r} "
            "(data from roles: Action(code))"
        )
    return action


def path_upper(prefix: str) -> str:
    """The smallest string greater than every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def path_range_q(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with `prefix`, written as an indexable range."""
    if not prefix:
        return Q()
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": path_upper(prefix)})


def _minimal(prefixes: set[str]) -> list[str]:
    """Drop prefixes covered by a shorter one."""
    kept: list[str] = []
    for p in sorted(prefixes):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def scope_prefixes(user: User, action: Action) -> list[str] | None:
    """Paths of the subtrees where `user` may do `action`; None means everywhere."""
    _checked(action)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache: dict[str, list[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        if _grant_source is None:
            raise RuntimeError("no grant source registered (is the accounts app installed?)")
        cache = {a: _minimal(paths) for a, paths in _grant_source(user).items()}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(action, [])


def has_any_scope(user: User, action: Action) -> bool:
    """Whether `user` may do `action` anywhere (to show a feature, a menu entry, a filter)."""
    prefixes = scope_prefixes(user, action)
    return prefixes is None or bool(prefixes)


def clear_scope_cache(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_q(user: User, action: Action, field: str) -> Q | None:
    """A Q object limiting `field` (a path) to the user's scope; None = no limit."""
    prefixes = scope_prefixes(user, action)
    if prefixes is None:
        return None
    if not prefixes:
        return Q(pk__in=[])
    q = Q()
    for p in prefixes:
        q |= path_range_q(field, p)
    return q


def path_in_scope(user: User, action: Action, path: str) -> bool:
    prefixes = scope_prefixes(user, action)
    if prefixes is None:
        return True
    return any(path.startswith(p) for p in prefixes)


def refusal(actor: User, unit: Any) -> RuleViolation:
    """The one refusal of a write the actor's roles do not allow on `unit`. It names the unit
    only when the actor may see it; otherwise it names nothing, since the unit may have been
    pointed at by an id or a code the actor guessed."""
    if path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
        return RuleViolation(
            _("Your roles do not allow this for %(unit)s.") % {"unit": unit.name}, field="unit"
        )
    return RuleViolation(_("This unit was not found within your scope."), field="unit")


def require(actor: User, action: Action, unit: Any) -> None:
    """For services, before any change: `actor` may do `action` on `unit` (and its subtree),
    or `refusal(actor, unit)` is raised. `actor` None is work of the system and is not checked
    (see the module's docstring)."""
    _checked(action)
    if actor is None:
        return
    if not path_in_scope(actor, action, unit.path):
        raise refusal(actor, unit)


class ScopedQuerySet(models.QuerySet[_M]):
    """Base queryset of every scoped model; the model names its path with `scope_path`."""

    def visible_to(
        self, user: User, action: Action = Action.ORGANISATION_VIEW
    ) -> ScopedQuerySet[_M]:
        field: str = getattr(self.model, "scope_path", "unit__path")
        q = scope_q(user, action, field)
        if q is None:
            return self
        return self.filter(q)


def get_visible_or_404(
    queryset: models.QuerySet[_M] | type[_M],
    user: User,
    action: Action = Action.ORGANISATION_VIEW,
    **lookup: Any,
) -> _M:
    """One object within the user's scope, or 404 whether it is missing or not theirs."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    visible = qs.visible_to(user, action)  # type: ignore[attr-defined]
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
