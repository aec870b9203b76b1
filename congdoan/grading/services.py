"""Writes to gradings of grassroots unions.

Every service needs `activities.manage` (the action that records a unit's activity results) on
the grading unit, which must be a unit above the graded union; the default is its parent. The
rules, each refused with a Vietnamese message that says what and where:

- only a grassroots union is graded, once per period (`year`: the year the period ends), under
  the scheme in force for it at the period's end (`selectors.scheme_for`: the scheme for its
  kind — education, enterprise, agency — before one for all unions);
- it must have operated at least the scheme's months (`min_months`, 12 by default) by the
  period's end, counted from its founding date, and not have been dissolved before that end;
- every criterion of the scheme gets points from 0 to its maximum, in steps of 0.1; the total
  and the category (`categorise`) are computed and stored on every save;
- a draft changes; confirming it needs the decision number and date (not before the period
  starts, not in the future); a confirmed grading changes no more and is deleted only with a
  reason, which its last history row keeps.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.core.text import nfc
from congdoan.grading.models import (
    Category,
    Criterion,
    Grading,
    Scheme,
    Score,
    Status,
)
from congdoan.organisation.models import Unit

MANAGE = Action.ACTIVITIES_MANAGE
FIRST_YEAR = 1990
STEP = Decimal("0.1")


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------------
# Category (pure)


@dataclass(frozen=True)
class GroupPoints:
    code: str
    points: Decimal
    max_points: Decimal


def categorise(categories: Sequence[Category], groups: Sequence[GroupPoints]) -> Category:
    """The best category (lowest rank) whose threshold the total reaches and whose extra
    condition holds: every group at or above `min_group_share` of its points. The worst
    category is the floor."""
    total = sum((g.points for g in groups), Decimal(0))
    ordered = sorted(categories, key=lambda c: c.rank)
    for category in ordered:
        if total < category.min_points:
            continue
        share = category.min_group_share
        if share is not None and any(g.points < g.max_points * share for g in groups):
            continue
        return category
    return ordered[-1]


# ---------------------------------------------------------------------------------------------
# Checks


def _criteria(scheme: Scheme) -> list[Criterion]:
    return list(
        Criterion.objects.filter(group__scheme=scheme)
        .select_related("group")
        .order_by("group__order", "order", "pk")
    )


def _point(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    text = str(value).strip().replace(",", ".")
    return Decimal(text)


def check_scores(scheme: Scheme, scores: Mapping[str, Any]) -> dict[int, Decimal]:
    """Points by criterion id from points by criterion code; every criterion must have points
    from 0 to its maximum, with at most one decimal."""
    criteria = _criteria(scheme)
    known = {c.code for c in criteria}
    unknown = sorted(str(code) for code in scores if str(code) not in known)
    if unknown:
        raise RuleViolation(
            _("The scheme %(scheme)s has no criterion %(codes)s.")
            % {"scheme": scheme.code, "codes": ", ".join(unknown)},
            field="scores",
        )
    out: dict[int, Decimal] = {}
    for criterion in criteria:
        field = f"scores.{criterion.code}"
        where = {"code": criterion.code, "max": _points_text(criterion.max_points)}
        try:
            points = _point(scores.get(criterion.code))
        except (InvalidOperation, ValueError):
            points = Decimal(-1)
        if points is None:
            raise RuleViolation(
                _("Criterion %(code)s has no points: enter them.") % where, field=field
            )
        if not points.is_finite() or points < 0 or points > criterion.max_points:
            raise RuleViolation(
                _("Criterion %(code)s: enter points from 0 to %(max)s.") % where, field=field
            )
        if points != points.quantize(STEP):
            raise RuleViolation(
                _("Criterion %(code)s: points have at most one decimal (such as 7.5).") % where,
                field=field,
            )
        out[criterion.pk] = points.quantize(STEP)
    return out


def _points_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def compute(scheme: Scheme, points: Mapping[int, Decimal]) -> tuple[Decimal, Category]:
    """Total and category of points by criterion id (every criterion of the scheme)."""
    groups: dict[int, GroupPoints] = {}
    for criterion in _criteria(scheme):
        g = groups.get(criterion.group_id) or GroupPoints(
            criterion.group.code, Decimal(0), Decimal(0)
        )
        groups[criterion.group_id] = GroupPoints(
            g.code, g.points + points[criterion.pk], g.max_points + criterion.max_points
        )
    categories = list(scheme.categories.all())
    if not categories:
        raise RuleViolation(_("The scheme %(scheme)s has no categories.") % {"scheme": scheme.code})
    found = list(groups.values())
    return sum((g.points for g in found), Decimal(0)), categorise(categories, found)


def check_eligible(
    unit: Unit, scheme: Scheme | None, year: int, today: dt.date | None = None
) -> Scheme:
    """`unit` may be graded for the period of `year`; the scheme it is graded under."""
    today = today or timezone.localdate()
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year + 1:
        raise RuleViolation(_("Enter a year from %(first)s to %(last)s.")
                            % {"first": FIRST_YEAR, "last": today.year}, field="year")  # fmt: skip
    if not unit.unit_type.is_grassroots:
        raise RuleViolation(
            _("%(unit)s is not a grassroots union: only grassroots unions are graded.")
            % {"unit": _label(unit)},
            field="unit",
        )
    if scheme is None:
        from congdoan.grading.selectors import scheme_for

        scheme = scheme_for(unit, year)
    if scheme is None:
        raise RuleViolation(
            _("No grading scheme is in force for %(unit)s in %(year)s.")
            % {"unit": _label(unit), "year": year},
            field="year",
        )
    start, end = scheme.bounds(year)
    period = scheme.label(year)
    if start > today:
        raise RuleViolation(
            _("The period %(period)s has not started yet.") % {"period": period}, field="year"
        )
    if not scheme.in_force_on(end):
        raise RuleViolation(
            _("The scheme %(scheme)s is not in force at the end of the period %(period)s.")
            % {"scheme": scheme.code, "period": period},
            field="scheme",
        )
    if add_months(unit.founded_on, scheme.min_months) > end + dt.timedelta(days=1):
        raise RuleViolation(
            _(
                "%(unit)s was founded on %(day)s: by %(end)s, the end of the period %(period)s, "
                "it had operated fewer than %(months)s months and is not graded for it."
            )
            % {
                "unit": _label(unit),
                "day": short_date(unit.founded_on),
                "end": short_date(end),
                "period": period,
                "months": scheme.min_months,
            },
            field="unit",
        )
    if unit.dissolved_on is not None and unit.dissolved_on <= end:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s, before the end of the period %(period)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on), "period": period},
            field="unit",
        )
    return scheme


def _check_grader(actor: Any, unit: Unit, graded_by: Unit | None) -> Unit:
    """The grading unit: a unit above `unit` (default: its parent), where `actor` may act."""
    if graded_by is None:
        if unit.parent_id is None:
            raise RuleViolation(_("Choose the unit that grades."), field="graded_by")
        graded_by = Unit.objects.get(pk=unit.parent_id)
    else:
        graded_by = Unit.objects.get(pk=graded_by.pk)
    require(actor, MANAGE, graded_by)
    if graded_by.pk == unit.pk or not unit.path.startswith(graded_by.path):
        raise RuleViolation(
            _("%(grader)s is not a unit above %(unit)s: a union is graded by a unit above it.")
            % {"grader": _label(graded_by), "unit": _label(unit)},
            field="graded_by",
        )
    return graded_by


def _write_scores(actor: Any, grading: Grading, points: Mapping[int, Decimal], reason: str) -> None:
    existing = {s.criterion_id: s for s in grading.scores.all()}
    for criterion_id, value in points.items():
        score = existing.get(criterion_id)
        if score is None:
            score = Score(grading=grading, criterion_id=criterion_id, points=value)
        elif score.points == value:
            continue
        score.points = value
        stamp(score, actor, reason)
        score.save()


# ---------------------------------------------------------------------------------------------
# Services


@transaction.atomic
def grading_create(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    scores: Mapping[str, Any],
    graded_by: Unit | None = None,
    scheme: Scheme | None = None,
    notes: str = "",
) -> Grading:
    """Grade `unit` for the period ending in `year` (a draft): points by criterion code."""
    unit = Unit.objects.select_related("unit_type", "sector", "ownership").get(pk=unit.pk)
    require(actor, MANAGE, unit)
    grader = _check_grader(actor, unit, graded_by)
    scheme = check_eligible(unit, scheme, year)
    existing = Grading.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        raise RuleViolation(
            _("%(unit)s already has a grading for %(period)s: open it to change it.")
            % {"unit": _label(unit), "period": existing.period},
            field="year",
        )
    points = check_scores(scheme, scores)
    total, category = compute(scheme, points)
    start, end = scheme.bounds(year)
    grading = Grading(
        unit=unit,
        scheme=scheme,
        year=year,
        period_start=start,
        period_end=end,
        graded_by=grader,
        total=total,
        category=category,
        notes=nfc(notes or ""),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(grading, actor, "grading_create")
    grading.save()
    _write_scores(actor, grading, points, "grading_create")
    return grading


def _fresh(grading: Grading) -> Grading:
    return Grading.objects.select_related("unit", "graded_by", "scheme", "category").get(
        pk=grading.pk
    )


def _require_draft(grading: Grading) -> None:
    if grading.status != Status.DRAFT:
        raise RuleViolation(
            _("The grading of %(unit)s for %(period)s is confirmed and no longer changes.")
            % {"unit": _label(grading.unit), "period": grading.period}
        )


@transaction.atomic
def grading_update(
    *,
    actor: Any,
    grading: Grading,
    scores: Mapping[str, Any] | None = None,
    notes: str | None = None,
) -> Grading:
    """Change a draft's points (every criterion again) or notes; total and category follow."""
    grading = _fresh(grading)
    require(actor, MANAGE, grading.graded_by)
    _require_draft(grading)
    changed: list[str] = []
    if scores is not None:
        points = check_scores(grading.scheme, scores)
        total, category = compute(grading.scheme, points)
        _write_scores(actor, grading, points, "grading_update")
        if total != grading.total:
            grading.total = total
            changed.append("total")
        if category.pk != grading.category_id:
            grading.category = category
            changed.append("category")
    if notes is not None and nfc(notes) != grading.notes:
        grading.notes = nfc(notes)
        changed.append("notes")
    if changed:
        stamp(grading, actor, "grading_update")
        grading.save(update_fields=[*changed, "updated_at"])
    return grading


@transaction.atomic
def grading_confirm(
    *, actor: Any, grading: Grading, decision_number: str, decision_date: dt.date
) -> Grading:
    """Confirm a draft with the grading unit's decision (number and date)."""
    grading = _fresh(grading)
    require(actor, MANAGE, grading.graded_by)
    _require_draft(grading)
    number = nfc(decision_number or "")
    if not number:
        raise RuleViolation(_("Enter the number of the decision."), field="decision_number")
    if len(number) > 60:
        raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": 60},
                            field="decision_number")  # fmt: skip
    today = timezone.localdate()
    if not isinstance(decision_date, dt.date) or decision_date > today:
        raise RuleViolation(_("The decision date cannot be in the future."), field="decision_date")
    if decision_date < grading.period_start:
        raise RuleViolation(
            _("The decision is dated on or after the start of the period (%(day)s).")
            % {"day": short_date(grading.period_start)},
            field="decision_date",
        )
    grading.status = Status.CONFIRMED
    grading.decision_number = number
    grading.decision_date = decision_date
    grading.confirmed_by = actor if getattr(actor, "pk", None) else None
    grading.confirmed_at = timezone.now()
    stamp(grading, actor, "grading_confirm")
    grading.save(
        update_fields=[
            "status", "decision_number", "decision_date", "confirmed_by", "confirmed_at",
            "updated_at",
        ]
    )  # fmt: skip
    return grading


@transaction.atomic
def grading_delete(*, actor: Any, grading: Grading, reason: str = "") -> None:
    """Delete a draft; a confirmed grading only with a reason, kept in its history."""
    grading = _fresh(grading)
    require(actor, MANAGE, grading.graded_by)
    reason = nfc(reason or "")
    if grading.confirmed and not reason:
        raise RuleViolation(
            _("The grading of %(unit)s for %(period)s is confirmed: say why it is deleted.")
            % {"unit": _label(grading.unit), "period": grading.period},
            field="reason",
        )
    if len(reason) > 300:
        raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": 300}, field="reason")
    for score in grading.scores.all():
        stamp(score, actor, "grading_delete")
        score.delete()
    grading.deletion_reason = reason
    stamp(grading, actor, "grading_delete")
    grading.delete()


# ---------------------------------------------------------------------------------------------
# Reorganisations


def hand_over_drafts(actor: Any, source: Unit, receiver: Unit) -> int:
    """Drafts graded by `source` (merged, split or dissolved) go to `receiver` when it is a
    unit above the graded union; confirmed gradings stay as they were decided."""
    moved = 0
    drafts = Grading.objects.filter(graded_by=source, status=Status.DRAFT).select_related("unit")
    for grading in drafts:
        unit = grading.unit
        if unit.pk == receiver.pk or not unit.path.startswith(receiver.path):
            continue
        grading.graded_by = receiver
        stamp(grading, actor, "grading_handover")
        grading.save(update_fields=["graded_by", "updated_at"])
        moved += 1
    return moved
