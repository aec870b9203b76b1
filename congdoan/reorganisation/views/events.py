"""The register of recorded reorganisations: list (filtered, paginated) and detail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View
from django_tables2 import RequestConfig

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import ReorgEvent, Unit
from congdoan.reorganisation import selectors
from congdoan.reorganisation.forms import EventFilterForm
from congdoan.reorganisation.services import totals_rows
from congdoan.reorganisation.tables import EventTable


class EventListView(ScopedMixin, View):
    """Events visible to the user, filtered by kind and date range (none when a filter is
    invalid)."""

    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EventFilterForm(request.GET or None)
        valid = form.is_valid()
        events = selectors.event_list(request.user, **(form.cleaned_data if valid else {}))
        if form.is_bound and not valid:
            events = events.none()
        table = EventTable(events)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "reorganisation/event_list.html", {"form": form, "table": table})


class EventDetailView(ScopedMixin, View):
    """One event; units and lineage outside the user's scope are named but not linked."""

    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event: ReorgEvent = self.get_object(selectors.event_queryset())
        summary = event.summary or {}
        return render(
            request,
            "reorganisation/event_detail.html",
            {
                "event": event,
                "units": [self.entry(u) for u in selectors.event_units(event)],
                "links": [
                    {
                        "link": link,
                        "source": self.entry(link.source),
                        "target": self.entry(link.target),
                    }
                    for link in selectors.event_links(event)
                ],
                "member_events": selectors.event_member_event_count(event),
                "lines": summary.get("lines", []),
                "totals": totals_rows(summary.get("totals")),
                "plan_visible": event.plan is not None
                and self.can(Action.ORGANISATION_VIEW, event.plan.unit),
            },
        )

    def entry(self, unit: Unit) -> dict[str, Any]:
        return {"unit": unit, "visible": self.can(Action.ORGANISATION_VIEW, unit)}
