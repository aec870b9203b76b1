"""How a reorganisation moves members without knowing the members app.

Organisation sits below the member registry: it may not import it. So it states here what a
merge, a split or a dissolution needs from the registry (`MemberMoves`), and the members app
implements it and registers its implementation at start-up (`members/apps.py`, `ready()`),
the way the accounts app registers its grants with `core.scoping`. Each move is the registry's
own service (spells, events, summaries and the change set's lines), run inside the
reorganisation's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from congdoan.organisation.models import ReorgEvent, Unit
    from congdoan.organisation.services.tree import ChangeSet


class MemberMoves(Protocol):
    """What the reorganisation services ask of the member registry."""

    def open_member_ids(self, unit: Unit) -> set[int]:
        """Ids of the members of `unit` who have not left (active or suspended)."""
        ...

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
        """Move the open members of `from_unit` (or those listed) to `to_unit` on `day`;
        return how many moved."""
        ...

    def exit_all(
        self,
        *,
        actor: Any,
        unit: Unit,
        day: dt.date,
        event: ReorgEvent,
        changes: ChangeSet | None,
    ) -> int:
        """The open members of the dissolved `unit` leave the union on `day` (reason: unit
        dissolved); return how many left."""
        ...


_member_moves: MemberMoves | None = None


def register_member_moves(moves: MemberMoves) -> None:
    """Called once by the members app (AppConfig.ready) with its implementation."""
    global _member_moves
    _member_moves = moves


def member_moves() -> MemberMoves:
    """The registered implementation; a reorganisation cannot run without one."""
    if _member_moves is None:
        raise RuntimeError("no member moves registered (is the members app installed?)")
    return _member_moves
