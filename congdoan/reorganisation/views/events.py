"""The register of recorded reorganisations: list (filtered, paginated) and detail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View
from django_tables2 import RequestConfig

from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, path_in_scope
from congdoan.members.models import MemberEvent
from congdoan.organisation.models import ReorgEvent, Unit
from congdoan.reorganisation.forms import EventFilterForm
from congdoan.reorganisation.services import totals_rows
from congdoan.reorganisation.tables import EventTable


def filtered_events(user: Any, data: Any) -> tuple[EventFilterForm, Any]:
    """Events visible to `user`, filtered by kind and date range (pages and API share this)."""
    form = EventFilterForm(data or None)
    qs = ReorgEvent.objects.visible_to(user, Action.ORGANISATION_VIEW).select_related("actor")
    if not form.is_bound:
        pass
    elif form.is_valid():
        d = form.cleaned_data
        if d.get("kind"):
            qs = qs.filter(kind=d["kind"])
        if d.get("date_from"):
            qs = qs.filter(effective_date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(effective_date__lte=d["date_to"])
    else:
        qs = qs.none()
    visible_units = Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).order_by("path")
    qs = qs.prefetch_related(
        Prefetch("affected_units", queryset=visible_units, to_attr="visible_units")
    )
    return form, qs.order_by("-effective_date", "-id")


class EventListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form, qs = filtered_events(request.user, request.GET)
        table = EventTable(qs)
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "reorganisation/event_list.html", {"form": form, "table": table})


class EventDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = get_visible_or_404(
            ReorgEvent.objects.select_related("actor", "plan"),
            request.user,
            Action.ORGANISATION_VIEW,
            pk=pk,
        )
        user = request.user

        def entry(unit: Unit) -> dict[str, Any]:
            return {
                "unit": unit,
                "visible": path_in_scope(user, Action.ORGANISATION_VIEW, unit.path),
            }

        units = [
            entry(u) for u in event.affected_units.select_related("unit_type").order_by("path")
        ]
        links = [
            {"link": link, "source": entry(link.source), "target": entry(link.target)}
            for link in event.links.select_related("source", "target").order_by("pk")
        ]
        plan = event.plan
        plan_visible = plan is not None and path_in_scope(
            user, Action.ORGANISATION_VIEW, plan.unit.path
        )
        return render(
            request,
            "reorganisation/event_detail.html",
            {
                "event": event,
                "units": units,
                "links": links,
                "member_events": MemberEvent.objects.filter(reorg_event=event).count(),
                "lines": (event.summary or {}).get("lines", []),
                "totals": totals_rows((event.summary or {}).get("totals")),
                "plan_visible": plan_visible,
            },
        )
