"""API of the grading app: the schemes (a catalogue) and the gradings. Reads are scoped through
`ScopedViewSetMixin` (404 outside the caller's scope); every write calls the service the pages
call, which checks "activities.manage" on the grading unit and every rule (400
`{"detail", "field"}`)."""

from __future__ import annotations

from django.db.models import QuerySet
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
    ScopedViewSetMixin,
    parse_body,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.grading import filters, selectors, services
from congdoan.grading.api import serializers as s
from congdoan.grading.models import Grading, Scheme

TAGS = ["grading"]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List grading schemes"),
    retrieve=extend_schema(summary="One grading scheme with its criteria and categories"),
)
class SchemeViewSet(CatalogueViewSet):
    queryset = Scheme.objects.all()
    serializer_class = s.SchemeSerializer

    def get_queryset(self) -> QuerySet[Scheme]:
        return selectors.scheme_full()


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List gradings of grassroots unions"),
    retrieve=extend_schema(summary="One grading with its points per criterion"),
)
class GradingViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = selectors.VIEW
    queryset = Grading.objects.all()
    serializer_class = s.GradingSerializer
    filterset_class = filters.GradingApiFilter
    pagination_class = Pagination
    filter_backends = [FilterBackend]

    def get_queryset(self) -> QuerySet[Grading]:
        return selectors.grading_full(super().get_queryset())

    def _answer(self, grading: Grading, code: int = 200) -> Response:
        fresh = selectors.grading_full().get(pk=grading.pk)
        return Response(s.GradingSerializer(fresh).data, status=code)

    @write_schema("Grade a grassroots union (a draft)", s.GradingCreateSerializer,
                  s.GradingSerializer, 201)  # fmt: skip
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.GradingCreateSerializer, request))
        grading = services.grading_create(actor=request.user, **data)
        return self._answer(grading, status.HTTP_201_CREATED)

    @write_schema("Change a draft grading", s.GradingUpdateSerializer, s.GradingSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        grading = self.get_object()
        data = s.compact(parse_body(s.GradingUpdateSerializer, request, partial=True))
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        grading = services.grading_update(actor=request.user, grading=grading, **data)
        return self._answer(grading)

    @write_schema("Confirm a grading", s.GradingConfirmSerializer, s.GradingSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        grading = self.get_object()
        data = parse_body(s.GradingConfirmSerializer, request)
        grading = services.grading_confirm(actor=request.user, grading=grading, **data)
        return self._answer(grading)

    @extend_schema(
        summary="Delete a draft grading (a confirmed one with ?reason=)",
        parameters=[
            OpenApiParameter(
                "reason", str, description="Why a confirmed grading is deleted (kept in history)."
            )
        ],
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        reason = str(request.query_params.get("reason", ""))[:300]
        services.grading_delete(actor=request.user, grading=self.get_object(), reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)
