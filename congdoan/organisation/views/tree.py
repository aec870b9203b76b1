"""The tree browser: current or as of a date, lazy children, search, and the navbar picker."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View
from django.views.generic import TemplateView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import tree_params


def _node_query(day: Any, show_dissolved: bool) -> str:
    params: dict[str, str] = {}
    if day:
        params["as_of"] = day.isoformat()
    elif show_dissolved:
        params["show_dissolved"] = "1"
    return urlencode(params)


class TreeView(ScopedMixin, TemplateView):
    model = Unit
    scope_action = Action.ORGANISATION_VIEW
    template_name = "organisation/tree.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form, day, show_dissolved = tree_params(self.request)
        user = self.request.user
        if day:
            nodes = selectors.tree_roots_on(user, day)
        else:
            nodes = selectors.tree_roots(user, show_dissolved=show_dissolved)
        ctx.update(
            form=form,
            as_of=day,
            show_dissolved=show_dissolved,
            nodes=nodes,
            node_query=_node_query(day, show_dissolved),
        )
        return ctx


class TreeChildrenView(ScopedMixin, View):
    """htmx fragment: the children of one node (GET as_of=YYYY-MM-DD, show_dissolved=1)."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit: Unit = self.get_object()
        _form, day, show_dissolved = tree_params(request)
        if day:
            nodes = selectors.tree_children_on(request.user, unit, day)
        else:
            nodes = selectors.tree_children(request.user, unit, show_dissolved=show_dissolved)
        return render(
            request,
            "organisation/partials/tree_nodes.html",
            {"nodes": nodes, "node_query": _node_query(day, show_dissolved), "as_of": day},
        )


class TreeSearchView(ScopedMixin, View):
    """htmx fragment: units matching `q`, diacritics and case ignored, each with its path."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        _form, _day, show_dissolved = tree_params(request)
        hits = selectors.search_with_paths(request.user, q, include_dissolved=show_dissolved)
        return render(request, "organisation/partials/tree_search.html", {"q": q, "hits": hits})


class UnitPickerView(ScopedMixin, View):
    """htmx fragment: the navbar "go to unit" results (at most 15)."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        units = selectors.unit_picker(request.user, q)
        return render(request, "organisation/partials/unit_picker.html", {"q": q, "units": units})
