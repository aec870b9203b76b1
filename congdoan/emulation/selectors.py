"""Reads of the emulation app. For other apps: `rank_in_cluster(unit, year)` ("xếp thứ 4 trong
Cụm thi đua 12") and `submitted_proposals(...)` (the awards app's input)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.emulation.auto import Proposal, proposals
from congdoan.emulation.models import (
    ClusterProposal,
    CriteriaGroup,
    Criterion,
    Movement,
    ProposalStatus,
    ProposedUnit,
    Registration,
    Score,
    Scorecard,
    ScoringScheme,
    Stage,
)
from congdoan.meetings.models import Pledge
from congdoan.organisation.models import Cluster, ClusterMembership, Unit

VIEW = Action.ORGANISATION_VIEW
MANAGE = Action.ACTIVITIES_MANAGE


# ---------------------------------------------------------------------------------------------
# Movements and registrations


def movements_visible(user: Any) -> QuerySet[Movement]:
    return (
        Movement.objects.visible_to(user, VIEW)
        .select_related("organiser")
        .annotate(
            registered=Count(
                "registrations",
                filter=Q(registrations__withdrawn_on__isnull=True),
                distinct=True,
            )
        )
    )


def movements_with_organiser(qs: QuerySet[Movement] | None = None) -> QuerySet[Movement]:
    return (qs if qs is not None else Movement.objects.all()).select_related("organiser")


def registrations_of(
    user: Any, movement: Movement, *, year: int | None = None
) -> list[Registration]:
    """The registrations for `movement` the user may see (those of units in their scope)."""
    qs = Registration.objects.visible_to(user, VIEW).filter(movement=movement)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.select_related("unit", "member").order_by("-year", "unit__name", "pk"))


def registrations_with_relations(
    qs: QuerySet[Registration] | None = None,
) -> QuerySet[Registration]:
    base = qs if qs is not None else Registration.objects.all()
    return base.select_related("unit", "member", "movement__organiser")


def movement_audit(movement: Movement, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(
        movement.history.all(),
        Registration.history.filter(movement_id=movement.pk),
        limit=limit,
    )


# ---------------------------------------------------------------------------------------------
# Pledges (meetings.Pledge)


def pledges_visible(user: Any) -> QuerySet[Pledge]:
    return (
        Pledge.objects.visible_to(user, VIEW)
        .select_related("cluster__organiser", "meeting__unit")
        .annotate(signed=Count("signatories", distinct=True))
    )


def pledges_with_relations() -> QuerySet[Pledge]:
    return Pledge.objects.select_related("cluster__organiser", "meeting__unit").prefetch_related(
        "signatories"
    )


# ---------------------------------------------------------------------------------------------
# Schemes


def schemes_visible(user: Any) -> QuerySet[ScoringScheme]:
    return ScoringScheme.objects.visible_to(user, VIEW).select_related("organiser", "cluster")


def scheme_groups(scheme: ScoringScheme) -> list[CriteriaGroup]:
    criteria = Criterion.objects.order_by("order", "pk")
    return list(
        scheme.groups.order_by("order", "pk").prefetch_related(Prefetch("criteria", criteria))
    )


def scheme_max(scheme: ScoringScheme) -> Decimal:
    return sum((c.max_points for c in Criterion.objects.filter(group__scheme=scheme)), Decimal(0))


def scheme_for(cluster: Cluster, year: int) -> ScoringScheme | None:
    """The scheme in force for `cluster` in `year`: the latest (by `from_year`, not after
    `year`) of the cluster's own, else of its organiser for all its clusters, else national."""
    base = ScoringScheme.objects.filter(from_year__lte=year).order_by("-from_year", "-pk")
    return (
        base.filter(cluster=cluster).first()
        or base.filter(cluster__isnull=True, organiser=cluster.organiser_id).first()
        or base.filter(cluster__isnull=True, organiser__isnull=True).first()
    )


# ---------------------------------------------------------------------------------------------
# Scorecards


def scorecards_with_relations(qs: QuerySet[Scorecard] | None = None) -> QuerySet[Scorecard]:
    base = qs if qs is not None else Scorecard.objects.all()
    return base.select_related(
        "unit", "cluster__organiser", "scheme", "self_by", "cluster_by", "final_by"
    )


@dataclass
class CriterionLine:
    criterion: Criterion
    scores: dict[str, Score]  # by stage
    proposal: Proposal | None

    @property
    def stage_scores(self) -> list[Score | None]:
        """The scores of the three stages, in order (None: not given)."""
        return [self.scores.get(stage) for stage in (Stage.SELF, Stage.CLUSTER, Stage.FINAL)]


@dataclass
class GroupLines:
    group: CriteriaGroup
    lines: list[CriterionLine]

    @property
    def max_points(self) -> Decimal:
        return sum((line.criterion.max_points for line in self.lines), Decimal(0))


def scorecard_lines(card: Scorecard, *, with_proposals: bool = True) -> list[GroupLines]:
    """The scheme's groups and criteria with the card's points at each stage, and the engine's
    proposal for each automatic criterion."""
    groups = scheme_groups(card.scheme)
    criteria = [c for g in groups for c in g.criteria.all()]
    found = proposals(card.unit, card.year, criteria) if with_proposals else {}
    scores: dict[int, dict[str, Score]] = {}
    for score in Score.objects.filter(scorecard=card):
        scores.setdefault(score.criterion_id, {})[score.stage] = score
    return [
        GroupLines(
            g,
            [CriterionLine(c, scores.get(c.pk, {}), found.get(c.pk)) for c in g.criteria.all()],
        )
        for g in groups
    ]


def scorecard_audit(card: Scorecard, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(card.history.all(), Score.history.filter(scorecard_id=card.pk), limit=limit)


# ---------------------------------------------------------------------------------------------
# Ranking inside a cluster


@dataclass(frozen=True)
class RankRow:
    unit: Unit
    is_head: bool
    scorecard: Scorecard | None
    total: Decimal | None  # final, else cluster, else self
    stage: str
    rank: int | None  # None: not scored yet
    of: int

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""


def competition_ranks(totals: Mapping[int, Decimal | None]) -> dict[int, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; no total: no rank."""
    scored = sorted(((v, k) for k, v in totals.items() if v is not None), key=lambda t: -t[0])
    out: dict[int, int | None] = {k: None for k in totals}
    previous: Decimal | None = None
    position = 0
    for index, (value, key) in enumerate(scored, start=1):
        if value != previous:
            position, previous = index, value
        out[key] = position
    return out


def cluster_ranking(cluster: Cluster, year: int) -> list[RankRow]:
    """The cluster's member units of `year` ranked by their best total; ties share a rank;
    units not scored yet come last, by name."""
    members = list(
        ClusterMembership.objects.filter(cluster=cluster, year=year)
        .select_related("unit")
        .order_by("unit__name", "unit_id")
    )
    cards = {
        c.unit_id: c
        for c in Scorecard.objects.filter(cluster=cluster, year=year).select_related("scheme")
    }
    totals: dict[int, Decimal | None] = {}
    for m in members:
        card = cards.get(m.unit_id)
        totals[m.unit_id] = card.best_total if card is not None else None
    ranks = competition_ranks(totals)
    rows = [
        RankRow(
            unit=m.unit,
            is_head=m.is_head,
            scorecard=cards.get(m.unit_id),
            total=totals[m.unit_id],
            stage=cards[m.unit_id].best_stage if m.unit_id in cards else "",
            rank=ranks[m.unit_id],
            of=len(members),
        )
        for m in members
    ]
    far = len(rows) + 1
    return sorted(rows, key=lambda r: (r.rank or far, r.unit.name))


@dataclass(frozen=True)
class Placement:
    cluster: Cluster
    year: int
    rank: int
    of: int
    total: Decimal | None
    stage: str

    @property
    def text(self) -> str:
        """ "xếp thứ 4 trong Cụm thi đua 12" (or in English)."""
        return _("ranked %(rank)s of %(of)s in %(cluster)s") % {
            "rank": self.rank,
            "of": self.of,
            "cluster": self.cluster.name,
        }


def rank_in_cluster(unit: Unit, year: int) -> list[Placement]:
    """Where `unit` stands in each cluster it belongs to in `year` (clusters where it has a
    total only). For other apps (awards, reports); no scope: the caller decides who sees it."""
    out: list[Placement] = []
    clusters = Cluster.objects.filter(memberships__unit=unit, memberships__year=year).distinct()
    for cluster in clusters.order_by("name"):
        for row in cluster_ranking(cluster, year):
            if row.unit.pk == unit.pk and row.rank is not None:
                out.append(Placement(cluster, year, row.rank, row.of, row.total, row.stage))
    return out


def clusters_visible(user: Any) -> QuerySet[Cluster]:
    return Cluster.objects.visible_to(user, VIEW).select_related("organiser").order_by("name")


def cluster_years(cluster: Cluster) -> list[int]:
    years = ClusterMembership.objects.filter(cluster=cluster).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def head_of(cluster: Cluster, year: int) -> Unit | None:
    row = (
        ClusterMembership.objects.filter(cluster=cluster, year=year, is_head=True)
        .select_related("unit")
        .first()
    )
    return row.unit if row is not None else None


def member_units(cluster: Cluster, year: int) -> list[Unit]:
    return [
        m.unit
        for m in ClusterMembership.objects.filter(cluster=cluster, year=year)
        .select_related("unit")
        .order_by("-is_head", "unit__name")
    ]


# ---------------------------------------------------------------------------------------------
# Proposals


def proposals_with_entries(
    qs: QuerySet[ClusterProposal] | None = None,
) -> QuerySet[ClusterProposal]:
    base = qs if qs is not None else ClusterProposal.objects.all()
    entries = ProposedUnit.objects.select_related("unit").order_by("order")
    return base.select_related(
        "cluster__organiser", "proposed_by_unit", "proposed_by"
    ).prefetch_related(Prefetch("entries", entries))


def proposal_of(cluster: Cluster, year: int) -> ClusterProposal | None:
    return proposals_with_entries().filter(cluster=cluster, year=year).first()


def submitted_proposals(
    user: Any = None,
    *,
    year: int | None = None,
    clusters: Iterable[Cluster] | None = None,
    organiser: Unit | None = None,
) -> QuerySet[ClusterProposal]:
    """Submitted proposals of leading units with their entries (`proposal.entries.all()`: in
    rank order, each `unit`, `award` text, `rank` and `total`), for the awards app. With a
    `user`, only those the user may see; `organiser`: clusters organised by that unit."""
    qs = ClusterProposal.objects.filter(status=ProposalStatus.SUBMITTED)
    if user is not None:
        qs = qs.visible_to(user, VIEW)
    if year is not None:
        qs = qs.filter(year=year)
    if clusters is not None:
        qs = qs.filter(cluster__in=list(clusters))
    if organiser is not None:
        qs = qs.filter(cluster__organiser=organiser)
    return proposals_with_entries(qs)


# ---------------------------------------------------------------------------------------------
# Small reads of the pages and the API


def clusters_with_organiser() -> QuerySet[Cluster]:
    return Cluster.objects.select_related("organiser")


def clusters_managed(user: Any) -> QuerySet[Cluster]:
    """Clusters whose organiser the user manages (a scheme for one cluster)."""
    return Cluster.objects.visible_to(user, MANAGE).order_by("name")


def cluster_visible(user: Any, pk: int) -> bool:
    return Cluster.objects.visible_to(user, VIEW).filter(pk=pk).exists()


def scorecard_visible(user: Any, pk: int) -> bool:
    return Scorecard.objects.visible_to(user, VIEW).filter(pk=pk).exists()


def cluster_meetings(user: Any, cluster: Cluster, year: int) -> QuerySet[Any]:
    """The cluster's conferences of `year` the user sees (where a pledge may be signed)."""
    from congdoan.meetings.models import CLUSTER_KINDS, Meeting

    return (
        Meeting.objects.visible_to(user, VIEW)
        .filter(cluster=cluster, kind__in=CLUSTER_KINDS, held_on__year=year)
        .order_by("held_on")
    )


def movement_visible(user: Any, pk: int) -> Movement | None:
    return Movement.objects.visible_to(user, VIEW).filter(pk=pk).first()


def schemes_with_groups(qs: QuerySet[ScoringScheme]) -> QuerySet[ScoringScheme]:
    criteria = Criterion.objects.order_by("order", "pk")
    groups = CriteriaGroup.objects.order_by("order", "pk").prefetch_related(
        Prefetch("criteria", criteria)
    )
    return qs.select_related("organiser", "cluster").prefetch_related(Prefetch("groups", groups))


def units_in_bulk(ids: list[int]) -> dict[int, Unit]:
    return Unit.objects.in_bulk(ids)


def unit_section(user: Any, unit: Unit) -> dict[str, Any] | None:
    """The unit page's emulation section (the page checked the unit): its latest scorecards
    the user may open, each with the unit's place in the cluster ("xếp thứ 4/12 trong Cụm…"),
    and the proposals of the clusters it organises. None when there is neither."""
    cards = [
        card
        for card in scorecards_with_relations(Scorecard.objects.filter(unit=unit)).order_by(
            "-year", "cluster__name"
        )[:6]
        if scorecard_visible(user, card.pk)
    ]
    places = {
        (p.cluster.pk, p.year): p
        for year in {c.year for c in cards}
        for p in rank_in_cluster(unit, year)
    }
    rows = [(card, places.get((card.cluster_id, card.year))) for card in cards]
    proposals = list(
        proposals_with_entries(ClusterProposal.objects.filter(cluster__organiser=unit)).order_by(
            "-year", "cluster__name"
        )[:6]
    )
    if not rows and not proposals:
        return None
    return {"rows": rows, "proposals": proposals}


def member_by_card(user: Any, card_number: str) -> Any:
    """The member with this card number whom `user` may see (None otherwise)."""
    from congdoan.members.models import Member

    return (
        Member.objects.visible_to(user, Action.MEMBERS_VIEW)
        .select_related("unit")
        .filter(card_number=card_number.strip())
        .first()
    )
