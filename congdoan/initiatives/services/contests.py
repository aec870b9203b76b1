"""Writes to contests, their entries and their participants.

Every service needs "activities.manage" on the contest's organising unit: the organiser records
the entries and prizes, and a quiz's participants. Entrants and participants are units within
the organiser's subtree (a unit outside it, or outside the actor's scope, is named only when the
actor may see it). Only quizzes have participants: a count of a unit's people, or one named
person (a member, linked, counts one). `check_entry` and `check_participant` hold the rules of
a row without a query, for the imports (`contest_imports`), which read units and members once
for a whole file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.initiatives.models import (
    Contest,
    ContestKind,
    Entry,
    Initiative,
    Participant,
    Prize,
)
from congdoan.initiatives.services import common
from congdoan.organisation.models import Unit

MAX_COUNT = 10_000_000
CONTEST_FIELDS = ("kind", "title", "number", "starts_on", "ends_on", "description")
ENTRY_FIELDS = ("unit", "title", "authors", "prize", "initiative")


def _check_contest(contest: Contest) -> None:
    if contest.kind not in ContestKind.values:
        raise RuleViolation(_("Choose the kind of contest."), field="kind")
    contest.title = common.text(contest.title, "title", required=True, limit=500)
    contest.description = common.text(contest.description, "description", limit=10000)
    starts = common.day(contest.starts_on, "starts_on")
    ends = common.day(contest.ends_on, "ends_on")
    if ends < starts:
        raise RuleViolation(_("The contest ends before it starts."), field="ends_on")
    if contest.number is not None and not 1 <= int(contest.number) <= 999:
        raise RuleViolation(_("The edition is a number from 1 to 999."), field="number")
    common.active_on(contest.unit, starts, "starts_on")


@transaction.atomic
def contest_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    number: int | None = None,
    description: str = "",
) -> Contest:
    """Record a contest organised by `unit`."""
    unit = common.fresh_unit(unit)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    contest = Contest(
        unit=unit,
        kind=kind,
        title=title,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    _check_contest(contest)
    stamp(contest, actor, "contest_create")
    contest.save()
    return contest


@transaction.atomic
def contest_update(*, actor: Any, contest: Contest, **changes: Any) -> Contest:
    """Change any of `CONTEST_FIELDS` (its organiser stays). A quiz with participants stays a
    quiz."""
    contest = Contest.objects.select_related("unit").get(pk=contest.pk)
    require(actor, Action.ACTIVITIES_MANAGE, contest.unit)
    unknown = set(changes) - set(CONTEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown contest fields: {sorted(unknown)}")
    changed = [n for n, v in changes.items() if getattr(contest, n) != v]
    for name in changed:
        setattr(contest, name, changes[name])
    if not changed:
        return contest
    _check_contest(contest)
    if contest.kind != ContestKind.QUIZ and contest.participants.exists():
        raise RuleViolation(
            _("Participants are recorded for this quiz: remove them before changing its kind."),
            field="kind",
        )
    stamp(contest, actor, "contest_update")
    contest.save(update_fields=[*sorted({*changed, "title", "description"}), "updated_at"])
    return contest


@transaction.atomic
def contest_delete(*, actor: Any, contest: Contest) -> None:
    """Delete a contest with its entries and participants (each with a history row)."""
    contest = Contest.objects.select_related("unit").get(pk=contest.pk)
    require(actor, Action.ACTIVITIES_MANAGE, contest.unit)
    for row in [*contest.entries.all(), *contest.participants.all()]:
        stamp(row, actor, "contest_delete")
        row.delete()
    stamp(contest, actor, "contest_delete")
    contest.delete()


# ---------------------------------------------------------------------------------------------
# Entries


def check_entry(actor: Any, entry: Entry, contest: Contest) -> Entry:
    """Every rule of an entry but its initiative's, with its unit and the contest's organiser
    read already (no query: an import checks many rows with one read)."""
    common.within(actor, entry.unit, contest.unit, "unit", contest.title)
    entry.title = common.text(entry.title, "title", required=True, limit=500)
    entry.authors = common.text(entry.authors, "authors", limit=1000)
    entry.prize = entry.prize or ""
    if entry.prize and entry.prize not in Prize.values:
        raise RuleViolation(_("Choose a prize from the list."), field="prize")
    return entry


def _check_entry(actor: Any, entry: Entry, contest: Contest) -> None:
    entry.unit = common.fresh_unit(entry.unit)
    check_entry(actor, entry, contest)
    if entry.initiative_id is not None:
        initiative = Initiative.objects.select_related("unit").get(pk=entry.initiative_id)
        common.within(actor, initiative.unit, contest.unit, "initiative", contest.title)


@transaction.atomic
def entry_add(
    *,
    actor: Any,
    contest: Contest,
    unit: Unit,
    title: str,
    authors: str = "",
    prize: str = "",
    initiative: Initiative | None = None,
) -> Entry:
    """Add an entry of `unit` (within the organiser's subtree) to a contest, with its prize."""
    contest = Contest.objects.select_related("unit").get(pk=contest.pk)
    require(actor, Action.ACTIVITIES_MANAGE, contest.unit)
    entry = Entry(
        contest=contest,
        unit=unit,
        title=title,
        authors=authors,
        prize=prize,
        initiative=initiative,
    )
    _check_entry(actor, entry, contest)
    stamp(entry, actor, "entry_add")
    entry.save()
    return entry


@transaction.atomic
def entry_update(*, actor: Any, entry: Entry, **changes: Any) -> Entry:
    """Change any of `ENTRY_FIELDS` of an entry (its prize, above all)."""
    entry = Entry.objects.select_related("contest__unit", "unit").get(pk=entry.pk)
    contest = entry.contest
    require(actor, Action.ACTIVITIES_MANAGE, contest.unit)
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown entry fields: {sorted(unknown)}")
    changed = [n for n, v in changes.items() if getattr(entry, n) != v]
    if not changed:
        return entry
    for name in changed:
        setattr(entry, name, changes[name])
    _check_entry(actor, entry, contest)
    stamp(entry, actor, "entry_update")
    entry.save(update_fields=sorted({*changed, "title", "authors", "prize"}))
    return entry


@transaction.atomic
def entry_remove(*, actor: Any, entry: Entry) -> None:
    entry = Entry.objects.select_related("contest__unit").get(pk=entry.pk)
    require(actor, Action.ACTIVITIES_MANAGE, entry.contest.unit)
    stamp(entry, actor, "entry_remove")
    entry.delete()


# ---------------------------------------------------------------------------------------------
# Participants of a quiz


def _quiz_only(contest: Contest) -> None:
    if contest.kind != ContestKind.QUIZ:
        raise RuleViolation(_("Only a quiz has participants; record entries instead."))


def check_participant(actor: Any, row: Participant, contest: Contest) -> Participant:
    """Every rule of a quiz's participants, with the unit, the member (one the actor may see)
    and the contest's organiser read already (no query: an import checks many rows with one
    read). A named person counts one; a member's union is the unit."""
    _quiz_only(contest)
    row.full_name = common.text(row.full_name, "full_name", limit=200)
    if row.member is not None:
        common.member_under(row.member, contest.unit)
        row.unit, row.count = row.member.unit, 1
        row.full_name = row.full_name or row.member.full_name
    elif row.full_name:
        row.count = 1
    if row.unit_id is None:
        raise RuleViolation(_("Choose the unit."), field="unit")
    common.within(actor, row.unit, contest.unit, "unit", contest.title)
    count = row.count
    if not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise RuleViolation(
            _("Enter the number of participants, from 1 to %(max)s.") % {"max": MAX_COUNT},
            field="count",
        )
    return row


@transaction.atomic
def participant_add(
    *,
    actor: Any,
    contest: Contest,
    unit: Unit | None = None,
    count: int = 1,
    member: Any = None,
    full_name: str = "",
) -> Participant:
    """Record who took part in a quiz: `count` people of `unit`, or one named person (`member`,
    whose union is then the unit, or `full_name` of someone of `unit`)."""
    contest = Contest.objects.select_related("unit").get(pk=contest.pk)
    require(actor, Action.ACTIVITIES_MANAGE, contest.unit)
    _quiz_only(contest)
    name = common.text(full_name, "full_name", limit=200)
    if member is not None:
        member = common.member_in(actor, member, contest.unit)
        unit = member.unit
    unit = common.fresh_unit(unit)
    row = Participant(contest=contest, unit=unit, count=count, member=member, full_name=name)
    check_participant(actor, row, contest)
    stamp(row, actor, "participant_add")
    row.save()
    return row


@transaction.atomic
def participant_remove(*, actor: Any, participant: Participant) -> None:
    row = Participant.objects.select_related("contest__unit").get(pk=participant.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.contest.unit)
    stamp(row, actor, "participant_remove")
    row.delete()
