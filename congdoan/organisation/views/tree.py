"""The tree browser: current or as of a date, lazy children, search, the navbar picker and the
suggestions of unit fields."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors
from congdoan.organisation.forms import UnitFieldQuery
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
    """htmx fragment: units matching `q`, diacritics and case ignored, each with its path; with
    `as_of`, the units of that day, found by the names and codes they had then and shown with
    their place and path of that day."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        _form, day, show_dissolved = tree_params(request)
        if day:
            hits = selectors.search_on(request.user, q, day)
        else:
            hits = selectors.search_with_paths(request.user, q, include_dissolved=show_dissolved)
        return render(
            request,
            "organisation/partials/tree_search.html",
            {"q": q, "hits": hits, "as_of": day},
        )


class UnitPickerView(ScopedMixin, View):
    """htmx fragment: the navbar "go to unit" results (at most 15)."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        q = request.GET.get("q", "").strip()
        units = selectors.unit_picker(request.user, q)
        return render(request, "organisation/partials/unit_picker.html", {"q": q, "units": units})


class UnitFieldView(ScopedMixin, View):
    """htmx fragment of a unit field of a form (`forms.UnitPickerInput`, `UnitCodesPicker`):
    the units matching what was typed within the user's scope for the field's action, or, with
    `pick`, the field drawn again with that unit in it."""

    model = Unit
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        query = UnitFieldQuery(request.GET)
        if not query.is_valid():
            name, errors = next(iter(query.errors.items()))
            message = _("This unit field cannot be drawn: %(name)s: %(error)s") % {
                "name": name,
                "error": errors[0],
            }
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        field = query.cleaned_data
        widget = query.widget(request.user)
        if field["pick"]:
            value = widget.with_code(request.GET.get(field["name"], ""), field["pick"])
            return HttpResponse(widget.render(field["name"], value, query.render_attrs()))
        q = request.GET.get(query.find_param(), "").strip()
        units = selectors.unit_picker(
            request.user, q, action=widget.action, active_only=widget.active_only, limit=10
        )
        paths = selectors.crumbs_for(request.user, units)
        params = request.GET.copy()
        for name in ("pick", field["name"], query.find_param()):
            params.pop(name, None)
        context = {
            "q": q,
            "options": [{"unit": u, "path": paths[u.pk]} for u in units],
            "field_id": field["id"],
            "pick_url": f"{request.path}?{params.urlencode()}",
            "include": field["kind"] == "codes",
        }
        return render(request, "organisation/partials/unit_field_options.html", context)
