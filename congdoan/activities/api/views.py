"""API of the shared core of the registers: which unit keeps which register. Reads are scoped
(404 outside the caller's scope); writes call the services the pages call."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.activities import services
from congdoan.activities.api import serializers as s
from congdoan.activities.models import Keeping
from congdoan.core.api.base import Pagination, ScopedViewSetMixin, parse_body, write_schema
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.organisation.models import Unit

TAGS = ["activities"]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Registers kept by units",
        parameters=[OpenApiParameter("unit", int, description="Only this unit's.")],
    ),
    retrieve=extend_schema(summary="One unit's keeping of a register"),
)
class KeepingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Which units keep which register, and since when: their figures of its indicators are
    counted from their records instead of entered."""

    scope_action = Action.INDICATORS_VIEW
    queryset = Keeping.objects.select_related("unit")
    serializer_class = s.KeepingSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Keeping]:
        qs = super().get_queryset()
        unit = parse_id(self.request.query_params.get("unit"))
        return qs.filter(unit_id=unit) if unit is not None else qs

    @write_schema("Keep a register from a year", s.KeepingStartSerializer, s.KeepingSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.KeepingStartSerializer, request)
        unit = self.get_visible(Unit, pk=data["unit"])
        keeping = services.keeping_start(
            actor=request.user, unit=unit, register=data["register"], from_year=data["from_year"]
        )
        return Response(s.KeepingSerializer(keeping).data, status=status.HTTP_201_CREATED)

    @write_schema(
        "Stop keeping a register after a year", s.KeepingStopSerializer, s.KeepingSerializer
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str) -> Response:
        keeping = self.get_object()
        data = parse_body(s.KeepingStopSerializer, request)
        keeping = services.keeping_stop(
            actor=request.user,
            unit=keeping.unit,
            register=keeping.register,
            last_year=data["last_year"],
        )
        return Response(s.KeepingSerializer(keeping).data)
