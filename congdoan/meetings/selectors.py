"""Reads of meetings for the pages, the API and the reports (the facts of a news item)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q
from congdoan.meetings.models import AgendaItem, Attendee, Meeting, Pledge
from congdoan.meetings.wording import meeting_host, meeting_title
from congdoan.organisation.models import Cluster, ClusterMembership, Term, Unit
from congdoan.reports.facts import MeetingFacts, Person


def meetings_with_relations(qs: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings with what their title needs (unit, term, cluster, period) loaded."""
    qs = qs if qs is not None else Meeting.objects.all()
    return qs.select_related("unit", "term", "cluster", "period")


def meetings_visible(
    user: Any,
    *,
    unit: Unit | None = None,
    kind: str | None = None,
    year: int | None = None,
    term: Term | None = None,
) -> QuerySet[Meeting]:
    """Meetings `user` may see, held in `unit`'s subtree, of `kind`, in `year`, in `term`."""
    qs = Meeting.objects.visible_to(user, Action.ORGANISATION_VIEW)
    return filter_meetings(meetings_with_relations(qs), unit=unit, kind=kind, year=year, term=term)


def filter_meetings(
    qs: QuerySet[Meeting],
    *,
    unit: Unit | None = None,
    kind: str | None = None,
    year: int | None = None,
    term: Term | None = None,
) -> QuerySet[Meeting]:
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(held_on__year=year)
    if term is not None:
        qs = qs.filter(term=term)
    return qs


def meetings_full(qs: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings with their attendees, agenda and pledges (the meeting page, one API object)."""
    pledges = Pledge.objects.select_related("cluster").prefetch_related("signatories")
    lookups: list[Any] = [
        Prefetch("attendees", queryset=Attendee.objects.select_related("member")),
        "agenda",
        Prefetch("pledges", queryset=pledges),
    ]
    return meetings_with_relations(qs).prefetch_related(*lookups)


def meeting_audit(meeting: Meeting, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the meeting, its attendees and its agenda, newest first."""
    return audit_trail(
        meeting.history.all(),
        Attendee.history.filter(meeting_id=meeting.pk),
        AgendaItem.history.filter(meeting_id=meeting.pk),
        limit=limit,
    )


def attendees_for_api(qs: QuerySet[Attendee]) -> QuerySet[Attendee]:
    return qs.select_related("meeting", "member")


def agenda_for_api(qs: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    return qs.select_related("meeting")


def pledges_for_api(qs: QuerySet[Pledge]) -> QuerySet[Pledge]:
    return qs.select_related("cluster", "meeting").prefetch_related("signatories")


def agenda_with_meeting() -> QuerySet[AgendaItem]:
    return AgendaItem.objects.select_related("meeting__unit")


def attendees_with_meeting() -> QuerySet[Attendee]:
    return Attendee.objects.select_related("meeting__unit")


def pledges_with_cluster() -> QuerySet[Pledge]:
    return Pledge.objects.select_related("cluster__organiser", "meeting__unit")


# ---------------------------------------------------------------------------------------------
# For the forms


def clusters_visible(user: Any) -> QuerySet[Cluster]:
    return Cluster.objects.visible_to(user, Action.ORGANISATION_VIEW).order_by("name")


def cluster_units(cluster: Cluster, year: int) -> list[Unit]:
    """The cluster's member units in `year`, head first (who may sign its pledge)."""
    rows = ClusterMembership.objects.filter(cluster=cluster, year=year).select_related("unit")
    return [m.unit for m in rows.order_by("-is_head", "unit__name")]


def attendee_member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise)."""
    member_model: Any = Attendee._meta.get_field("member").related_model
    return (
        member_model._default_manager.visible_to(user, Action.MEMBERS_VIEW)
        .filter(card_number=card_number)
        .first()
    )


def attendee_member_by_id(user: Any, pk: int) -> Any:
    member_model: Any = Attendee._meta.get_field("member").related_model
    return member_model._default_manager.visible_to(user, Action.MEMBERS_VIEW).filter(pk=pk).first()


# ---------------------------------------------------------------------------------------------
# The facts of a news item (reports)


def _person(name: str, *titles: str) -> Person:
    """A person with title and body: "Phó Bí thư Tỉnh ủy" + "Tỉnh ủy Lai Châu" reads "Phó Bí
    thư Tỉnh ủy Lai Châu" (the words the title ends with and the body begins with, once)."""
    title = ""
    for part in (t.strip() for t in titles if t and t.strip()):
        title = _joined(title, part) if title else part
    return Person(name=name, title=title)


def _joined(left: str, right: str) -> str:
    a, b = left.split(), right.split()
    for n in range(min(len(a), len(b)), 0, -1):
        if [w.casefold() for w in a[-n:]] == [w.casefold() for w in b[:n]]:
            return " ".join(a + b[n:])
    return f"{left} {right}"


def _pledge_text(pledges: list[Pledge]) -> str:
    from django.utils.translation import gettext as _

    return "; ".join(
        _("%(count)s units of %(cluster)s signed the emulation pledge for %(year)s")
        % {"count": p.signatories.count(), "cluster": p.cluster.name, "year": p.year}
        for p in pledges
    )


def meeting_facts(meeting: Meeting) -> MeetingFacts:
    """What the news item after the conference says: title, day, place, host, chair, guests
    (with their titles and bodies), how many delegates (guests not counted) attended, the
    conclusions and the pledges signed there."""
    meeting = meetings_full().get(pk=meeting.pk)
    attendees = list(meeting.attendees.all())
    agenda = list(meeting.agenda.all())
    chair = _person(meeting.chair_name, meeting.chair_title) if meeting.chair_name else None
    presenting = next((a for a in agenda if a.report_id and a.presenter), None)
    return MeetingFacts(
        title=meeting_title(meeting),
        held_on=meeting.held_on,
        place=meeting.place,
        host=meeting_host(meeting),
        chair=chair,
        presenter=Person(name=presenting.presenter) if presenting else None,
        guests=[_person(a.full_name, a.title, a.body) for a in attendees if a.is_guest],
        attendees=sum(1 for a in attendees if not a.is_guest),
        conclusions=meeting.conclusions,
        pledge=_pledge_text(list(meeting.pledges.all())),
    )


def terms_visible(user: Any) -> QuerySet[Term]:
    """Terms of the units `user` may see (the meeting form checks the unit's own)."""
    return (
        Term.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("unit")
        .order_by("unit__name", "-start_year")
    )


def periods_reviewed() -> QuerySet[Any]:
    """The periods a review conference may look back on: halves, nine months, years, school
    years and terms, latest first."""
    period_model: Any = Meeting._meta.get_field("period").related_model
    kinds = ("half", "nine", "year", "school", "term")
    return period_model._default_manager.filter(kind__in=kinds).order_by("-end", "kind")


def units_by_ids(ids: list[int]) -> QuerySet[Unit]:
    return Unit.objects.filter(pk__in=ids).order_by("name")


def visible_unit(user: Any, pk: int) -> Unit | None:
    return Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).filter(pk=pk).first()
