"""The base of every API endpoint: scoping, 404 for out-of-scope objects, one error shape.

Every API view derives from one of these (a test, `core/tests/test_one_door.py`, fails
otherwise), as every page view from `core.views.ScopedMixin`:

- `ScopedViewSetMixin` / `ScopedReadOnlyViewSet`: querysets go through
  `visible_to(user, scope_action)`; single objects through `get_visible_or_404`, so "missing" and
  "not yours" both answer 404.
- `ScopedAPIView`: an endpoint that is not a model's list (figures, counts, operations): the
  same helpers (`get_visible`, `can`, `has_scope`) for the objects its parameters name.
- `CatalogueViewSet`: read-only catalogues (levels, unit types, …), open to every signed-in user.
- `Pagination` (`?limit=&offset=`, capped) and `FilterBackend` (django-filter, with invalid
  filter values answered like every other invalid query parameter): set on the viewsets that
  use them (they could become REST_FRAMEWORK defaults).
- Authentication and the second factor: REST_FRAMEWORK settings (knox token, session) and
  `accounts.middleware.OTPRequiredMiddleware` (session calls to /api/ must have passed it).
- Errors: business rules (`RuleViolation`) and invalid query parameters (`parse_query`,
  filters) answer 400 with `{"detail": …, "field": …}` (`ApiErrorSerializer`), and so does a
  request body with a NUL character in any text (`NulFreeParser`); objects that are
  missing or outside the caller's scope answer 404. The messages come from the services, DRF and Django
  catalogues; texts written here only for the OpenAPI schema (help texts, descriptions) are
  English developer documentation and are not translated.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework import exceptions, viewsets
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import APIView
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
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, has_any_scope, path_in_scope


def nul_at(value: Any, path: str = "") -> str | None:
    """Where parsed request data holds a text with a NUL character: the dotted name of its field
    ("" for the body itself, or for a key holding one at the top), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, MultiValueDict):  # a form's fields
        items: list[tuple[Any, Any]] = [(k, v) for k, values in value.lists() for v in values]
    elif isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(None, v) for v in value]
    else:
        return None
    for key, item in items:
        if key is not None and "\x00" in str(key):
            return path
        name = path if key is None else f"{path}.{key}" if path else str(key)
        if (found := nul_at(item, name)) is not None:
            return found
    return None


class NulFreeParser(BaseParser):
    """A view's parser, refusing a body with a NUL character in any text (400, naming the field)
    as DRF's CharField does in its own fields. PostgreSQL's driver cannot send a NUL, so every
    field that looks an object up by a text (a unit's code, a SlugRelatedField) answered 500."""

    def __init__(self, parser: BaseParser):
        self.parser = parser
        self.media_type = parser.media_type

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = self.parser.parse(stream, media_type, parser_context)
        field = nul_at(getattr(parsed, "data", parsed))  # multipart: DataAndFiles
        if field is not None:
            raise RuleViolation(_("Null characters are not allowed."), field=field or None)
        return parsed


class ScopedAPIMixin:
    """What every API view shares: its `scope_action` (None: the caller's own account, or a
    catalogue), the scoped look-ups, and bodies without NUL characters."""

    scope_action: Action | None = Action.ORGANISATION_VIEW
    request: Any

    def get_parsers(self) -> list[BaseParser]:
        return [NulFreeParser(parser) for parser in super().get_parsers()]  # type: ignore[misc]

    def _action(self, action: Action | None) -> Action:
        action = action or self.scope_action
        assert action is not None, f"{type(self).__name__} reads no unit"
        return action

    def get_visible(self, queryset: Any, action: Action | None = None, **lookup: Any) -> Any:
        """One object within the caller's scope for `action` (default: the view's), or 404."""
        return get_visible_or_404(queryset, self.request.user, self._action(action), **lookup)

    def can(self, action: Action, unit: Any) -> bool:
        return path_in_scope(self.request.user, action, unit.path)

    def has_scope(self, action: Action | None = None) -> bool:
        return has_any_scope(self.request.user, self._action(action))


class ScopedAPIView(ScopedAPIMixin, APIView):
    """An API endpoint that is not a model's list: figures, counts, operations, the caller."""


class ScopedViewSetMixin(ScopedAPIMixin):
    """Querysets of every API viewset go through `visible_to(user, scope_action)`."""

    scope_action: Action = Action.ORGANISATION_VIEW
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


class CatalogueViewSet(ScopedAPIMixin, viewsets.ReadOnlyModelViewSet):
    """A catalogue (data every signed-in user may read, no scoping); small, so not paginated."""

    scope_action = None
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
