"""The door of the reorganisation pages that change the tree."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase

from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import Unit


class ReorganiseMixin(ScopedMixin):
    """Pages for users who hold `scope_action` somewhere: 403 for the others (after sign-in)."""

    scope_action: Action | None = Action.ORGANISATION_REORGANISE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.require_scope()
        return super().dispatch(request, *args, **kwargs)

    def preselected_unit(self, param: str, action: Action | None = None) -> Unit | None:
        """The unit a query parameter (`?unit=`, `?parent=`) names, within scope for `action`
        (default: the page's); None when the parameter is absent, 404 when it names no unit of
        the user's."""
        raw = self.request.GET.get(param, "").strip()
        if not raw:
            return None
        pk = parse_id(raw)
        if pk is None:
            raise Http404
        unit: Unit = self.get_visible(Unit, action, pk=pk)
        return unit
