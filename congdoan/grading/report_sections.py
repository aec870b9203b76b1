"""The grading section of the periodic report (registered with reports.sections).

From the confirmed gradings the report's period counts (`selectors.counted_in`: a year report
counts the gradings of the periods ending in that year, a school-year report those of the
school-year schemes), of the grassroots unions of the subject's subtree as it stood at the
period's end (or of a cluster's units), out of the grassroots unions standing then:

    "Năm 2025 đánh giá, xếp loại 120/130 CĐCS: hoàn thành xuất sắc nhiệm vụ 30 (25%), hoàn
    thành tốt nhiệm vụ 60 (50%), hoàn thành nhiệm vụ 25 (21%), không hoàn thành nhiệm vụ 5 (4%);
    hoàn thành tốt nhiệm vụ trở lên 90 (75%)."

Silent (no section) when the period counts no grading (a quarter, or nothing graded).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.grading.models import Grading
from congdoan.grading.selectors import counted_in
from congdoan.indicators.wording import percent
from congdoan.organisation.models import ClusterMembership, Unit, UnitVersion
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register


@dataclass(frozen=True)
class Counted:
    name: str  # the category's name (of the scheme most gradings used)
    rank: int
    count: int


@dataclass(frozen=True)
class GradingFacts:
    school_year: bool
    period: str  # "2025", or "2024–2025"
    graded: int
    grassroots: int  # grassroots unions of the subtree standing at the period's end
    categories: list[Counted]
    good: int  # graded good or better


def _paths(ctx: ReportContext, end: dt.date) -> list[str]:
    units = [ctx.unit.pk]
    if ctx.cluster is not None:
        units = list(
            ClusterMembership.objects.filter(cluster=ctx.cluster, year=end.year).values_list(
                "unit_id", flat=True
            )
        )
    return list(
        UnitVersion.objects.on(end).filter(unit_id__in=units).values_list("path", flat=True)
    )


def _subtree(paths: list[str], end: dt.date) -> QuerySet[Any]:
    q = Q(pk__in=[])
    for path in paths:
        q |= path_range_q("path", path)
    return UnitVersion.objects.on(end).filter(q).values("unit_id")


def _grassroots(subtree: QuerySet[Any], end: dt.date) -> int:
    return Unit.objects.filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end),
        pk__in=Subquery(subtree),
        unit_type__is_grassroots=True,
        founded_on__lte=end,
    ).count()


def collect(ctx: ReportContext) -> GradingFacts | None:
    for period in ctx.periods:
        q = counted_in(period)
        if q is None:
            continue
        subtree = _subtree(_paths(ctx, period.end), period.end)
        rows = Grading.objects.filter(q, unit_id__in=Subquery(subtree))
        by_rank = (
            rows.order_by()
            .values("category__rank")
            .annotate(n=Count("pk"), name=Min("category__name"))
            .order_by("category__rank")
        )
        categories = [Counted(r["name"], r["category__rank"], r["n"]) for r in by_rank]
        graded = sum(c.count for c in categories)
        if not graded:
            continue
        school = period.kind == "school"
        return GradingFacts(
            school_year=school,
            period=f"{period.end.year - 1}–{period.end.year}" if school else str(period.end.year),
            graded=graded,
            grassroots=_grassroots(subtree, period.end),
            categories=categories,
            good=rows.filter(category__good_or_better=True).count(),
        )
    return None


def _share(part: int, whole: int) -> str:
    return percent(Decimal(100 * part) / whole) if whole else ""


def write(data: GradingFacts, options: Options) -> Section:
    shown = (
        f"{number(data.graded)}/{number(data.grassroots)}"
        if data.grassroots >= data.graded
        else number(data.graded)
    )
    parts = [
        f"{c.name[:1].lower()}{c.name[1:]} {number(c.count)} ({_share(c.count, data.graded)})"
        for c in data.categories
    ]
    values = {"period": data.period, "graded": shown, "categories": ", ".join(parts)}
    if data.school_year:
        text = _("In the school year %(period)s, %(graded)s grassroots unions were graded: "
                 "%(categories)s") % values  # fmt: skip
    else:
        text = _("In %(period)s, %(graded)s grassroots unions were graded: %(categories)s") % values
    text += "; " + _("good or better: %(n)s (%(share)s).") % {
        "n": number(data.good),
        "share": _share(data.good, data.graded),
    }
    heading = options.headings.get("grading", str(_("Grading of grassroots unions")))
    return Section("grading", heading, [Paragraph(text)])


register(
    "grading",
    label=gettext_lazy("Grading of grassroots unions"),
    order=250,
    collect=collect,
    write=write,
)
