"""The care section of the periodic report (registered with reports.sections).

The indicators' paragraphs already say the year's portions, money, houses and mobilised funds
("thăm hỏi, hỗ trợ 7.565 suất quà…"). This section adds what only the records know:

- the campaigns, with their portions and money: "Tết Bính Ngọ 2026: 7.565 suất quà, gần 3 tỷ
  đồng; Tháng Công nhân 2026: 1.200 suất quà, 02 nhà Mái ấm Công đoàn, 450 triệu đồng";
- the Mái ấm Công đoàn houses handed over, built and repaired, with their value and where the
  money came from (union funds by level, donors by name).

From the records of the units of the subject's subtree counted in the report's span (its first
period's start to its last period's end; houses by their handover day). Silent (no section)
when the span holds no campaign record and no house.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congdoan.care.models import PORTION_KINDS, CareKind, CareRecord, Funding, FundSource, HouseWork
from congdoan.care.selectors import counted_between
from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.indicators import wording
from congdoan.reports.document import Block, Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register

DONORS_NAMED = 3


@dataclass(frozen=True)
class CampaignLine:
    name: str
    portions: int
    houses: int
    value: Decimal


@dataclass(frozen=True)
class HousesHanded:
    built: int
    repaired: int
    value: Decimal
    sources: list[tuple[str, Decimal]]  # (FundSource value, amount), largest first
    donors: list[str]  # names of the donors, largest first


@dataclass(frozen=True)
class CareFacts:
    campaigns: list[CampaignLine]
    houses: HousesHanded | None


def collect(ctx: ReportContext) -> CareFacts | None:
    start = min(p.start for p in ctx.periods)
    end = max(p.end for p in ctx.periods)
    records = CareRecord.objects.filter(
        path_range_q("unit__path", ctx.unit.path), counted_between(start, end)
    )
    data = CareFacts(_campaigns(records), _houses(records.filter(kind=CareKind.HOUSE)))
    if not data.campaigns and data.houses is None:
        return None
    return data


def _campaigns(records: QuerySet[CareRecord]) -> list[CampaignLine]:
    rows = (
        records.filter(campaign__isnull=False)
        .order_by()
        .values("campaign__name", "campaign__start")
        .annotate(
            portions=Sum("quantity", filter=Q(kind__in=PORTION_KINDS)),
            houses=Count("pk", filter=Q(kind=CareKind.HOUSE)),
            value=Sum("value"),
        )
    )
    ordered = sorted(rows, key=lambda r: (r["campaign__start"], r["campaign__name"]))
    return [
        CampaignLine(
            r["campaign__name"], int(r["portions"] or 0), r["houses"], Decimal(r["value"] or 0)
        )
        for r in ordered
    ]


def _houses(houses: QuerySet[CareRecord]) -> HousesHanded | None:
    kinds = dict(
        houses.order_by()
        .values_list("house_work")
        .annotate(n=Count("pk"))
        .values_list("house_work", "n")
    )
    if not kinds:
        return None
    lines = Funding.objects.filter(record__in=houses)
    by_source = lines.order_by().values("source").annotate(total=Sum("amount"))
    donors = (
        lines.filter(source=FundSource.DONOR)
        .order_by()
        .values("donor")
        .annotate(total=Sum("amount"))
    )
    return HousesHanded(
        built=kinds.get(HouseWork.BUILD, 0),
        repaired=kinds.get(HouseWork.REPAIR, 0),
        value=sum((Decimal(r["total"]) for r in by_source), Decimal(0)),
        sources=sorted(
            ((r["source"], Decimal(r["total"])) for r in by_source), key=lambda x: (-x[1], x[0])
        ),
        donors=[r["donor"] for r in sorted(donors, key=lambda r: (-r["total"], r["donor"]))],
    )


# ---------------------------------------------------------------------------------------------
# Wording (pure)


def _source_label(source: str) -> str:
    labels: dict[str, str] = {
        FundSource.GRASSROOTS: _("grassroots union funds"),
        FundSource.DISTRICT: _("funds of the unions directly above grassroots"),
        FundSource.PROVINCE: _("provincial union funds"),
        FundSource.CONFEDERATION: _("Confederation funds"),
        FundSource.DONOR: _("mobilised from donors"),
    }
    return labels.get(source, source)


def campaign_text(line: CampaignLine) -> str:
    """ "Tết Bính Ngọ 2026: 7.565 suất quà, gần 3 tỷ đồng"."""
    parts = []
    if line.portions:
        parts.append(
            ngettext("%(n)s gift portion", "%(n)s gift portions", line.portions)
            % {"n": number(line.portions)}
        )
    if line.houses:
        parts.append(
            ngettext("%(n)s Mái ấm Công đoàn house", "%(n)s Mái ấm Công đoàn houses", line.houses)
            % {"n": f"{line.houses:02d}"}
        )
    if line.value:
        parts.append(wording.money(line.value))
    return f"{line.name}: {', '.join(parts)}" if parts else line.name


def houses_text(h: HousesHanded) -> str:
    total = h.built + h.repaired
    done = []
    if h.built:
        done.append(_("%(n)s built") % {"n": f"{h.built:02d}"})
    if h.repaired:
        done.append(_("%(n)s repaired") % {"n": f"{h.repaired:02d}"})
    text = ngettext(
        "%(n)s Mái ấm Công đoàn house was handed over (%(done)s), worth %(money)s",
        "%(n)s Mái ấm Công đoàn houses were handed over (%(done)s), worth %(money)s",
        total,
    ) % {"n": f"{total:02d}", "done": ", ".join(done), "money": wording.money(h.value)}
    sources = []
    for source, amount in h.sources:
        said = f"{_source_label(source)} {wording.money(amount)}"
        if source == FundSource.DONOR and h.donors:
            named = ", ".join(h.donors[:DONORS_NAMED])
            more = len(h.donors) - DONORS_NAMED
            if more > 0:
                named += " " + ngettext("and %(n)s other", "and %(n)s others", more) % {"n": more}
            said += f" ({named})"
        sources.append(said)
    if sources:
        text += _("; funded by: %(sources)s") % {"sources": "; ".join(sources)}
    return text + "."


def write(data: CareFacts, options: Options) -> Section:
    blocks: list[Block] = []
    if data.campaigns:
        said = "; ".join(campaign_text(line) for line in data.campaigns)
        blocks.append(Paragraph(_("In the care campaigns: %(campaigns)s.") % {"campaigns": said}))
    if data.houses is not None:
        blocks.append(Paragraph(houses_text(data.houses)))
    heading = options.headings.get("care", str(_("Caring for members")))
    return Section("care", heading, blocks)


register(
    "care",
    label=gettext_lazy("Caring for members"),
    order=300,
    collect=collect,
    write=write,
)
