"""Checks of a parsed plan against the database (codes within scope, catalogues, dates) and
across the plan (a unit that is the subject of two rows, cycles of moves, a unit moved under its
own descendant). Nothing is written.

`check_plan` is a table of named checks: the plan's date, then the row checks (`ROW_CHECKS`, run
row by row, since a row that names a unit created by an earlier row depends on that row's errors),
then the checks of the whole plan (`PLAN_CHECKS`), in that order. They share a `_Plan`: the rows,
what the database knows of the codes they name, and the errors so far."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.members.models import Member
from congdoan.organisation.models import OwnershipType, Sector, Unit, UnitType
from congdoan.reorganisation.plans.fileformat import (
    ASSIGN_COLUMNS,
    ASSIGN_SHEET,
    Assignment,
    PlanError,
    PlanRow,
    header_key,
)

# ---------------------------------------------------------------------------------------------
# 3. Checks against the database and across the plan


class _Catalogue:
    """Unit types, sectors and ownership types by code, name or short name (folded)."""

    def __init__(self, model: Any, *attrs: str):
        self.by_key: dict[str, set[str]] = {}
        for obj in model.objects.all():
            for attr in ("code", *attrs):
                value = getattr(obj, attr, "")
                if value:
                    self.by_key.setdefault(header_key(value), set()).add(obj.code)

    def find(self, text: str) -> tuple[str | None, bool]:
        """(code, ambiguous)."""
        codes = self.by_key.get(header_key(text), set())
        if len(codes) == 1:
            return next(iter(codes)), False
        return None, len(codes) > 1


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _zero_hint(row: PlanRow, key: str) -> str:
    if key in row.numeric:
        return " " + _(
            "The cell holds a number, so a code such as 0012 has lost its leading zeros; format "
            "the column as Text and type the code again."
        )
    return ""


def _plan_day(
    rows: list[PlanRow], form_day: dt.date | None, error: Callable[[PlanRow, str, str], None]
) -> dt.date | None:
    """The one effective date of the plan; rows whose date differs are errors."""
    dated = [r for r in rows if r.day]
    if form_day is not None:
        for r in dated:
            if r.day != form_day.isoformat():
                error(
                    r,
                    "day",
                    _(
                        "The date %(day)s differs from the effective date of the plan, %(plan)s; "
                        "a plan has one effective date."
                    )
                    % {
                        "day": short_date(dt.date.fromisoformat(r.day)),
                        "plan": short_date(form_day),
                    },
                )
        return form_day
    if not dated:
        return None
    day_text, _n = Counter(r.day for r in dated).most_common(1)[0]
    first = next(r for r in dated if r.day == day_text)
    for r in dated:
        if r.day != day_text:
            error(
                r,
                "day",
                _(
                    "The date %(day)s differs from %(plan)s in row %(row)s; a plan has one "
                    "effective date."
                )
                % {
                    "day": short_date(dt.date.fromisoformat(r.day)),
                    "plan": short_date(dt.date.fromisoformat(day_text)),
                    "row": first.row,
                },
            )
    return dt.date.fromisoformat(day_text)


@dataclass
class _Plan:
    """What the checks share: the plan, what the database knows of the codes it names, and the
    errors found so far (`bad_rows`: rows of the main sheet with an error)."""

    filename: str
    sheet: str
    rows: list[PlanRow]
    assignments: list[Assignment]
    user: Any
    errors: list[PlanError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    in_scope: dict[str, Unit] = field(default_factory=dict)  # where the user may reorganise
    changeable: set[str] = field(default_factory=set)  # codes of units the user may change
    taken: set[str] = field(default_factory=set)  # codes of "create" rows already in use
    created_by: dict[str, int] = field(default_factory=dict)  # code → row that creates it
    catalogues: dict[str, _Catalogue] = field(default_factory=dict)  # row attribute → catalogue

    def error(self, row: PlanRow, key: str, message: str) -> None:
        self.bad_rows.add(row.row)
        self.errors.append(
            PlanError(
                file=self.filename,
                sheet=self.sheet,
                row=row.row,
                column=row.column(key),
                message=message,
            )
        )


def check_plan(
    filename: str,
    sheet: str,
    rows: list[PlanRow],
    assignments: list[Assignment],
    *,
    user: Any,
    form_day: dt.date | None,
) -> tuple[list[PlanError], dt.date | None]:
    """Row checks that need the database, then whole-plan checks. Returns errors and the date."""
    plan = _Plan(filename, sheet, rows, assignments, user)
    day = _check_day(plan, form_day)
    _load(plan)
    for row in rows:
        if row.op:
            for row_check in ROW_CHECKS:
                row_check(plan, row)
    for plan_check in PLAN_CHECKS:
        plan_check(plan)
    return plan.errors, day


def _check_day(plan: _Plan, form_day: dt.date | None) -> dt.date | None:
    """The plan's one effective date: from the form or the rows, and present."""
    day = _plan_day(plan.rows, form_day, plan.error)
    if day is None and plan.rows:
        plan.errors.append(
            PlanError(
                file=plan.filename,
                sheet=plan.sheet,
                message=_(
                    "The effective date is missing: fill “Ngày hiệu lực” in the rows or give the "
                    "date on the upload form."
                ),
            )
        )
    return day


def _load(plan: _Plan) -> None:
    """What the database knows of the codes the plan names (within the user's scope), the
    catalogues, and which row creates which code."""
    referenced = sorted({c for r in plan.rows for c in (*r.codes, *r.target)})
    referenced += sorted(
        {a.source for a in plan.assignments if a.source}
        | {a.child for a in plan.assignments if a.child}
    )
    reorganisable = Unit.objects.visible_to(plan.user, Action.ORGANISATION_REORGANISE)
    changeable = Unit.objects.visible_to(plan.user, Action.ORGANISATION_CHANGE)
    for chunk in _chunks(sorted(set(referenced))):
        for u in reorganisable.filter(code__in=chunk):
            plan.in_scope[u.code] = u
        plan.changeable |= set(changeable.filter(code__in=chunk).values_list("code", flat=True))
    creates = [c for r in plan.rows if r.op == "create" for c in r.codes]
    for chunk in _chunks(creates):
        plan.taken |= set(Unit.objects.filter(code__in=chunk).values_list("code", flat=True))
    plan.catalogues = {
        "type": _Catalogue(UnitType, "name", "short_name"),
        "sector": _Catalogue(Sector, "name"),
        "ownership": _Catalogue(OwnershipType, "name"),
    }
    for r in plan.rows:
        if r.op == "create" and r.codes:
            plan.created_by.setdefault(r.codes[0], r.row)


# ---------------------------------------------------------------------------------------------
# Row checks


def _check_created_codes(plan: _Plan, r: PlanRow) -> None:
    """A "create" row's code is new: not in the database, not created by another row."""
    if r.op != "create":
        return
    for code in r.codes:
        maker = plan.created_by.get(code)  # None: a second code of the row (refused already)
        if code in plan.taken:
            plan.error(
                r,
                "code",
                _("Unit code %(code)s is already used (codes are never reused).") % {"code": code},
            )
        elif maker is not None and maker != r.row:
            plan.error(
                r,
                "code",
                _("Unit code %(code)s is also created by row %(other)s.")
                % {"code": code, "other": maker},
            )


def _check_subject_codes(plan: _Plan, r: PlanRow) -> None:
    """The units a row changes exist within scope (for an update: where the user may change)."""
    if r.op == "create":
        return
    action = Action.ORGANISATION_CHANGE if r.op == "update" else Action.ORGANISATION_REORGANISE
    for code in r.codes:
        _check_known(plan, r, "code", code, action)


def _check_target_codes(plan: _Plan, r: PlanRow) -> None:
    """The parent or receiving units exist within scope, or an earlier row creates them."""
    for code in r.target:
        _check_known(plan, r, "target", code)


def _check_known(
    plan: _Plan,
    r: PlanRow,
    key: str,
    code: str,
    action: Action = Action.ORGANISATION_REORGANISE,
) -> None:
    maker = plan.created_by.get(code)
    if maker is not None:
        _check_created_before(plan, r, key, code, maker)
        return
    ok = code in plan.changeable if action == Action.ORGANISATION_CHANGE else code in plan.in_scope
    if not ok:
        plan.error(
            r,
            key,
            _("Unit code %(code)s was not found in your scope.") % {"code": code}
            + _zero_hint(r, key),
        )


def _check_created_before(plan: _Plan, r: PlanRow, key: str, code: str, maker: int) -> None:
    """A unit created by the plan is named only below its row, and that row has no error."""
    if maker > r.row:
        plan.error(
            r,
            key,
            _("Unit %(code)s is created only by row %(maker)s, below this row.")
            % {"code": code, "maker": maker},
        )
    elif maker in plan.bad_rows and maker != r.row:
        plan.error(
            r,
            key,
            _("Unit %(code)s is created by row %(maker)s, which has errors.")
            % {"code": code, "maker": maker},
        )


def _check_catalogue_cells(plan: _Plan, r: PlanRow) -> None:
    """Unit type, sector and ownership name one catalogue entry; the cell becomes its code."""
    labels = {"type": _("unit type"), "sector": _("sector"), "ownership": _("ownership type")}
    for key, label in labels.items():
        value = getattr(r, key)
        if not value:
            continue
        found, ambiguous = plan.catalogues[key].find(value)
        if found is None:
            msg = (
                _("“%(value)s” matches several %(what)s entries; write the code instead.")
                if ambiguous
                else _("Unknown %(what)s “%(value)s”; use a code or a name from the list.")
            )
            plan.error(r, key, msg % {"value": value, "what": label})
        else:
            setattr(r, key, found)


def _check_lengths(plan: _Plan, r: PlanRow) -> None:
    """The code, name and short name of a new or renamed unit fit their columns (the database
    refuses longer ones)."""
    if r.op not in ("create", "update"):
        return
    cells = {
        "code": r.codes if r.op == "create" else [],
        "name": [r.name],
        "short_name": [r.short_name],
    }
    for key, values in cells.items():
        limit: int = getattr(Unit._meta.get_field(key), "max_length", None) or 0
        longest = max(map(len, values), default=0)
        if limit and longest > limit:
            plan.error(
                r,
                key,
                _("At most %(max)s characters (this one has %(n)s).")
                % {"max": limit, "n": longest},
            )


ROW_CHECKS: tuple[Callable[[_Plan, PlanRow], None], ...] = (
    _check_lengths,
    _check_created_codes,
    _check_subject_codes,
    _check_target_codes,
    _check_catalogue_cells,
)


# ---------------------------------------------------------------------------------------------
# Checks of the whole plan


def _check_assignments(plan: _Plan) -> None:
    """Rows of the "Phân bổ" sheet: the split, the receiving unit, the member (by card)."""
    splits = {r.codes[0]: r for r in plan.rows if r.op == "split" and r.codes}
    members = _members_by_card(plan)
    for a in plan.assignments:
        if not a.source:
            if len(splits) == 1:
                a.source = next(iter(splits))
            else:
                _assignment_error(plan, a, "source", _("Name the unit being split."))
                continue
        split = splits.get(a.source)
        if split is None:
            _assignment_error(
                plan,
                a,
                "source",
                _("No “Chia tách” row of this plan splits unit %(code)s.") % {"code": a.source},
            )
            continue
        _check_assignment(plan, a, split, members)


def _check_assignment(
    plan: _Plan, a: Assignment, split: PlanRow, members: dict[str, Member]
) -> None:
    """One assignment of its split: a receiving unit of the split, a member found by card."""
    if a.target not in split.target:
        _assignment_error(
            plan,
            a,
            "target",
            _("%(code)s is not one of the receiving units of this split (row %(row)s).")
            % {"code": a.target, "row": split.row},
        )
    if not a.member_card:
        return
    member = members.get(a.member_card.upper())
    if member is None:
        _assignment_error(
            plan,
            a,
            "member",
            _("No member with card number %(card)s was found in your scope.")
            % {"card": a.member_card},
        )
    else:
        a.member_id = member.pk


def _members_by_card(plan: _Plan) -> dict[str, Member]:
    """Members the assignments name by card number (upper case), within the user's scope."""
    cards = [a.member_card for a in plan.assignments if a.member_card]
    visible = Member.objects.visible_to(plan.user, Action.ORGANISATION_REORGANISE)
    members: dict[str, Member] = {}
    for chunk in _chunks(cards):
        for m in visible.filter(card_number__in=chunk):
            members[(m.card_number or "").upper()] = m
    return members


def _assignment_error(plan: _Plan, a: Assignment, key: str, message: str) -> None:
    plan.errors.append(
        PlanError(
            file=plan.filename,
            sheet=ASSIGN_SHEET,
            row=a.row,
            column=ASSIGN_COLUMNS[key][0],
            message=message,
        )
    )


def _check_conflicts(plan: _Plan) -> None:
    """A unit is the subject of at most one row."""
    subject_of: dict[str, PlanRow] = {}
    for r in plan.rows:
        if not r.op:
            continue
        for code in r.codes:
            first = subject_of.get(code)
            if first is None:
                subject_of[code] = r
                continue
            plan.error(
                r,
                "code",
                _(
                    "Conflict: unit %(code)s is already the subject of row %(row)s; a unit "
                    "may be the subject of only one operation in a plan."
                )
                % {"code": code, "row": first.row},
            )


class _ReshapedTree:
    """The tree as the plan's rows reshape it, row after row: parent by code, starting from the
    database (the units the plan names and their ancestors)."""

    def __init__(self, in_scope: dict[str, Unit]):
        self.paths = {code: u.path for code, u in in_scope.items()}
        ancestor_paths = {
            p[:i] for p in self.paths.values() for i in range(Unit.steplen, len(p), Unit.steplen)
        }
        self.code_by_path: dict[str, str] = {p: c for c, p in self.paths.items()}
        for chunk in _chunks(sorted(ancestor_paths - set(self.code_by_path))):
            self.code_by_path.update(
                dict(Unit.objects.filter(path__in=chunk).values_list("path", "code"))
            )
        self.overlay: dict[str, tuple[str, int]] = {}  # code → (parent code, row that set it)

    def place(self, code: str, parent: str, row: int) -> None:
        self.overlay[code] = (parent, row)

    def parent(self, code: str) -> tuple[str | None, int | None]:
        if code in self.overlay:
            return self.overlay[code]
        path = self.paths.get(code)
        if path is None or len(path) <= Unit.steplen:
            return None, None
        return self.code_by_path.get(path[: -Unit.steplen]), None

    def inside(self, target: str, unit: str) -> tuple[bool, int | None]:
        """Is `target` `unit` itself or below it? And the row that made it so."""
        seen: set[str] = set()
        via: int | None = None
        current: str | None = target
        while current is not None and current not in seen:
            if current == unit:
                return True, via
            seen.add(current)
            current, row = self.parent(current)
            via = via or row
        return False, None

    def below_in_database(self, target: str, unit: str) -> bool:
        """Is `target` `unit` or below it in the database (before the plan)?"""
        in_db = target in self.paths and unit in self.paths
        return in_db and self.paths[target].startswith(self.paths[unit])


_RESHAPING = {"move", "merge", "split", "dissolve"}


def _check_moves(plan: _Plan) -> None:
    """No unit goes under itself or its descendants, in the tree as the rows before reshape it
    (cycles of moves included); rows with errors reshape nothing."""
    tree = _ReshapedTree(plan.in_scope)
    for r in plan.rows:
        if not r.op or r.row in plan.bad_rows:
            continue
        if r.op == "create" and r.codes and r.target:
            tree.place(r.codes[0], r.target[0], r.row)
        elif r.op in _RESHAPING and r.codes and r.target:
            _check_not_inside(plan, tree, r)
            if r.row not in plan.bad_rows and r.op == "move":
                tree.place(r.codes[0], r.target[0], r.row)


def _check_not_inside(plan: _Plan, tree: _ReshapedTree, r: PlanRow) -> None:
    for unit in r.codes:
        for target in r.target:
            is_inside, via = tree.inside(target, unit)
            if not is_inside:
                continue
            if via is not None and not tree.below_in_database(target, unit):
                message = _(
                    "Cycle: row %(row)s already placed %(target)s below %(unit)s, so "
                    "%(unit)s cannot go under %(target)s."
                ) % {"row": via, "target": target, "unit": unit}
            else:
                message = _(
                    "%(target)s lies inside %(unit)s (it is %(unit)s itself or one of "
                    "its descendants), so %(unit)s cannot go under it."
                ) % {"target": target, "unit": unit}
            plan.error(r, "target", message)


PLAN_CHECKS: tuple[Callable[[_Plan], None], ...] = (
    _check_assignments,
    _check_conflicts,
    _check_moves,
)
