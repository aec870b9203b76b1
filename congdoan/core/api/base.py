"""The one base for API viewsets: scoping, 404 for out-of-scope objects, rule errors as 400."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import VIEW
from congdoan.core.scoping import get_visible_or_404


class ScopedViewSetMixin:
    """Querysets of every API viewset go through `visible_to(user, scope_action)`."""

    scope_action: str = VIEW
    queryset: Any
    request: Any
    kwargs: dict[str, Any]
    lookup_field = "pk"

    def get_queryset(self) -> Any:
        qs = super().get_queryset()  # type: ignore[misc]
        return qs.visible_to(self.request.user, self.scope_action)

    def get_object(self) -> Any:
        obj = get_visible_or_404(
            self.filter_queryset(self.get_queryset()),  # type: ignore[attr-defined]
            self.request.user,
            self.scope_action,
            **{self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]},  # type: ignore[attr-defined]
        )
        self.check_object_permissions(self.request, obj)  # type: ignore[attr-defined]
        return obj


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Business-rule errors become 400 with a translated message (and field, if known)."""
    if isinstance(exc, RuleViolation):
        body: dict[str, Any] = {"detail": str(exc)}
        if exc.field:
            body["field"] = exc.field
        if exc.row is not None:
            body["row"] = exc.row
        return Response(body, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
