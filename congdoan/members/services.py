"""Writes to the member registry: admission, transfer, exit. Dated, audited, kept forever."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.members.models import (
    EventKind,
    Member,
    MemberEvent,
    Membership,
    MemberStatus,
)

if TYPE_CHECKING:
    from congdoan.organisation.models import ReorgEvent, Unit
    from congdoan.organisation.services import ChangeSet

OPEN_STATUSES = (MemberStatus.ACTIVE, MemberStatus.SUSPENDED)


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def member_admit(
    *,
    actor: Any,
    unit: Unit,
    family_name: str,
    given_name: str,
    sex: str,
    admitted_on: dt.date,
    middle_name: str = "",
    date_of_birth: dt.date | None = None,
    card_number: str | None = None,
) -> Member:
    from congdoan.organisation.services import require_scope

    require_scope(actor, "members.change", unit)
    if not unit.active_on(admitted_on):
        raise RuleViolation(
            _("Unit %(unit)s is not active on %(day)s.")
            % {"unit": unit, "day": short_date(admitted_on)}
        )
    member = Member(
        unit=unit,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        sex=sex,
        date_of_birth=date_of_birth,
        card_number=card_number or None,
        admitted_on=admitted_on,
    )
    stamp(member, actor, "member_admit")
    member.save()
    Membership.objects.create(member=member, unit=unit, start=admitted_on)
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.ADMIT,
        date=admitted_on,
        to_unit=unit,
        actor=_actor_or_none(actor),
    )
    return member


def _open_members(unit: Unit, member_ids: Sequence[int] | None) -> list[Member]:
    qs = Member.objects.filter(unit=unit, status__in=OPEN_STATUSES)
    if member_ids is not None:
        qs = qs.filter(pk__in=member_ids)
    return list(qs.order_by("pk"))


def _close_spells(members: list[Member], unit: Unit, day: dt.date) -> None:
    spells = list(
        Membership.objects.filter(member__in=members, unit=unit, end__isnull=True).select_related(
            "member"
        )
    )
    late = [s for s in spells if s.start > day]
    if late:
        raise RuleViolation(
            _(
                "%(n)s members (e.g. %(name)s) joined %(unit)s on %(start)s, after the effective "
                "date %(day)s."
            )
            % {
                "n": len(late),
                "name": late[0].member.full_name,
                "unit": unit,
                "start": short_date(late[0].start),
                "day": short_date(day),
            }
        )
    for s in spells:
        s.end = day
    Membership.objects.bulk_update(spells, ["end"], batch_size=1000)


@transaction.atomic
def members_transfer(
    *,
    actor: Any,
    from_unit: Unit,
    to_unit: Unit,
    day: dt.date,
    reorg_event: ReorgEvent | None = None,
    member_ids: Sequence[int] | None = None,
    note: str = "",
    changes: ChangeSet | None = None,
) -> int:
    """Move the open members of `from_unit` (or those listed) to `to_unit` on `day`."""
    members = _open_members(from_unit, member_ids)
    if not members:
        return 0
    _close_spells(members, from_unit, day)
    who = _actor_or_none(actor)
    Membership.objects.bulk_create(
        [Membership(member=m, unit=to_unit, start=day) for m in members], batch_size=1000
    )
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=m,
                kind=EventKind.TRANSFER,
                date=day,
                from_unit=from_unit,
                to_unit=to_unit,
                reorg_event=reorg_event,
                actor=who,
                note=note,
            )
            for m in members
        ],
        batch_size=1000,
    )
    for m in members:
        m.unit = to_unit
    bulk_update_with_history(
        members,
        Member,
        ["unit"],
        batch_size=1000,
        default_user=who,
        default_change_reason="member_transfer",
    )
    if changes is not None:
        changes.add(
            "member_transfer",
            _("%(n)s members move from %(old)s to %(new)s")
            % {"n": len(members), "old": from_unit, "new": to_unit},
            unit=from_unit.code,
            count=len(members),
        )
    return len(members)


@transaction.atomic
def members_exit(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    reason: str,
    reorg_event: ReorgEvent | None = None,
    member_ids: Sequence[int] | None = None,
    changes: ChangeSet | None = None,
) -> int:
    """The open members of `unit` (or those listed) leave the union on `day` for `reason`."""
    members = _open_members(unit, member_ids)
    if not members:
        return 0
    _close_spells(members, unit, day)
    who = _actor_or_none(actor)
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=m,
                kind=EventKind.EXIT,
                date=day,
                from_unit=unit,
                reason=reason,
                reorg_event=reorg_event,
                actor=who,
            )
            for m in members
        ],
        batch_size=1000,
    )
    for m in members:
        m.status = MemberStatus.EXITED
        m.exited_on = day
        m.exit_reason = reason
    bulk_update_with_history(
        members,
        Member,
        ["status", "exited_on", "exit_reason"],
        batch_size=1000,
        default_user=who,
        default_change_reason="member_exit",
    )
    if changes is not None:
        changes.add(
            "member_exit",
            _("%(n)s members of %(unit)s leave the union") % {"n": len(members), "unit": unit},
            unit=unit.code,
            count=len(members),
        )
    return len(members)
