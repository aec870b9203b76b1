"""API of the emulation app. Reads are scoped through `ScopedViewSetMixin` (404 outside the
caller's scope); every write calls the service the pages call, which checks the rules (400
`{"detail", "field"}`). Pledges are the meetings API's (`/api/v1/pledges/`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    NOT_FOUND,
    FilterBackend,
    Pagination,
    ScopedAPIView,
    ScopedViewSetMixin,
    parse_body,
    parse_query,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.emulation import selectors, services
from congdoan.emulation.api import serializers as s
from congdoan.emulation.models import (
    ClusterProposal,
    Movement,
    Registration,
    Scorecard,
    ScoringScheme,
)
from congdoan.organisation.models import Cluster

TAGS = ["emulation"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = selectors.VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


def _cluster(user: Any, pk: int) -> Cluster:
    cluster = selectors.clusters_visible(user).filter(pk=pk).first()
    if cluster is None:
        raise RuleViolation(_("Not found within your scope."), field="cluster")
    return cluster


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List emulation movements"),
    retrieve=extend_schema(summary="One emulation movement with its phases"),
)
class MovementViewSet(_Base):
    queryset = Movement.objects.all()
    serializer_class = s.EmulationMovementSerializer
    filterset_fields = ["kind", "organiser"]

    def get_queryset(self) -> QuerySet[Movement]:
        return super().get_queryset().select_related("organiser").prefetch_related("phases")

    @write_schema(
        "Launch a movement", s.EmulationMovementWriteSerializer, s.EmulationMovementSerializer, 201
    )
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.EmulationMovementWriteSerializer, request))
        row = services.movement_create(actor=request.user, **data)
        return Response(s.EmulationMovementSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema(
        "Change a movement", s.EmulationMovementWriteSerializer, s.EmulationMovementSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = s.compact(parse_body(s.EmulationMovementWriteSerializer, request, partial=True))
        data.pop("organiser", None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.movement_update(actor=request.user, movement=row, **data)
        return Response(s.EmulationMovementSerializer(row).data)

    @write_schema(
        "Add a programme phase", s.MovementPhaseWriteSerializer, s.MovementPhaseSerializer, 201
    )
    @action(detail=True, methods=["post"], url_path="phases", url_name="phases")
    def phases(self, request: Request, pk: str) -> Response:
        movement = self.get_object()
        data = parse_body(s.MovementPhaseWriteSerializer, request)
        row = services.phase_add(actor=request.user, movement=movement, **data)
        return Response(s.MovementPhaseSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List registrations for emulation"),
    retrieve=extend_schema(summary="One registration"),
)
class RegistrationViewSet(_Base):
    queryset = Registration.objects.all()
    serializer_class = s.EmulationRegistrationSerializer
    filterset_fields = ["movement", "year", "unit"]

    def get_queryset(self) -> QuerySet[Registration]:
        return selectors.registrations_with_relations(super().get_queryset())

    @write_schema(
        "Register for a movement",
        s.EmulationRegistrationWriteSerializer,
        s.EmulationRegistrationSerializer,
        201,
    )
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.EmulationRegistrationWriteSerializer, request))
        movement = selectors.movement_visible(request.user, data.pop("movement"))
        if movement is None:
            raise RuleViolation(_("Not found within your scope."), field="movement")
        if card := data.pop("member", ""):
            data["member"] = selectors.member_by_card(request.user, card)
            if data["member"] is None:
                raise RuleViolation(
                    _("No member with this card number was found within your scope."),
                    field="member",
                )
        row = services.registration_create(actor=request.user, movement=movement, **data)
        return Response(s.EmulationRegistrationSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema(
        "Withdraw a registration",
        s.RegistrationWithdrawSerializer,
        s.EmulationRegistrationSerializer,
    )
    @action(detail=True, methods=["post"], url_path="withdraw", url_name="withdraw")
    def withdraw(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = s.compact(parse_body(s.RegistrationWithdrawSerializer, request))
        row = services.registration_withdraw(
            actor=request.user,
            registration=row,
            withdrawn_on=data["withdrawn_on"],
            reason=data.get("reason", ""),
        )
        return Response(s.EmulationRegistrationSerializer(row).data)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List scoring schemes"),
    retrieve=extend_schema(summary="One scoring scheme with its groups and criteria"),
)
class SchemeViewSet(_Base):
    queryset = ScoringScheme.objects.all()
    serializer_class = s.ScoringSchemeSerializer
    filterset_fields = ["from_year"]

    def get_queryset(self) -> QuerySet[ScoringScheme]:
        return selectors.schemes_with_groups(super().get_queryset())


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List scorecards"),
    retrieve=extend_schema(summary="One scorecard with its points at each stage"),
)
class ScorecardViewSet(_Base):
    queryset = Scorecard.objects.all()
    serializer_class = s.EmulationScorecardSerializer
    filterset_fields = ["cluster", "year", "unit"]

    def get_queryset(self) -> QuerySet[Scorecard]:
        return (
            super()
            .get_queryset()
            .select_related("unit", "cluster")
            .prefetch_related("scores")
            .order_by("cluster", "-year", "unit__name", "pk")
        )

    @write_schema(
        "Open a unit's scorecard",
        s.EmulationScorecardOpenSerializer,
        s.EmulationScorecardSerializer,
        201,
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.EmulationScorecardOpenSerializer, request)
        cluster = _cluster(request.user, data["cluster"])
        row = services.scorecard_open(
            actor=request.user, unit=data["unit"], cluster=cluster, year=data["year"]
        )
        row = self.get_queryset().get(pk=row.pk)
        return Response(s.EmulationScorecardSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema(
        "Give one stage of a scorecard",
        s.ScorecardStageWriteSerializer,
        s.EmulationScorecardSerializer,
    )
    @action(detail=True, methods=["post"], url_path="score", url_name="score")
    def score(self, request: Request, pk: str) -> Response:
        card = self.get_object()
        data = parse_body(s.ScorecardStageWriteSerializer, request)
        points = {p["criterion"]: p["points"] for p in data["points"]}
        notes = {p["criterion"]: p.get("note", "") for p in data["points"]}
        services.scorecard_score(
            actor=request.user, scorecard=card, stage=data["stage"], points=points, notes=notes
        )
        row = self.get_queryset().get(pk=card.pk)
        return Response(s.EmulationScorecardSerializer(row).data)


class ClusterRankingQuery(serializers.Serializer):
    year = serializers.IntegerField(min_value=s.YEAR_MIN, max_value=s.YEAR_MAX)


@extend_schema(tags=TAGS)
class RankingView(ScopedAPIView):
    """The ranking of a cluster's units in a year (final, else cluster, else self total)."""

    scope_action = selectors.VIEW

    @extend_schema(
        summary="Ranking of a cluster's units in a year",
        parameters=[OpenApiParameter("year", int, required=True)],
        responses={200: s.ClusterRankingSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        cluster = self.get_visible(selectors.clusters_with_organiser(), pk=pk)
        year = parse_query(ClusterRankingQuery, request)["year"]
        rows = selectors.cluster_ranking(cluster, year)
        body = {"cluster": cluster, "year": year, "rows": rows}
        return Response(s.ClusterRankingSerializer(body).data)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List the clusters' proposals of leading units"),
    retrieve=extend_schema(summary="One proposal with its units in rank order"),
)
class ProposalViewSet(_Base):
    queryset = ClusterProposal.objects.all()
    serializer_class = s.ClusterProposalSerializer
    filterset_fields = ["cluster", "year", "status"]

    def get_queryset(self) -> QuerySet[ClusterProposal]:
        return selectors.proposals_with_entries(super().get_queryset())

    @write_schema(
        "Save a cluster's proposal (draft)",
        s.ClusterProposalWriteSerializer,
        s.ClusterProposalSerializer,
        201,
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.ClusterProposalWriteSerializer, request)
        cluster = _cluster(request.user, data["cluster"])
        units = selectors.units_in_bulk([e["unit"] for e in data["entries"]])
        entries = []
        for e in data["entries"]:
            unit = units.get(e["unit"])
            if unit is None:
                raise RuleViolation(_("Not found within your scope."), field="entries")
            entries.append((unit, e["award"]))
        row = services.proposal_save(
            actor=request.user,
            cluster=cluster,
            year=data["year"],
            entries=entries,
            proposed_on=data["proposed_on"],
        )
        row = self.get_queryset().get(pk=row.pk)
        return Response(s.ClusterProposalSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit a proposal",
        request=None,
        responses={200: s.ClusterProposalSerializer, 400: NOT_FOUND, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="submit", url_name="submit")
    def submit(self, request: Request, pk: str) -> Response:
        row = services.proposal_submit(actor=request.user, proposal=self.get_object())
        row = self.get_queryset().get(pk=row.pk)
        return Response(s.ClusterProposalSerializer(row).data)
