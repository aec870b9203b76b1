"""The member registry's side of a reorganisation: `organisation.handover.MemberMoves`.

Organisation may not import this app, so its merge, split and dissolution reach the members
through this implementation, registered in `apps.py` (`ready()`). Every move is one of the
registry's own services (`members_transfer`, `members_exit`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from congdoan.members.models import ExitReason, Member
from congdoan.members.services import OPEN_STATUSES, members_exit, members_transfer

if TYPE_CHECKING:
    from congdoan.organisation.models import ReorgEvent, Unit
    from congdoan.organisation.services.tree import ChangeSet


class RegistryMoves:
    """Members moved or exited by the reorganisation services, through the member services."""

    def open_member_ids(self, unit: Unit) -> set[int]:
        """Ids of the members of `unit` who have not left (active or suspended)."""
        rows = Member.objects.filter(unit=unit, status__in=OPEN_STATUSES)
        return set(rows.values_list("pk", flat=True))

    def transfer(
        self,
        *,
        actor: Any,
        from_unit: Unit,
        to_unit: Unit,
        day: dt.date,
        event: ReorgEvent,
        changes: ChangeSet | None,
        member_ids: Sequence[int] | None = None,
    ) -> int:
        """Move the open members of `from_unit` (or those listed) to `to_unit` on `day`."""
        return members_transfer(
            actor=actor,
            from_unit=from_unit,
            to_unit=to_unit,
            day=day,
            reorg_event=event,
            member_ids=member_ids,
            changes=changes,
        )

    def exit_all(
        self,
        *,
        actor: Any,
        unit: Unit,
        day: dt.date,
        event: ReorgEvent,
        changes: ChangeSet | None,
    ) -> int:
        """The open members of the dissolved `unit` leave the union on `day`."""
        return members_exit(
            actor=actor,
            unit=unit,
            day=day,
            reason=ExitReason.UNIT_DISSOLVED,
            reorg_event=event,
            changes=changes,
        )
