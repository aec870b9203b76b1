"""Transfers: both the sending and the receiving unit see them; who may confirm or withdraw
each, and what the asking side may know of where the member comes from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
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


# Rows a page of each section of the transfer list.
TRANSFERS_PER_PAGE = 25


@dataclass
class TransferLists:
    """The three sections of the transfer list, one page of each (`Page` of `TransferRow`; its
    `paginator.count` is the section's count)."""

    to_confirm: Page
    requested: Page
    history: Page


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


def _visible_transfers(user: Any) -> QuerySet[TransferRequest]:
    return TransferRequest.objects.visible_to(user, Action.MEMBERS_VIEW).select_related(
        "member__unit", "from_unit", "to_unit", "requested_by", "decided_by"
    )


def _pending_rows(user: Any) -> tuple[list[TransferRow], list[TransferRow]]:
    """Pending transfers the user confirms, and those the user's units asked for (whose side
    confirms depends on who asked: decided row by row), oldest effective date first."""
    pending = _visible_transfers(user).filter(status=TransferStatus.PENDING).order_by("day", "pk")
    to_confirm: list[TransferRow] = []
    requested: list[TransferRow] = []
    for t in pending:
        row = _transfer_row(user, t)
        (to_confirm if row.can_confirm else requested).append(row)
    return to_confirm, requested


def transfer_lists(
    user: Any, pages: Mapping[str, Any] | None = None, *, per_page: int = TRANSFERS_PER_PAGE
) -> TransferLists:
    """One page of each section: pending transfers to confirm, pending ones my units asked for,
    and the decided ones, latest first. `pages` maps "to_confirm", "requested" and "history" to
    the page asked for (a number, or anything else for the first page; past the end, the last)."""
    pages = pages or {}
    to_confirm, requested = _pending_rows(user)
    decided = _visible_transfers(user).exclude(status=TransferStatus.PENDING)
    history: Page[Any] = Paginator(decided.order_by("-decided_at", "-pk"), per_page).get_page(
        pages.get("history")
    )
    history.object_list = [_transfer_row(user, t) for t in history.object_list]
    return TransferLists(
        to_confirm=Paginator(to_confirm, per_page).get_page(pages.get("to_confirm")),
        requested=Paginator(requested, per_page).get_page(pages.get("requested")),
        history=history,
    )


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
    """How many pending transfers await the user's confirmation."""
    return len(_pending_rows(user)[0])
