"""Writes to the organisation tree. Every entry point (pages, API, plans, commands) calls these.

Each public service is atomic, takes an explicit `actor` (None for system jobs), checks the
actor's scope, records an audit trail (a `ReorgEvent`, simple-history rows with actor and reason,
and effective-dated `UnitVersion` rows), and describes what it did in a `ChangeSet`.
`dry_run(service, **kwargs)` runs any of them and rolls everything back, returning the changes:
the preview is the real operation, so it cannot disagree with what "apply" will do.

Dates: an operation's effective date may lie in the past but not in the future, and not before
the latest recorded change of any unit it touches (history is appended, never rewritten).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, require
from congdoan.organisation import divisions
from congdoan.organisation.handover import member_moves
from congdoan.organisation.models import (
    LineageLink,
    OwnershipType,
    ReorgEvent,
    ReorgKind,
    Sector,
    Unit,
    UnitType,
    UnitVersion,
)

# transfer). Later registers (targets, open reports, …) connect here to move their records.
# kwargs: source, target, day, event, actor, changes.
unit_work_handed_over = Signal()

# Sent, inside the same transaction, when units are placed anew in the effective-dated tree:
# under another parent, for the first time, or back under an earlier parent when a version is
# withdrawn. Registers that add up figures over the tree as of a date (indicator totals) connect
# here. kwargs: unit_ids (the units placed anew), old_parents (unit id → the parent it had
# before, for each of them that was placed before), day (from when the new placement holds).
tree_changed = Signal()


@dataclass
class Change:
    kind: str
    text: str
    unit: str = ""
    count: int = 0


@dataclass
class ChangeSet:
    """What an operation did, or would do on a dry run, in words a union officer reads."""

    items: list[Change] = field(default_factory=list)

    def add(self, kind: str, text: str, *, unit: str = "", count: int = 0) -> None:
        self.items.append(Change(kind=kind, text=text, unit=unit, count=count))

    def totals(self) -> dict[str, int]:
        keys = ["create", "update", "move", "dissolve", "member_transfer", "member_exit"]
        keys.append("target_transfer")  # targets handed over (indicators, `unit_work_handed_over`)
        counted = ("member_transfer", "member_exit", "target_transfer")  # lines carry a count
        out = {k: 0 for k in keys}
        for c in self.items:
            out[c.kind] = out.get(c.kind, 0) + (c.count if c.kind in counted else 1)
        return out

    def as_list(self) -> list[dict[str, Any]]:
        return [c.__dict__.copy() for c in self.items]


class _Rollback(Exception):
    pass


_R = TypeVar("_R")


def dry_run(service: Callable[..., Any], **kwargs: Any) -> ChangeSet:
    """Run `service` in a transaction that is always rolled back; return what it would change.

    Objects passed in may be left modified in memory; fetch them again afterwards.
    """
    changes = ChangeSet()
    try:
        with transaction.atomic():
            service(changes=changes, **kwargs)
            raise _Rollback
    except _Rollback:
        pass
    return changes


# ---------------------------------------------------------------------------------------------
# Checks shared by the services


def today() -> dt.date:
    return timezone.localdate()


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _check_day(day: dt.date) -> None:
    if not isinstance(day, dt.date):
        raise RuleViolation(_("The effective date is missing or invalid."), field="day")
    if day > today():
        raise RuleViolation(
            _("The effective date %(day)s lies in the future; apply it on or after that day.")
            % {"day": short_date(day)},
            field="day",
        )


def _check_active(unit: Unit, day: dt.date, field: str | None = None) -> None:
    """`field` names the input the unit came from ("target" for receiving or parent units)."""
    if unit.dissolved_on is not None:
        raise RuleViolation(
            _("Unit %(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field=field,
        )
    if unit.founded_on > day:
        raise RuleViolation(
            _("Unit %(unit)s was founded on %(founded)s, after the effective date %(day)s.")
            % {
                "unit": _label(unit),
                "founded": short_date(unit.founded_on),
                "day": short_date(day),
            },
            field=field,
        )


def _check_history(units: Iterable[Unit], day: dt.date) -> None:
    """The effective date may not precede the latest recorded change of any of these units."""
    ids = [u.pk for u in units]
    latest = (
        UnitVersion.objects.filter(unit_id__in=ids, valid_to__isnull=True, valid_from__gt=day)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    if latest is not None:
        raise RuleViolation(
            _(
                "Unit %(unit)s already has a change effective %(latest)s; the effective date "
                "%(day)s may not precede it."
            )
            % {
                "unit": _label(latest.unit),
                "latest": short_date(latest.valid_from),
                "day": short_date(day),
            }
        )


def _check_parent_type(parent: Unit, unit_type: UnitType, what: str) -> None:
    parent_rank = parent.unit_type.level.rank
    if unit_type.level.rank <= parent_rank:
        raise RuleViolation(
            _(
                "%(what)s: a %(type)s (level %(level)s) cannot be placed under %(parent)s, "
                "a %(ptype)s (level %(plevel)s)."
            )
            % {
                "what": what,
                "type": unit_type.name,
                "level": unit_type.level.name,
                "parent": _label(parent),
                "ptype": parent.unit_type.name,
                "plevel": parent.unit_type.level.name,
            },
            field="target",
        )


def _check_type_valid(unit_type: UnitType, day: dt.date) -> None:
    if not unit_type.valid_on(day):
        raise RuleViolation(
            _("Unit type %(type)s is not in use on %(day)s.")
            % {"type": unit_type.name, "day": short_date(day)},
            field="unit_type",
        )


def _check_address(province_code: int | None, ward_code: int | None) -> None:
    if province_code and not divisions.is_province(province_code):
        raise RuleViolation(_("Unknown province code %(code)s.") % {"code": province_code})
    if ward_code:
        owner = divisions.ward_province(ward_code)
        if owner is None:
            raise RuleViolation(_("Unknown commune code %(code)s.") % {"code": ward_code})
        if province_code and owner != province_code:
            raise RuleViolation(
                _("Commune %(ward)s does not belong to province %(province)s.")
                % {
                    "ward": divisions.ward_name(ward_code),
                    "province": divisions.province_name(province_code),
                }
            )


TREE_LOCK = (7302, 0)  # pg_advisory_xact_lock(*TREE_LOCK): the tree's structure


def _tree_lock() -> None:
    """One change of the tree's structure at a time, across every process and host. Taken
    before anything is read, so each change checks the tree as the previous one left it (two
    officers moving A under B and B under A at once: the second is refused, the tree stays a
    tree). Reorganisations are rare; serialising them all costs nothing users notice. SQLite
    runs one writing transaction at a time already (`transaction_mode: IMMEDIATE`)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(TREE_LOCK))


def _lock(*units: Unit) -> None:
    """Lock the rows of the units involved (no-op on SQLite)."""
    ids = sorted({u.pk for u in units})
    list(Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _event(
    kind: str, day: dt.date, actor: Any, event: ReorgEvent | None, **extra: Any
) -> ReorgEvent:
    if event is not None:
        return event
    return ReorgEvent.objects.create(
        kind=kind, effective_date=day, actor=actor if getattr(actor, "pk", None) else None, **extra
    )


# ---------------------------------------------------------------------------------------------
# Effective-dated versions


def _snapshot_fields(unit: Unit) -> dict[str, Any]:
    data = {f: getattr(unit, f) for f in Unit.VERSIONED_FIELDS}
    data.update(
        path=unit.path, depth=unit.depth, parent_id=unit.parent_id, search_text=unit.search_text
    )
    return data


def record_versions(unit_ids: Sequence[int], day: dt.date, event: ReorgEvent | None) -> int:
    """Bring the effective-dated history of these units in line with their current rows.

    For each active unit whose open version differs from the row: close it on `day` and open a
    new one (or correct it in place when it opened on `day` itself). Returns versions written.
    """
    units = list(Unit.objects.filter(pk__in=unit_ids, dissolved_on__isnull=True))
    open_versions = {
        v.unit_id: v
        for v in UnitVersion.objects.filter(unit_id__in=unit_ids, valid_to__isnull=True)
    }
    to_close: list[UnitVersion] = []
    to_fix: list[UnitVersion] = []
    to_create: list[UnitVersion] = []
    placed: list[int] = []
    old_parents: dict[int, int | None] = {}
    for unit in units:
        data = _snapshot_fields(unit)
        current = open_versions.get(unit.pk)
        if current is not None and all(getattr(current, k) == v for k, v in data.items()):
            continue
        if current is None or current.parent_id != unit.parent_id:
            placed.append(unit.pk)
            if current is not None:
                old_parents[unit.pk] = current.parent_id
        if current is not None and current.valid_from == day:
            for k, v in data.items():
                setattr(current, k, v)
            current.event = event or current.event
            to_fix.append(current)
            continue
        if current is not None:
            if current.valid_from > day:  # guarded by _check_history; never rewrite the past
                raise RuleViolation(
                    _("Unit %(unit)s already has a change effective %(latest)s.")
                    % {"unit": _label(unit), "latest": short_date(current.valid_from)}
                )
            current.valid_to = day
            to_close.append(current)
        to_create.append(UnitVersion(unit=unit, valid_from=day, event=event, **data))
    if to_close:
        UnitVersion.objects.bulk_update(to_close, ["valid_to"], batch_size=500)
    if to_fix:
        fields = [*Unit.VERSIONED_FIELDS, "path", "depth", "parent_id", "search_text", "event"]
        UnitVersion.objects.bulk_update(to_fix, fields, batch_size=500)
    if to_create:
        UnitVersion.objects.bulk_create(to_create, batch_size=500)
    if placed:
        tree_changed.send(sender=Unit, unit_ids=placed, old_parents=old_parents, day=day)
    return len(to_fix) + len(to_create)


def _close_version(unit: Unit, day: dt.date) -> None:
    current = UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).first()
    if current is None:
        return
    if current.valid_from >= day:
        current.delete()  # the unit never existed on any day in this form
        tree_changed.send(
            sender=Unit,
            unit_ids=[unit.pk],
            old_parents={unit.pk: current.parent_id},
            day=current.valid_from,
        )
    else:
        current.valid_to = day
        current.save(update_fields=["valid_to"])


def _active_subtree(unit: Unit) -> list[Unit]:
    return list(Unit.objects.filter(path_range_q("path", unit.path), dissolved_on__isnull=True))


# ---------------------------------------------------------------------------------------------
# Public services


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    parent: Unit,
    code: str,
    name: str,
    unit_type: UnitType,
    day: dt.date,
    short_name: str = "",
    sector: Sector | None = None,
    ownership: OwnershipType | None = None,
    province_code: int | None = None,
    ward_code: int | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
) -> Unit:
    """Create a unit under `parent`, effective `day` (its founding date)."""
    _tree_lock()
    _check_day(day)
    parent = Unit.objects.select_related("unit_type__level").get(pk=parent.pk)
    require(actor, Action.ORGANISATION_REORGANISE, parent)
    _check_active(parent, day, "target")
    code = (code or "").strip().upper()
    if not code:
        raise RuleViolation(_("The unit code is required."), field="code")
    if not (name or "").strip():
        raise RuleViolation(_("The official name is required."), field="name")
    if Unit.objects.filter(code=code).exists():
        raise RuleViolation(
            _("Unit code %(code)s is already used (codes are never reused).") % {"code": code},
            field="code",
        )
    _check_type_valid(unit_type, day)
    _check_parent_type(parent, unit_type, _("Create"))
    _check_address(province_code, ward_code)
    _lock(parent)
    unit = Unit(
        parent=parent,
        code=code,
        name=name,
        short_name=short_name,
        unit_type=unit_type,
        sector=sector,
        ownership=ownership,
        province_code=province_code,
        ward_code=ward_code,
        address=address,
        phone=phone,
        email=email,
        founded_on=day,
    )
    stamp(unit, actor, "unit_create")
    unit = Unit.objects.add_child(parent, instance=unit)
    event = _event(ReorgKind.CREATE, day, actor, event)
    event.affected_units.add(unit, parent)
    record_versions([unit.pk], day, event)
    if changes is not None:
        changes.add(
            "create",
            _("Create %(unit)s under %(parent)s")
            % {"unit": _label(unit), "parent": _label(parent)},
            unit=unit.code,
        )
    return unit


@transaction.atomic
def unit_update(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
    **values: Any,
) -> Unit:
    """Rename a unit or change its details, effective `day`. Old values stay on old versions."""
    _tree_lock()
    allowed = {
        "code",
        "name",
        "short_name",
        "unit_type",
        "sector",
        "ownership",
        "province_code",
        "ward_code",
        "address",
        "phone",
        "email",
    }
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _check_day(day)
    unit = Unit.objects.select_related("unit_type__level", "parent__unit_type__level").get(
        pk=unit.pk
    )
    require(actor, Action.ORGANISATION_CHANGE, unit)
    _check_active(unit, day)
    _check_history([unit], day)
    if "code" in values:
        values["code"] = (values["code"] or "").strip().upper()
        if not values["code"]:
            raise RuleViolation(_("The unit code is required."), field="code")
        if Unit.objects.filter(code=values["code"]).exclude(pk=unit.pk).exists():
            raise RuleViolation(
                _("Unit code %(code)s is already used (codes are never reused).")
                % {"code": values["code"]},
                field="code",
            )
    if "name" in values and not (values["name"] or "").strip():
        raise RuleViolation(_("The official name is required."), field="name")
    if "unit_type" in values and values["unit_type"] != unit.unit_type:
        _check_type_valid(values["unit_type"], day)
        if unit.parent is not None:
            _check_parent_type(unit.parent, values["unit_type"], _("Update"))
        child_rank = (
            Unit.objects.filter(parent=unit, dissolved_on__isnull=True)
            .order_by("unit_type__level__rank")
            .values_list("unit_type__level__rank", flat=True)
            .first()
        )
        if child_rank is not None and child_rank <= values["unit_type"].level.rank:
            raise RuleViolation(
                _("Unit type %(type)s is at or below the level of this unit's children.")
                % {"type": values["unit_type"].name},
                field="unit_type",
            )
    _check_address(
        values.get("province_code", unit.province_code), values.get("ward_code", unit.ward_code)
    )
    changed = [f for f, v in values.items() if getattr(unit, f) != v]
    if not changed:
        return unit
    before = {f: str(getattr(unit, f) or "") for f in changed}
    for f in changed:
        setattr(unit, f, values[f])
    stamp(unit, actor, "unit_update")
    unit.save(update_fields=changed)
    versioned = {f"{f}_id" if f in {"unit_type", "sector", "ownership"} else f for f in changed}
    if versioned & set(Unit.VERSIONED_FIELDS):
        event = _event(ReorgKind.UPDATE, day, actor, event)
        event.affected_units.add(unit)
        record_versions([unit.pk], day, event)
    if changes is not None:
        parts = ", ".join(f"{f}: {before[f]} → {getattr(unit, f) or ''}" for f in changed)
        changes.add(
            "update",
            _("Update %(unit)s: %(parts)s") % {"unit": _label(unit), "parts": parts},
            unit=unit.code,
        )
    return unit


@transaction.atomic
def unit_move(
    *,
    actor: Any,
    unit: Unit,
    new_parent: Unit,
    day: dt.date,
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
) -> Unit:
    """Move `unit` and its whole subtree under `new_parent`, effective `day`."""
    _tree_lock()
    _check_day(day)
    unit = Unit.objects.select_related("unit_type__level", "parent").get(pk=unit.pk)
    new_parent = Unit.objects.select_related("unit_type__level").get(pk=new_parent.pk)
    require(actor, Action.ORGANISATION_REORGANISE, unit)
    require(actor, Action.ORGANISATION_REORGANISE, new_parent)
    _check_active(unit, day)
    _check_active(new_parent, day, "target")
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise RuleViolation(
            _("Cannot move %(unit)s under %(target)s: the target lies inside the unit being moved.")
            % {"unit": _label(unit), "target": _label(new_parent)},
            field="target",
        )
    if unit.parent_id == new_parent.pk:
        raise RuleViolation(
            _("%(unit)s is already directly under %(target)s.")
            % {"unit": _label(unit), "target": _label(new_parent)},
            field="target",
        )
    if unit.parent_id is None:
        raise RuleViolation(_("The root of the tree cannot be moved."))
    _check_parent_type(new_parent, unit.unit_type, _("Move"))
    subtree = _active_subtree(unit)
    _check_history(subtree, day)
    old_parent = unit.parent
    assert old_parent is not None
    _lock(unit, new_parent, old_parent)
    Unit.objects.move(unit, new_parent, "last-child")
    unit = Unit.objects.get(pk=unit.pk)
    unit.parent = new_parent
    stamp(unit, actor, "unit_move")
    unit.save(update_fields=["parent"])
    event = _event(ReorgKind.MOVE, day, actor, event)
    event.affected_units.add(unit, old_parent, new_parent)
    record_versions([u.pk for u in subtree], day, event)
    if changes is not None:
        extra = len(subtree) - 1
        text = _("Move %(unit)s from %(old)s to %(new)s") % {
            "unit": _label(unit),
            "old": _label(old_parent),
            "new": _label(new_parent),
        }
        if extra:
            text += " " + _("(with %(n)s units below it)") % {"n": extra}
        changes.add("move", text, unit=unit.code)
    return unit


# ---------------------------------------------------------------------------------------------
# Steps of the dissolutions (dissolve, merge, split)


def _check_receiver(actor: Any, receiver: Unit, unit: Unit, day: dt.date, message: str) -> None:
    """`receiver` (fresh from the database) may receive the members, units or work of `unit`;
    `message` says why one lying inside `unit` cannot (with %(target)s and %(unit)s)."""
    require(actor, Action.ORGANISATION_REORGANISE, receiver)
    _check_active(receiver, day, "target")
    if receiver.path.startswith(unit.path):
        raise RuleViolation(
            message % {"target": _label(receiver), "unit": _label(unit)}, field="target"
        )


def _check_dissolve(actor: Any, unit: Unit, day: dt.date, receivers: Iterable[Unit | None]) -> None:
    require(actor, Action.ORGANISATION_REORGANISE, unit)
    _check_active(unit, day)
    if unit.parent_id is None:
        raise RuleViolation(_("The root of the tree cannot be dissolved."))
    for receiver in receivers:
        if receiver is not None:
            _check_receiver(
                actor,
                Unit.objects.get(pk=receiver.pk),
                unit,
                day,
                _("%(target)s lies inside %(unit)s, which is being dissolved."),
            )
    _check_history([unit], day)


def _move_all_children(
    actor: Any,
    unit: Unit,
    children_to: Unit | None,
    day: dt.date,
    event: ReorgEvent,
    changes: ChangeSet | None,
) -> int:
    """Move the active units under a dissolved `unit` to `children_to`; return how many."""
    children = list(Unit.objects.filter(parent=unit, dissolved_on__isnull=True))
    if children and children_to is None:
        raise RuleViolation(
            _(
                "%(unit)s still has %(n)s active units under it; move or dissolve them first, "
                "or name a unit to receive them."
            )
            % {"unit": _label(unit), "n": len(children)}
        )
    for child in children:
        assert children_to is not None
        unit_move(
            actor=actor,
            unit=child,
            new_parent=children_to,
            day=day,
            event=event,
            changes=changes,
        )
    return len(children)


def _hand_over(
    actor: Any,
    source: Unit,
    receiver: Unit,
    day: dt.date,
    event: ReorgEvent,
    changes: ChangeSet | None,
    *,
    members: int,
    children: int,
) -> None:
    """Record that `receiver` took over from `source`, and let later registers move their open
    work (`unit_work_handed_over`)."""
    LineageLink.objects.create(
        event=event,
        source=source,
        target=receiver,
        members_moved=members,
        children_moved=children,
    )
    unit_work_handed_over.send(
        sender=Unit,
        source=source,
        target=receiver,
        day=day,
        event=event,
        actor=actor,
        changes=changes,
    )


def _close_dissolved(unit: Unit, day: dt.date, reason: str, actor: Any, service: str) -> None:
    _close_version(unit, day)
    unit.dissolved_on = day
    unit.dissolution_reason = reason
    stamp(unit, actor, service)
    unit.save(update_fields=["dissolved_on", "dissolution_reason"])


@transaction.atomic
def unit_dissolve(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    members_to: Unit | None = None,
    children_to: Unit | None = None,
    reason: str = "",
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
    _kind: str = ReorgKind.DISSOLVE,
) -> Unit:
    """Dissolve `unit` on `day`.

    Its members move to `members_to` or, if none is given, leave the union with reason
    "unit dissolved". Units still under it move to `children_to`; without it they must have been
    moved or dissolved first.
    """
    _tree_lock()
    _check_day(day)
    unit = Unit.objects.select_related("unit_type__level", "parent").get(pk=unit.pk)
    _check_dissolve(actor, unit, day, (members_to, children_to))
    event = _event(_kind, day, actor, event, note=reason)
    event.affected_units.add(unit)
    children = _move_all_children(actor, unit, children_to, day, event, changes)
    moves = member_moves()
    moved = exited = 0
    if members_to is not None:
        moved = moves.transfer(
            actor=actor, from_unit=unit, to_unit=members_to, day=day, event=event, changes=changes
        )
    else:
        exited = moves.exit_all(actor=actor, unit=unit, day=day, event=event, changes=changes)
    receiver = members_to or children_to
    if receiver is not None:
        event.affected_units.add(receiver)
        _hand_over(actor, unit, receiver, day, event, changes, members=moved, children=children)
    _close_dissolved(unit, day, reason, actor, "unit_dissolve")
    if changes is not None:
        text = _("Dissolve %(unit)s on %(day)s") % {"unit": _label(unit), "day": short_date(day)}
        if exited:
            text += "; " + _("%(n)s members leave the union (unit dissolved)") % {"n": exited}
        changes.add("dissolve", text, unit=unit.code)
    return unit


@transaction.atomic
def units_merge(
    *,
    actor: Any,
    sources: Sequence[Unit],
    target: Unit,
    day: dt.date,
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
) -> Unit:
    """Merge `sources` into `target`: their units, members and open work move, they dissolve."""
    _tree_lock()
    _check_day(day)
    if not sources:
        raise RuleViolation(_("Choose at least one unit to merge."))
    ids = [s.pk for s in sources]
    if len(set(ids)) != len(ids):
        raise RuleViolation(_("A unit is listed twice among the units to merge."))
    target = Unit.objects.get(pk=target.pk)
    if target.pk in ids:
        raise RuleViolation(_("The receiving unit cannot also be one of the merged units."))
    require(actor, Action.ORGANISATION_REORGANISE, target)
    _check_active(target, day, "target")
    fresh = list(Unit.objects.filter(pk__in=ids).select_related("unit_type__level"))
    for source in fresh:
        require(actor, Action.ORGANISATION_REORGANISE, source)
        _check_active(source, day)
        if target.path.startswith(source.path):
            raise RuleViolation(
                _("The receiving unit %(target)s lies inside %(unit)s, which is merged into it.")
                % {"target": _label(target), "unit": _label(source)},
                field="target",
            )
    event = _event(ReorgKind.MERGE, day, actor, event)
    event.affected_units.add(target, *fresh)
    for source in fresh:
        unit_dissolve(
            actor=actor,
            unit=source,
            day=day,
            members_to=target,
            children_to=target,
            reason=_("Merged into %(target)s") % {"target": _label(target)},
            event=event,
            changes=changes,
            _kind=ReorgKind.MERGE,
        )
    return Unit.objects.get(pk=target.pk)


def _split_targets(actor: Any, source: Unit, targets: Sequence[Unit], day: dt.date) -> list[Unit]:
    """The receiving units of a split, fresh from the database and checked."""
    fresh = [Unit.objects.get(pk=t.pk) for t in targets]
    if len({t.pk for t in fresh}) != len(fresh):
        raise RuleViolation(_("A receiving unit is listed twice."))
    for t in fresh:
        _check_receiver(
            actor,
            t,
            source,
            day,
            _("The receiving unit %(target)s lies inside %(unit)s, which is being split."),
        )
    return fresh


def _check_split_lists(
    source: Unit,
    targets: list[Unit],
    member_targets: dict[int, Unit],
    child_targets: dict[int, Unit],
    members_here: set[int],
) -> dict[int, Unit]:
    """Every listed receiver is one of the split's, every listed member and unit belongs to
    `source`; return the active units directly under it by id."""
    target_ids = {t.pk for t in targets}
    for mapping in (member_targets, child_targets):
        for t in mapping.values():
            if t.pk not in target_ids:
                raise RuleViolation(
                    _("%(target)s is not one of the receiving units of this split.")
                    % {"target": _label(t)}
                )
    stray = [m for m in member_targets if m not in members_here]
    if stray:
        raise RuleViolation(
            _("%(n)s members in the assignment list are not members of %(unit)s.")
            % {"n": len(stray), "unit": _label(source)}
        )
    children = {c.pk: c for c in Unit.objects.filter(parent=source, dissolved_on__isnull=True)}
    stray = [c for c in child_targets if c not in children]
    if stray:
        raise RuleViolation(
            _("%(n)s units in the assignment list are not directly under %(unit)s.")
            % {"n": len(stray), "unit": _label(source)}
        )
    return children


def _split_children(
    actor: Any,
    children: dict[int, Unit],
    child_targets: dict[int, Unit],
    targets: list[Unit],
    day: dt.date,
    event: ReorgEvent,
    changes: ChangeSet | None,
) -> dict[int, int]:
    """Move each unit under the source to its receiver (the first one unless listed); return
    how many each receiving unit took."""
    moved = dict.fromkeys((t.pk for t in targets), 0)
    for child_id, child in children.items():
        t = child_targets.get(child_id, targets[0])
        unit_move(actor=actor, unit=child, new_parent=t, day=day, event=event, changes=changes)
        moved[t.pk] += 1
    return moved


def _split_members(
    actor: Any,
    source: Unit,
    members_here: set[int],
    member_targets: dict[int, Unit],
    targets: list[Unit],
    day: dt.date,
    event: ReorgEvent,
    changes: ChangeSet | None,
) -> dict[int, int]:
    """Move each open member of the source to their receiver (the first one unless listed);
    return how many each receiving unit took."""
    moved = dict.fromkeys((t.pk for t in targets), 0)
    moves = member_moves()
    for t in targets:
        ids = [m for m in members_here if member_targets.get(m, targets[0]).pk == t.pk]
        if ids:
            moved[t.pk] = moves.transfer(
                actor=actor,
                from_unit=source,
                to_unit=t,
                day=day,
                event=event,
                changes=changes,
                member_ids=ids,
            )
    return moved


@transaction.atomic
def unit_split(
    *,
    actor: Any,
    source: Unit,
    targets: Sequence[Unit],
    day: dt.date,
    member_targets: dict[int, Unit] | None = None,
    child_targets: dict[int, Unit] | None = None,
    event: ReorgEvent | None = None,
    changes: ChangeSet | None = None,
) -> list[Unit]:
    """Split `source` into `targets` and dissolve it.

    Members listed in `member_targets` (member id → target) and units in `child_targets` go where
    listed; all others go to the first target.
    """
    _tree_lock()
    _check_day(day)
    if len(targets) < 2:
        raise RuleViolation(_("A split needs at least two receiving units."))
    source = Unit.objects.get(pk=source.pk)
    require(actor, Action.ORGANISATION_REORGANISE, source)
    _check_active(source, day)
    fresh_targets = _split_targets(actor, source, targets, day)
    member_targets = member_targets or {}
    child_targets = child_targets or {}
    members_here = member_moves().open_member_ids(source)
    children = _check_split_lists(
        source, fresh_targets, member_targets, child_targets, members_here
    )
    _check_history([source], day)
    event = _event(ReorgKind.SPLIT, day, actor, event)
    event.affected_units.add(source, *fresh_targets)
    units = _split_children(actor, children, child_targets, fresh_targets, day, event, changes)
    members = _split_members(
        actor, source, members_here, member_targets, fresh_targets, day, event, changes
    )
    for t in fresh_targets:
        _hand_over(
            actor, source, t, day, event, changes, members=members[t.pk], children=units[t.pk]
        )
    reason = _("Split into %(targets)s") % {"targets": ", ".join(_label(t) for t in fresh_targets)}
    _close_dissolved(source, day, reason, actor, "unit_split")
    if changes is not None:
        changes.add(
            "dissolve",
            _("Dissolve %(unit)s on %(day)s (split)")
            % {"unit": _label(source), "day": short_date(day)},
            unit=source.code,
        )
    return [Unit.objects.get(pk=t.pk) for t in fresh_targets]


@transaction.atomic
def unit_create_root(
    *, code: str, name: str, unit_type: UnitType, day: dt.date, short_name: str = ""
) -> Unit:
    """Create the root of the tree (the national confederation, or the federation an
    installation serves); work of the system: the first run (`congdoan init`) and the demo."""
    _tree_lock()
    _check_day(day)
    code = (code or "").strip().upper()
    if not code:
        raise RuleViolation(_("The unit code is required."), field="code")
    if not (name or "").strip():
        raise RuleViolation(_("The official name is required."), field="name")
    if Unit.objects.filter(depth=1).exists():
        raise RuleViolation(_("The tree already has a root."))
    unit = Unit(code=code, name=name, short_name=short_name, unit_type=unit_type, founded_on=day)
    stamp(unit, None, "unit_create")
    unit = Unit.objects.add_root(instance=unit)
    record_versions([unit.pk], day, None)
    return unit
