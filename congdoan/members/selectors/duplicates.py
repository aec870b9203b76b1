"""Possible duplicates (same folded name and date of birth), seen from either side: the other
record is named only when the user may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

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


def duplicate_pairs(
    pairs: QuerySet[DuplicateFlag], *, status: str | None = None
) -> QuerySet[DuplicateFlag]:
    """`pairs` (already limited to the user's scope) with both records and their units, of
    one status (every status when None), newest first."""
    if status is not None:
        pairs = pairs.filter(status=status)
    return pairs.select_related("member__unit", "other__unit", "reviewed_by").order_by(
        "-created_at", "-pk"
    )


def duplicate_row(user: Any, flag: DuplicateFlag) -> DuplicateRow:
    """A pair seen by `user`: the record in the user's scope first, the other named only when
    the user may see it."""
    if path_in_scope(user, Action.MEMBERS_VIEW, flag.member.unit.path):
        mine, other = flag.member, flag.other
    else:
        mine, other = flag.other, flag.member
    return DuplicateRow(
        flag=flag,
        mine=mine,
        other=other,
        other_visible=path_in_scope(user, Action.MEMBERS_VIEW, other.unit.path),
    )


def duplicate_flags(user: Any, *, status: str = DuplicateStatus.OPEN) -> list[DuplicateRow]:
    """Likely-duplicate pairs where at least one record lies in the user's scope."""
    pairs = duplicate_pairs(
        DuplicateFlag.objects.visible_to(user, Action.MEMBERS_VIEW), status=status
    )
    return [duplicate_row(user, flag) for flag in pairs[:500]]
