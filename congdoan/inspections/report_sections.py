"""The inspections section of the periodic report (registered with reports.sections).

"Theo sổ kiểm tra, giám sát, từ 01/01/2025 đến 31/12/2025, Ủy ban Kiểm tra các cấp đã kiểm tra
22 cuộc tại 119 đơn vị, giám sát 15 cuộc tại 40 đơn vị; Ban Chấp hành các cấp kiểm tra 4 cuộc tại
9 đơn vị; 6 cuộc phối hợp với các cơ quan khác; đã kiểm tra, giám sát 12 doanh nghiệp, cơ quan
ngoài tổ chức công đoàn; các kiến nghị đã thực hiện 40/45; tiếp nhận 6 đơn thư khiếu nại, tố cáo,
còn 1 vụ việc chưa giải quyết."

What the indicator paragraphs of reports/compose.py do not say: the figures by conducting body
(UBKT, BCH) with inspections and supervisions apart, the joint ones, the bodies outside the union,
the recommendations carried out and the cases still open. They come from the registers' records of
the subject's subtree (every unit's, whether it keeps the register or enters its totals) for the
report's span (its first period's start to its last period's end): an inspection by its start
date, units counted as the indicators count them (distinct per conducting unit, added up over the
conducting units), a recommendation as carried out when it was by the report's data time, a case
as received in the span and still open at its end. Silent (no section) when the registers hold
nothing for the span, and for a cluster's report.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.inspections.models import (
    SUPERVISIONS,
    Body,
    Complaint,
    Inspected,
    Inspection,
    Recommendation,
)
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register


@dataclass(frozen=True)
class ByBody:
    body: str  # Body value
    several: bool  # conducted by more than one unit ("các cấp")
    inspections: int
    inspected_units: int
    supervisions: int
    supervised_units: int


@dataclass(frozen=True)
class InspectionsDone:
    start: dt.date
    end: dt.date
    bodies: list[ByBody]
    joint: int  # events conducted jointly with other bodies
    outside: int  # bodies outside the union covered (distinct per conducting unit, added up)
    recommendations: int
    carried_out: int
    received: int  # cases of complaint or denunciation received in the span
    still_open: int  # of them, not resolved by the span's end


def _by_body(events: object) -> list[ByBody]:
    """Per body: (inspections, units, supervisions, units), over the conducting units."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    units: dict[str, set[int]] = defaultdict(set)
    for unit_id, body, supervision, n, covered in events:  # type: ignore[attr-defined]
        at = 2 if supervision else 0
        sums[body][at] += n
        sums[body][at + 1] += covered
        units[body].add(unit_id)
    return [ByBody(body, len(units[body]) > 1, *sums[body]) for body in Body.values if body in sums]


def collect(ctx: ReportContext) -> InspectionsDone | None:
    if ctx.cluster is not None:
        return None
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    within = path_range_q("unit__path", ctx.unit.path)
    done = Inspection.objects.filter(within, started_on__gte=start, started_on__lte=end)
    supervision = Case(
        When(kind__in=SUPERVISIONS, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    events = (
        done.order_by()
        .annotate(supervision=supervision)
        .values("unit_id", "body", "supervision")
        .annotate(n=Count("pk", distinct=True), covered=Count("targets__key", distinct=True))
        .values_list("unit_id", "body", "supervision", "n", "covered")
    )
    outside = (
        Inspected.objects.filter(inspection__in=done, unit__isnull=True)
        .order_by()
        .values("inspection__unit_id")
        .annotate(n=Count("key", distinct=True))
        .values_list("n", flat=True)
    )
    advice = Recommendation.objects.filter(inspection__in=done).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(done_on__lte=ctx.as_of.date()))
    )
    cases = Complaint.objects.filter(within, received_on__gte=start, received_on__lte=end)
    counted = cases.aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(resolved_on__isnull=True) | Q(resolved_on__gt=end)),
    )
    data = InspectionsDone(
        start=start,
        end=end,
        bodies=_by_body(list(events)),
        joint=done.exclude(partners="").count(),
        outside=sum(outside),
        recommendations=advice["total"],
        carried_out=advice["done"],
        received=counted["received"],
        still_open=counted["open"],
    )
    if not (data.bodies or data.received):
        return None
    return data


def _events(n: int, units: int, supervision: bool) -> str:
    if supervision:
        return _("supervised %(n)s times at %(units)s units") % {
            "n": number(n),
            "units": number(units),
        }
    return _("inspected %(n)s times at %(units)s units") % {"n": number(n), "units": number(units)}


def _body_clause(row: ByBody) -> str:
    names = {
        (Body.UBKT, True): _("the Inspection Committees at all levels"),
        (Body.UBKT, False): _("the Inspection Committee"),
        (Body.BCH, True): _("the Executive Committees at all levels"),
        (Body.BCH, False): _("the Executive Committee"),
    }
    did = []
    if row.inspections:
        did.append(_events(row.inspections, row.inspected_units, False))
    if row.supervisions:
        did.append(_events(row.supervisions, row.supervised_units, True))
    return f"{names[(Body(row.body), row.several)]} {', '.join(did)}"


def _clauses(data: InspectionsDone) -> list[str]:
    clauses = [_body_clause(row) for row in data.bodies]
    if data.joint:
        clauses.append(
            ngettext(
                "%(n)s was conducted jointly with other bodies",
                "%(n)s were conducted jointly with other bodies",
                data.joint,
            )
            % {"n": number(data.joint)}
        )
    if data.outside:
        clauses.append(
            ngettext(
                "%(n)s enterprise or body outside the union was inspected or supervised",
                "%(n)s enterprises and bodies outside the union were inspected or supervised",
                data.outside,
            )
            % {"n": number(data.outside)}
        )
    if data.recommendations:
        clauses.append(
            _("%(done)s/%(total)s recommendations have been carried out")
            % {"done": number(data.carried_out), "total": number(data.recommendations)}
        )
    if data.received:
        text = ngettext(
            "%(n)s complaint or denunciation was received",
            "%(n)s complaints and denunciations were received",
            data.received,
        ) % {"n": number(data.received)}
        if data.still_open:
            text += ", " + ngettext(
                "%(n)s case is not yet resolved",
                "%(n)s cases are not yet resolved",
                data.still_open,
            ) % {"n": number(data.still_open)}
        clauses.append(text)
    return clauses


def write(data: InspectionsDone, options: Options) -> Section:
    span = _("According to the inspection register, from %(start)s to %(end)s") % {
        "start": f"{data.start:%d/%m/%Y}",
        "end": f"{data.end:%d/%m/%Y}",
    }
    text = f"{span}, {'; '.join(_clauses(data))}."
    heading = options.headings.get("inspections", str(_("Inspection and supervision")))
    return Section("inspections", heading, [Paragraph(text)])


register(
    "inspections",
    label=gettext_lazy("Inspection and supervision"),
    order=700,
    collect=collect,
    write=write,
)
