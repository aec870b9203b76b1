"""Writes to meetings, their attendees, agenda and pledges.

Every service needs "meetings.manage" on the meeting's unit (a pledge without a meeting: on
the cluster's organiser). A congress may open the unit's next term: the term is recorded by
`organisation.services.term_create`, which checks its own rules and "organisation.manage_terms".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, require
from congdoan.core.text import nfc
from congdoan.meetings.models import (
    CLUSTER_KINDS,
    DOCUMENT_EXTENSIONS,
    DOCUMENT_MAX_BYTES,
    AgendaItem,
    Attendee,
    Meeting,
    MeetingKind,
    Pledge,
)
from congdoan.organisation.models import Cluster, ClusterMembership, Term, Unit
from congdoan.organisation.services import term_create

MIN_YEAR, MAX_YEAR = 1900, 2200
TERM_YEARS = 5
# The fields `meeting_update` may change.
MEETING_FIELDS = (
    "kind",
    "cluster",
    "term",
    "number",
    "extended",
    "title",
    "held_on",
    "place",
    "chair_name",
    "chair_title",
    "conclusions",
    "period",
)


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


# ---------------------------------------------------------------------------------------------
# Documents


def check_document(upload: Any) -> None:
    """An uploaded document must be .docx, .pdf, .xlsx, .doc or .xls, at most 20 MB."""
    name = str(getattr(upload, "name", "") or "")
    if Path(name).suffix.lower() not in DOCUMENT_EXTENSIONS:
        raise RuleViolation(
            _("The file %(name)s is not accepted: send a .docx, .pdf, .xlsx, .doc or .xls file.")
            % {"name": Path(name).name},
            field="document",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size > DOCUMENT_MAX_BYTES:
        raise RuleViolation(
            _("The file %(name)s is %(size)s MB; a document may be at most %(limit)s MB.")
            % {
                "name": Path(name).name,
                "size": number(size / 1024 / 1024, 1),
                "limit": DOCUMENT_MAX_BYTES // 1024 // 1024,
            },
            field="document",
        )
    if size == 0:
        raise RuleViolation(
            _("The file %(name)s is empty.") % {"name": Path(name).name}, field="document"
        )


def _attach(row: AgendaItem | Pledge, upload: UploadedFile | None) -> list[str]:
    """Put `upload` on the row (not saved yet); the names of the fields to save."""
    if upload is None:
        return []
    check_document(upload)
    row.document_name = Path(str(upload.name)).name[:255]
    row.document.save(str(upload.name), upload, save=False)
    return ["document", "document_name"]


def _delete_file_later(field: Any) -> None:
    """Remove a stored document once the transaction that let it go is committed."""
    if field:
        storage, name = field.storage, field.name
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------------------------------------
# Meetings


def _check_cluster(meeting: Meeting) -> None:
    cluster = meeting.cluster
    if cluster is None:
        if meeting.kind == MeetingKind.CLUSTER:
            raise RuleViolation(_("Choose the cluster of a cluster conference."), field="cluster")
        return
    if meeting.kind not in CLUSTER_KINDS:
        raise RuleViolation(
            _("Only cluster conferences and reviews are held for a cluster."), field="cluster"
        )
    year = meeting.held_on.year
    head = ClusterMembership.objects.filter(
        cluster=cluster, year=year, unit=meeting.unit, is_head=True
    ).exists()
    if not head and cluster.organiser_id != meeting.unit_id:
        raise RuleViolation(
            _(
                "%(unit)s is neither the head unit of %(cluster)s in %(year)s nor its "
                "organiser: the cluster's conference is held by one of them."
            )
            % {"unit": _label(meeting.unit), "cluster": cluster.name, "year": year},
            field="cluster",
        )


def _check_term(meeting: Meeting) -> None:
    term = meeting.term
    if meeting.number is not None:
        if meeting.number < 1:
            raise RuleViolation(_("The meeting number must be 1 or more."), field="number")
        if term is None:
            raise RuleViolation(
                _("A meeting is numbered within a term: choose the term."), field="term"
            )
    if term is None:
        return
    if term.unit_id != meeting.unit_id:
        raise RuleViolation(
            _("The term %(term)s is not a term of %(unit)s.")
            % {"term": term.label, "unit": _label(meeting.unit)},
            field="term",
        )
    if not term.start_year <= meeting.held_on.year <= term.end_year:
        raise RuleViolation(
            _("The date %(day)s lies outside the term %(start)s–%(end)s.")
            % {"day": short_date(meeting.held_on), "start": term.start_year, "end": term.end_year},
            field="held_on",
        )
    if meeting.number is not None:
        clash = Meeting.objects.filter(term=term, kind=meeting.kind, number=meeting.number)
        if clash.exclude(pk=meeting.pk).exists():
            raise RuleViolation(
                _("%(unit)s already has meeting number %(number)s of this kind in the term.")
                % {"unit": _label(meeting.unit), "number": meeting.number},
                field="number",
            )


def _check_meeting(meeting: Meeting) -> None:
    if meeting.kind not in MeetingKind.values:
        raise RuleViolation(_("Unknown kind of meeting %(kind)s.") % {"kind": meeting.kind})
    if not isinstance(meeting.held_on, dt.date):
        raise RuleViolation(_("The date of the meeting is missing or invalid."), field="held_on")
    unit = meeting.unit
    if unit.dissolved_on is not None and meeting.held_on > unit.dissolved_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field="held_on",
        )
    _check_cluster(meeting)
    _check_term(meeting)


def _open_term(actor: Any, meeting: Meeting, term_number: int | None) -> Term:
    """The term a congress opens: numbered after the unit's latest term unless told, from
    the congress year for five years (organisation's `term_create` checks the rest)."""
    if meeting.kind != MeetingKind.CONGRESS:
        raise RuleViolation(_("Only a congress opens a term."), field="opens_term")
    if meeting.term is not None:
        raise RuleViolation(
            _("A congress that opens a new term cannot belong to an earlier one."), field="term"
        )
    if term_number is None:
        latest = Term.objects.filter(unit=meeting.unit).order_by("-number").first()
        term_number = latest.number + 1 if latest else 1
    year = meeting.held_on.year
    return term_create(
        actor=actor,
        unit=meeting.unit,
        number=term_number,
        start_year=year,
        end_year=year + TERM_YEARS,
        congress_date=meeting.held_on,
    )


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    held_on: dt.date,
    opens_term: bool = False,
    term_number: int | None = None,
    **fields: Any,
) -> Meeting:
    """Record a meeting of `unit`. `fields`: any of `MEETING_FIELDS`. A congress with
    `opens_term` records the unit's new term (`term_number`, or the next one) and belongs to it."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.MEETINGS_MANAGE, unit)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(unit=unit, kind=kind, held_on=held_on, **fields)
    if meeting.kind == MeetingKind.CONGRESS:
        meeting.number = None
    _check_meeting(meeting)
    if opens_term:
        meeting.term = _open_term(actor, meeting, term_number)
    stamp(meeting, actor, "meeting_create")
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, **changes: Any) -> Meeting:
    """Change any of `MEETING_FIELDS` of a meeting (its unit stays)."""
    meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
    require(actor, Action.MEETINGS_MANAGE, meeting.unit)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, changes[name])
    if meeting.kind == MeetingKind.CONGRESS and meeting.number is not None:
        meeting.number = None
        changed.append("number")
    if not changed:
        return meeting
    _check_meeting(meeting)
    stamp(meeting, actor, "meeting_update")
    meeting.save(update_fields=[*sorted(set(changed)), "updated_at"])
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Any, meeting: Meeting) -> None:
    """Delete a meeting with its attendees and agenda, while no pledge was signed at it."""
    meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
    require(actor, Action.MEETINGS_MANAGE, meeting.unit)
    if Pledge.objects.filter(meeting=meeting).exists():
        raise RuleViolation(
            _("An emulation pledge was signed at this meeting: it cannot be deleted.")
        )
    for item in AgendaItem.objects.filter(meeting=meeting):
        _delete_file_later(item.document)
        stamp(item, actor, "meeting_delete")
        item.delete()
    for attendee in Attendee.objects.filter(meeting=meeting):
        stamp(attendee, actor, "meeting_delete")
        attendee.delete()
    stamp(meeting, actor, "meeting_delete")
    meeting.delete()


# ---------------------------------------------------------------------------------------------
# Attendees


def _check_attendee_member(member: Any, meeting: Meeting) -> Any:
    """The member, fresh from the database, who must belong to a union within the meeting's
    unit. Read through the attendee's relation (the register's model)."""
    member_model: Any = Attendee._meta.get_field("member").related_model
    member = member_model._default_manager.select_related("unit").get(pk=member.pk)
    if not member.unit.path.startswith(meeting.unit.path):
        raise RuleViolation(
            _("This member does not belong to a union within %(unit)s.")
            % {"unit": _label(meeting.unit)},
            field="member",
        )
    return member


def _next_order(rows: Any) -> int:
    last = rows.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def attendee_add(
    *,
    actor: Any,
    meeting: Meeting,
    full_name: str = "",
    member: Any = None,
    title: str = "",
    body: str = "",
    is_guest: bool = False,
    order: int | None = None,
) -> Attendee:
    """Add a person to a meeting: a member of the unit's subtree (`member`, or a name), or a
    guest (`is_guest`), who may come from anywhere."""
    meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
    require(actor, Action.MEETINGS_MANAGE, meeting.unit)
    if member is not None and not is_guest:
        member = _check_attendee_member(member, meeting)
    full_name = nfc(full_name) or (member.full_name if member is not None else "")
    if not full_name:
        raise RuleViolation(_("The full name is required."), field="full_name")
    attendee = Attendee(
        meeting=meeting,
        member=member,
        full_name=full_name,
        title=title or "",
        body=body or "",
        is_guest=is_guest,
        order=order if order is not None else _next_order(meeting.attendees.all()),
    )
    stamp(attendee, actor, "attendee_add")
    attendee.save()
    return attendee


@transaction.atomic
def attendee_remove(*, actor: Any, attendee: Attendee) -> None:
    attendee = Attendee.objects.select_related("meeting__unit").get(pk=attendee.pk)
    require(actor, Action.MEETINGS_MANAGE, attendee.meeting.unit)
    stamp(attendee, actor, "attendee_remove")
    attendee.delete()


# ---------------------------------------------------------------------------------------------
# Agenda


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    presenter: str = "",
    document: UploadedFile | None = None,
    report_id: int | None = None,
    notes: str = "",
    order: int | None = None,
) -> AgendaItem:
    """Add an item to a meeting's agenda, with the document discussed (an upload, and/or the
    id of a generated report)."""
    meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
    require(actor, Action.MEETINGS_MANAGE, meeting.unit)
    title = nfc(title)
    if not title:
        raise RuleViolation(_("The title of the agenda item is required."), field="title")
    item = AgendaItem(
        meeting=meeting,
        title=title,
        presenter=presenter or "",
        report_id=report_id,
        notes=notes or "",
        order=order if order is not None else _next_order(meeting.agenda.all()),
    )
    _attach(item, document)
    stamp(item, actor, "agenda_item_add")
    item.save()
    return item


@transaction.atomic
def agenda_item_update(
    *,
    actor: Any,
    item: AgendaItem,
    document: UploadedFile | None = None,
    remove_document: bool = False,
    **changes: Any,
) -> AgendaItem:
    """Change an agenda item: any of title, presenter, report_id, notes, order; a new
    `document` replaces the old one, `remove_document` drops it."""
    item = AgendaItem.objects.select_related("meeting__unit").get(pk=item.pk)
    require(actor, Action.MEETINGS_MANAGE, item.meeting.unit)
    allowed = {"title", "presenter", "report_id", "notes", "order"}
    if set(changes) - allowed:
        raise TypeError(f"unknown agenda fields: {sorted(set(changes) - allowed)}")
    if "title" in changes and not nfc(changes["title"]):
        raise RuleViolation(_("The title of the agenda item is required."), field="title")
    fields = [name for name, value in changes.items() if getattr(item, name) != value]
    for name in fields:
        setattr(item, name, changes[name])
    old = item.document.name if item.document else ""
    if document is not None or remove_document:
        if old:
            _delete_file_later(item.document)
        item.document, item.document_name = None, ""
        fields += ["document", "document_name"]
    fields += _attach(item, document)
    if not fields:
        return item
    stamp(item, actor, "agenda_item_update")
    item.save(update_fields=sorted(set(fields)))
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    item = AgendaItem.objects.select_related("meeting__unit").get(pk=item.pk)
    require(actor, Action.MEETINGS_MANAGE, item.meeting.unit)
    _delete_file_later(item.document)
    stamp(item, actor, "agenda_item_remove")
    item.delete()


# ---------------------------------------------------------------------------------------------
# Pledges


def _check_signatories(actor: Any, cluster: Cluster, year: int, units: list[Unit]) -> None:
    if not units:
        raise RuleViolation(_("Choose the units that sign the pledge."), field="signatories")
    members = set(
        ClusterMembership.objects.filter(cluster=cluster, year=year).values_list(
            "unit_id", flat=True
        )
    )
    for unit in units:
        if unit.pk in members:
            continue
        if actor is None or path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
            raise RuleViolation(
                _("%(unit)s is not a member of %(cluster)s in %(year)s.")
                % {"unit": _label(unit), "cluster": cluster.name, "year": year},
                field="signatories",
            )
        raise RuleViolation(
            _("One of the units is not a member of %(cluster)s in %(year)s.")
            % {"cluster": cluster.name, "year": year},
            field="signatories",
        )


@transaction.atomic
def pledge_create(
    *,
    actor: Any,
    cluster: Cluster,
    year: int,
    signed_on: dt.date,
    title: str,
    signatories: list[Unit],
    meeting: Meeting | None = None,
    document: UploadedFile | None = None,
) -> Pledge:
    """Record the emulation pledge the units of `cluster` signed for `year`, at `meeting` (a
    conference of that cluster) or on their own; every signatory is a member that year."""
    cluster = Cluster.objects.select_related("organiser").get(pk=cluster.pk)
    if meeting is not None:
        meeting = Meeting.objects.select_related("unit").get(pk=meeting.pk)
        require(actor, Action.MEETINGS_MANAGE, meeting.unit)
        if meeting.cluster_id != cluster.pk:
            raise RuleViolation(
                _("The pledge of %(cluster)s is signed at a conference of that cluster.")
                % {"cluster": cluster.name},
                field="meeting",
            )
    else:
        require(actor, Action.MEETINGS_MANAGE, cluster.organiser)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(_("%(year)s is not a valid year.") % {"year": year}, field="year")
    if not isinstance(signed_on, dt.date):
        raise RuleViolation(_("The signing date is missing or invalid."), field="signed_on")
    title = nfc(title)
    if not title:
        raise RuleViolation(_("The title of the pledge is required."), field="title")
    units = list(Unit.objects.filter(pk__in=[u.pk for u in signatories]))
    _check_signatories(actor, cluster, year, units)
    pledge = Pledge(meeting=meeting, cluster=cluster, year=year, signed_on=signed_on, title=title)
    _attach(pledge, document)
    stamp(pledge, actor, "pledge_create")
    pledge.save()
    pledge.signatories.set(units)
    return pledge
