"""API of the care register: records (with their funding lines) and campaigns. Reads are
scoped through `ScopedViewSetMixin` ("indicators.view", 404 outside the caller's scope); every
write calls the service the pages call, which checks "activities.manage" and every rule (400
`{"detail", "field"}`). A beneficiary's citizen ID, phone and date of birth are masked unless
the caller holds "members.view_personal" on the record's unit and states a purpose (`?purpose=`
or the header X-Purpose, as for members): the read is then logged."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.care import filters, selectors, services
from congdoan.care.api import serializers as s
from congdoan.care.models import Campaign, CareRecord
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
from congdoan.core.permissions import Action
from congdoan.members.api.views import PURPOSE, purpose_of
from congdoan.members.models import AccessKind

TAGS = ["care"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = Action.INDICATORS_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List care records"),
    retrieve=extend_schema(summary="One care record, with its funding lines"),
)
class CareRecordViewSet(_Base):
    """Care records of units within the caller's scope."""

    queryset = CareRecord.objects.all()
    serializer_class = s.CareRecordSerializer
    filterset_class = filters.CareApiFilter

    def get_queryset(self) -> QuerySet[CareRecord]:
        return selectors.record_full(super().get_queryset())

    def _reveal(self, records: list[CareRecord], kind: str) -> dict[str, Any]:
        """The serializer's context: the records whose beneficiary's personal data this
        response carries (the caller's permission and a stated purpose; the read is logged)."""
        revealed = services.reveal_personal(
            user=self.request.user,
            records=records,
            purpose=purpose_of(self.request),
            where=self.request.path,
            kind=kind,
        )
        return {**self.get_serializer_context(), "revealed": revealed}

    @extend_schema(parameters=[PURPOSE])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the pagination class is always set
        rows = list(page)
        context = self._reveal(rows, AccessKind.EXPORT)
        return self.get_paginated_response(
            s.CareRecordSerializer(rows, many=True, context=context).data
        )

    @extend_schema(parameters=[PURPOSE])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        context = self._reveal([record], AccessKind.VIEW)
        return Response(s.CareRecordSerializer(record, context=context).data)

    def _answer(self, record: CareRecord, code: int = 200) -> Response:
        record = selectors.record_full().get(pk=record.pk)
        return Response(
            s.CareRecordSerializer(record, context={"request": self.request}).data, status=code
        )

    @write_schema("Record care", s.CareRecordWriteSerializer, s.CareRecordSerializer, 201)
    def create(self, request: Request) -> Response:
        data = s.resolve(request.user, parse_body(s.CareRecordWriteSerializer, request))
        record = services.care_record_create(actor=request.user, **data)
        return self._answer(record, status.HTTP_201_CREATED)

    @write_schema("Change a care record", s.CareRecordWriteSerializer, s.CareRecordSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        data = parse_body(s.CareRecordWriteSerializer, request, partial=True)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        record = services.care_record_update(
            actor=request.user, record=record, **s.resolve(request.user, data)
        )
        return self._answer(record)

    @extend_schema(
        summary="Delete a care record", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.care_record_delete(actor=request.user, record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List care campaigns"),
    retrieve=extend_schema(summary="One care campaign"),
)
class CampaignViewSet(_Base):
    """Campaigns of units within the caller's scope and of the units above them."""

    queryset = Campaign.objects.all()
    serializer_class = s.CampaignSerializer
    filterset_class = filters.CampaignApiFilter

    def get_queryset(self) -> QuerySet[Campaign]:
        return super().get_queryset().select_related("unit")

    @write_schema("Create a care campaign", s.CampaignWriteSerializer, s.CampaignSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.CampaignWriteSerializer, request)
        campaign = services.campaign_create(actor=request.user, **data)
        return Response(s.CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @write_schema("Change a care campaign", s.CampaignWriteSerializer, s.CampaignSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        campaign = self.get_object()
        data = parse_body(s.CampaignWriteSerializer, request, partial=True)
        data.pop("unit", None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        campaign = services.campaign_update(actor=request.user, campaign=campaign, **data)
        return Response(s.CampaignSerializer(campaign).data)

    @extend_schema(
        summary="Delete a care campaign", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.campaign_delete(actor=request.user, campaign=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
