"""Checks of a parsed plan against the database (codes within scope, catalogues, dates) and
across the plan (a unit that is the subject of two rows, cycles of moves, a unit moved under its
own descendant). Nothing is written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
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


def _plan_day(rows: list[PlanRow], form_day: dt.date | None, error: Any) -> dt.date | None:
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
    errors: list[PlanError] = []
    bad_rows: set[int] = set()

    def error(row: PlanRow, key: str, message: str) -> None:
        bad_rows.add(row.row)
        errors.append(
            PlanError(
                file=filename, sheet=sheet, row=row.row, column=row.column(key), message=message
            )
        )

    day = _plan_day(rows, form_day, error)
    if day is None and rows:
        errors.append(
            PlanError(
                file=filename,
                sheet=sheet,
                message=_(
                    "The effective date is missing: fill “Ngày hiệu lực” in the rows or give the "
                    "date on the upload form."
                ),
            )
        )

    # Units of the database that the plan names, within the user's scope.
    referenced = sorted({c for r in rows for c in (*r.codes, *r.target)})
    referenced += sorted(
        {a.source for a in assignments if a.source} | {a.child for a in assignments if a.child}
    )
    in_scope: dict[str, Unit] = {}
    changeable: set[str] = set()
    for chunk in _chunks(sorted(set(referenced))):
        for u in Unit.objects.visible_to(user, Action.ORGANISATION_REORGANISE).filter(
            code__in=chunk
        ):
            in_scope[u.code] = u
        changeable |= set(
            Unit.objects.visible_to(user, Action.ORGANISATION_CHANGE)
            .filter(code__in=chunk)
            .values_list("code", flat=True)
        )
    existing_elsewhere: set[str] = set()
    creates = [c for r in rows if r.op == "create" for c in r.codes]
    for chunk in _chunks(creates):
        existing_elsewhere |= set(
            Unit.objects.filter(code__in=chunk).values_list("code", flat=True)
        )

    types = _Catalogue(UnitType, "name", "short_name")
    sectors = _Catalogue(Sector, "name")
    ownerships = _Catalogue(OwnershipType, "name")

    created_by: dict[str, int] = {}  # code → row that creates it
    for r in rows:
        if r.op == "create" and r.codes:
            created_by.setdefault(r.codes[0], r.row)

    def known(
        r: PlanRow, key: str, code: str, action: Action = Action.ORGANISATION_REORGANISE
    ) -> None:
        maker = created_by.get(code)
        if maker is not None:
            if maker > r.row:
                error(
                    r,
                    key,
                    _("Unit %(code)s is created only by row %(maker)s, below this row.")
                    % {"code": code, "maker": maker},
                )
            elif maker in bad_rows and maker != r.row:
                error(
                    r,
                    key,
                    _("Unit %(code)s is created by row %(maker)s, which has errors.")
                    % {"code": code, "maker": maker},
                )
            return
        ok = code in changeable if action == Action.ORGANISATION_CHANGE else code in in_scope
        if not ok:
            error(
                r,
                key,
                _("Unit code %(code)s was not found in your scope.") % {"code": code}
                + _zero_hint(r, key),
            )

    for r in rows:
        if not r.op:
            continue
        if r.op == "create":
            for code in r.codes:
                if code in existing_elsewhere:
                    error(
                        r,
                        "code",
                        _("Unit code %(code)s is already used (codes are never reused).")
                        % {"code": code},
                    )
                elif created_by.get(code) != r.row:
                    error(
                        r,
                        "code",
                        _("Unit code %(code)s is also created by row %(other)s.")
                        % {"code": code, "other": created_by[code]},
                    )
        else:
            for code in r.codes:
                known(
                    r,
                    "code",
                    code,
                    Action.ORGANISATION_CHANGE
                    if r.op == "update"
                    else Action.ORGANISATION_REORGANISE,
                )
        for code in r.target:
            known(r, "target", code)
        for key, catalogue, label in (
            ("type", types, _("unit type")),
            ("sector", sectors, _("sector")),
            ("ownership", ownerships, _("ownership type")),
        ):
            value = getattr(r, key)
            if not value:
                continue
            found, ambiguous = catalogue.find(value)
            if found is None:
                msg = (
                    _("“%(value)s” matches several %(what)s entries; write the code instead.")
                    if ambiguous
                    else _("Unknown %(what)s “%(value)s”; use a code or a name from the list.")
                )
                error(r, key, msg % {"value": value, "what": label})
            else:
                setattr(r, key, found)

    _check_assignments(filename, rows, assignments, user, errors, bad_rows)
    _check_whole_plan(rows, in_scope, error, bad_rows)
    return errors, day


def _check_assignments(
    filename: str,
    rows: list[PlanRow],
    assignments: list[Assignment],
    user: Any,
    errors: list[PlanError],
    bad_rows: set[int],
) -> None:
    from congdoan.members.models import Member

    splits = {r.codes[0]: r for r in rows if r.op == "split" and r.codes}

    def error(a: Assignment, key: str, message: str) -> None:
        errors.append(
            PlanError(
                file=filename,
                sheet=ASSIGN_SHEET,
                row=a.row,
                column=ASSIGN_COLUMNS[key][0],
                message=message,
            )
        )

    cards = [a.member_card for a in assignments if a.member_card]
    members: dict[str, Member] = {}
    for chunk in _chunks(cards):
        for m in Member.objects.visible_to(user, Action.ORGANISATION_REORGANISE).filter(
            card_number__in=chunk
        ):
            members[(m.card_number or "").upper()] = m
    for a in assignments:
        if not a.source:
            if len(splits) == 1:
                a.source = next(iter(splits))
            else:
                error(a, "source", _("Name the unit being split."))
                continue
        split = splits.get(a.source)
        if split is None:
            error(
                a,
                "source",
                _("No “Chia tách” row of this plan splits unit %(code)s.") % {"code": a.source},
            )
            continue
        if a.target not in split.target:
            error(
                a,
                "target",
                _("%(code)s is not one of the receiving units of this split (row %(row)s).")
                % {"code": a.target, "row": split.row},
            )
        if a.member_card:
            member = members.get(a.member_card.upper())
            if member is None:
                error(
                    a,
                    "member",
                    _("No member with card number %(card)s was found in your scope.")
                    % {"card": a.member_card},
                )
            else:
                a.member_id = m.pk


def _check_whole_plan(
    rows: list[PlanRow], in_scope: dict[str, Unit], error: Any, bad_rows: set[int]
) -> None:
    """Conflicts (one unit, two operations), cycles of moves, moves under a descendant."""
    subject_of: dict[str, PlanRow] = {}
    for r in rows:
        if not r.op:
            continue
        for code in r.codes:
            first = subject_of.get(code)
            if first is not None:
                error(
                    r,
                    "code",
                    _(
                        "Conflict: unit %(code)s is already the subject of row %(row)s; a unit "
                        "may be the subject of only one operation in a plan."
                    )
                    % {"code": code, "row": first.row},
                )
            else:
                subject_of[code] = r

    # The tree as the plan reshapes it: parent by code, starting from the database.
    paths = {code: u.path for code, u in in_scope.items()}
    ancestor_paths = {
        p[:i] for p in paths.values() for i in range(Unit.steplen, len(p), Unit.steplen)
    }
    code_by_path: dict[str, str] = {p: c for c, p in paths.items()}
    for chunk in _chunks(sorted(ancestor_paths - set(code_by_path))):
        code_by_path.update(dict(Unit.objects.filter(path__in=chunk).values_list("path", "code")))
    overlay: dict[str, tuple[str, int]] = {}  # code → (parent code, row that set it)

    def parent(code: str) -> tuple[str | None, int | None]:
        if code in overlay:
            return overlay[code]
        path = paths.get(code)
        if path is None or len(path) <= Unit.steplen:
            return None, None
        return code_by_path.get(path[: -Unit.steplen]), None

    def inside(target: str, unit: str) -> tuple[bool, int | None]:
        """Is `target` `unit` itself or below it in the reshaped tree? And the row that made it so."""
        seen: set[str] = set()
        via: int | None = None
        current: str | None = target
        while current is not None and current not in seen:
            if current == unit:
                return True, via
            seen.add(current)
            current, row = parent(current)
            via = via or row
        return False, None

    for r in rows:
        if not r.op or r.row in bad_rows:
            continue
        if r.op == "create" and r.codes and r.target:
            overlay[r.codes[0]] = (r.target[0], r.row)
        elif r.op in {"move", "merge", "split", "dissolve"} and r.codes and r.target:
            for unit in r.codes:
                for target in r.target:
                    is_inside, via = inside(target, unit)
                    if not is_inside:
                        continue
                    in_db = target in paths and unit in paths
                    if via is not None and not (in_db and paths[target].startswith(paths[unit])):
                        error(
                            r,
                            "target",
                            _(
                                "Cycle: row %(row)s already placed %(target)s below %(unit)s, so "
                                "%(unit)s cannot go under %(target)s."
                            )
                            % {"row": via, "target": target, "unit": unit},
                        )
                    else:
                        error(
                            r,
                            "target",
                            _(
                                "%(target)s lies inside %(unit)s (it is %(unit)s itself or one of "
                                "its descendants), so %(unit)s cannot go under it."
                            )
                            % {"target": target, "unit": unit},
                        )
            if r.row not in bad_rows and r.op == "move":
                overlay[r.codes[0]] = (r.target[0], r.row)
