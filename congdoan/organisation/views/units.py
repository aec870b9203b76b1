"""The unit page and its audit-trail fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import DetailView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors
from congdoan.organisation.models import Unit

AUDIT_LIMIT = 100  # the latest changes shown


class UnitDetailView(ScopedMixin, DetailView):
    model = Unit
    scope_action = Action.ORGANISATION_VIEW
    template_name = "organisation/unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset: Any = None) -> Unit:
        return super().get_object(selectors.units_for_page())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        unit: Unit = self.object
        ctx["page"] = selectors.unit_page(self.request.user, unit)
        ctx["show_dissolved"] = self.request.GET.get("show_dissolved") == "1"
        active = unit.dissolved_on is None
        ctx["can"] = {
            "update": active and self.can(Action.ORGANISATION_CHANGE, unit),
            "reorganise": active and self.can(Action.ORGANISATION_REORGANISE, unit),
            "terms": active and self.can(Action.ORGANISATION_MANAGE_TERMS, unit),
            "clusters": active and self.can(Action.ORGANISATION_MANAGE_CLUSTERS, unit),
            "audit": self.can(Action.AUDIT_VIEW, unit),
        }
        return ctx


class UnitAuditView(ScopedMixin, View):
    """The unit's audit trail (who changed what, before → after): an htmx fragment inside the
    unit page, a whole page (title, breadcrumbs, back link) when the link is opened directly."""

    model = Unit
    scope_action = Action.AUDIT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit: Unit = self.get_object(selectors.units_for_page())
        entries = selectors.unit_audit(unit, limit=AUDIT_LIMIT)
        if getattr(request, "htmx", False):
            response = render(request, "core/partials/audit_trail.html", {"entries": entries})
        else:
            context = {
                "unit": unit,
                "crumbs": selectors.crumbs_for(request.user, [unit])[unit.pk],
                "entries": entries,
                "limited": len(entries) >= AUDIT_LIMIT,
                "limit": AUDIT_LIMIT,
            }
            response = render(request, "organisation/unit_audit.html", context)
        # The same URL answers a fragment or a page: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request"])
        return response
