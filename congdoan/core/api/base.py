"""The base of every API endpoint: scoping, 404 for out-of-scope objects, one error shape.

- `ScopedViewSetMixin` / `ScopedReadOnlyViewSet`: querysets go through
  `visible_to(user, scope_action)`; single objects through `get_visible_or_404`, so "missing" and
  "not yours" both answer 404.
- `CatalogueViewSet`: read-only catalogues (levels, unit types, …), open to every signed-in user.
- `Pagination` (`?limit=&offset=`, capped) and `FilterBackend` (django-filter, with invalid
  filter values answered like every other invalid query parameter): set on the viewsets that
  use them (they could become REST_FRAMEWORK defaults).
- Authentication and the second factor: REST_FRAMEWORK settings (knox token, session) and
  `accounts.middleware.OTPRequiredMiddleware` (session calls to /api/ must have passed it).
- Errors: business rules (`RuleViolation`) and invalid query parameters (`parse_query`,
  filters) answer 400 with `{"detail": …, "field": …}` (`ApiErrorSerializer`); objects that are
  missing or outside the caller's scope answer 404. The messages come from the services, DRF and Django
  catalogues; texts written here only for the OpenAPI schema (help texts, descriptions) are
  English developer documentation and are not translated.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congdoan.core.api.defaults import (  # noqa: F401 - re-exported
    BAD_REQUEST,
    NOT_FOUND,
    ApiErrorSerializer,
    FilterBackend,
    Pagination,
    first_error,
    parse_body,
    parse_query,
)
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


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """A catalogue (data every signed-in user may read, no scoping); small, so not paginated."""

    pagination_class = None
    filter_backends = [FilterBackend]


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
