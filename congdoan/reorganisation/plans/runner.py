"""Running plan rows through the services: the simulation (rolled back, one savepoint per row)
and the entry points `check_file`, `plan_upload` and `plan_apply` (one transaction, all or
nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.core.text import nfc
from congdoan.organisation.models import (
    OwnershipType,
    PlanStatus,
    ReorgEvent,
    ReorgPlan,
    Sector,
    Unit,
    UnitType,
)
from congdoan.organisation.services import ChangeSet
from congdoan.reorganisation import services
from congdoan.reorganisation.plans.checks import check_plan
from congdoan.reorganisation.plans.fileformat import (
    Assignment,
    CheckedPlan,
    PlanError,
    PlanFileError,
    PlanRow,
    parse_assignments,
    parse_rows,
    read_file,
)

# ---------------------------------------------------------------------------------------------
# 4. Running the rows (simulation and apply)


_FIELD_COLUMNS = {
    "code": "code",
    "name": "name",
    "unit_type": "type",
    "day": "day",
    "target": "target",
}


def _find(code: str, user: Any, action: Action = Action.ORGANISATION_REORGANISE) -> Unit:
    unit = Unit.objects.visible_to(user, action).filter(code=code).first()
    if unit is None:
        raise RuleViolation(
            _("Unit code %(code)s was not found in your scope.") % {"code": code}, field="code"
        )
    return unit


def run_row(
    row: PlanRow,
    assignments: list[Assignment],
    *,
    actor: Any,
    day: dt.date,
    decision_ref: str,
    plan: ReorgPlan | None,
    changes: ChangeSet,
) -> ReorgEvent:
    """Run one plan row through the service of its operation (`_RUNNERS`)."""
    runner = _RUNNERS.get(row.op)
    if runner is None:
        raise RuleViolation(_("Unknown operation."))
    common: dict[str, Any] = {
        "actor": actor,
        "day": day,
        "decision_ref": decision_ref,
        "note": row.note,
        "plan": plan,
        "plan_row": row.row,
        "changes": changes,
    }
    return runner(row, assignments, common)


def _catalogue(model: Any, code: str) -> Any:
    return model.objects.get(code=code) if code else None


def _unit_type(code: str) -> UnitType:
    return UnitType.objects.select_related("level").get(code=code)


def _run_create(row: PlanRow, assignments: list[Assignment], common: dict[str, Any]) -> ReorgEvent:
    actor = common["actor"]
    new = services.NewUnit(
        code=row.codes[0],
        name=row.name,
        short_name=row.short_name,
        unit_type=_unit_type(row.type),
        parent=_find(row.target[0], actor),
        sector=_catalogue(Sector, row.sector),
        ownership=_catalogue(OwnershipType, row.ownership),
    )
    return services.reorg_create(new=new, **common)


def _run_update(row: PlanRow, assignments: list[Assignment], common: dict[str, Any]) -> ReorgEvent:
    values: dict[str, Any] = {}
    if row.name:
        values["name"] = row.name
    if row.short_name:
        values["short_name"] = row.short_name
    if row.type:
        values["unit_type"] = _unit_type(row.type)
    if row.sector:
        values["sector"] = _catalogue(Sector, row.sector)
    if row.ownership:
        values["ownership"] = _catalogue(OwnershipType, row.ownership)
    if not values:
        raise RuleViolation(_("Give at least one new value (name, short name, type, …)."))
    unit = _find(row.codes[0], common["actor"], Action.ORGANISATION_CHANGE)
    return services.reorg_update(unit=unit, values=values, **common)


def _run_move(row: PlanRow, assignments: list[Assignment], common: dict[str, Any]) -> ReorgEvent:
    actor = common["actor"]
    return services.reorg_move(
        unit=_find(row.codes[0], actor), new_parent=_find(row.target[0], actor), **common
    )


def _run_merge(row: PlanRow, assignments: list[Assignment], common: dict[str, Any]) -> ReorgEvent:
    actor = common["actor"]
    return services.reorg_merge(
        sources=[_find(c, actor) for c in row.codes],
        target=_find(row.target[0], actor),
        **common,
    )


def _run_split(row: PlanRow, assignments: list[Assignment], common: dict[str, Any]) -> ReorgEvent:
    actor = common["actor"]
    source = _find(row.codes[0], actor)
    mine = [a for a in assignments if a.source == source.code]
    child_targets = _child_targets(source, mine)
    return services.reorg_split(
        source=source,
        targets=[_find(c, actor) for c in row.target],
        member_targets={a.member_id: a.target for a in mine if a.member_id},
        child_targets=child_targets,
        **common,
    )


def _child_targets(source: Unit, assignments: list[Assignment]) -> dict[int, str]:
    """Units directly under `source` that the assignments name → their receiving unit's code."""
    children = {u.code: u.pk for u in Unit.objects.filter(parent=source, dissolved_on__isnull=True)}
    child_targets: dict[int, str] = {}
    for a in assignments:
        if not a.child:
            continue
        if a.child not in children:
            raise RuleViolation(
                _("%(code)s (sheet “Phân bổ”, row %(row)s) is not directly under %(unit)s.")
                % {"code": a.child, "row": a.row, "unit": source.code}
            )
        child_targets[children[a.child]] = a.target
    return child_targets


def _run_dissolve(
    row: PlanRow, assignments: list[Assignment], common: dict[str, Any]
) -> ReorgEvent:
    actor = common["actor"]
    receiver = _find(row.target[0], actor) if row.target else None
    return services.reorg_dissolve(
        unit=_find(row.codes[0], actor), members_to=receiver, children_to=receiver, **common
    )


_RUNNERS: dict[str, Callable[[PlanRow, list[Assignment], dict[str, Any]], ReorgEvent]] = {
    "create": _run_create,
    "update": _run_update,
    "move": _run_move,
    "merge": _run_merge,
    "split": _run_split,
    "dissolve": _run_dissolve,
}


class _Rollback(Exception):
    pass


def _lines(row: PlanRow, changes: ChangeSet) -> list[dict[str, Any]]:
    return [{"row": row.row, "op": row.op, **c} for c in changes.as_list()]


def simulate(
    filename: str,
    sheet: str,
    rows: list[PlanRow],
    assignments: list[Assignment],
    *,
    actor: Any,
    day: dt.date,
    decision_ref: str,
    skip: set[int],
) -> tuple[list[PlanError], list[dict[str, Any]]]:
    """Run every row (except those in `skip`) in one transaction that is rolled back."""
    errors: list[PlanError] = []
    preview: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            for row in rows:
                if row.row in skip or not row.op:
                    continue
                changes = ChangeSet()
                try:
                    with transaction.atomic():
                        run_row(
                            row,
                            assignments,
                            actor=actor,
                            day=day,
                            decision_ref=decision_ref,
                            plan=None,
                            changes=changes,
                        )
                except RuleViolation as exc:
                    key = _FIELD_COLUMNS.get(exc.field or "", "code")
                    errors.append(
                        PlanError(
                            file=filename,
                            sheet=sheet,
                            row=row.row,
                            column=row.column(key),
                            message=str(exc),
                        )
                    )
                    continue
                preview.extend(_lines(row, changes))
            raise _Rollback
    except _Rollback:
        pass
    return errors, preview


# ---------------------------------------------------------------------------------------------
# Entry points


def check_file(
    filename: str,
    data: bytes,
    *,
    user: Any,
    effective_date: dt.date | None = None,
    decision_ref: str = "",
) -> CheckedPlan:
    """Read, parse, check and simulate a plan file. Nothing is changed."""
    try:
        tables = read_file(filename, data)
    except PlanFileError as exc:
        return CheckedPlan(filename, [], [], [PlanError(file=filename, message=str(exc))], None)
    main = tables["main"]
    rows, errors = parse_rows(filename, main)
    assignments: list[Assignment] = []
    if "assign" in tables:
        assignments, more = parse_assignments(filename, tables["assign"])
        errors += more
    if not rows:
        return CheckedPlan(filename, rows, assignments, errors, effective_date)
    more, day = check_plan(
        filename, main.sheet, rows, assignments, user=user, form_day=effective_date
    )
    errors += more
    preview: list[dict[str, Any]] = []
    if day is not None:
        skip = {e.row for e in errors if e.row is not None and e.sheet == main.sheet}
        sim_errors, preview = simulate(
            filename,
            main.sheet,
            rows,
            assignments,
            actor=user,
            day=day,
            decision_ref=decision_ref,
            skip=skip,
        )
        errors += sim_errors
    errors.sort(key=lambda e: (e.sheet != main.sheet, e.row or 0))
    return CheckedPlan(filename, rows, assignments, errors, day, preview)


def default_unit(user: Any) -> Unit | None:
    """The topmost unit where the user may reorganise (the owner of their plans)."""
    return (
        Unit.objects.visible_to(user, Action.ORGANISATION_REORGANISE)
        .order_by("depth", "path")
        .first()
    )


@transaction.atomic
def plan_upload(
    *,
    actor: Any,
    filename: str,
    data: bytes,
    unit: Unit | None = None,
    title: str = "",
    effective_date: dt.date | None = None,
    decision_ref: str = "",
) -> ReorgPlan:
    """Check a plan file and store it, with its errors or its preview. Changes no unit."""
    owner = unit or default_unit(actor)
    if owner is None:
        raise RuleViolation(_("You may not reorganise any unit."))
    require(actor, Action.ORGANISATION_REORGANISE, owner)
    checked = check_file(
        filename, data, user=actor, effective_date=effective_date, decision_ref=decision_ref
    )
    return ReorgPlan.objects.create(
        unit=owner,
        title=nfc(title) or nfc(filename),
        effective_date=checked.day,
        decision_ref=nfc(decision_ref),
        source_filename=filename[:255],
        rows=[asdict(r) for r in checked.rows],
        assignments=[asdict(a) for a in checked.assignments],
        errors=[e.as_dict() for e in checked.errors],
        preview=checked.preview,
        status=PlanStatus.INVALID if checked.errors else PlanStatus.VALID,
        created_by=actor,
    )


def stored_rows(plan: ReorgPlan) -> tuple[list[PlanRow], list[Assignment]]:
    return (
        [PlanRow(**r) for r in plan.rows],
        [Assignment(**a) for a in plan.assignments],
    )


def plan_apply(*, actor: Any, plan: ReorgPlan) -> list[ReorgEvent]:
    """Apply every row of a valid plan in one transaction: all rows or none.

    Raises RuleViolation (with `.row`) when a row no longer passes, e.g. because the tree
    changed since the plan was checked; then nothing is changed and the error is recorded.
    """
    try:
        return _apply(actor=actor, plan_id=plan.pk)
    except RuleViolation as exc:
        if exc.row is not None:
            ReorgPlan.objects.filter(pk=plan.pk, status=PlanStatus.VALID).update(
                status=PlanStatus.INVALID,
                errors=[
                    PlanError(
                        file=plan.source_filename, row=exc.row, message=str(exc), sheet=""
                    ).as_dict()
                ],
            )
        raise


@transaction.atomic
def _apply(*, actor: Any, plan_id: int) -> list[ReorgEvent]:
    plan = ReorgPlan.objects.select_for_update().select_related("unit").get(pk=plan_id)
    require(actor, Action.ORGANISATION_REORGANISE, plan.unit)
    if plan.status == PlanStatus.APPLIED:
        raise RuleViolation(_("This plan has already been applied."))
    if plan.status != PlanStatus.VALID or plan.errors or plan.effective_date is None:
        raise RuleViolation(
            _("A plan with errors cannot be applied; fix the file and upload it again.")
        )
    rows, assignments = stored_rows(plan)
    events: list[ReorgEvent] = []
    for row in rows:
        try:
            events.append(
                run_row(
                    row,
                    assignments,
                    actor=actor,
                    day=plan.effective_date,
                    decision_ref=plan.decision_ref,
                    plan=plan,
                    changes=ChangeSet(),
                )
            )
        except RuleViolation as exc:
            raise RuleViolation(
                _("Row %(row)s: %(message)s") % {"row": row.row, "message": exc},
                row=row.row,
                field=exc.field,
            ) from exc
    plan.status = PlanStatus.APPLIED
    plan.applied_by = actor
    plan.applied_at = timezone.now()
    plan.save(update_fields=["status", "applied_by", "applied_at"])
    return events


def preview_totals(preview: list[dict[str, Any]]) -> dict[str, int]:
    changes = ChangeSet()
    for line in preview:
        changes.add(
            line["kind"], line["text"], unit=line.get("unit", ""), count=line.get("count", 0)
        )
    return changes.totals()
