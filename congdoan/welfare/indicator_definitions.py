"""Indicators derived from the welfare register (see `congdoan.activities.registers`).

Each unit's own values — the records whose `unit` is that unit (the agreement's signing unit,
for uses too) — for the units keeping the register; the engine adds them up over subtrees as
the tree stood at the period's end. Two loads, one query each, grouped by unit:

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

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.welfare.models import REGISTER, Agreement, BenefitUse

Loaded = dict[int, dict[str, Decimal]]


def signed_q(period: Any) -> Q:
    """Agreements signed in the period by a unit keeping the register that year."""
    return registers.kept_q(REGISTER, period.start, period.end, day="signed_on")


def in_force_q(period: Any) -> Q:
    """Agreements in force on the period's last day, of a unit keeping the register that year."""
    end = period.end
    valid = Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=end))
    return valid & Q(registers.kept_in_year_q(REGISTER, end.year))


def uses_q(period: Any) -> Q:
    """Uses dated in the period, of a unit keeping the register in the year of use."""
    return registers.kept_q(REGISTER, period.start, period.end, day="used_on")


def load_agreements(unit_ids: Sequence[int], period: Any) -> Loaded:
    signed, in_force = signed_q(period), in_force_q(period)
    rows = (
        Agreement.objects.filter(unit_id__in=list(unit_ids))
        .filter(signed | in_force)
        .values("unit_id")
        .annotate(signed=Count("pk", filter=signed), in_force=Count("pk", filter=in_force))
        .order_by()
    )
    return {
        r["unit_id"]: {"signed": Decimal(r["signed"]), "in_force": Decimal(r["in_force"])}
        for r in rows
    }


def load_uses(unit_ids: Sequence[int], period: Any) -> Loaded:
    rows = (
        BenefitUse.objects.filter(unit_id__in=list(unit_ids))
        .filter(uses_q(period))
        .values("unit_id")
        .annotate(
            named=Count("member_id", distinct=True),
            anonymous=Sum("count", filter=Q(member__isnull=True)),
            uses=Sum("count"),
            value=Sum("value"),
        )
        .order_by()
    )
    return {
        r["unit_id"]: {
            "beneficiaries": Decimal(r["named"] or 0) + Decimal(r["anonymous"] or 0),
            "uses": Decimal(r["uses"] or 0),
            "value": Decimal(r["value"] or 0),
        }
        for r in rows
    }


def _pick(key: str) -> Callable[[Loaded], dict[int, Decimal]]:
    def pick(loaded: Loaded) -> dict[int, Decimal]:
        return {unit_id: values[key] for unit_id, values in loaded.items()}

    return pick


registers.derive(
    REGISTER,
    load_agreements,
    {
        "welfare_agreements_signed": (
            _("Welfare agreements signed in the period"),
            _pick("signed"),
        ),
        "welfare_agreements_in_force": (
            _("Welfare agreements in force at the end of the period"),
            _pick("in_force"),
        ),
    },
)
registers.derive(
    REGISTER,
    load_uses,
    {
        "welfare_beneficiaries": (
            _("Members who used welfare agreements in the period"),
            _pick("beneficiaries"),
        ),
        "welfare_uses": (_("Uses of welfare agreements in the period"), _pick("uses")),
        "welfare_value": (
            _("Value of the welfare benefits used in the period (đồng)"),
            _pick("value"),
        ),
    },
)
