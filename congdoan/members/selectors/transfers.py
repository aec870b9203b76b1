"""Transfers: both the sending and the receiving unit see them; who may confirm or withdraw
each, and what the asking side may know of where the member comes from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.members.models import TransferRequest, TransferStatus


def requester_side(t: TransferRequest) -> str:
    """ "from" when the sending unit asked (the receiving unit confirms), else "to"."""
    requester = t.requested_by
    if requester is not None and path_in_scope(requester, Action.MEMBERS_CHANGE, t.from_unit.path):
        return "from"
    return "to"


@dataclass
class TransferRow:
    transfer: TransferRequest
    direction: str  # "in" (to one of my units), "out", or "within" (both sides are mine)
    can_confirm: bool
    can_cancel: bool
    member_visible: bool
    # False when the receiving side asked for a member of a unit outside its scope (from the
    # admission form, by identity number): it learns neither that unit nor the record's name.
    origin_visible: bool = True


@dataclass
class TransferLists:
    to_confirm: list[TransferRow]
    requested: list[TransferRow]
    history: list[TransferRow]


def transfer_records() -> QuerySet[TransferRequest]:
    """Transfers with their member and both units; the door keeps those of the user's scope."""
    return TransferRequest.objects.select_related("member__unit", "from_unit", "to_unit")


def transfer_with_units(pk: int) -> TransferRequest:
    """Transfer `pk` (just written by the caller) with its member and both units."""
    return transfer_records().get(pk=pk)


def transfers_for_api(
    transfers: QuerySet[TransferRequest], *, status: str = ""
) -> QuerySet[TransferRequest]:
    """`transfers` (already scoped) of one status when given, newest first."""
    if status:
        transfers = transfers.filter(status=status)
    return transfers.order_by("-requested_at", "-id")


def transfer_lists(user: Any, *, history_limit: int = 200) -> TransferLists:
    """Pending transfers to confirm, pending ones my units asked for, and the latest decided."""
    base = TransferRequest.objects.visible_to(user, Action.MEMBERS_VIEW).select_related(
        "member__unit", "from_unit", "to_unit", "requested_by", "decided_by"
    )
    pending = list(base.filter(status=TransferStatus.PENDING).order_by("day", "pk"))
    decided = list(base.exclude(status=TransferStatus.PENDING).order_by("-decided_at", "-pk"))
    to_confirm: list[TransferRow] = []
    requested: list[TransferRow] = []
    for t in pending:
        row = _transfer_row(user, t)
        if row.can_confirm:
            to_confirm.append(row)
        else:
            requested.append(row)
    history = [_transfer_row(user, t) for t in decided[:history_limit]]
    return TransferLists(to_confirm=to_confirm, requested=requested, history=history)


def _transfer_row(user: Any, t: TransferRequest) -> TransferRow:
    on_from = path_in_scope(user, Action.MEMBERS_CHANGE, t.from_unit.path)
    on_to = path_in_scope(user, Action.MEMBERS_CHANGE, t.to_unit.path)
    if on_from and on_to:
        direction = "within"
    elif path_in_scope(user, Action.MEMBERS_VIEW, t.to_unit.path):
        direction = "in"
    else:
        direction = "out"
    pending = t.status == TransferStatus.PENDING
    confirmer_from = requester_side(t) == "to"
    can_confirm = pending and ((on_from and on_to) or (on_from if confirmer_from else on_to))
    can_cancel = pending and (on_to if confirmer_from else on_from)
    return TransferRow(
        transfer=t,
        direction=direction,
        can_confirm=can_confirm,
        can_cancel=can_cancel,
        member_visible=path_in_scope(user, Action.MEMBERS_VIEW, t.member.unit.path),
        origin_visible=origin_visible(user, t),
    )


def origin_visible(user: Any, t: TransferRequest) -> bool:
    """Whether `user` may know where the member of transfer `t` comes from: yes when they see
    that unit, or when the sending unit itself asked (it told the receiving unit); no when the
    receiving side asked for the holder of an identity number outside its scope."""
    return path_in_scope(user, Action.MEMBERS_VIEW, t.from_unit.path) or requester_side(t) == "from"


def pending_transfer_count(user: Any) -> int:
    return len(transfer_lists(user, history_limit=0).to_confirm)
