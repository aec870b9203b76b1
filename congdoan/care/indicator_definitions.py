"""Indicators derived from the care register (register "care"), registered with the engine
through `activities.registers.measures`: aggregates over the records, one query per read, only
records of units keeping the register in the record's year (`registers.kept_q`). Each unit's
own figure is what it gave; the additive ones are also totalled over subtrees in SQL, as the
tree stood at the period's end.

The day each record counts on (`CareRecord.counted_on`): its date — a gift, cash support,
visit, meal or support to household economy counts in the period holding the day it was given;
a Mái ấm Công đoàn house counts on its handover day, so a house still being built counts nowhere
yet. Money mobilised from donors counts on the record's counting day too (a house's donors on
its handover day), so that a house's value and its donors fall in the same period.

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

from django.db.models import Count, Q, QuerySet, Sum
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
DAY = "counted_on"

_PORTIONS = Q(kind__in=PORTION_KINDS)
_TO_MEMBERS = Q(beneficiary=Beneficiary.MEMBER) | Q(recipient_kind=RecipientKind.WORKER)
_TO_COMMUNITY = ~Q(beneficiary=Beneficiary.MEMBER) & Q(recipient_kind__in=COMMUNITY_KINDS)


def records() -> QuerySet[CareRecord]:
    return CareRecord.objects.all()


def records_to_members() -> QuerySet[CareRecord]:
    """The records given to members: the distinct count reads only these (at national size
    the filter in WHERE halves its time against a FILTER clause over every record)."""
    return CareRecord.objects.filter(member__isnull=False)


# Counts and sums: a subtree's figure is the sum of its units'.
ADDITIVE: dict[str, registers.Measure] = {
    "care_gift_portions": (
        _("Care: gift and cash portions to members and workers"),
        Sum("quantity", filter=_PORTIONS & _TO_MEMBERS),
    ),
    "care_gift_money": (
        _("Care: value of gifts and cash support to members and workers"),
        Sum("value", filter=_PORTIONS & _TO_MEMBERS),
    ),
    "care_community_portions": (
        _("Care: gift portions to children and people of poor areas"),
        Sum("quantity", filter=_PORTIONS & _TO_COMMUNITY),
    ),
    "care_houses": (
        _("Care: Mái ấm Công đoàn houses handed over"),
        Count("pk", filter=Q(kind=CareKind.HOUSE)),
    ),
    "care_house_money": (
        _("Care: value of the Mái ấm Công đoàn houses handed over"),
        Sum("value", filter=Q(kind=CareKind.HOUSE)),
    ),
    "care_economy_people": (
        _("Care: people helped to develop household economy"),
        Sum("quantity", filter=Q(kind=CareKind.ECONOMY)),
    ),
    "care_economy_money": (
        _("Care: amounts lent or given to develop household economy"),
        Sum("value", filter=Q(kind=CareKind.ECONOMY)),
    ),
    "care_mobilised": (_("Care: amounts mobilised from donors"), Sum("mobilised")),
    "care_visits": (
        _("Care: people visited when sick"),
        Sum("quantity", filter=Q(kind=CareKind.VISIT)),
    ),
    "care_meals": (_("Care: union meals held"), Count("pk", filter=Q(kind=CareKind.MEAL))),
    "care_meal_people": (
        _("Care: people at union meals"),
        Sum("quantity", filter=Q(kind=CareKind.MEAL)),
    ),
}

# Distinct members per giving unit: a subtree adds up its units' own figures.
DISTINCT: dict[str, registers.Measure] = {
    "care_members": (
        _("Care: members cared for (each once per giving unit)"),
        Count("member", distinct=True, filter=Q(member__isnull=False)),
    ),
}

registers.measures(REGISTER, records, ADDITIVE, day=DAY)
registers.measures(REGISTER, records_to_members, DISTINCT, day=DAY, additive=False)
