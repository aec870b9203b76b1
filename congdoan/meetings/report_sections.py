"""The meetings section of the periodic report (registered with reports.sections).

"Trong năm 2025, Ban Chấp hành tổ chức 2 hội nghị (lần thứ 5, lần thứ 6 (mở rộng)); Ban Thường
vụ họp 12 lần; 3 đơn vị trực thuộc tổ chức Đại hội." — from the meetings the subject held in
the report's span (its first period start to its last period end), and the congresses held by
the units of its subtree. Silent (no section) when none was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.core.scoping import path_range_q
from congdoan.meetings.models import Meeting, MeetingKind
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register


@dataclass(frozen=True)
class MeetingsHeld:
    start: dt.date
    end: dt.date
    bch: list[tuple[int | None, bool]]  # (number within the term, extended) in date order
    btv: int
    reviews: int  # sơ kết / tổng kết conferences
    workers: int  # workers' and civil servants' conferences held by the subject itself
    congresses_below: int  # units of the subtree (not the subject) that held their congress


def collect(ctx: ReportContext) -> MeetingsHeld | None:
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    own = Meeting.objects.filter(unit=ctx.unit, held_on__gte=start, held_on__lte=end)
    bch = list(
        own.filter(kind=MeetingKind.BCH).order_by("held_on").values_list("number", "extended")
    )
    kinds = dict(own.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    below = (
        Meeting.objects.filter(
            path_range_q("unit__path", ctx.unit.path),
            kind=MeetingKind.CONGRESS,
            held_on__gte=start,
            held_on__lte=end,
        )
        .exclude(unit=ctx.unit)
        .values("unit")
        .distinct()
        .count()
    )
    data = MeetingsHeld(
        start=start,
        end=end,
        bch=bch,
        btv=kinds.get(MeetingKind.BTV, 0),
        reviews=kinds.get(MeetingKind.MIDYEAR, 0) + kinds.get(MeetingKind.YEAREND, 0),
        workers=kinds.get(MeetingKind.WORKERS, 0) + kinds.get(MeetingKind.CIVIL, 0),
        congresses_below=below,
    )
    if not (data.bch or data.btv or data.reviews or data.workers or data.congresses_below):
        return None
    return data


def _numbers(bch: list[tuple[int | None, bool]]) -> str:
    parts = []
    for number, extended in bch:
        if number is None:
            continue
        text = _("no. %(n)s") % {"n": number}
        parts.append(text + (" " + _("(extended)") if extended else ""))
    return f" ({', '.join(parts)})" if parts else ""


def write(data: MeetingsHeld, options: Options) -> Section:
    clauses = []
    if data.bch:
        clauses.append(
            ngettext(
                "the Executive Committee held %(n)s conference",
                "the Executive Committee held %(n)s conferences",
                len(data.bch),
            )
            % {"n": len(data.bch)}
            + _numbers(data.bch)
        )
    if data.btv:
        clauses.append(
            ngettext(
                "the Standing Committee met %(n)s time",
                "the Standing Committee met %(n)s times",
                data.btv,
            )
            % {"n": data.btv}
        )
    if data.reviews:
        clauses.append(
            ngettext(
                "%(n)s review conference was held",
                "%(n)s review conferences were held",
                data.reviews,
            )
            % {"n": data.reviews}
        )
    if data.workers:
        clauses.append(
            ngettext(
                "%(n)s workers' or civil servants' conference was held",
                "%(n)s workers' or civil servants' conferences were held",
                data.workers,
            )
            % {"n": data.workers}
        )
    if data.congresses_below:
        clauses.append(
            ngettext(
                "%(n)s unit below held its congress",
                "%(n)s units below held their congresses",
                data.congresses_below,
            )
            % {"n": data.congresses_below}
        )
    span = _("From %(start)s to %(end)s") % {
        "start": f"{data.start:%d/%m/%Y}",
        "end": f"{data.end:%d/%m/%Y}",
    }
    text = f"{span}, {'; '.join(clauses)}."
    heading = options.headings.get("meetings", str(_("Meetings and congresses")))
    return Section("meetings", heading, [Paragraph(text)])


register(
    "meetings",
    label=gettext_lazy("Meetings and congresses"),
    order=900,
    collect=collect,
    write=write,
)
