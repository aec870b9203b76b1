"""One recorded reorganisation operation: the tree service plus its ReorgEvent details.

The wizard, the API and plans all go through these. Each wraps one service of
`congdoan.organisation.services.tree` (which checks scope, dates and rules), runs it under a
`ReorgEvent` that carries the decision number, the note and (for plans) the plan and row, and
stores what changed in `ReorgEvent.summary`. Each accepts `changes=` so that
`dry_run(reorg_merge, …)` previews exactly what applying will do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.exceptions import RuleViolation
from congdoan.organisation.models import (
    OwnershipType,
    ReorgEvent,
    ReorgKind,
    ReorgPlan,
    Sector,
    Unit,
    UnitType,
)
from congdoan.organisation.services import (
    ChangeSet,
    unit_create,
    unit_dissolve,
    unit_move,
    unit_split,
    unit_update,
    units_merge,
)


@dataclass
class NewUnit:
    """A unit to be created inside a merge or a split (the receiving unit)."""

    code: str
    name: str
    unit_type: UnitType
    parent: Unit
    short_name: str = ""
    sector: Sector | None = None
    ownership: OwnershipType | None = None


def _open_event(
    kind: str,
    *,
    actor: Any,
    day: dt.date,
    decision_ref: str,
    note: str,
    plan: ReorgPlan | None,
    plan_row: int | None,
) -> ReorgEvent:
    return ReorgEvent.objects.create(
        kind=kind,
        effective_date=day,
        actor=actor if getattr(actor, "pk", None) else None,
        decision_ref=(decision_ref or "").strip(),
        note=(note or "").strip(),
        plan=plan,
        plan_row=plan_row,
    )


def _close_event(event: ReorgEvent, changes: ChangeSet, *units: Unit) -> ReorgEvent:
    if units:
        event.affected_units.add(*units)
    event.summary = {"totals": changes.totals(), "lines": changes.as_list()}
    event.save(update_fields=["summary"])
    return event


def _create_new(
    new: NewUnit, *, actor: Any, day: dt.date, event: ReorgEvent, changes: ChangeSet
) -> Unit:
    return unit_create(
        actor=actor,
        parent=new.parent,
        code=new.code,
        name=new.name,
        short_name=new.short_name,
        unit_type=new.unit_type,
        sector=new.sector,
        ownership=new.ownership,
        day=day,
        event=event,
        changes=changes,
    )


@transaction.atomic
def reorg_create(
    *,
    actor: Any,
    new: NewUnit,
    day: dt.date,
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Create one unit."""
    changes = changes if changes is not None else ChangeSet()
    event = _open_event(
        ReorgKind.CREATE,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    unit = _create_new(new, actor=actor, day=day, event=event, changes=changes)
    return _close_event(event, changes, unit)


@transaction.atomic
def reorg_update(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    values: dict[str, Any],
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Rename a unit or change its details; refuses when nothing would change."""
    changes = changes if changes is not None else ChangeSet()
    before = len(changes.items)
    event = _open_event(
        ReorgKind.UPDATE,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    unit = unit_update(actor=actor, unit=unit, day=day, event=event, changes=changes, **values)
    if len(changes.items) == before:
        raise RuleViolation(
            _("Nothing changes: the details given for %(code)s are the same as now.")
            % {"code": unit.code}
        )
    return _close_event(event, changes, unit)


@transaction.atomic
def reorg_move(
    *,
    actor: Any,
    unit: Unit,
    new_parent: Unit,
    day: dt.date,
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Move a unit (with its subtree) under a new parent."""
    changes = changes if changes is not None else ChangeSet()
    event = _open_event(
        ReorgKind.MOVE,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    unit_move(actor=actor, unit=unit, new_parent=new_parent, day=day, event=event, changes=changes)
    return _close_event(event, changes)


@transaction.atomic
def reorg_merge(
    *,
    actor: Any,
    sources: Sequence[Unit],
    day: dt.date,
    target: Unit | None = None,
    new_target: NewUnit | None = None,
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Merge `sources` into an existing unit or into a unit created in the same operation."""
    if (target is None) == (new_target is None):
        raise RuleViolation(
            _("Name one receiving unit: an existing unit or a new one."), field="target"
        )
    changes = changes if changes is not None else ChangeSet()
    event = _open_event(
        ReorgKind.MERGE,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    if new_target is not None:
        target = _create_new(new_target, actor=actor, day=day, event=event, changes=changes)
    assert target is not None
    units_merge(actor=actor, sources=sources, target=target, day=day, event=event, changes=changes)
    return _close_event(event, changes)


@transaction.atomic
def reorg_split(
    *,
    actor: Any,
    source: Unit,
    day: dt.date,
    targets: Sequence[Unit | NewUnit],
    member_targets: dict[int, str] | None = None,
    child_targets: dict[int, str] | None = None,
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Split `source` into receiving units (existing or new, in order; the first takes the rest).

    `member_targets` and `child_targets` map member ids and child unit ids to the code of a
    receiving unit.
    """
    changes = changes if changes is not None else ChangeSet()
    event = _open_event(
        ReorgKind.SPLIT,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    units: list[Unit] = []
    for t in targets:
        if isinstance(t, NewUnit):
            units.append(_create_new(t, actor=actor, day=day, event=event, changes=changes))
        else:
            units.append(t)
    by_code = {u.code: u for u in units}

    def resolve(mapping: dict[int, str] | None) -> dict[int, Unit]:
        out: dict[int, Unit] = {}
        for key, code in (mapping or {}).items():
            unit = by_code.get(code.strip().upper())
            if unit is None:
                raise RuleViolation(
                    _("%(code)s is not one of the receiving units of this split.") % {"code": code}
                )
            out[key] = unit
        return out

    unit_split(
        actor=actor,
        source=source,
        targets=units,
        day=day,
        member_targets=resolve(member_targets),
        child_targets=resolve(child_targets),
        event=event,
        changes=changes,
    )
    return _close_event(event, changes)


@transaction.atomic
def reorg_dissolve(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    members_to: Unit | None = None,
    children_to: Unit | None = None,
    decision_ref: str = "",
    note: str = "",
    plan: ReorgPlan | None = None,
    plan_row: int | None = None,
    changes: ChangeSet | None = None,
) -> ReorgEvent:
    """Dissolve a unit: members move to `members_to` or leave the union; children move."""
    changes = changes if changes is not None else ChangeSet()
    event = _open_event(
        ReorgKind.DISSOLVE,
        actor=actor,
        day=day,
        decision_ref=decision_ref,
        note=note,
        plan=plan,
        plan_row=plan_row,
    )
    unit_dissolve(
        actor=actor,
        unit=unit,
        day=day,
        members_to=members_to,
        children_to=children_to,
        reason=(note or "").strip()[:300],
        event=event,
        changes=changes,
    )
    return _close_event(event, changes)


TOTAL_LABELS = {
    "create": gettext_lazy("Units created"),
    "update": gettext_lazy("Units updated"),
    "move": gettext_lazy("Units moved"),
    "dissolve": gettext_lazy("Units dissolved"),
    "member_transfer": gettext_lazy("Members transferred"),
    "member_exit": gettext_lazy("Members leaving the union"),
    "target_transfer": gettext_lazy("Assigned targets handed over"),
}


def totals_rows(totals: dict[str, int] | None) -> list[tuple[Any, int]]:
    """Totals of a ChangeSet as (label, number) rows for pages."""
    if not totals:
        return []
    return [(label, int(totals.get(key, 0))) for key, label in TOTAL_LABELS.items()]
