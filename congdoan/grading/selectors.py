"""Reads of gradings for the pages, the API, the indicators, the report and other apps.

For other apps (awards checks eligibility with them):

    result_for(unit, 2025)          -> the confirmed Grading of the unit for 2025, or None
    is_good_or_better(grading)      -> its category counts as good or better
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q
from congdoan.grading.models import (
    RANK_LABELS,
    AppliesTo,
    Category,
    Criterion,
    CriterionGroup,
    Grading,
    PeriodKind,
    Scheme,
    Score,
    Status,
    period_bounds,
    unit_kind,
)
from congdoan.organisation.models import Unit

VIEW = Action.INDICATORS_VIEW
MANAGE = Action.ACTIVITIES_MANAGE


# ---------------------------------------------------------------------------------------------
# Schemes


def scheme_for(unit: Unit, year: int, catalogue: list[Scheme] | None = None) -> Scheme | None:
    """The scheme a unit is graded under for the period ending in `year`: one for its kind
    (education, enterprise, agency) before one for all grassroots unions, the latest in force
    at the period's end. An education union is graded by school year when an education scheme
    is in force, otherwise by calendar year."""
    kind = unit_kind(unit)
    wanted: list[str] = [kind, AppliesTo.ALL] if kind else [AppliesTo.ALL]
    if catalogue is None:
        catalogue = list(Scheme.objects.order_by("-in_force_from", "pk"))
    found: list[Scheme] = []
    for scheme in catalogue:
        if scheme.applies_to not in wanted:
            continue
        if scheme.in_force_on(period_bounds(scheme.period_kind, year)[1]):
            found.append(scheme)
    found.sort(key=lambda s: wanted.index(s.applies_to))
    return found[0] if found else None


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.annotate(n_criteria=Count("groups__criteria", distinct=True))


def scheme_full(qs: QuerySet[Scheme] | None = None) -> QuerySet[Scheme]:
    groups = CriterionGroup.objects.prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk"))
    ).order_by("order", "pk")
    qs = qs if qs is not None else Scheme.objects.all()
    return qs.prefetch_related(
        Prefetch("groups", queryset=groups),
        Prefetch("categories", queryset=Category.objects.order_by("rank")),
    )


@dataclass
class Line:
    """One criterion of a grading's sheet: its points (None while not graded)."""

    criterion: Criterion
    points: Any = None


@dataclass
class Block:
    group: CriterionGroup
    lines: list[Line]

    @property
    def max_points(self) -> Any:
        return sum(line.criterion.max_points for line in self.lines)

    @property
    def points(self) -> Any:
        if any(line.points is None for line in self.lines):
            return None
        return sum(line.points for line in self.lines)


def sheet(scheme: Scheme, grading: Grading | None = None) -> list[Block]:
    """The scheme's groups and criteria, with the grading's points when given."""
    points: dict[int, Any] = {}
    if grading is not None:
        points = {s.criterion_id: s.points for s in grading.scores.all()}
    full = scheme_full(Scheme.objects.filter(pk=scheme.pk)).get()
    return [
        Block(group, [Line(c, points.get(c.pk)) for c in group.criteria.all()])
        for group in full.groups.all()
    ]


# ---------------------------------------------------------------------------------------------
# Gradings


def gradings_visible(user: Any, action: Action = VIEW) -> QuerySet[Grading]:
    return Grading.objects.visible_to(user, action).select_related(
        "unit", "graded_by", "scheme", "category"
    )


def filter_gradings(
    qs: QuerySet[Grading],
    *,
    unit: Unit | None = None,
    year: int | None = None,
    rank: int | None = None,
    status: str | None = None,
) -> QuerySet[Grading]:
    """Gradings of unions of `unit`'s subtree (today's tree), of `year`, of a category `rank`
    (1 the best, across scales) and of a `status`."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if year is not None:
        qs = qs.filter(year=year)
    if rank is not None:
        qs = qs.filter(category__rank=rank)
    if status:
        qs = qs.filter(status=status)
    return qs


@dataclass(frozen=True)
class CategoryCount:
    rank: int
    label: str
    count: int


def category_counts(qs: QuerySet[Grading]) -> list[CategoryCount]:
    """How many gradings of `qs` fall in each category rank (every rank, zeros included)."""
    rows = qs.order_by().values("category__rank").annotate(n=Count("pk"))
    found = Counter({row["category__rank"]: row["n"] for row in rows})
    return [CategoryCount(rank, str(label), found[rank]) for rank, label in RANK_LABELS.items()]


def grading_full(qs: QuerySet[Grading] | None = None) -> QuerySet[Grading]:
    qs = qs if qs is not None else Grading.objects.all()
    scores = Score.objects.select_related("criterion")
    return qs.select_related(
        "unit", "graded_by", "scheme", "category", "created_by", "confirmed_by"
    ).prefetch_related(Prefetch("scores", queryset=scores))


def grading_audit(grading: Grading, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(
        grading.history.all(), Score.history.filter(grading_id=grading.pk), limit=limit
    )


def unit_history(unit: Unit) -> QuerySet[Grading]:
    """Every grading of a union, latest first (a merged or dissolved union's stay)."""
    return Grading.objects.filter(unit=unit).select_related("scheme", "category", "graded_by")


@dataclass(frozen=True)
class Ungraded:
    unit: Unit
    refusal: str  # why it cannot be graded for the period ("" when it can)


def ungraded(user: Any, under: Unit, year: int) -> list[Ungraded]:
    """Grassroots unions of `under`'s subtree within the user's scope that stood at the end of
    the year `year` and have no grading for it yet, each with the reason it cannot be graded
    (too young, no scheme) when there is one."""
    from congdoan.core.exceptions import RuleViolation
    from congdoan.grading.services import check_eligible

    end = dt.date(year, 12, 31)
    units = (
        Unit.objects.visible_to(user, VIEW)
        .filter(path_range_q("path", under.path), unit_type__is_grassroots=True)
        .filter(founded_on__lte=end)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
        .exclude(gradings__year=year)
        .select_related("parent", "unit_type", "sector", "ownership")
        .order_by("path")
    )
    catalogue = list(Scheme.objects.order_by("-in_force_from", "pk"))
    out = []
    for unit in units:
        try:
            check_eligible(unit, scheme_for(unit, year, catalogue), year)
        except RuleViolation as exc:
            out.append(Ungraded(unit, str(exc)))
        else:
            out.append(Ungraded(unit, ""))
    return out


def grading_of(unit: Unit, year: int) -> Grading | None:
    """The grading (draft or confirmed) of a union for the period ending in `year`."""
    return Grading.objects.filter(unit=unit, year=year).first()


def units_described() -> QuerySet[Unit]:
    """Units with what the eligibility reads (type, sector, ownership)."""
    return Unit.objects.select_related("unit_type", "sector", "ownership")


def visible_unit(user: Any, pk: int, action: Action = VIEW) -> Unit | None:
    return Unit.objects.visible_to(user, action).filter(pk=pk).first()


def years() -> list[int]:
    return sorted(set(Grading.objects.values_list("year", flat=True)), reverse=True)


# ---------------------------------------------------------------------------------------------
# For other apps


def result_for(unit: Unit, period_year: int) -> Grading | None:
    """The confirmed grading of `unit` for the period ending in `period_year`, or None."""
    return (
        Grading.objects.confirmed()
        .filter(unit=unit, year=period_year)
        .select_related("category", "scheme")
        .first()
    )


def is_good_or_better(grading: Grading | None) -> bool:
    """Whether a grading is confirmed in a category counted as good or better (Hoàn thành tốt
    nhiệm vụ and above, or Khá and above on the older scale)."""
    return (
        grading is not None
        and grading.status == Status.CONFIRMED
        and grading.category.good_or_better
    )


def counted_in(period: Any) -> Q | None:
    """The gradings an indicator period counts (confirmed ones): a year counts every period
    ending in it (calendar and school years), a school year those of school-year schemes
    ending with it; other periods count none (None)."""
    kind = getattr(period, "kind", "")
    if kind == "year":
        return Q(status=Status.CONFIRMED, year=period.end.year)
    if kind == "school":
        return Q(
            status=Status.CONFIRMED,
            year=period.end.year,
            scheme__period_kind=PeriodKind.SCHOOL,
        )
    return None


def unit_section(user: Any, unit: Unit, *, today: dt.date | None = None) -> dict[str, Any] | None:
    """The unit page's grading section (the page checked the unit): a grassroots union's
    latest gradings, and the link to grade the last full year when it is not graded yet and the
    user may grade it (from a unit above it). None for other units."""
    from django.utils import timezone

    if not unit.unit_type.is_grassroots:
        return None
    rows = list(unit_history(unit).order_by("-year")[:6])
    year = (today or timezone.localdate()).year - 1
    above = unit.parent
    may_grade = (
        above is not None
        and path_in_scope(user, Action.ACTIVITIES_MANAGE, above.path)
        and not any(g.year == year for g in rows)
        and unit.founded_on <= dt.date(year, 12, 31)
    )
    return {"rows": rows, "unit": unit, "grade_year": year if may_grade else None}
