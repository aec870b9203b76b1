"""Reads of the welfare register for the pages, the API, the member page and the reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from congdoan.activities import registers
from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period
from congdoan.organisation.models import Unit
from congdoan.welfare.models import REGISTER, Agreement, BenefitUse


@dataclass(frozen=True)
class Span:
    """The days a list is limited to: a period's, or a year's."""

    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, period: Period | None = None, year: int | None = None) -> Span | None:
        if period is not None:
            return cls(period.start, period.end)
        if year:
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))
        return None


def _uses_in(span: Span | None) -> Q:
    return Q(used_on__gte=span.start, used_on__lte=span.end) if span else Q()


# ---------------------------------------------------------------------------------------------
# Agreements


def with_use_totals(qs: QuerySet[Agreement], span: Span | None = None) -> QuerySet[Agreement]:
    """Agreements with `use_count` and `use_value`: their uses (in `span`, when given)."""
    uses = BenefitUse.objects.filter(_uses_in(span), agreement=OuterRef("pk"))
    total = uses.values("agreement").annotate(n=Sum("count")).values("n")
    value = uses.values("agreement").annotate(v=Sum("value")).values("v")
    return qs.annotate(
        use_count=Coalesce(Subquery(total, output_field=IntegerField()), 0),
        use_value=Subquery(value),
    )


def filter_agreements(
    qs: QuerySet[Agreement],
    *,
    unit: Unit | None = None,
    span: Span | None = None,
    kind: str | None = None,
    text: str | None = None,
) -> QuerySet[Agreement]:
    """In `unit`'s subtree; signed in `span` or used in it; of a kind of partner; whose partner,
    number or benefits contain `text` (diacritics and case ignored)."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if span is not None:
        used = BenefitUse.objects.filter(_uses_in(span), agreement=OuterRef("pk"))
        qs = qs.filter(Q(signed_on__gte=span.start, signed_on__lte=span.end) | Exists(used))
    if kind:
        qs = qs.filter(partner_kind=kind)
    if text and fold(text):
        qs = qs.filter(search_text__contains=fold(text))
    return qs


def agreements_visible(user: Any) -> QuerySet[Agreement]:
    """Agreements `user` may see, with their unit (the lists filter and add the totals)."""
    return Agreement.objects.visible_to(user, Action.INDICATORS_VIEW).select_related("unit")


def agreements_with_unit(qs: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    qs = qs if qs is not None else Agreement.objects.all()
    return qs.select_related("unit")


def agreement_uses(agreement: Agreement, limit: int | None = None) -> list[BenefitUse]:
    """The uses of an agreement, latest first, with their members."""
    rows = agreement.uses.select_related("member").order_by("-used_on", "-pk")
    return list(rows[:limit] if limit else rows)


def agreement_totals(agreement: Agreement) -> tuple[int, int, Decimal]:
    """An agreement's uses: records, uses, value."""
    row = agreement.uses.aggregate(r=Count("pk"), n=Sum("count"), v=Sum("value"))
    return int(row["r"] or 0), int(row["n"] or 0), Decimal(row["v"] or 0)


def agreement_audit(agreement: Agreement, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the agreement and its uses, newest first."""
    return audit_trail(
        agreement.history.all(), BenefitUse.history.filter(agreement_id=agreement.pk), limit=limit
    )


def keeps_register(unit: Unit, year: int) -> bool:
    """Whether `unit` keeps the welfare register in `year` (its records are counted)."""
    return bool(registers.keepers(REGISTER, [unit.pk], year))


# ---------------------------------------------------------------------------------------------
# Uses


def filter_uses(
    qs: QuerySet[BenefitUse],
    *,
    unit: Unit | None = None,
    span: Span | None = None,
    kind: str | None = None,
    text: str | None = None,
    agreement: int | None = None,
    member: int | None = None,
) -> QuerySet[BenefitUse]:
    """In `unit`'s subtree, dated in `span`, of agreements with a kind of partner, whose
    partner or member's name contains `text`, of one agreement, of one member."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if span is not None:
        qs = qs.filter(_uses_in(span))
    if kind:
        qs = qs.filter(agreement__partner_kind=kind)
    if text and fold(text):
        key = fold(text)
        qs = qs.filter(Q(agreement__search_text__contains=key) | Q(member__name_fold__contains=key))
    if agreement is not None:
        qs = qs.filter(agreement_id=agreement)
    if member is not None:
        qs = qs.filter(member_id=member)
    return qs


def uses_with_relations(qs: QuerySet[BenefitUse] | None = None) -> QuerySet[BenefitUse]:
    qs = qs if qs is not None else BenefitUse.objects.all()
    return qs.select_related("agreement", "unit", "member")


def uses_visible(user: Any) -> QuerySet[BenefitUse]:
    """Uses `user` may see, with their agreement, unit and member (the lists filter them)."""
    return uses_with_relations(BenefitUse.objects.visible_to(user, Action.INDICATORS_VIEW))


def use_totals(qs: QuerySet[BenefitUse]) -> tuple[int, Decimal]:
    """The number of uses and their value in a (filtered) list of uses."""
    row = qs.aggregate(n=Sum("count"), v=Sum("value"))
    return int(row["n"] or 0), Decimal(row["v"] or 0)


@dataclass(frozen=True)
class MemberUse:
    """A line of the member page's section."""

    use: BenefitUse
    link: bool  # the viewer may open the agreement


def member_uses(user: Any, member: Any) -> list[MemberUse]:
    """Every use of a member (the page checked the member), latest first. The agreement's
    partner and benefits are told to whoever may see the member; the agreement's page is
    linked only for those who may see its unit's records."""
    rows = BenefitUse.objects.filter(member=member).select_related("agreement", "unit")
    return [
        MemberUse(u, path_in_scope(user, Action.INDICATORS_VIEW, u.unit.path))
        for u in rows.order_by("-used_on", "-pk")
    ]


# ---------------------------------------------------------------------------------------------
# For the forms and filters


def visible_unit(user: Any, pk: int) -> Unit | None:
    return Unit.objects.visible_to(user, Action.INDICATORS_VIEW).filter(pk=pk).first()


def period_by_id(pk: int | None) -> Period | None:
    return Period.objects.filter(pk=pk).first() if pk else None


def periods_offered() -> QuerySet[Period]:
    """The periods the lists offer, latest first (years, halves, nine months, quarters)."""
    return Period.objects.filter(kind__in=("year", "nine", "half", "quarter")).order_by(
        "-end", "kind"
    )


def member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise)."""
    member_model: Any = BenefitUse._meta.get_field("member").related_model
    return (
        member_model._default_manager.visible_to(user, Action.MEMBERS_VIEW)
        .filter(card_number=card_number)
        .first()
    )


def member_by_id(user: Any, pk: int) -> Any:
    member_model: Any = BenefitUse._meta.get_field("member").related_model
    return member_model._default_manager.visible_to(user, Action.MEMBERS_VIEW).filter(pk=pk).first()
