"""What the pages of the app share: the door for pages that change a record, the delete page,
and the ids read from query strings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic import TemplateView

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin

VIEW, MANAGE = Action.INDICATORS_VIEW, Action.ACTIVITIES_MANAGE


class ManagedMixin(ScopedMixin):
    """Pages that change one record: seen through "indicators.view" (404 otherwise), changed
    with "activities.manage" on the unit that manages it (403 otherwise)."""

    scope_action = VIEW

    def managed(self, queryset: Any, pk: Any, unit_of: Any = lambda row: row.unit) -> Any:
        row = self.get_visible(queryset, pk=pk)
        self.require(MANAGE, unit_of(row))
        return row


class DeleteView(ManagedMixin, TemplateView):
    """GET: confirm; POST: delete through the service (a refusal goes back to the record)."""

    template_name = "initiatives/confirm_delete.html"
    row: Any

    def load(self, pk: int) -> Any:
        raise NotImplementedError

    def delete(self, row: Any) -> str:
        """Delete, and say so; returns the URL to go to."""
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.row = self.load(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "row": self.row}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            url = self.delete(self.row)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.row.get_absolute_url())
        return HttpResponseRedirect(url)


def query_id(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name))
