"""The one scoping mechanism.

A user's role grants give, per action, a set of subtrees (the granted units' current paths).
Every scoped model's queryset has `.visible_to(user, action)`, which keeps the rows whose unit
lies in one of those subtrees; views, fragments, exports and the API all go through it (see
`congdoan.core.views.ScopedMixin` and `congdoan.core.api.ScopedViewSet`), and single objects are
fetched with `get_visible_or_404`, which answers 404 both for "missing" and "not yours".

Paths are compared as ranges (`path >= p AND path < next(p)`), which uses the index on SQLite and
on PostgreSQL (where the path columns use the "C" collation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from congdoan.core.permissions import ACTIONS, VIEW

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from congdoan.accounts.models import User

_M = TypeVar("_M", bound=models.Model)
_CACHE_ATTR = "_congdoan_scope_cache"


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


def scope_prefixes(user: User | AnonymousUser | None, action: str = VIEW) -> list[str] | None:
    """Paths of the subtrees where `user` may do `action`; None means everywhere."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache: dict[str, list[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        from congdoan.accounts.selectors import grant_paths_by_action

        cache = {a: _minimal(paths) for a, paths in grant_paths_by_action(user).items()}
        setattr(user, _CACHE_ATTR, cache)
    return cache.get(action, [])


def clear_scope_cache(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_q(user: User | AnonymousUser | None, action: str, field: str) -> Q | None:
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


def path_in_scope(user: User | AnonymousUser | None, action: str, path: str) -> bool:
    prefixes = scope_prefixes(user, action)
    if prefixes is None:
        return True
    return any(path.startswith(p) for p in prefixes)


class ScopedQuerySet(models.QuerySet[_M]):
    """Base queryset of every scoped model; the model names its path with `scope_path`."""

    def visible_to(
        self, user: User | AnonymousUser | None, action: str = VIEW
    ) -> ScopedQuerySet[_M]:
        field: str = getattr(self.model, "scope_path", "unit__path")
        q = scope_q(user, action, field)
        if q is None:
            return self
        return self.filter(q)


def get_visible_or_404(
    queryset: models.QuerySet[_M] | type[_M],
    user: User | AnonymousUser | None,
    action: str = VIEW,
    **lookup: Any,
) -> _M:
    """One object within the user's scope, or 404 whether it is missing or not theirs."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    visible = qs.visible_to(user, action)  # type: ignore[attr-defined]
    try:
        return visible.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
