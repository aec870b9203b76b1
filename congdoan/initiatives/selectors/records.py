"""Reads of the records for the pages, the API and the forms: initiatives, programmes,
contests, their parts and their audit trails, all within the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, scope_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period, PeriodKind
from congdoan.initiatives.models import (
    PRIZE_ORDER,
    Author,
    Contest,
    Entry,
    Initiative,
    Participant,
    Programme,
)
from congdoan.organisation.models import Unit

VIEW = Action.INDICATORS_VIEW


# ---------------------------------------------------------------------------------------------
# Programmes


def programmes_with_relations(qs: QuerySet[Programme] | None = None) -> QuerySet[Programme]:
    qs = qs if qs is not None else Programme.objects.all()
    return qs.select_related("unit", "period").prefetch_related("indicators")


def programmes_visible(user: Any) -> QuerySet[Programme]:
    """Programmes organised within the user's scope or above it (which its units take part in)."""
    return programmes_with_relations(Programme.objects.visible_to(user, VIEW))


def programme_phases(programme: Programme) -> list[Period]:
    return list(Period.objects.filter(parent=programme.period).order_by("start"))


def programme_periods_free() -> QuerySet[Period]:
    """Programme periods not yet recorded as a programme (the programme form's choice)."""
    used = Programme.objects.values("period_id")
    return Period.objects.filter(kind=PeriodKind.PROGRAMME).exclude(pk__in=used).order_by("-end")


def programme_audit(programme: Programme, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(programme.history.all(), limit=limit)


def programme_counts(programme: Programme, user: Any) -> dict[str, int]:
    """Initiatives of the programme the user may see, by status (and "total")."""
    rows = (
        Initiative.objects.visible_to(user, VIEW)
        .filter(programme=programme)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {r["status"]: r["n"] for r in rows}
    counts["total"] = sum(counts.values())
    return counts


# ---------------------------------------------------------------------------------------------
# Initiatives


def initiatives_with_relations(qs: QuerySet[Initiative] | None = None) -> QuerySet[Initiative]:
    qs = qs if qs is not None else Initiative.objects.all()
    return qs.select_related("unit", "programme__period", "phase")


def initiatives_visible(user: Any) -> QuerySet[Initiative]:
    return initiatives_with_relations(Initiative.objects.visible_to(user, VIEW))


def initiatives_full(qs: QuerySet[Initiative] | None = None) -> QuerySet[Initiative]:
    """With the authors (and their members) and the contest entries."""
    lookups: list[Any] = [
        Prefetch("authors", queryset=Author.objects.select_related("member")),
        Prefetch("entries", queryset=Entry.objects.select_related("contest")),
    ]
    return initiatives_with_relations(qs).prefetch_related(*lookups)


def filter_initiatives(
    qs: QuerySet[Initiative],
    *,
    unit: Unit | None = None,
    period: Period | None = None,
    programme: Programme | None = None,
    phase: Period | None = None,
    status: str = "",
    field: str = "",
    text: str = "",
) -> QuerySet[Initiative]:
    """Initiatives of `unit`'s subtree, submitted within `period`, of a programme, phase,
    status or field, whose title holds the words of `text` (diacritics and case ignored)."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        qs = qs.filter(submitted_on__gte=period.start, submitted_on__lte=period.end)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if phase is not None:
        qs = qs.filter(phase=phase)
    if status:
        qs = qs.filter(status=status)
    if field:
        qs = qs.filter(field=field)
    for word in fold(text).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def initiative_audit(row: Initiative, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(row.history.all(), Author.history.filter(initiative_id=row.pk), limit=limit)


def authors_for_api(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    return initiatives_full(qs)


# ---------------------------------------------------------------------------------------------
# Contests


def contests_with_relations(qs: QuerySet[Contest] | None = None) -> QuerySet[Contest]:
    qs = qs if qs is not None else Contest.objects.all()
    return qs.select_related("unit")


def contests_visible(user: Any) -> QuerySet[Contest]:
    """Contests organised within the user's scope or above it."""
    return contests_with_relations(Contest.objects.visible_to(user, VIEW))


def filter_contests(
    qs: QuerySet[Contest],
    *,
    unit: Unit | None = None,
    period: Period | None = None,
    kind: str = "",
    text: str = "",
) -> QuerySet[Contest]:
    """Contests ending within `period`, organised in `unit`'s subtree or with entries or
    participants of it, of `kind`, whose title holds the words of `text`."""
    if unit is not None:
        inside = (
            path_range_q("unit__path", unit.path)
            | Q(
                pk__in=Entry.objects.filter(path_range_q("unit__path", unit.path)).values("contest")
            )
            | Q(
                pk__in=Participant.objects.filter(path_range_q("unit__path", unit.path)).values(
                    "contest"
                )
            )
        )
        qs = qs.filter(inside)
    if period is not None:
        qs = qs.filter(ends_on__gte=period.start, ends_on__lte=period.end)
    if kind:
        qs = qs.filter(kind=kind)
    for word in fold(text).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


@dataclass
class ContestPage:
    """A contest as one reader sees it: the entries and participants of units in the reader's
    scope, the others counted only."""

    contest: Contest
    entries: list[Entry] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    hidden_entries: int = 0
    hidden_participants: int = 0
    total_participants: int = 0
    prizes: dict[str, int] = field(default_factory=dict)  # over every entry


def contest_page(contest: Contest, user: Any) -> ContestPage:
    q = scope_q(user, VIEW, "unit__path")
    entries = Entry.objects.filter(contest=contest).select_related("unit", "initiative")
    people = Participant.objects.filter(contest=contest).select_related("unit", "member")
    seen_entries = list(entries.filter(q) if q is not None else entries)
    seen_people = list(people.filter(q) if q is not None else people)
    seen_entries.sort(key=lambda e: (PRIZE_ORDER.get(e.prize, 9), e.title))  # type: ignore[call-overload]
    prizes = dict(
        entries.exclude(prize="").values("prize").annotate(n=Count("pk")).values_list("prize", "n")
    )
    total = people.aggregate(n=Sum("count"))["n"] or 0
    return ContestPage(
        contest=contest,
        entries=seen_entries,
        participants=seen_people,
        hidden_entries=entries.count() - len(seen_entries),
        hidden_participants=people.count() - len(seen_people),
        total_participants=total,
        prizes=prizes,
    )


def contest_audit(contest: Contest, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(
        contest.history.all(),
        Entry.history.filter(contest_id=contest.pk),
        Participant.history.filter(contest_id=contest.pk),
        limit=limit,
    )


def entries_with_contest() -> QuerySet[Entry]:
    return Entry.objects.select_related("contest__unit", "unit", "initiative")


def participants_with_contest() -> QuerySet[Participant]:
    return Participant.objects.select_related("contest__unit", "unit", "member")


# ---------------------------------------------------------------------------------------------
# For the forms and filters


def visible_unit(user: Any, pk: int, action: Action = VIEW) -> Unit | None:
    return Unit.objects.visible_to(user, action).filter(pk=pk).first()


def member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise)."""
    from congdoan.members.models import Member

    return (
        Member.objects.visible_to(user, Action.MEMBERS_VIEW)
        .filter(card_number=card_number.strip())
        .select_related("unit")
        .first()
    )


def member_by_id(user: Any, pk: int) -> Any:
    from congdoan.members.models import Member

    return Member.objects.visible_to(user, Action.MEMBERS_VIEW).filter(pk=pk).first()


def periods_to_filter(limit: int = 60) -> QuerySet[Period]:
    """Periods a list may be filtered by, latest first."""
    return Period.objects.order_by("-end", "start", "kind")[:limit]


def period_by_id(pk: int) -> Period | None:
    return Period.objects.filter(pk=pk).first()


def initiatives_by_id(user: Any, pk: int) -> Initiative | None:
    return Initiative.objects.visible_to(user, VIEW).filter(pk=pk).first()


def programmes_for_form(user: Any) -> QuerySet[Programme]:
    """Programmes a user may record initiatives for: those seen, latest first."""
    return programmes_visible(user).order_by("-period__end")
