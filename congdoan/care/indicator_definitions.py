"""Indicators derived from the care register (registered with the engine through
`activities.registers.derive`, register "care").

One query per read (`_load`): the records of the units asked, grouped by unit, each figure a
conditional sum; only records of units keeping the register in the record's year count
(`registers.kept_q`). Each unit's own figure is what it gave; the engine adds the units up over
subtrees as the tree stood at the period's end.

The day each record counts on: its date (`on`) — a gift, cash support, visit, meal or support to
household economy counts in the period holding the day it was given; a Mái ấm Công đoàn house
counts on its handover day (`handover_on`), so a house still being built counts nowhere yet.
Mobilised money (`care_mobilised`) counts on the record's day by the same rule (a house's
donors on its handover day).

- care_gift_portions (`suat_qua`): portions of gifts and cash support to members and to workers
  who are not members (the record's quantity: 1 for a person, N for a group);
  care_gift_money (`tien_qua`): their value.
- care_community_portions (`suat_qua_cong_dong`): portions of gifts and cash support to
  children, families and residents of poor areas.
- care_houses (`nha_macd`): houses handed over (built or repaired); care_house_money
  (`tien_nha_macd`): their value.
- care_economy_people (`ho_tro_kinh_te`): people helped to develop household economy (the
  quantity); care_economy_money (`tien_ho_tro_kinh_te`): the amounts lent or given.
- care_mobilised (`quy_van_dong`): the donor lines of every kind of care.
- care_members (new, `dv_duoc_cham_lo`): distinct members cared for by the unit, whatever the
  kind: a member given three gifts by one unit counts once for it. Over a subtree the units'
  figures add up, so a member cared for by two units of the subtree counts once per giving unit.
- care_visits (new, `tham_om`): people visited when sick (the quantity of visits).
- care_meals (new, `bua_com_cd`): union meals held (records); care_meal_people (new,
  `luot_bua_com`): the people at them (the quantity).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.care.models import (
    COMMUNITY_KINDS,
    PORTION_KINDS,
    Beneficiary,
    CareKind,
    CareRecord,
    RecipientKind,
)

REGISTER = "care"

_PORTIONS = Q(kind__in=PORTION_KINDS)
_TO_MEMBERS = Q(beneficiary=Beneficiary.MEMBER) | Q(recipient_kind=RecipientKind.WORKER)
_TO_COMMUNITY = ~Q(beneficiary=Beneficiary.MEMBER) & Q(recipient_kind__in=COMMUNITY_KINDS)

# name: (aggregate over the unit's counted records)
_FIGURES: dict[str, Any] = {
    "care_gift_portions": Sum("quantity", filter=_PORTIONS & _TO_MEMBERS),
    "care_gift_money": Sum("value", filter=_PORTIONS & _TO_MEMBERS),
    "care_community_portions": Sum("quantity", filter=_PORTIONS & _TO_COMMUNITY),
    "care_houses": Count("pk", filter=Q(kind=CareKind.HOUSE)),
    "care_house_money": Sum("value", filter=Q(kind=CareKind.HOUSE)),
    "care_economy_people": Sum("quantity", filter=Q(kind=CareKind.ECONOMY)),
    "care_economy_money": Sum("value", filter=Q(kind=CareKind.ECONOMY)),
    "care_mobilised": Sum("mobilised"),
    "care_members": Count("member", distinct=True, filter=Q(member__isnull=False)),
    "care_visits": Sum("quantity", filter=Q(kind=CareKind.VISIT)),
    "care_meals": Count("pk", filter=Q(kind=CareKind.MEAL)),
    "care_meal_people": Sum("quantity", filter=Q(kind=CareKind.MEAL)),
}


def counted_q(start: Any, end: Any) -> Q:
    """The records counted in [start, end]: by their date, houses by their handover day, of
    units keeping the register in that year."""
    by_day = ~Q(kind=CareKind.HOUSE) & registers.kept_q(REGISTER, start, end, day="on")
    houses = Q(kind=CareKind.HOUSE) & registers.kept_q(REGISTER, start, end, day="handover_on")
    return by_day | houses


def _load(unit_ids: Sequence[int], period: Any) -> dict[int, dict[str, Decimal]]:
    rows = (
        CareRecord.objects.filter(unit_id__in=list(unit_ids))
        .filter(counted_q(period.start, period.end))
        .values("unit_id")
        .annotate(**_FIGURES)
        .order_by()
    )
    return {
        row["unit_id"]: {name: Decimal(row[name] or 0) for name in _FIGURES} for row in rows
    }


def _pick(name: str) -> Callable[[dict[int, dict[str, Decimal]]], dict[int, Decimal]]:
    def pick(loaded: dict[int, dict[str, Decimal]]) -> dict[int, Decimal]:
        return {u: figures[name] for u, figures in loaded.items()}

    return pick


LABELS = {
    "care_gift_portions": _("Care: gift and cash portions to members and workers"),
    "care_gift_money": _("Care: value of gifts and cash support to members and workers"),
    "care_community_portions": _("Care: gift portions to children and people of poor areas"),
    "care_houses": _("Care: Mái ấm Công đoàn houses handed over"),
    "care_house_money": _("Care: value of the Mái ấm Công đoàn houses handed over"),
    "care_economy_people": _("Care: people helped to develop household economy"),
    "care_economy_money": _("Care: amounts lent or given to develop household economy"),
    "care_mobilised": _("Care: amounts mobilised from donors"),
    "care_members": _("Care: members cared for (each once per giving unit)"),
    "care_visits": _("Care: people visited when sick"),
    "care_meals": _("Care: union meals held"),
    "care_meal_people": _("Care: people at union meals"),
}

registers.derive(REGISTER, _load, {name: (LABELS[name], _pick(name)) for name in _FIGURES})
