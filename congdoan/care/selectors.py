"""Reads of the care register for the pages, the API, the member page and the exports.

Records are seen through "indicators.view" on their unit (`Action.INDICATORS_VIEW`); their
beneficiaries' personal data (citizen ID, phone, date of birth) masked, unless a user holding
"members.view_personal" on it (`may_reveal`) states a purpose: `services.reveal_personal` logs
the read first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from congdoan.activities import registers
from congdoan.care.models import (
    PORTION_KINDS,
    Campaign,
    CareKind,
    CareRecord,
    Funding,
)
from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period
from congdoan.members import cccd
from congdoan.organisation.models import Unit

VIEW = Action.INDICATORS_VIEW
HIDDEN = "•••"


# ---------------------------------------------------------------------------------------------
# Records


def with_relations(qs: QuerySet[CareRecord] | None = None) -> QuerySet[CareRecord]:
    qs = qs if qs is not None else CareRecord.objects.all()
    return qs.select_related("unit", "campaign", "member")


def records_visible(user: Any) -> QuerySet[CareRecord]:
    return with_relations(CareRecord.objects.visible_to(user, VIEW))


def counted_between(start: dt.date, end: dt.date) -> Q:
    """Records counted in [start, end] (`CareRecord.counted_on`: their date, houses their
    handover day)."""
    return Q(counted_on__gte=start, counted_on__lte=end)


def filter_records(
    qs: QuerySet[CareRecord],
    *,
    unit: Unit | None = None,
    own: bool = False,
    period: Any = None,
    year: int | None = None,
    kind: str | None = None,
    campaign: Campaign | None = None,
    text: str = "",
) -> QuerySet[CareRecord]:
    """Records of `unit`'s subtree (only its own with `own`), counted in `period` (or dated in
    `year`), of `kind`, of `campaign`, whose names, description or address hold every word."""
    if unit is not None:
        qs = qs.filter(unit=unit) if own else qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        qs = qs.filter(counted_between(period.start, period.end))
    if year:
        qs = qs.filter(on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    for word in fold(text).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    return qs


def record_full(qs: QuerySet[CareRecord] | None = None) -> QuerySet[CareRecord]:
    """Records with their unit, campaign, member (and its unit) and funding lines."""
    return (
        with_relations(qs)
        .select_related("member__unit")
        .prefetch_related(Prefetch("funding", queryset=Funding.objects.order_by("pk")))
    )


def may_reveal(user: Any, record: CareRecord) -> bool:
    """Whether `user` may read the full personal data of the record's beneficiary (a person
    who is not a member), after stating a purpose (`services.reveal_personal` logs it)."""
    return path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, record.unit.path)


def has_personal(record: CareRecord) -> bool:
    return bool(record.citizen_id or record.phone or record.date_of_birth)


@dataclass(frozen=True)
class PersonalData:
    citizen_id: str
    phone: str
    date_of_birth: str


def personal_data(record: CareRecord, *, revealed: bool) -> PersonalData:
    """A person's citizen ID, phone and date of birth, masked unless `revealed`."""
    born = record.date_of_birth.strftime("%d/%m/%Y") if record.date_of_birth else ""
    if revealed:
        return PersonalData(record.citizen_id, record.phone, born)
    return PersonalData(
        cccd.mask(record.citizen_id), cccd.mask(record.phone), HIDDEN if born else ""
    )


def record_audit(record: CareRecord, *, revealed: bool, limit: int = 100) -> list[AuditEntry]:
    """Changes to the record and its funding lines, newest first (personal data masked unless
    `revealed`)."""
    formatters: dict[str, Any] = {}
    if not revealed:
        formatters = {
            "citizen_id": lambda v: cccd.mask(str(v or "")),
            "phone": lambda v: cccd.mask(str(v or "")),
            "date_of_birth": lambda v: HIDDEN if v else "",
        }
    return audit_trail(
        record.history.all(),
        Funding.history.filter(record_id=record.pk),
        limit=limit,
        formatters=formatters,
    )


def not_kept(record: CareRecord) -> bool:
    """Whether the record's unit does not keep the register in the year the record counts in
    (its figures are then entered, and the record is not counted)."""
    day = record.counted_on or record.on
    return record.unit_id not in registers.keepers("care", [record.unit_id], day.year)


# ---------------------------------------------------------------------------------------------
# Totals by campaign (the list, the campaign pages)


@dataclass(frozen=True)
class CampaignTotal:
    campaign_id: int | None
    name: str
    records: int
    portions: int
    houses: int
    value: Decimal
    mobilised: Decimal


def campaign_totals(qs: QuerySet[CareRecord]) -> list[CampaignTotal]:
    """The records of `qs` totalled by campaign (records without one last): one query."""
    rows = (
        qs.order_by()
        .values("campaign_id", "campaign__name", "campaign__start")
        .annotate(
            n=Count("pk"),
            portions=Sum("quantity", filter=Q(kind__in=PORTION_KINDS)),
            houses=Count("pk", filter=Q(kind=CareKind.HOUSE)),
            value=Sum("value"),
            mobilised=Sum("mobilised"),
        )
    )
    out = [
        CampaignTotal(
            r["campaign_id"],
            r["campaign__name"] or "",
            r["n"],
            int(r["portions"] or 0),
            r["houses"],
            Decimal(r["value"] or 0),
            Decimal(r["mobilised"] or 0),
        )
        for r in rows
    ]
    starts: dict[int | None, dt.date] = {
        r["campaign_id"]: r["campaign__start"] or dt.date.min for r in rows
    }
    return sorted(out, key=lambda t: (t.campaign_id is None, -starts[t.campaign_id].toordinal()))


# ---------------------------------------------------------------------------------------------
# Campaigns


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user, VIEW).select_related("unit")


def campaigns_for(user: Any, unit: Unit | None = None) -> QuerySet[Campaign]:
    """Campaigns `user` may see that records of `unit` may join (organised by it or above)."""
    qs = campaigns_visible(user)
    if unit is not None:
        above = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
        qs = qs.filter(unit__path__in=above)
    return qs.order_by("-start", "name")


def campaign_with_unit() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("unit")


def campaign_records(user: Any, campaign: Campaign) -> QuerySet[CareRecord]:
    """The campaign's records that `user` may see."""
    return records_visible(user).filter(campaign=campaign)


def campaign_by_unit(user: Any, campaign: Campaign) -> list[dict[str, Any]]:
    """The campaign's visible records totalled by giving unit (largest value first)."""
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in campaign_records(user, campaign)
        .order_by()
        .values("unit_id", "unit__name")
        .annotate(
            n=Count("pk"),
            portions=Sum("quantity", filter=Q(kind__in=PORTION_KINDS)),
            houses=Count("pk", filter=Q(kind=CareKind.HOUSE)),
            value=Sum("value"),
        )
    ]
    return sorted(rows, key=lambda r: (-(r["value"] or 0), r["unit__name"]))


def campaign_audit(campaign: Campaign) -> list[AuditEntry]:
    return audit_trail(campaign.history.all())


# ---------------------------------------------------------------------------------------------
# The member page


@dataclass(frozen=True)
class MemberCareRow:
    record_id: int
    kind: str
    on: dt.date
    unit: str
    value: Decimal
    campaign: str
    handover_on: dt.date | None


def member_care(user: Any, member: Any) -> list[MemberCareRow]:
    """The member's care records that `user` may see (records of units outside the user's scope
    are left out, not counted)."""
    rows = records_visible(user).filter(member=member).order_by("-on", "-pk")[:200]
    return [
        MemberCareRow(
            r.pk,
            r.get_kind_display(),
            r.on,
            r.unit.short_name or r.unit.name,
            r.value,
            r.campaign.name if r.campaign else "",
            r.handover_on,
        )
        for r in rows
    ]


def member_section(user: Any, member: Any) -> dict[str, Any]:
    """The context of the member page's care section."""
    return {
        "rows": member_care(user, member),
        "member_id": member.pk,
        "can_record": path_in_scope(user, Action.ACTIVITIES_MANAGE, member.unit.path),
    }


# ---------------------------------------------------------------------------------------------
# Look-ups for the forms and the API


def visible_unit(user: Any, pk: int, action: Action = VIEW) -> Unit | None:
    return Unit.objects.visible_to(user, action).filter(pk=pk).first()


def period_by_id(pk: int) -> Any:
    """A period (periods are shared by the whole federation), or None."""
    return Period.objects.filter(pk=pk).first()


def member_model() -> Any:
    return CareRecord._meta.get_field("member").related_model


def member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise)."""
    return (
        member_model()
        ._default_manager.visible_to(user, Action.MEMBERS_VIEW)
        .select_related("unit")
        .filter(card_number=card_number)
        .first()
    )


def members_by_cards(user: Any, unit: Unit, cards: set[str]) -> Any:
    """Members of `unit`'s subtree with these card numbers, those `user` may see (all for the
    system), with their units: one query."""
    qs = member_model()._default_manager.all()
    if user is not None:
        qs = qs.visible_to(user, Action.MEMBERS_VIEW)
    return qs.filter(
        path_range_q("unit__path", unit.path), card_number__in=sorted(cards)
    ).select_related("unit")


def member_by_id(user: Any, pk: int) -> Any:
    return (
        member_model()
        ._default_manager.visible_to(user, Action.MEMBERS_VIEW)
        .select_related("unit")
        .filter(pk=pk)
        .first()
    )


def campaign_visible(user: Any, pk: int) -> Campaign | None:
    return campaigns_visible(user).filter(pk=pk).first()


def periods() -> QuerySet[Period]:
    """The periods one may filter the records by, latest first."""
    return Period.objects.order_by("-end", "kind", "pk")
