"""Base views shared by every app: the scoping mixin and the health check."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django_tables2 import paginators as tables_paginators

from congdoan.core.permissions import VIEW
from congdoan.core.scoping import get_visible_or_404, scope_prefixes


class ScopedMixin(LoginRequiredMixin):
    """Limit a view to the rows the user may see (or act on) with `scope_action`.

    List views get `get_queryset()` already scoped; detail views get `get_object()` through
    `get_visible_or_404`, which answers 404 for "missing" and "not yours" alike.
    """

    model: type[Model]
    scope_action: str = VIEW
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.visible_to(self.request.user, self.scope_action)  # type: ignore[attr-defined]

    def get_object(self, queryset: QuerySet[Any] | None = None) -> Any:
        lookup = {"pk": self.kwargs["pk"]}
        return get_visible_or_404(
            queryset if queryset is not None else self.model,
            self.request.user,
            self.scope_action,
            **lookup,
        )

    def can(self, action: str, unit: Any) -> bool:
        from congdoan.core.scoping import path_in_scope

        return path_in_scope(self.request.user, action, unit.path)

    def has_scope(self, action: str) -> bool:
        prefixes = scope_prefixes(self.request.user, action)
        return prefixes is None or bool(prefixes)


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
