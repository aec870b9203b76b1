"""Reads the wizard, the API and plans share: units by code within scope, members of a unit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from congdoan.core.permissions import Action
from congdoan.organisation.models import Unit


def units_by_codes(
    user: Any, codes: Sequence[str], action: Action = Action.ORGANISATION_REORGANISE
) -> tuple[dict[str, Unit], list[str]]:
    """Active units with these codes within the user's scope, and the codes not found."""
    wanted = [c.strip().upper() for c in codes if c and c.strip()]
    qs = Unit.objects.visible_to(user, action).filter(code__in=wanted, dissolved_on__isnull=True)
    found = {u.code: u for u in qs.select_related("unit_type__level")}
    return found, [c for c in wanted if c not in found]


def member_of(unit: Unit, key: str) -> Any:
    """An open member of `unit` by membership card number (any case) or member id, or None."""
    from congdoan.members.models import Member

    members = Member.objects.filter(unit=unit, status__in=["active", "suspended"])
    key = key.strip()
    member = members.filter(card_number__iexact=key).first()
    if member is None and key.isdigit():
        member = members.filter(pk=int(key)).first()
    return member


def child_of(unit: Unit, code: str) -> Unit | None:
    """An active unit directly under `unit`, by code."""
    return Unit.objects.filter(
        parent=unit, code=code.strip().upper(), dissolved_on__isnull=True
    ).first()
