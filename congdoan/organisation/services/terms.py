"""Writes to terms (nhiệm kỳ), their committees (BCH, BTV, UBKT) and the seats in them.

Every service needs "organisation.manage_terms" on the term's unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import roman, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.core.text import nfc
from congdoan.organisation.models import CommitteeKind, CommitteeSeat, Position, Term, Unit

MIN_YEAR, MAX_YEAR = 1900, 2200


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def term_start(term: Term) -> dt.date:
    """First day of a term: its congress, or 1 January of its first year."""
    return term.congress_date or dt.date(term.start_year, 1, 1)


def term_end(term: Term) -> dt.date:
    """Last day a seat of the term may run: 31 December of its last year."""
    return dt.date(term.end_year, 12, 31)


@transaction.atomic
def term_create(
    *,
    actor: Any,
    unit: Unit,
    number: int,
    start_year: int,
    end_year: int,
    congress_date: dt.date | None = None,
    note: str = "",
) -> Term:
    """Record a term of `unit`, opened by its congress number `number`."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ORGANISATION_MANAGE_TERMS, unit)
    if unit.dissolved_on is not None:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)}
        )
    if not isinstance(number, int) or number < 1:
        raise RuleViolation(_("The congress number must be 1 or more."), field="number")
    for field, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise RuleViolation(_("%(year)s is not a valid year.") % {"year": year}, field=field)
    if end_year < start_year:
        raise RuleViolation(
            _("The last year (%(end)s) comes before the first year (%(start)s).")
            % {"end": end_year, "start": start_year},
            field="end_year",
        )
    if congress_date is not None and not start_year <= congress_date.year <= end_year:
        raise RuleViolation(
            _("The congress date %(day)s lies outside the term %(start)s–%(end)s.")
            % {"day": short_date(congress_date), "start": start_year, "end": end_year},
            field="congress_date",
        )
    if Term.objects.filter(unit=unit, number=number).exists():
        raise RuleViolation(
            _("%(unit)s already has a term opened by congress %(number)s.")
            % {"unit": _label(unit), "number": roman(number)},
            field="number",
        )
    term = Term(
        unit=unit,
        number=number,
        start_year=start_year,
        end_year=end_year,
        congress_date=congress_date,
        note=(note or "").strip(),
    )
    stamp(term, actor, "term_create")
    term.save()
    return term


def _check_in_term(term: Term, day: dt.date, field: str) -> None:
    first, last = term_start(term), term_end(term)
    if not first <= day <= last:
        raise RuleViolation(
            _("The date %(day)s lies outside the term (%(first)s – %(last)s).")
            % {"day": short_date(day), "first": short_date(first), "last": short_date(last)},
            field=field,
        )


def _check_seat_member(member: Any, term: Term) -> Any:
    """The member a seat links to, fresh from the database, who must belong to a union within
    the term's unit. Read through the seat's relation: organisation does not import members."""
    member_model: Any = CommitteeSeat._meta.get_field("member").related_model
    member = member_model._default_manager.select_related("unit").get(pk=member.pk)
    if not member.unit.path.startswith(term.unit.path):
        raise RuleViolation(
            _("%(member)s is not a member of a union within %(unit)s.")
            % {"member": member.full_name, "unit": _label(term.unit)},
            field="member",
        )
    return member


@transaction.atomic
def seat_add(
    *,
    actor: Any,
    term: Term,
    committee: str,
    position: Position,
    full_name: str,
    start_date: dt.date,
    member: Any = None,
    job_title: str = "",
) -> CommitteeSeat:
    """Seat a person in a committee of `term` with `position`, from `start_date`."""
    term = Term.objects.select_related("unit").get(pk=term.pk)
    require(actor, Action.ORGANISATION_MANAGE_TERMS, term.unit)
    if committee not in CommitteeKind.values:
        raise RuleViolation(
            _("Unknown committee %(committee)s.") % {"committee": committee}, field="committee"
        )
    if position.committee != committee:
        raise RuleViolation(
            _("The position %(position)s belongs to the %(right)s, not the %(wrong)s.")
            % {
                "position": position.name,
                "right": CommitteeKind(position.committee).label,
                "wrong": CommitteeKind(committee).label,
            },
            field="position",
        )
    if member is not None:
        member = _check_seat_member(member, term)
    full_name = nfc(full_name) or (member.full_name if member is not None else "")
    if not full_name:
        raise RuleViolation(_("The full name is required."), field="full_name")
    if not isinstance(start_date, dt.date):
        raise RuleViolation(_("The start date is missing or invalid."), field="start_date")
    _check_in_term(term, start_date, "start_date")
    seat = CommitteeSeat(
        term=term,
        committee=committee,
        position=position,
        full_name=full_name,
        member=member,
        job_title=job_title,
        start_date=start_date,
    )
    stamp(seat, actor, "seat_add")
    seat.save()
    return seat


@transaction.atomic
def seat_end(
    *, actor: Any, seat: CommitteeSeat, end_date: dt.date, reason: str = ""
) -> CommitteeSeat:
    """End a seat on `end_date` (resignation, retirement, transfer, …)."""
    seat = CommitteeSeat.objects.select_related("term__unit", "position").get(pk=seat.pk)
    require(actor, Action.ORGANISATION_MANAGE_TERMS, seat.term.unit)
    if seat.end_date is not None:
        raise RuleViolation(
            _("The seat of %(name)s already ended on %(day)s.")
            % {"name": seat.full_name, "day": short_date(seat.end_date)}
        )
    if not isinstance(end_date, dt.date):
        raise RuleViolation(_("The end date is missing or invalid."), field="end_date")
    if end_date <= seat.start_date:
        raise RuleViolation(
            _("The end date %(end)s must come after the start date %(start)s.")
            % {"end": short_date(end_date), "start": short_date(seat.start_date)},
            field="end_date",
        )
    _check_in_term(seat.term, end_date, "end_date")
    seat.end_date = end_date
    seat.end_reason = nfc(reason)
    stamp(seat, actor, "seat_end")
    seat.save(update_fields=["end_date", "end_reason"])
    return seat
