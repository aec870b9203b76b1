"""API of the organisation app: units (current and as of a date), the tree, clusters, terms and
the catalogues. Read-only: changes to the tree go through /api/v1/reorganisation/…

Every viewset is scoped through `ScopedViewSetMixin` (404 for objects outside the caller's
scope), the dated tree through `ScopedAPIView`; catalogues are readable by every signed-in
user. Reads come from `congdoan.organisation.selectors`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    CatalogueViewSet,
    FilterBackend,
    Pagination,
    ScopedAPIView,
    ScopedReadOnlyViewSet,
    parse_query,
)
from congdoan.core.permissions import Action
from congdoan.organisation import selectors
from congdoan.organisation.api import filters
from congdoan.organisation.api import serializers as s
from congdoan.organisation.models import (
    Cluster,
    Level,
    OwnershipType,
    Position,
    Sector,
    Term,
    Unit,
    UnitType,
)

TAGS = ["organisation"]


def _detail(serializer: Any, **kwargs: Any) -> Any:
    """extend_schema for an endpoint about one object: its body, or 404."""
    return extend_schema(responses={200: serializer, 404: NOT_FOUND}, **kwargs)


class ReadOnlyViewSet(ScopedReadOnlyViewSet):
    scope_action = Action.ORGANISATION_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List units", responses={200: s.UnitListSerializer(many=True)}),
    retrieve=_detail(s.UnitDetailSerializer, summary="One unit"),
)
class UnitViewSet(ReadOnlyViewSet):
    """Units of the current tree within the caller's scope (dissolved units included)."""

    queryset = Unit.objects.all()
    filterset_class = filters.UnitFilter

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.units_for_api(super().get_queryset())

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.UnitDetailSerializer
        return s.UnitListSerializer

    @extend_schema(
        summary="Children of a unit",
        description="Current children in Vietnamese name order (dissolved ones last, when "
        "asked for), paginated.",
        parameters=[s.ChildrenQuerySerializer],
        responses={200: s.UnitSummarySerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, filter_backends=[])
    def children(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        options = parse_query(s.ChildrenQuerySerializer, request)
        rows = selectors.children(unit, request.user, **options)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.UnitSummarySerializer(page, many=True).data)

    @_detail(s.AncestorSerializer(many=True), summary="Ancestors of a unit, from the top down")
    @action(detail=True, filter_backends=[], pagination_class=None)
    def ancestors(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        rows = selectors.ancestors(unit)
        return Response(s.AncestorSerializer(rows, many=True, context={"request": request}).data)

    @_detail(
        s.UnitVersionSerializer(many=True),
        summary="History of a unit",
        description="Its versions (name, type, parent, address…), oldest first.",
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        return Response(s.UnitVersionSerializer(selectors.history(unit), many=True).data)

    @_detail(
        s.LineageSerializer,
        summary="Lineage of a unit",
        description="Which units it came from and which it became, through reorganisations.",
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def lineage(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        return Response(
            s.LineageSerializer(selectors.lineage(unit), context={"request": request}).data
        )

    @extend_schema(
        summary="Subtree of a unit as of a date",
        description="The unit and the units below it as they stood on `as_of` (today when "
        "absent), within the caller's scope, flat in tree order, paginated.",
        parameters=[s.SubtreeQuerySerializer],
        responses={200: s.NodeSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, filter_backends=[])
    def subtree(self, request: Request, pk: str) -> Response:
        unit = self.get_object()
        options = parse_query(s.SubtreeQuerySerializer, request)
        day = options.get("as_of") or timezone.localdate()
        nodes = selectors.subtree_nodes(unit, day, request.user, depth=options.get("depth"))
        page = self.paginate_queryset(nodes)
        return self.get_paginated_response(s.NodeSerializer(page, many=True).data)


@extend_schema(tags=TAGS)
class TreeView(ScopedAPIView):
    """The tree as it stood on a date, nested, within the caller's scope."""

    scope_action = Action.ORGANISATION_VIEW

    @extend_schema(
        summary="The tree as of a date",
        description="Nested units as they stood on `as_of` (today when absent): under `root`, "
        "or under each of the caller's topmost units, `depth` levels deep.",
        parameters=[s.TreeQuerySerializer],
        responses={200: s.TreeSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.TreeQuerySerializer, request)
        day = options.get("as_of") or timezone.localdate()
        root = None
        if options.get("root") is not None:
            root = self.get_visible(Unit, pk=options["root"])
        roots = selectors.tree_on(day, request.user, root=root, depth=options["depth"])
        data = {"as_of": day, "depth": options["depth"], "roots": roots}
        return Response(s.TreeSerializer(data).data)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List emulation clusters and blocks"),
    retrieve=_detail(s.ClusterSerializer, summary="One emulation cluster or block"),
)
class ClusterViewSet(ReadOnlyViewSet):
    """Emulation clusters and blocks that the caller organises or belongs to, with their
    membership and head unit per year."""

    queryset = Cluster.objects.all()
    serializer_class = s.ClusterSerializer
    filterset_class = filters.ClusterFilter

    def get_queryset(self) -> QuerySet[Cluster]:
        # An invalid year is answered 400 by the filter (`filters.ClusterFilter.year`).
        year = self.request.query_params.get("year", "")
        return selectors.clusters_for_api(
            super().get_queryset(), year=int(year) if year.isdigit() else None
        )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List terms"),
    retrieve=_detail(s.TermDetailSerializer, summary="One term, with its committee seats"),
)
class TermViewSet(ReadOnlyViewSet):
    """Terms (nhiệm kỳ) of units within the caller's scope."""

    queryset = Term.objects.all()
    filterset_class = filters.TermFilter

    def get_queryset(self) -> QuerySet[Term]:
        return selectors.terms_for_api(super().get_queryset(), with_seats=self.action == "retrieve")

    def get_serializer_class(self) -> Any:
        return s.TermDetailSerializer if self.action == "retrieve" else s.TermSerializer


# ---------------------------------------------------------------------------------------------
# Catalogues: the same for every signed-in user.


@extend_schema(tags=TAGS)
@extend_schema_view(retrieve=_detail(s.LevelSerializer))
class LevelViewSet(CatalogueViewSet):
    """Levels of the union system."""

    queryset = Level.objects.all()
    serializer_class = s.LevelSerializer
    filterset_class = filters.LevelFilter


@extend_schema(tags=TAGS)
@extend_schema_view(retrieve=_detail(s.UnitTypeSerializer))
class UnitTypeViewSet(CatalogueViewSet):
    """Unit types, with the level and the dates between which they may be used."""

    queryset = UnitType.objects.select_related("level")
    serializer_class = s.UnitTypeSerializer
    filterset_class = filters.UnitTypeFilter


@extend_schema(tags=TAGS)
@extend_schema_view(retrieve=_detail(s.SectorSerializer))
class SectorViewSet(CatalogueViewSet):
    """Sectors (ngành)."""

    queryset = Sector.objects.all()
    serializer_class = s.SectorSerializer
    filterset_class = filters.SectorFilter


@extend_schema(tags=TAGS)
@extend_schema_view(retrieve=_detail(s.OwnershipTypeSerializer))
class OwnershipTypeViewSet(CatalogueViewSet):
    """Ownership types of employers."""

    queryset = OwnershipType.objects.all()
    serializer_class = s.OwnershipTypeSerializer
    filterset_class = filters.OwnershipTypeFilter


@extend_schema(tags=TAGS)
@extend_schema_view(retrieve=_detail(s.PositionSerializer))
class PositionViewSet(CatalogueViewSet):
    """Positions held in committees."""

    queryset = Position.objects.all()
    serializer_class = s.PositionSerializer
    filterset_class = filters.PositionFilter
