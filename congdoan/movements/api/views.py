"""API of the register of movements and models: activities and collective agreements. Reads
are scoped through `ScopedViewSetMixin` (404 outside the caller's scope); every write calls the
service the pages call, which checks "activities.manage" and every rule (400
`{"detail", "field"}`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    FilterBackend,
    Pagination,
    ScopedViewSetMixin,
    parse_body,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.movements import filters, selectors, services
from congdoan.movements.api import serializers as s
from congdoan.movements.models import Activity, Agreement

TAGS = ["movements"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = selectors.VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


def _changes(serializer: Any, request: Request) -> dict[str, Any]:
    data = s.compact(parse_body(serializer, request, partial=True))
    data.pop("unit", None)
    if not data:
        raise RuleViolation(_("Enter at least one new value."))
    return data


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List activities (works, models, classes, …)"),
    retrieve=extend_schema(summary="One activity"),
)
class ActivityViewSet(_Base):
    queryset = Activity.objects.all()
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityApiFilter

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activities_with_unit(super().get_queryset())

    @write_schema("Record an activity", s.ActivityWriteSerializer, s.ActivitySerializer, 201)
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.ActivityWriteSerializer, request))
        row = services.activity_create(actor=request.user, **data)
        return Response(s.ActivitySerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Change an activity", s.ActivityWriteSerializer, s.ActivitySerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = _changes(s.ActivityWriteSerializer, request)
        row = services.activity_update(actor=request.user, activity=row, **data)
        return Response(s.ActivitySerializer(row).data)

    @extend_schema(
        summary="Delete an activity", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.activity_delete(actor=request.user, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List collective labour agreements"),
    retrieve=extend_schema(summary="One collective labour agreement"),
)
class AgreementViewSet(_Base):
    queryset = Agreement.objects.all()
    serializer_class = s.AgreementSerializer
    filterset_class = filters.AgreementApiFilter

    def get_queryset(self) -> QuerySet[Agreement]:
        return selectors.agreements_with_unit(super().get_queryset())

    @write_schema("Record an agreement", s.AgreementWriteSerializer, s.AgreementSerializer, 201)
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.AgreementWriteSerializer, request))
        row = services.agreement_create(actor=request.user, **data)
        return Response(s.AgreementSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Change an agreement", s.AgreementWriteSerializer, s.AgreementSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = _changes(s.AgreementWriteSerializer, request)
        row = services.agreement_update(actor=request.user, agreement=row, **data)
        return Response(s.AgreementSerializer(row).data)

    @extend_schema(
        summary="Delete an agreement", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.agreement_delete(actor=request.user, agreement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
