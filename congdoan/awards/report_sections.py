"""The awards section of the periodic report (registered with reports.sections).

What the subject's units and members (or a cluster's) received by decisions signed in the
report's span, by issuer then by form, in the catalogue's order — the year-end sentence of
every conference report:

    "Trong kỳ, 14 tập thể và 38 cá nhân được khen thưởng. Tổng Liên đoàn Lao động Việt Nam:
    Cờ thi đua tặng 1 tập thể (CĐCS Thủy điện Lai Châu); Bằng khen tặng 3 tập thể, 5 cá nhân;
    Kỷ niệm chương tặng 20 cá nhân. UBND tỉnh Lai Châu: Bằng khen tặng 2 tập thể, 4 cá nhân."

An award belongs where its recipient is: a unit of the subtree as it stood at the span's end, a
member of one (by the member's unit now), or — for a recipient outside the union — the unit
that recorded the decision. Silent (no section) when nothing was awarded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.awards.models import Award, Kind, OutsideKind
from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.organisation.models import ClusterMembership, UnitVersion
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register

NAMED = 12  # flag recipients named per form


@dataclass
class FormCount:
    form: str
    collective: int = 0
    individual: int = 0
    named: list[str] = field(default_factory=list)  # flags: their recipients


@dataclass
class IssuerAwards:
    issuer: str
    forms: list[FormCount] = field(default_factory=list)


@dataclass
class AwardsFacts:
    collective: int
    individual: int
    issuers: list[IssuerAwards]


def _subtree(ctx: ReportContext, end: dt.date) -> QuerySet[Any]:
    units = [ctx.unit.pk]
    if ctx.cluster is not None:
        units = list(
            ClusterMembership.objects.filter(cluster=ctx.cluster, year=end.year).values_list(
                "unit_id", flat=True
            )
        )
    paths = UnitVersion.objects.on(end).filter(unit_id__in=units).values_list("path", flat=True)
    q = Q(pk__in=[])
    for path in paths:
        q |= path_range_q("path", path)
    return UnitVersion.objects.on(end).filter(q).values("unit_id")


def collect(ctx: ReportContext) -> AwardsFacts | None:
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    units = Subquery(_subtree(ctx, end))
    owned = (
        Q(unit_id__in=units)
        | Q(member__unit_id__in=units)
        | Q(unit__isnull=True, member__isnull=True, decision__recorded_by_unit_id__in=units)
    )
    order = ("form__issuer_level", "decision__issuer_unit__path", "decision__issuer_name",
             "form__order", "form__name", "pk")  # fmt: skip
    rows = (
        Award.objects.filter(decision__signed_on__range=(start, end))
        .filter(owned)
        .select_related("form__regulation", "decision__issuer_unit", "unit", "member")
        .order_by(*order)
    )
    issuers: dict[str, IssuerAwards] = {}
    collective = individual = 0
    for award in rows.iterator(chunk_size=2000):
        issuer = award.decision.issuer_label
        block = issuers.setdefault(issuer, IssuerAwards(issuer))
        if not block.forms or block.forms[-1].form != award.form.name:
            block.forms.append(FormCount(award.form.name))
        count = block.forms[-1]
        if award.unit_id is not None or award.outside_kind == OutsideKind.BODY:
            count.collective += 1
            collective += 1
        else:
            count.individual += 1
            individual += 1
        if award.form.kind == Kind.FLAG and len(count.named) < NAMED:
            count.named.append(award.recipient_label)
    if not issuers:
        return None
    return AwardsFacts(collective, individual, list(issuers.values()))


# ---------------------------------------------------------------------------------------------
# Write (pure)


def _who(count: FormCount) -> str:
    parts = []
    if count.collective:
        parts.append(_("%(n)s collectives") % {"n": number(count.collective)})
    if count.individual:
        parts.append(_("%(n)s individuals") % {"n": number(count.individual)})
    text = _("%(form)s to %(who)s") % {"form": count.form, "who": _(" and ").join(parts)}
    if count.named:
        more = count.collective + count.individual - len(count.named)
        names = ", ".join(count.named) + (_(" and %(n)s others") % {"n": more} if more else "")
        text += f" ({names})"
    return text


def write(data: AwardsFacts, options: Options) -> Section:
    said = [
        _("In the period, %(collective)s collectives and %(individual)s individuals were awarded.")
        % {"collective": number(data.collective), "individual": number(data.individual)}
    ]
    for block in data.issuers:
        said.append(f"{block.issuer}: " + "; ".join(_who(c) for c in block.forms) + ".")
    heading = options.headings.get("awards", str(_("Emulation and awards")))
    return Section("awards", heading, [Paragraph(text) for text in said])


register(
    "awards", label=gettext_lazy("Emulation and awards"), order=800, collect=collect, write=write
)
