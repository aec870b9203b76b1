"""The landing page after login: what waits for the user (`core.worklist`, filled by the apps
above), the user's top units and quick links."""

from __future__ import annotations

from typing import Any

from django.views.generic import TemplateView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.core.worklist import work_for
from congdoan.organisation import selectors
from congdoan.organisation.models import Unit


class HomeView(ScopedMixin, TemplateView):
    model = Unit
    scope_action = Action.ORGANISATION_VIEW
    template_name = "organisation/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        roots = selectors.current_roots(self.request.user)
        ctx["work"] = work_for(self.request.user)
        ctx["roots"] = [(unit, selectors.subtree_counts(unit)) for unit in roots]
        ctx["can_reorganise"] = self.has_scope(Action.ORGANISATION_REORGANISE)
        ctx["can_manage_clusters"] = self.has_scope(Action.ORGANISATION_MANAGE_CLUSTERS)
        return ctx
