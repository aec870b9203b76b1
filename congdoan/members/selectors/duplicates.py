"""Possible duplicates (same folded name and date of birth), seen from either side: the other
record is named only when the user may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.members.models import DuplicateFlag, DuplicateStatus, Member


@dataclass
class DuplicateRow:
    flag: DuplicateFlag
    mine: Member  # the record in the user's scope
    other: Member
    other_visible: bool


def duplicates_of(user: Any, member: Member) -> list[DuplicateRow]:
    """Open likely-duplicate pairs of `member`; the other record is named only when the user
    may see it (otherwise only its unit, which is not secret)."""
    flags = DuplicateFlag.objects.filter(
        Q(member=member) | Q(other=member), status=DuplicateStatus.OPEN
    ).select_related("member__unit", "other__unit")
    rows = []
    for flag in flags:
        other = flag.other if flag.member_id == member.pk else flag.member
        rows.append(
            DuplicateRow(
                flag, member, other, path_in_scope(user, Action.MEMBERS_VIEW, other.unit.path)
            )
        )
    return rows


def duplicate_flags(user: Any, *, status: str = DuplicateStatus.OPEN) -> list[DuplicateRow]:
    """Likely-duplicate pairs where at least one record lies in the user's scope."""
    qs = (
        DuplicateFlag.objects.visible_to(user, Action.MEMBERS_VIEW)
        .filter(status=status)
        .select_related("member__unit", "other__unit", "reviewed_by")
    )
    rows = []
    for flag in qs.order_by("-created_at", "-pk")[:500]:
        # The record in the user's scope comes first.
        if path_in_scope(user, Action.MEMBERS_VIEW, flag.member.unit.path):
            mine, other = flag.member, flag.other
        else:
            mine, other = flag.other, flag.member
        rows.append(
            DuplicateRow(
                flag=flag,
                mine=mine,
                other=other,
                other_visible=path_in_scope(user, Action.MEMBERS_VIEW, other.unit.path),
            )
        )
    return rows
