"""Reads of terms (nhiệm kỳ), their committees and seats, for the pages and the API."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.organisation.models import CommitteeKind, CommitteeSeat, Term

# ---------------------------------------------------------------------------------------------
# Committees


@dataclass
class CommitteeBlock:
    """The current seats of one committee (the unit page)."""

    kind: str
    label: str
    seats: list[CommitteeSeat]


def current_term(terms: Sequence[Term], today: dt.date | None = None) -> Term | None:
    """The term running this year, or else the most recent one."""
    year = (today or timezone.localdate()).year
    running = [t for t in terms if t.start_year <= year <= t.end_year]
    if running:
        return max(running, key=lambda t: (t.start_year, t.number))
    past = [t for t in terms if t.start_year <= year]
    return max(past, key=lambda t: (t.start_year, t.number)) if past else None


def committee_blocks(seats: Iterable[CommitteeSeat]) -> list[CommitteeBlock]:
    """Seats grouped by committee, in the order BCH, BTV, UBKT; empty committees left out."""
    grouped: dict[str, list[CommitteeSeat]] = defaultdict(list)
    for seat in seats:
        grouped[seat.committee].append(seat)
    return [
        CommitteeBlock(kind, str(label), grouped[kind])
        for kind, label in CommitteeKind.choices
        if grouped[kind]
    ]


def is_current_seat(seat: CommitteeSeat, today: dt.date) -> bool:
    """Whether the seat is still held on `today`."""
    return seat.end_date is None or seat.end_date > today


@dataclass
class CommitteeSeats:
    """The current and past seats of one committee (the term page)."""

    kind: str
    label: str
    current: list[CommitteeSeat]
    past: list[CommitteeSeat]


def term_committees(term: Term, *, today: dt.date | None = None) -> list[CommitteeSeats]:
    """Seats of a term grouped by committee (BCH, BTV, UBKT), current and past."""
    today = today or timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(term=term).select_related("position", "member")
        # Meta ordering: committee, position order, name
    )
    out = []
    for kind, label in CommitteeKind.choices:
        mine = [s for s in seats if s.committee == kind]
        out.append(
            CommitteeSeats(
                kind=kind,
                label=str(label),
                current=[s for s in mine if is_current_seat(s, today)],
                past=[s for s in mine if not is_current_seat(s, today)],
            )
        )
    return out


def term_audit(term: Term, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the term and to its committee seats, newest first."""
    return audit_trail(
        term.history.all(), CommitteeSeat.history.filter(term_id=term.pk), limit=limit
    )


# ---------------------------------------------------------------------------------------------
# Terms for the pages and the API


def terms_with_unit() -> QuerySet[Term]:
    """Terms with their unit and its type loaded (the term pages)."""
    return Term.objects.select_related("unit__unit_type")


def term_latest(unit: Any) -> Term | None:
    """The unit's term with the highest congress number, if any."""
    return Term.objects.filter(unit=unit).order_by("-number").first()


def term_others(term: Term) -> list[Term]:
    """The other terms of the term's unit, latest first."""
    return list(Term.objects.filter(unit=term.unit).exclude(pk=term.pk).order_by("-start_year"))


def seats_with_term() -> QuerySet[CommitteeSeat]:
    """Committee seats with their term, its unit and their position loaded."""
    return CommitteeSeat.objects.select_related("term__unit", "position")


def seat_member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise), for linking a
    seat. Read through the seat's relation, since organisation does not import members."""
    member_model: Any = CommitteeSeat._meta.get_field("member").related_model
    return (
        member_model._default_manager.visible_to(user, Action.MEMBERS_VIEW)
        .filter(card_number=card_number)
        .first()
    )


def terms_for_api(qs: QuerySet[Term], *, with_seats: bool) -> QuerySet[Term]:
    """`qs` with unit (and, for one term, its seats and positions) loaded."""
    qs = qs.select_related("unit", "unit__unit_type")
    if with_seats:
        seats = CommitteeSeat.objects.select_related("position")
        qs = qs.prefetch_related(Prefetch("seats", queryset=seats))
    return qs


def term_seat(term: Term, pk: int) -> CommitteeSeat | None:
    """One seat of this term (None when the term has no such seat)."""
    return CommitteeSeat.objects.filter(term=term, pk=pk).select_related("position").first()
