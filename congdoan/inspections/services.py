"""Writes to inspections, the units they cover, their recommendations and follow-ups, and to
complaints and denunciations.

Every service needs `inspection.manage` on the conducting unit (a complaint: on the handling
unit). The rules:

- dates: an inspection runs from `started_on` to `ended_on` (the end may be left empty while it
  runs); its decision is dated on or before the start; the conducting unit exists on the start
  day; recommendations fall due, and follow-ups happen, on or after the start.
- the units inspected: a unit of the tree must lie within the conducting unit's subtree (the
  conducting unit itself included: its UBKT inspects its own finance) as the tree stood on the
  start day, or as it stands today (an inspection recorded after a reorganisation), and must
  exist on the start day; a body outside the tree is named (an enterprise, an agency…). A unit
  or a body is listed once per inspection. A unit the actor cannot see is "not found", as a
  unit that does not exist.
- a recommendation is addressed to one of the inspection's units, or to all of them; it is done
  when its latest follow-up says it was carried out.
- a complaint is resolved on or after the day it was received.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.activities import selectors as activity_selectors
from congdoan.activities import services as activity_services
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, require
from congdoan.core.text import fold, nfc
from congdoan.inspections.models import (
    Body,
    Complaint,
    ComplaintKind,
    FollowUp,
    Inspected,
    Inspection,
    InspectionKind,
    OutsideKind,
    Recommendation,
    key_of,
)
from congdoan.organisation.models import Unit, UnitVersion

MANAGE = Action.INSPECTION_MANAGE
# The fields `inspection_update` may change.
INSPECTION_FIELDS = (
    "kind",
    "body",
    "partners",
    "title",
    "decision_number",
    "decision_date",
    "started_on",
    "ended_on",
    "findings",
)
RECOMMENDATION_FIELDS = ("text", "target", "due_on", "order")
COMPLAINT_FIELDS = ("kind", "received_on", "sender", "summary", "resolved_on", "outcome")
TEXT_LIMITS = {"partners": 500, "title": 300, "decision_number": 60, "name": 300, "sender": 200}


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _unknown(fields: Iterable[str], allowed: Sequence[str], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def _check_lengths(obj: Any, names: Iterable[str]) -> None:
    for name in names:
        limit = TEXT_LIMITS.get(name)
        if limit and len(nfc(getattr(obj, name))) > limit:
            raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": limit}, field=name)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _check_alive(unit: Unit, day: dt.date, field: str) -> None:
    """`unit` exists on `day`."""
    if day < unit.founded_on:
        raise RuleViolation(
            _("%(unit)s was founded on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.founded_on)},
            field=field,
        )
    if unit.dissolved_on is not None and day > unit.dissolved_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field=field,
        )


# ---------------------------------------------------------------------------------------------
# Inspections


def check_inspection(inspection: Inspection) -> None:
    if inspection.kind not in InspectionKind.values:
        raise RuleViolation(_("Choose the kind of inspection or supervision."), field="kind")
    if inspection.body not in Body.values:
        raise RuleViolation(_("Choose the body that conducted it."), field="body")
    start = inspection.started_on
    if not _is_date(start):
        raise RuleViolation(_("The start date is missing or invalid."), field="started_on")
    end = inspection.ended_on
    if end is not None and (not _is_date(end) or end < start):
        raise RuleViolation(
            _("The end date must be on or after the start date (%(day)s).")
            % {"day": short_date(start)},
            field="ended_on",
        )
    decided = inspection.decision_date
    if decided is not None and (not _is_date(decided) or decided > start):
        raise RuleViolation(
            _("The decision is dated on or before the start (%(day)s).")
            % {"day": short_date(start)},
            field="decision_date",
        )
    _check_lengths(inspection, ("partners", "title", "decision_number"))
    _check_alive(inspection.unit, start, "started_on")


def _reindex(inspection: Inspection) -> None:
    """The folded words the list's search finds the inspection by."""
    names = [t.label for t in inspection.targets.select_related("unit")]
    words = [inspection.title, inspection.decision_number, inspection.partners, *names]
    text = fold(" ".join(w for w in words if w))
    if text != inspection.search_text:
        inspection.search_text = text
        Inspection.objects.filter(pk=inspection.pk).update(search_text=text)


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    body: str,
    started_on: dt.date,
    units: Sequence[Unit] = (),
    outside: Sequence[tuple[str, str]] = (),
    **fields: Any,
) -> Inspection:
    """Record an inspection or supervision conducted by `unit`. `fields`: any other of
    `INSPECTION_FIELDS`; `units` (of the tree) and `outside` ((name, kind) of bodies outside
    it) are the units it covered, checked as `inspected_add` checks them."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, MANAGE, unit)
    _unknown(fields, INSPECTION_FIELDS, "inspection")
    inspection = Inspection(unit=unit, kind=kind, body=body, started_on=started_on, **fields)
    check_inspection(inspection)
    stamp(inspection, actor, "inspection_create")
    inspection.save()
    for target in units:
        _add_target(actor, inspection, unit=target)
    for name, outside_kind in outside:
        _add_target(actor, inspection, name=name, outside_kind=outside_kind)
    _reindex(inspection)
    return inspection


def _fresh(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_related("unit").get(pk=inspection.pk)


@transaction.atomic
def inspection_update(*, actor: Any, inspection: Inspection, **changes: Any) -> Inspection:
    """Change any of `INSPECTION_FIELDS` (the conducting unit stays). A new start day checks
    the units inspected again against the tree of that day."""
    inspection = _fresh(inspection)
    require(actor, MANAGE, inspection.unit)
    _unknown(changes, INSPECTION_FIELDS, "inspection")
    changed = [name for name, value in changes.items() if getattr(inspection, name) != value]
    if not changed:
        return inspection
    for name in changed:
        setattr(inspection, name, changes[name])
    check_inspection(inspection)
    if "started_on" in changed:
        for target in inspection.targets.filter(unit__isnull=False).select_related("unit"):
            assert target.unit is not None
            _check_in_subtree(actor, inspection, target.unit)
    stamp(inspection, actor, "inspection_update")
    inspection.save(update_fields=[*sorted(changed), "updated_at"])
    _reindex(inspection)
    return inspection


@transaction.atomic
def inspection_delete(*, actor: Any, inspection: Inspection) -> None:
    """Delete an inspection with its units inspected, recommendations, follow-ups and attached
    files (each with its history row)."""
    inspection = _fresh(inspection)
    require(actor, MANAGE, inspection.unit)
    for attachment in activity_selectors.attachments_of(inspection):
        activity_services.attachment_delete(actor=actor, attachment=attachment)
    follow_ups = FollowUp.objects.filter(recommendation__inspection=inspection)
    rows: list[Any] = [
        *follow_ups,
        *Recommendation.objects.filter(inspection=inspection),
        *Inspected.objects.filter(inspection=inspection),
    ]
    for row in rows:
        stamp(row, actor, "inspection_delete")
        row.delete()
    stamp(inspection, actor, "inspection_delete")
    inspection.delete()


# ---------------------------------------------------------------------------------------------
# Units inspected


def _path_on(unit_id: int, day: dt.date) -> str | None:
    return (
        UnitVersion.objects.on(day).filter(unit_id=unit_id).values_list("path", flat=True).first()
    )


def _check_in_subtree(actor: Any, inspection: Inspection, unit: Unit) -> None:
    """`unit` lies within the conducting unit's subtree on the start day or today, and exists
    on the start day; a unit the actor cannot see is "not found"."""
    if actor is not None and not path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
        raise RuleViolation(_("This unit was not found within your scope."), field="unit")
    day, conducting = inspection.started_on, inspection.unit
    then, conducting_then = _path_on(unit.pk, day), _path_on(conducting.pk, day)
    within_then = bool(then and conducting_then and then.startswith(conducting_then))
    if not (within_then or unit.path.startswith(conducting.path)):
        raise RuleViolation(
            _(
                "%(unit)s is not within %(conducting)s or the units below it: name it as a "
                "body outside the tree instead."
            )
            % {"unit": _label(unit), "conducting": _label(conducting)},
            field="unit",
        )
    if then is None:
        raise RuleViolation(
            _("%(unit)s did not exist on %(day)s.")
            % {"unit": _label(unit), "day": short_date(day)},
            field="unit",
        )


def _add_target(
    actor: Any,
    inspection: Inspection,
    *,
    unit: Unit | None = None,
    name: str = "",
    outside_kind: str = "",
) -> Inspected:
    name = nfc(name)
    if unit is not None:
        unit = Unit.objects.get(pk=unit.pk)
        _check_in_subtree(actor, inspection, unit)
        name, outside_kind = "", ""
    elif not name:
        raise RuleViolation(_("Choose a unit or name the body inspected."), field="name")
    elif outside_kind not in OutsideKind.values:
        raise RuleViolation(_("Choose the kind of body inspected."), field="outside_kind")
    target = Inspected(inspection=inspection, unit=unit, name=name, outside_kind=outside_kind)
    _check_lengths(target, ("name",))
    if Inspected.objects.filter(inspection=inspection, key=key_of(target.unit_id, name)).exists():
        raise RuleViolation(
            _("%(name)s is already among the units inspected.")
            % {"name": _label(unit) if unit is not None else name},
            field="unit" if unit is not None else "name",
        )
    stamp(target, actor, "inspected_add")
    target.save()
    return target


@transaction.atomic
def inspected_add(
    *,
    actor: Any,
    inspection: Inspection,
    unit: Unit | None = None,
    name: str = "",
    outside_kind: str = "",
) -> Inspected:
    """Add a unit the inspection covered: `unit` of the tree, or a body outside it (`name`,
    `outside_kind`)."""
    inspection = _fresh(inspection)
    require(actor, MANAGE, inspection.unit)
    target = _add_target(actor, inspection, unit=unit, name=name, outside_kind=outside_kind)
    _reindex(inspection)
    return target


@transaction.atomic
def inspected_remove(*, actor: Any, target: Inspected) -> None:
    """Remove a unit from an inspection, while no recommendation is addressed to it."""
    target = Inspected.objects.select_related("inspection__unit", "unit").get(pk=target.pk)
    inspection = target.inspection
    require(actor, MANAGE, inspection.unit)
    if target.recommendations.exists():
        raise RuleViolation(
            _("Recommendations are addressed to %(name)s: remove or readdress them first.")
            % {"name": target.label}
        )
    stamp(target, actor, "inspected_remove")
    target.delete()
    _reindex(inspection)


# ---------------------------------------------------------------------------------------------
# Recommendations and follow-ups


def _check_recommendation(row: Recommendation) -> None:
    row.text = nfc(row.text)
    if not row.text:
        raise RuleViolation(_("The recommendation is required."), field="text")
    if row.target is not None and row.target.inspection_id != row.inspection_id:
        raise RuleViolation(
            _("Address the recommendation to one of the units of this inspection."),
            field="target",
        )
    start = row.inspection.started_on
    if row.due_on is not None and (not _is_date(row.due_on) or row.due_on < start):
        raise RuleViolation(
            _("The due date must be on or after the start of the inspection (%(day)s).")
            % {"day": short_date(start)},
            field="due_on",
        )


def _next_order(rows: Any) -> int:
    last = rows.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def recommendation_add(
    *,
    actor: Any,
    inspection: Inspection,
    text: str,
    target: Inspected | None = None,
    due_on: dt.date | None = None,
    order: int | None = None,
) -> Recommendation:
    """Add a recommendation of the inspection, to one of its units (`target`) or to all."""
    inspection = _fresh(inspection)
    require(actor, MANAGE, inspection.unit)
    if order is None:
        order = _next_order(inspection.recommendations.all())
    row = Recommendation(
        inspection=inspection, target=target, text=text, due_on=due_on, order=order
    )
    _check_recommendation(row)
    stamp(row, actor, "recommendation_add")
    row.save()
    return row


def _fresh_recommendation(row: Recommendation) -> Recommendation:
    return Recommendation.objects.select_related("inspection__unit", "target").get(pk=row.pk)


@transaction.atomic
def recommendation_update(
    *, actor: Any, recommendation: Recommendation, **changes: Any
) -> Recommendation:
    """Change any of `RECOMMENDATION_FIELDS` of a recommendation."""
    row = _fresh_recommendation(recommendation)
    require(actor, MANAGE, row.inspection.unit)
    _unknown(changes, RECOMMENDATION_FIELDS, "recommendation")
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, changes[name])
    _check_recommendation(row)
    stamp(row, actor, "recommendation_update")
    row.save(update_fields=sorted(changed))
    return row


@transaction.atomic
def recommendation_remove(*, actor: Any, recommendation: Recommendation) -> None:
    row = _fresh_recommendation(recommendation)
    require(actor, MANAGE, row.inspection.unit)
    for follow_up in row.follow_ups.all():
        stamp(follow_up, actor, "recommendation_remove")
        follow_up.delete()
    stamp(row, actor, "recommendation_remove")
    row.delete()


def _settle(row: Recommendation, actor: Any, reason: str) -> None:
    """Done on the day of its latest follow-up, when that one says it was carried out."""
    latest = row.follow_ups.order_by("-on", "-pk").first()
    done_on = latest.on if latest is not None and latest.done else None
    if done_on != row.done_on:
        row.done_on = done_on
        stamp(row, actor, reason)
        row.save(update_fields=["done_on"])


@transaction.atomic
def follow_up_add(
    *, actor: Any, recommendation: Recommendation, on: dt.date, action: str, done: bool = False
) -> FollowUp:
    """Record what was done about a recommendation on a day (`done`: it is carried out)."""
    row = _fresh_recommendation(recommendation)
    require(actor, MANAGE, row.inspection.unit)
    start = row.inspection.started_on
    if not _is_date(on) or on < start:
        raise RuleViolation(
            _("The follow-up is dated on or after the start of the inspection (%(day)s).")
            % {"day": short_date(start)},
            field="on",
        )
    follow_up = FollowUp(recommendation=row, on=on, action=nfc(action), done=bool(done))
    if not follow_up.action:
        raise RuleViolation(_("Say what was done."), field="action")
    stamp(follow_up, actor, "follow_up_add")
    follow_up.save()
    _settle(row, actor, "follow_up_add")
    return follow_up


@transaction.atomic
def follow_up_remove(*, actor: Any, follow_up: FollowUp) -> None:
    follow_up = FollowUp.objects.select_related("recommendation__inspection__unit").get(
        pk=follow_up.pk
    )
    row = follow_up.recommendation
    require(actor, MANAGE, row.inspection.unit)
    stamp(follow_up, actor, "follow_up_remove")
    follow_up.delete()
    _settle(row, actor, "follow_up_remove")


# ---------------------------------------------------------------------------------------------
# Complaints and denunciations


def check_complaint(row: Complaint) -> None:
    if row.kind not in ComplaintKind.values:
        raise RuleViolation(_("Choose a complaint or a denunciation."), field="kind")
    if not _is_date(row.received_on):
        raise RuleViolation(
            _("The day it was received is missing or invalid."), field="received_on"
        )
    row.summary = nfc(row.summary)
    if not row.summary:
        raise RuleViolation(_("Say what the case is about."), field="summary")
    resolved = row.resolved_on
    if resolved is not None and (not _is_date(resolved) or resolved < row.received_on):
        raise RuleViolation(
            _("A case is resolved on or after the day it was received (%(day)s).")
            % {"day": short_date(row.received_on)},
            field="resolved_on",
        )
    _check_lengths(row, ("sender",))
    _check_alive(row.unit, row.received_on, "received_on")


@transaction.atomic
def complaint_create(
    *, actor: Any, unit: Unit, kind: str, received_on: dt.date, summary: str, **fields: Any
) -> Complaint:
    """Record a complaint or denunciation received by `unit`; `fields`: sender, resolved_on,
    outcome."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, MANAGE, unit)
    _unknown(fields, COMPLAINT_FIELDS, "complaint")
    row = Complaint(unit=unit, kind=kind, received_on=received_on, summary=summary, **fields)
    check_complaint(row)
    stamp(row, actor, "complaint_create")
    row.save()
    return row


@transaction.atomic
def complaint_update(*, actor: Any, complaint: Complaint, **changes: Any) -> Complaint:
    """Change any of `COMPLAINT_FIELDS` (resolving a case: `resolved_on` and `outcome`)."""
    row = Complaint.objects.select_related("unit").get(pk=complaint.pk)
    require(actor, MANAGE, row.unit)
    _unknown(changes, COMPLAINT_FIELDS, "complaint")
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, changes[name])
    check_complaint(row)
    stamp(row, actor, "complaint_update")
    row.save(update_fields=[*sorted(changed), "updated_at"])
    return row


@transaction.atomic
def complaint_delete(*, actor: Any, complaint: Complaint) -> None:
    row = Complaint.objects.select_related("unit").get(pk=complaint.pk)
    require(actor, MANAGE, row.unit)
    for attachment in activity_selectors.attachments_of(row):
        activity_services.attachment_delete(actor=actor, attachment=attachment)
    stamp(row, actor, "complaint_delete")
    row.delete()
