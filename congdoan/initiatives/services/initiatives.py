"""Writes to initiatives and their authors.

Every service needs "activities.manage" on the initiative's unit. An initiative belongs to a
unit within the subtree of the programme's organiser; it is submitted on a day inside the
programme (not in the future), and that day gives its phase (the part of the programme's period
that holds it). The decision (valid or rejected) is dated on or after the submission, and a
rejection says why. Authors are members of a union within the initiative's unit (the actor must
see them), or people named with their workplace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.indicators.models import Period
from congdoan.initiatives.models import Author, Field, Initiative, Programme, Status
from congdoan.initiatives.services import common
from congdoan.organisation.models import Unit

MAX_AUTHORS = 50
# The fields `initiative_update` may change (the decision: `initiative_decide`).
INITIATIVE_FIELDS = (
    "unit",
    "programme",
    "title",
    "field",
    "submitted_on",
    "benefit",
    "summary",
    "creative_labour_on",
)


@dataclass(frozen=True)
class AuthorIn:
    """An author as a form or the API gives it: a member (linked), or a name."""

    member: Any = None
    full_name: str = ""
    workplace: str = ""


def phase_of(
    programme: Programme, day: dt.date, phases: list[Period] | None = None
) -> Period | None:
    """The phase of the programme holding `day` (None for a programme without phases);
    `phases`: the programme's phases, when already read."""
    if phases is None:
        phases = list(Period.objects.filter(parent=programme.period).order_by("start"))
    if not phases:
        return None
    found = next((p for p in phases if p.start <= day <= p.end), None)
    if found is None:
        raise RuleViolation(
            _("No phase of %(programme)s holds %(day)s.")
            % {"programme": programme.name, "day": short_date(day)},
            field="submitted_on",
        )
    return found


def _check_place(
    actor: Any, row: Initiative, programme: Programme, phases: list[Period] | None = None
) -> None:
    common.within(actor, row.unit, programme.unit, "unit", programme.name)
    submitted = common.day(row.submitted_on, "submitted_on", past=True)
    period = programme.period
    if not period.start <= submitted <= period.end:
        raise RuleViolation(
            _(
                "%(programme)s runs from %(start)s to %(end)s: the initiative was submitted on %(day)s."
            )
            % {
                "programme": programme.name,
                "start": short_date(period.start),
                "end": short_date(period.end),
                "day": short_date(submitted),
            },
            field="submitted_on",
        )
    common.active_on(row.unit, submitted, "submitted_on")
    row.phase = phase_of(programme, submitted, phases)


def check_initiative(
    actor: Any, row: Initiative, programme: Programme, phases: list[Period] | None = None
) -> Initiative:
    """Every rule of an initiative but its authors (`programme` with its unit and period read;
    `phases`, when already read: an import checks many rows with one read)."""
    _check_fields(row)
    _check_place(actor, row, programme, phases)
    _check_decision(row)
    return row


def _programme(row: Initiative) -> Programme:
    return Programme.objects.select_related("unit", "period").get(pk=row.programme_id)


def _check_fields(row: Initiative) -> None:
    row.title = common.text(row.title, "title", required=True, limit=500)
    row.summary = common.text(row.summary, "summary", limit=10000)
    if row.field not in Field.values:
        raise RuleViolation(_("Choose the field of the initiative."), field="field")
    row.benefit = common.money(row.benefit, "benefit")


def _check_decision(row: Initiative) -> None:
    if row.status not in Status.values:
        raise RuleViolation(_("Unknown status %(status)s.") % {"status": row.status})
    row.decision_note = common.text(row.decision_note, "decision_note", limit=1000)
    if row.status == Status.SUBMITTED:
        row.decided_on, row.decision_note = None, ""
    else:
        decided = common.day(row.decided_on, "decided_on", past=True)
        if decided < row.submitted_on:
            raise RuleViolation(
                _("The decision (%(day)s) cannot come before the submission (%(submitted)s).")
                % {"day": short_date(decided), "submitted": short_date(row.submitted_on)},
                field="decided_on",
            )
        if row.status == Status.REJECTED and not row.decision_note:
            raise RuleViolation(_("Say why the initiative was rejected."), field="decision_note")
    award = row.creative_labour_on
    if award is not None:
        common.day(award, "creative_labour_on", past=True)
        if row.status != Status.VALID or (row.decided_on and award < row.decided_on):
            raise RuleViolation(
                _("Only a valid initiative, once recognised, receives the certificate."),
                field="creative_labour_on",
            )


def _authors(actor: Any, unit: Unit, authors: Sequence[AuthorIn]) -> list[Author]:
    if not authors:
        raise RuleViolation(_("Name at least one author."), field="authors")
    if len(authors) > MAX_AUTHORS:
        raise RuleViolation(
            _("At most %(n)s authors, please.") % {"n": MAX_AUTHORS}, field="authors"
        )
    rows = []
    for order, given in enumerate(authors, start=1):
        member = None
        if given.member is not None:
            member = common.member_in(actor, given.member, unit, "authors")
        name = common.text(given.full_name, "authors", limit=200) or (
            member.full_name if member else ""
        )
        if not name:
            raise RuleViolation(_("Each author needs a full name."), field="authors")
        workplace = common.text(given.workplace, "authors", limit=300)
        rows.append(Author(member=member, full_name=name, workplace=workplace, order=order))
    return rows


def _save_authors(actor: Any, row: Initiative, authors: list[Author], reason: str) -> None:
    for author in authors:
        author.initiative = row
        stamp(author, actor, reason)
        author.save()


@transaction.atomic
def initiative_create(
    *,
    actor: Any,
    unit: Unit,
    programme: Programme,
    title: str,
    submitted_on: dt.date,
    authors: Sequence[AuthorIn],
    field: str = Field.OTHER,
    benefit: Any = None,
    summary: str = "",
    status: str = Status.SUBMITTED,
    decided_on: dt.date | None = None,
    decision_note: str = "",
    creative_labour_on: dt.date | None = None,
) -> Initiative:
    """Record an initiative of `unit` submitted to `programme` (and, for a list of past ones,
    the decision already taken)."""
    unit = common.fresh_unit(unit)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    row = Initiative(
        unit=unit,
        programme=programme,
        title=title,
        submitted_on=submitted_on,
        field=field,
        benefit=benefit,
        summary=summary,
        status=status,
        decided_on=decided_on,
        decision_note=decision_note,
        creative_labour_on=creative_labour_on,
    )
    check_initiative(actor, row, _programme(row))
    people = _authors(actor, unit, authors)
    stamp(row, actor, "initiative_create")
    row.save()
    _save_authors(actor, row, people, "initiative_create")
    return row


def _same_authors(row: Initiative, people: list[Author]) -> bool:
    now = [(a.member_id, a.full_name, a.workplace) for a in row.authors.order_by("order", "pk")]
    return now == [(a.member_id, a.full_name, a.workplace) for a in people]


@transaction.atomic
def initiative_update(
    *,
    actor: Any,
    initiative: Initiative,
    authors: Sequence[AuthorIn] | None = None,
    **changes: Any,
) -> Initiative:
    """Change any of `INITIATIVE_FIELDS`; `authors`, when given, replace the authors. A change
    of unit needs the right on both units."""
    row = Initiative.objects.select_related("unit").get(pk=initiative.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    unknown = set(changes) - set(INITIATIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown initiative fields: {sorted(unknown)}")
    if "unit" in changes:
        changes["unit"] = common.fresh_unit(changes["unit"])
        require(actor, Action.ACTIVITIES_MANAGE, changes["unit"])
    changed = [n for n, v in changes.items() if getattr(row, n) != v]
    for name in changed:
        setattr(row, name, changes[name])
    check_initiative(actor, row, _programme(row))
    people = _authors(actor, row.unit, authors) if authors is not None else None
    if changed:
        stamp(row, actor, "initiative_update")
        row.save(update_fields=[*sorted({*changed, "phase", "benefit"}), "updated_at"])
    if people is not None and not _same_authors(row, people):
        for old in row.authors.all():
            stamp(old, actor, "initiative_update")
            old.delete()
        _save_authors(actor, row, people, "initiative_update")
    return row


@transaction.atomic
def initiative_decide(
    *,
    actor: Any,
    initiative: Initiative,
    status: str,
    decided_on: dt.date | None = None,
    note: str = "",
) -> Initiative:
    """Record the decision on an initiative: valid or rejected (dated; a rejection says why), or
    back to submitted (the decision withdrawn)."""
    row = Initiative.objects.select_related("unit").get(pk=initiative.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    row.status, row.decided_on, row.decision_note = status, decided_on, note
    _check_decision(row)
    stamp(row, actor, "initiative_decide")
    row.save(update_fields=["status", "decided_on", "decision_note", "updated_at"])
    return row


@transaction.atomic
def initiative_delete(*, actor: Any, initiative: Initiative) -> None:
    """Delete an initiative with its authors (their history rows keep who did it)."""
    row = Initiative.objects.select_related("unit").get(pk=initiative.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    for author in row.authors.all():
        stamp(author, actor, "initiative_delete")
        author.delete()
    stamp(row, actor, "initiative_delete")
    row.delete()
