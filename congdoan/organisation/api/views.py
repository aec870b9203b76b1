"""API of the organisation app: units (current and as of a date), the tree, clusters, terms and
the catalogues. Units and the tree are read here; changes to the tree go through
/api/v1/reorganisation/…. Clusters and terms are written here as on their pages: each write
calls the same service, which checks the caller's roles and every rule.

Every viewset is scoped through `ScopedViewSetMixin` (404 for objects outside the caller's
scope), the dated tree through `ScopedAPIView`; catalogues are readable by every signed-in
user. Reads come from `congdoan.organisation.selectors`; broken rules answer 400
`{"detail", "field"}`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
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
    ScopedViewSetMixin,
    parse_body,
    parse_query,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.organisation import selectors, services
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


class WritableViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Lists and objects within the caller's scope (`organisation.view`), whose writes are
    written by hand: each calls the service that the pages call, which checks the caller's
    roles and every rule (a refusal answers 400 `{"detail", "field"}`)."""

    scope_action = Action.ORGANISATION_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


MEMBERSHIP = OpenApiParameter(
    "membership",
    int,
    OpenApiParameter.PATH,
    description="Id of the membership (see GET /clusters/{id}/members/).",
)
SEAT = OpenApiParameter(
    "seat", int, OpenApiParameter.PATH, description="Id of the seat (see GET /terms/{id}/)."
)


def _one(pk: Any, rows: Any) -> Any:
    """The row `pk` among `rows` (404 otherwise): a membership of this cluster, a seat of this
    term."""
    found = rows(parse_id(pk)) if parse_id(pk) is not None else None
    if found is None:
        raise Http404
    return found


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List emulation clusters and blocks"),
    retrieve=_detail(s.ClusterSerializer, summary="One emulation cluster or block"),
)
class ClusterViewSet(WritableViewSet):
    """Emulation clusters and blocks that the caller organises or belongs to, with their
    membership and head unit per year. Writes need "organisation.manage_clusters" on the
    organising unit, as on the pages."""

    queryset = Cluster.objects.all()
    serializer_class = s.ClusterSerializer
    filterset_class = filters.ClusterFilter

    def get_queryset(self) -> QuerySet[Cluster]:
        # An invalid year is answered 400 by the filter (`filters.ClusterFilter.year`).
        year = self.request.query_params.get("year", "")
        return selectors.clusters_for_api(
            super().get_queryset(), year=int(year) if year.isdecimal() else None
        )

    def _cluster_response(self, cluster: Cluster, code: int = 200) -> Response:
        cluster = selectors.clusters_for_api(selectors.clusters_with_organiser(), year=None).get(
            pk=cluster.pk
        )
        return Response(s.ClusterSerializer(cluster).data, status=code)

    @write_schema(
        "Create an emulation cluster or block",
        s.ClusterWriteSerializer,
        s.ClusterSerializer,
        201,
        description="Organised by a unit where the caller manages clusters.",
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.ClusterWriteSerializer, request)
        cluster = services.cluster_create(actor=request.user, **data)
        return self._cluster_response(cluster, status.HTTP_201_CREATED)

    @write_schema(
        "Change an emulation cluster or block",
        s.ClusterWriteSerializer,
        s.ClusterSerializer,
        description="Any of its code, name, kind, description and organising unit; the new "
        "organising unit must hold every member unit.",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        cluster = self.get_object()
        data = parse_body(s.ClusterWriteSerializer, request, partial=True)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        cluster = services.cluster_update(actor=request.user, cluster=cluster, **data)
        return self._cluster_response(cluster)

    @extend_schema(
        methods=["GET"],
        summary="Members of a cluster",
        description="Its memberships (with their ids), latest year first, head first.",
        parameters=[s.MembersQuerySerializer],
        responses={200: s.ClusterMembershipSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a member unit for a year",
        request=s.ClusterMemberAddSerializer,
        responses={201: s.ClusterMembershipSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def members(self, request: Request, pk: str) -> Response:
        cluster = self.get_object()
        if request.method == "GET":
            year = parse_query(s.MembersQuerySerializer, request).get("year")
            rows = selectors.cluster_memberships(cluster, year=year)
            return Response(s.ClusterMembershipSerializer(rows, many=True).data)
        data = parse_body(s.ClusterMemberAddSerializer, request)
        membership = services.cluster_member_add(actor=request.user, cluster=cluster, **data)
        return Response(
            s.ClusterMembershipSerializer(membership).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Remove a member unit from a year",
        parameters=[MEMBERSHIP],
        request=None,
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<membership>[0-9]+)",
        url_name="member",
        filter_backends=[],
    )
    def remove_member(self, request: Request, pk: str, membership: str) -> Response:
        cluster = self.get_object()
        row = _one(membership, lambda i: selectors.cluster_membership(cluster, i))
        services.cluster_member_remove(actor=request.user, membership=row)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @write_schema(
        "Make a member unit the head unit of its year",
        None,
        s.ClusterMembershipSerializer,
        description="The unit becomes the head unit (cụm trưởng) of its year; the head unit "
        "it replaces stops being one.",
        parameters=[MEMBERSHIP],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"members/(?P<membership>[0-9]+)/head",
        url_name="member-head",
        filter_backends=[],
    )
    def set_head(self, request: Request, pk: str, membership: str) -> Response:
        cluster = self.get_object()
        row = _one(membership, lambda i: selectors.cluster_membership(cluster, i))
        row = services.cluster_set_head(
            actor=request.user, cluster=cluster, unit=row.unit, year=row.year
        )
        return Response(s.ClusterMembershipSerializer(row).data)

    @write_schema(
        "Copy one year's members into another year",
        s.CopyYearSerializer,
        s.CopiedSerializer,
        description="Dissolved units and units already listed are skipped; the head unit is "
        "copied unless the other year has one.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="copy-year",
        url_name="copy-year",
        filter_backends=[],
    )
    def copy_year(self, request: Request, pk: str) -> Response:
        cluster = self.get_object()
        data = parse_body(s.CopyYearSerializer, request)
        copied = services.cluster_copy_year(actor=request.user, cluster=cluster, **data)
        return Response({"copied": copied})


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List terms"),
    retrieve=_detail(s.TermDetailSerializer, summary="One term, with its committee seats"),
)
class TermViewSet(WritableViewSet):
    """Terms (nhiệm kỳ) of units within the caller's scope. Writes need
    "organisation.manage_terms" on the term's unit, as on the pages."""

    queryset = Term.objects.all()
    filterset_class = filters.TermFilter

    def get_queryset(self) -> QuerySet[Term]:
        return selectors.terms_for_api(super().get_queryset(), with_seats=self.action == "retrieve")

    def get_serializer_class(self) -> Any:
        return s.TermDetailSerializer if self.action == "retrieve" else s.TermSerializer

    @write_schema(
        "Record a term",
        s.TermCreateSerializer,
        s.TermDetailSerializer,
        201,
        description="A term of a unit where the caller manages terms, opened by its congress.",
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.TermCreateSerializer, request)
        term = services.term_create(actor=request.user, **data)
        term = selectors.terms_for_api(selectors.terms_with_unit(), with_seats=True).get(pk=term.pk)
        return Response(s.TermDetailSerializer(term).data, status=status.HTTP_201_CREATED)

    @write_schema(
        "Seat a person in a committee of the term",
        s.SeatAddSerializer,
        s.SeatSerializer,
        201,
        description="With `card_number`, the seat is linked to that member's record (a member "
        "within the caller's scope) and the name may be left empty.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def seats(self, request: Request, pk: str) -> Response:
        term = self.get_object()
        data = parse_body(s.SeatAddSerializer, request)
        card = data.pop("card_number")
        member = None
        if card:
            member = selectors.seat_member_by_card(request.user, card)
            if member is None:
                raise RuleViolation(
                    _("No member with this card number was found within your scope."),
                    field="card_number",
                )
        seat = services.seat_add(actor=request.user, term=term, member=member, **data)
        return Response(s.SeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    @write_schema("End a committee seat", s.SeatEndSerializer, s.SeatSerializer, parameters=[SEAT])
    @action(
        detail=True,
        methods=["post"],
        url_path=r"seats/(?P<seat>[0-9]+)/end",
        url_name="seat-end",
        filter_backends=[],
    )
    def end_seat(self, request: Request, pk: str, seat: str) -> Response:
        term = self.get_object()
        row = _one(seat, lambda i: selectors.term_seat(term, i))
        data = parse_body(s.SeatEndSerializer, request)
        row = services.seat_end(actor=request.user, seat=row, **data)
        return Response(s.SeatSerializer(row).data)


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
