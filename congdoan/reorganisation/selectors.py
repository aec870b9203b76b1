"""Reads of the reorganisation app: the wizard, the API, plans and the event register share them.

Functions that take a `user` keep to the user's scope; those that take a unit, an event or a plan
read what hangs from an object the caller has already fetched through the door
(`ScopedMixin.get_visible`, `get_visible_or_404`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from congdoan.core.permissions import Action
from congdoan.members.models import Member, MemberEvent
from congdoan.organisation.models import (
    LineageLink,
    OwnershipType,
    ReorgEvent,
    ReorgPlan,
    Sector,
    Unit,
    UnitType,
)

# ---------------------------------------------------------------------------------------------
# Units and members named in operations


def units_by_codes(
    user: Any, codes: Sequence[str], action: Action = Action.ORGANISATION_REORGANISE
) -> tuple[dict[str, Unit], list[str]]:
    """Active units with these codes within the user's scope, and the codes not found."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    qs = Unit.objects.visible_to(user, action).filter(code__in=wanted, dissolved_on__isnull=True)
    found = {u.code: u for u in qs.select_related("unit_type__level")}
    return found, [c for c in wanted if c not in found]


def unit_by_code_or_id(user: Any, text: str, *, action: Action) -> Unit | None:
    """An active unit within the user's scope for `action`, by code (any case) or id."""
    qs = Unit.objects.visible_to(user, action).filter(dissolved_on__isnull=True)
    unit = qs.filter(code=text.upper()).first()
    if unit is None and text.isdecimal():
        unit = qs.filter(pk=int(text)).first()
    return unit


def member_of(unit: Unit, key: str) -> Member | None:
    """An open member of `unit` by membership card number (any case) or member id, or None."""
    members = Member.objects.filter(unit=unit, status__in=["active", "suspended"])
    key = key.strip()
    member = members.filter(card_number__iexact=key).first()
    if member is None and key.isdecimal():
        member = members.filter(pk=int(key)).first()
    return member


def child_of(unit: Unit, code: str) -> Unit | None:
    """An active unit directly under `unit`, by code."""
    return Unit.objects.filter(
        parent=unit, code=code.strip().upper(), dissolved_on__isnull=True
    ).first()


def catalogue_choices() -> dict[str, list[tuple[str, str]]]:
    """(code, name) of every unit type, sector and ownership type, for the plan template."""
    return {
        "unit_types": [(t.code, t.name) for t in UnitType.objects.all()],
        "sectors": [(s.code, s.name) for s in Sector.objects.all()],
        "ownerships": [(o.code, o.name) for o in OwnershipType.objects.all()],
    }


# ---------------------------------------------------------------------------------------------
# Recorded reorganisations


def event_filter(
    events: QuerySet[ReorgEvent],
    *,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ReorgEvent]:
    """`events` of one kind and within a range of effective dates (each filter optional)."""
    if kind:
        events = events.filter(kind=kind)
    if date_from:
        events = events.filter(effective_date__gte=date_from)
    if date_to:
        events = events.filter(effective_date__lte=date_to)
    return events


def event_list(
    user: Any,
    *,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[ReorgEvent]:
    """Events visible to `user`, filtered, newest first; each carries the affected units the
    user may see as `visible_units`."""
    events = event_filter(
        ReorgEvent.objects.visible_to(user, Action.ORGANISATION_VIEW).select_related("actor"),
        kind=kind,
        date_from=date_from,
        date_to=date_to,
    )
    visible_units = Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).order_by("path")
    return events.prefetch_related(
        Prefetch("affected_units", queryset=visible_units, to_attr="visible_units")
    ).order_by("-effective_date", "-id")


def event_with_details(events: QuerySet[ReorgEvent]) -> QuerySet[ReorgEvent]:
    """The rows of `events` with what the API shows (actor, affected units, lineage links, the
    number of member events), newest first."""
    return (
        ReorgEvent.objects.filter(pk__in=events.values("pk"))
        .select_related("actor")
        .annotate(member_event_count=Count("member_events"))
        .prefetch_related(
            Prefetch("affected_units", queryset=Unit.objects.order_by("path")),
            Prefetch(
                "links",
                queryset=LineageLink.objects.select_related("source", "target").order_by("pk"),
            ),
        )
        .order_by("-effective_date", "-id")
    )


def event_queryset() -> QuerySet[ReorgEvent]:
    """Events with their actor and plan (and the plan's unit), for one event's page."""
    return ReorgEvent.objects.select_related("actor", "plan__unit")


def event_units(event: ReorgEvent) -> list[Unit]:
    """The units `event` affected, in tree order."""
    return list(event.affected_units.select_related("unit_type").order_by("path"))


def event_links(event: ReorgEvent) -> list[LineageLink]:
    """The lineage links `event` recorded, with their units."""
    return list(event.links.select_related("source", "target").order_by("pk"))


def event_member_event_count(event: ReorgEvent) -> int:
    """How many member events (transfers, exits) `event` caused."""
    return MemberEvent.objects.filter(reorg_event=event).count()


# ---------------------------------------------------------------------------------------------
# Plans


def plan_list(user: Any) -> QuerySet[ReorgPlan]:
    """Plans of units visible to `user`, newest first."""
    return (
        ReorgPlan.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("unit", "created_by")
        .order_by("-created_at")
    )


def plan_queryset() -> QuerySet[ReorgPlan]:
    """Plans with their unit and the users who uploaded and applied them, for one plan's page."""
    return ReorgPlan.objects.select_related("unit", "created_by", "applied_by")


def plan_events(plan: ReorgPlan) -> list[ReorgEvent]:
    """The events an applied plan recorded, in the order of its rows."""
    return list(plan.events.order_by("plan_row", "pk"))
