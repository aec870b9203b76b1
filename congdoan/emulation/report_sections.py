"""The emulation section of the periodic report (registered with reports.sections).

For the year the report's span ends in, over the subject's subtree as it stood at the end (the
indicator engine's derived figures) or a cluster's units:

    "45/45 CĐCS đăng ký thi đua (100%). 3 cụm, khối thi đua ký giao ước. Xếp hạng trong
    Cụm thi đua số 3: 1. CĐ Viên chức tỉnh, 2. CĐ Giáo dục tỉnh, 3. CĐ Y tế tỉnh."

The rankings are those of the clusters organised within the subtree (or the report's cluster),
by final score, else cluster score, else self-score; the first `NAMED` units are named. Silent
(no section) when nothing was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.formats import number
from congdoan.core.scoping import path_range_q
from congdoan.emulation.selectors import cluster_ranking
from congdoan.indicators import selectors as indicator_selectors
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.wording import percent
from congdoan.meetings.models import Pledge
from congdoan.organisation.models import Cluster
from congdoan.reports.document import Paragraph, Section
from congdoan.reports.facts import Options
from congdoan.reports.sections import ReportContext, register

NAMED = 3  # units named per cluster
CLUSTERS = 12  # clusters whose ranking is told
CODES = ("cdcs_dang_ky_thi_dua", "cdcs_cuoi_ky")


@dataclass(frozen=True)
class ClusterRanking:
    cluster: str
    leaders: list[str]  # in rank order


@dataclass(frozen=True)
class EmulationFacts:
    year: int
    registered: int | None  # grassroots unions registered (None: no year period opened)
    grassroots: int | None
    pledged: int  # clusters that signed their pledge in the year
    rankings: list[ClusterRanking]

    def said(self) -> bool:
        return bool(self.registered or self.pledged or self.rankings)


def _registered(ctx: ReportContext, year: int) -> tuple[int | None, int | None]:
    period = indicator_selectors.period_find(kind=PeriodKind.YEAR, year=year)
    if period is None or ctx.cluster is not None:
        return None, None
    inds = indicator_selectors.indicators_in(period, CODES)
    figs = indicator_selectors.unit_figures(ctx.unit.pk, period, inds)
    values = [figs[c].value if c in figs else None for c in CODES]
    registered, grassroots = (int(v) if v is not None else None for v in values)
    return registered, grassroots


def _clusters(ctx: ReportContext) -> list[Cluster]:
    if ctx.cluster is not None:
        return [ctx.cluster]
    return list(
        Cluster.objects.filter(path_range_q("organiser__path", ctx.unit.path)).order_by("name")
    )


def collect(ctx: ReportContext) -> EmulationFacts | None:
    end: dt.date = max(p.end for p in ctx.periods)
    year = end.year
    registered, grassroots = _registered(ctx, year)
    clusters = _clusters(ctx)
    pledged = (
        Pledge.objects.filter(cluster__in=clusters, year=year).values("cluster").distinct().count()
    )
    rankings = []
    for cluster in clusters:
        leaders = [
            r.unit.short_name or r.unit.name for r in cluster_ranking(cluster, year) if r.rank
        ]
        if leaders:
            rankings.append(ClusterRanking(cluster.name, leaders[:NAMED]))
        if len(rankings) == CLUSTERS:
            break
    facts = EmulationFacts(year, registered, grassroots, pledged, rankings)
    return facts if facts.said() else None


def _registered_text(data: EmulationFacts) -> str:
    assert data.registered is not None
    if data.grassroots:
        share = Decimal(100 * data.registered) / data.grassroots
        return _(
            "%(n)s/%(of)s grassroots unions registered for emulation in %(year)s (%(share)s)."
        ) % {
            "n": number(data.registered),
            "of": number(data.grassroots),
            "year": data.year,
            "share": percent(share),
        }
    return _("%(n)s grassroots unions registered for emulation in %(year)s.") % {
        "n": number(data.registered),
        "year": data.year,
    }


def _ranking_text(ranking: ClusterRanking) -> str:
    listed = ", ".join(f"{i}. {name}" for i, name in enumerate(ranking.leaders, start=1))
    return _("Ranking in %(cluster)s: %(units)s.") % {"cluster": ranking.cluster, "units": listed}


def write(data: EmulationFacts, options: Options) -> Section:
    said = []
    if data.registered:
        said.append(_registered_text(data))
    if data.pledged:
        said.append(
            _("%(n)s emulation clusters and blocks signed their pledge for %(year)s.")
            % {"n": number(data.pledged), "year": data.year}
        )
    said.extend(_ranking_text(r) for r in data.rankings)
    heading = options.headings.get("emulation", str(_("Emulation")))
    return Section("emulation", heading, [Paragraph(text) for text in said])


register(
    "emulation",
    label=gettext_lazy("Emulation"),
    order=650,
    collect=collect,
    write=write,
)
