"""Indicators derived from the welfare register (see `congdoan.activities.registers`).

Each unit's own values — the records whose `unit` is that unit (the agreement's signing unit,
for uses too) — for the units keeping the register; the engine adds them up over subtrees as
the tree stood at the period's end. Dated records are aggregates over the register
(`registers.measures`: one query per read of each call, grouped by unit; the additive ones are
also totalled over subtrees in SQL, the distinct members are not):

- agreements: signed in the period (`welfare_agreements_signed` → thoa_thuan_phuc_loi), counted
  when the unit kept the register in the year of signing (`kept_q`); in force on the period's
  last day (`welfare_agreements_in_force`, a stock), counted when the unit keeps the register
  in the year of that day (`kept_in_year_q`: the day is the record's date for a stock).
- uses dated in the period, kept in the year of use (`kept_q`): members who used the agreements
  (`welfare_beneficiaries` → dv_huong_phuc_loi: distinct named members plus the uses counted
  without names), the uses themselves (`welfare_uses`), and their value in đồng
  (`welfare_value` → gia_tri_phuc_loi).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django.db.models import Aggregate, Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.welfare.models import REGISTER, Agreement, BenefitUse


def in_force_q(period: Any) -> Q:
    """Agreements in force on the period's last day, of a unit keeping the register that year."""
    end = period.end
    valid = Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=end))
    return valid & Q(registers.kept_in_year_q(REGISTER, end.year))


def uses_q(period: Any) -> Q:
    """Uses dated in the period, of a unit keeping the register in the year of use."""
    return registers.kept_q(REGISTER, period.start, period.end, day="used_on")


def load_in_force(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    rows = (
        Agreement.objects.filter(registers.units_q(unit_ids))
        .filter(in_force_q(period))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return {unit_id: Decimal(n) for unit_id, n in rows}


# Members who used the agreements: each named member once, plus the uses counted without names.
BENEFICIARIES = cast(
    Aggregate,
    Count("member", distinct=True) + Coalesce(Sum("count", filter=Q(member__isnull=True)), 0),
)

registers.measures(
    REGISTER,
    lambda: Agreement.objects.all(),
    {"welfare_agreements_signed": (_("Welfare agreements signed in the period"), Count("pk"))},
    day="signed_on",
)
registers.measures(
    REGISTER,
    lambda: BenefitUse.objects.all(),
    {
        "welfare_uses": (_("Uses of welfare agreements in the period"), Sum("count")),
        "welfare_value": (
            _("Value of the welfare benefits used in the period (đồng)"),
            Sum("value"),
        ),
    },
    day="used_on",
)
registers.measures(  # distinct members per unit: a subtree adds up its units' own figures
    REGISTER,
    lambda: BenefitUse.objects.all(),
    {
        "welfare_beneficiaries": (
            _("Members who used welfare agreements in the period"),
            BENEFICIARIES,
        )
    },
    day="used_on",
    additive=False,
)
registers.derive(
    REGISTER,
    load_in_force,
    {
        "welfare_agreements_in_force": (
            _("Welfare agreements in force at the end of the period"),
            lambda loaded: loaded,
        )
    },
)
