"""Base views shared by every app: the one scoping door of page views, the big tables' paginator
and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django_tables2 import paginators as tables_paginators

from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, has_any_scope, path_in_scope


class ScopedMixin(LoginRequiredMixin):
    """The one door of every page view (and htmx fragment, and export), as NetBox's
    `ObjectPermissionRequiredMixin`: sign-in first, then every read goes through the user's
    scope for `scope_action`, before any handler touches the database.

    - `scope_action`: what the page is about (`Action`); `None` only for pages about the user's
      own account (profile, tokens), which read nothing of any unit.
    - `get_queryset()`: `model` rows within the scope; `get_object()`: the row of the URL's pk,
      or 404 for "missing" and "not yours" alike; `get_visible(model, action, **lookup)`: any
      other object, the same way (Zulip's `access_*` functions).
    - `can(action, unit)` and `has_scope(action)` decide what the page offers;
      `require_scope(action)` answers 403 to a user who holds `action` nowhere, and
      `require(action, unit)` to one who may see `unit` but not do `action` there.

    A test (`core/tests/test_one_door.py`) fails for a page view that does not use it.
    """

    model: type[Model] | None = None
    scope_action: Action | None = Action.ORGANISATION_VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def _action(self, action: Action | None) -> Action:
        action = action or self.scope_action
        if action is None:
            raise ImproperlyConfigured(f"{type(self).__name__} reads no unit (scope_action None)")
        return action

    def get_queryset(self) -> QuerySet[Any]:
        assert self.model is not None, f"{type(self).__name__} has no model"
        return self.model._default_manager.visible_to(  # type: ignore[attr-defined]
            self.request.user, self._action(None)
        )

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        return self.get_visible(
            queryset if queryset is not None else self.model, pk=self.kwargs["pk"]
        )

    def get_visible(
        self,
        queryset: QuerySet[Any] | type[Model] | None,
        action: Action | None = None,
        **lookup: Any,
    ) -> Any:
        """One object within the user's scope for `action` (default: the page's), or 404."""
        assert queryset is not None
        return get_visible_or_404(queryset, self.request.user, self._action(action), **lookup)

    def can(self, action: Action, unit: Any) -> bool:
        return path_in_scope(self.request.user, action, unit.path)

    def has_scope(self, action: Action | None = None) -> bool:
        return has_any_scope(self.request.user, self._action(action))

    def require_scope(self, action: Action | None = None) -> None:
        if not self.has_scope(action):
            raise PermissionDenied

    def require(self, action: Action, unit: Any) -> None:
        if not self.can(action, unit):
            raise PermissionDenied


class OwnAccountMixin(ScopedMixin):
    """Pages about the signed-in user's own account: no unit scope to apply."""

    scope_action = None


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # pragma: no cover - reported, not raised
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


class LazyPaginator(tables_paginators.LazyPaginator):
    """django-tables2's paginator for big tables (no count), with page numbers bounded: a page
    number no table reaches shows the first page instead of asking the database for an offset
    it cannot hold."""

    MAX_PAGE = 1_000_000

    def validate_number(self, number: Any) -> int:
        from django.core.paginator import PageNotAnInteger

        number = super().validate_number(number)
        if number > self.MAX_PAGE:
            raise PageNotAnInteger(number)
        return number
