"""API of the inspections app: inspections, the units they covered, their recommendations and
follow-ups, and complaints. Reads are scoped through `ScopedViewSetMixin` (404 outside the
caller's scope; an inspection is seen through its conducting unit or a unit it covered, its parts
through the conducting unit); every write calls the service the pages call, which checks
"inspection.manage" and every rule (400 `{"detail", "field"}`)."""

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
from congdoan.core.permissions import Action
from congdoan.inspections import filters, selectors, services
from congdoan.inspections.api import serializers as s
from congdoan.inspections.models import Complaint, FollowUp, Inspected, Inspection, Recommendation

TAGS = ["inspections"]
DELETED = {204: None, 400: BAD_REQUEST, 404: NOT_FOUND}


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = Action.INDICATORS_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]

    def inspection(self, pk: int) -> Inspection:
        """An inspection within the caller's scope (404 otherwise)."""
        return self.get_visible(selectors.inspection_with_unit(), pk=pk)


def _blank(data: dict[str, Any]) -> dict[str, Any]:
    """Texts sent as null become "" for the services."""
    texts = ("partners", "title", "decision_number", "findings", "sender", "outcome", "name")
    return {k: ("" if k in texts and v is None else v) for k, v in data.items()}


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List inspections and supervisions"),
    retrieve=extend_schema(summary="One inspection, with its units and recommendations"),
)
class InspectionViewSet(_Base):
    """Inspections conducted by, or of, units within the caller's scope."""

    queryset = Inspection.objects.all()
    filterset_class = filters.InspectionApiFilter

    def get_queryset(self) -> QuerySet[Inspection]:
        qs = super().get_queryset()
        if self.action == "retrieve":
            return selectors.inspection_full(qs)
        return qs.select_related("unit")

    def get_serializer_class(self) -> Any:
        return s.InspectionDetailSerializer if self.action == "retrieve" else s.InspectionSerializer

    def _answer(self, inspection: Inspection, code: int = 200) -> Response:
        fresh = selectors.inspection_full().get(pk=inspection.pk)
        data = s.InspectionDetailSerializer(fresh, context={"request": self.request}).data
        return Response(data, status=code)

    @write_schema(
        "Record an inspection or supervision", s.InspectionWriteSerializer,
        s.InspectionDetailSerializer, 201,
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        data = _blank(parse_body(s.InspectionWriteSerializer, request))
        ids = data.pop("units")
        units = selectors.units_visible(request.user, ids)
        if len(units) != len(set(ids)):
            raise RuleViolation(_("This unit was not found within your scope."), field="units")
        outside = [(o["name"], o["outside_kind"]) for o in data.pop("outside")]
        inspection = services.inspection_create(
            actor=request.user, units=units, outside=outside, **data
        )
        return self._answer(inspection, status.HTTP_201_CREATED)

    @write_schema("Change an inspection", s.InspectionWriteSerializer, s.InspectionDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        inspection = self.get_object()
        data = _blank(parse_body(s.InspectionWriteSerializer, request, partial=True))
        for name in ("unit", "units", "outside"):
            data.pop(name, None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        inspection = services.inspection_update(actor=request.user, inspection=inspection, **data)
        return self._answer(inspection)

    @extend_schema(summary="Delete an inspection", responses=DELETED)
    def destroy(self, request: Request, pk: str) -> Response:
        services.inspection_delete(actor=request.user, inspection=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List units inspected"),
    retrieve=extend_schema(summary="One unit inspected"),
)
class InspectedViewSet(_Base):
    queryset = Inspected.objects.all()
    serializer_class = s.InspectedSerializer
    filterset_class = filters.InspectionPartFilter

    def get_queryset(self) -> QuerySet[Inspected]:
        return selectors.targets_for_api(super().get_queryset())

    @write_schema("Add a unit inspected", s.InspectedWriteSerializer, s.InspectedSerializer, 201)
    def create(self, request: Request) -> Response:
        data = _blank(parse_body(s.InspectedWriteSerializer, request))
        inspection = self.inspection(data.pop("inspection"))
        unit = None
        if data.get("unit") is not None:
            found = selectors.units_visible(request.user, [data["unit"]])
            if not found:
                raise RuleViolation(_("This unit was not found within your scope."), field="unit")
            unit = found[0]
        data["unit"] = unit
        row = services.inspected_add(actor=request.user, inspection=inspection, **data)
        return Response(s.InspectedSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a unit inspected", responses=DELETED)
    def destroy(self, request: Request, pk: str) -> Response:
        services.inspected_remove(actor=request.user, target=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _target(inspection: Inspection, pk: int | None) -> Inspected | None:
    if pk is None:
        return None
    target = selectors.targets_of(inspection).filter(pk=pk).first()
    if target is None:
        raise RuleViolation(
            _("Address the recommendation to one of the units of this inspection."),
            field="target",
        )
    return target


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List recommendations"),
    retrieve=extend_schema(summary="One recommendation, with its follow-ups"),
)
class RecommendationViewSet(_Base):
    queryset = Recommendation.objects.all()
    serializer_class = s.RecommendationSerializer
    filterset_class = filters.InspectionPartFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        return selectors.recommendations_for_api(super().get_queryset())

    def _answer(self, row: Recommendation, code: int = 200) -> Response:
        row = selectors.recommendations_for_api(selectors.recommendations_with_inspection()).get(
            pk=row.pk
        )
        return Response(s.RecommendationSerializer(row).data, status=code)

    @write_schema(
        "Add a recommendation", s.RecommendationWriteSerializer, s.RecommendationSerializer, 201
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.RecommendationWriteSerializer, request)
        inspection = self.inspection(data.pop("inspection"))
        data["target"] = _target(inspection, data.get("target"))
        row = services.recommendation_add(actor=request.user, inspection=inspection, **data)
        return self._answer(row, status.HTTP_201_CREATED)

    @write_schema(
        "Change a recommendation", s.RecommendationChangeSerializer, s.RecommendationSerializer
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = parse_body(s.RecommendationChangeSerializer, request, partial=True)
        if "target" in data:
            data["target"] = _target(row.inspection, data["target"])
        if data.get("order", 0) is None:
            data.pop("order")
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.recommendation_update(actor=request.user, recommendation=row, **data)
        return self._answer(row)

    @extend_schema(summary="Remove a recommendation", responses=DELETED)
    def destroy(self, request: Request, pk: str) -> Response:
        services.recommendation_remove(actor=request.user, recommendation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List follow-ups of recommendations"),
    retrieve=extend_schema(summary="One follow-up"),
)
class FollowUpViewSet(_Base):
    queryset = FollowUp.objects.all()
    serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilter

    def get_queryset(self) -> QuerySet[FollowUp]:
        return selectors.follow_ups_for_api(super().get_queryset())

    @write_schema("Record a follow-up", s.FollowUpWriteSerializer, s.FollowUpSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.FollowUpWriteSerializer, request)
        row = self.get_visible(
            selectors.recommendations_with_inspection(), pk=data.pop("recommendation")
        )
        follow_up = services.follow_up_add(actor=request.user, recommendation=row, **data)
        return Response(s.FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Remove a follow-up", responses=DELETED)
    def destroy(self, request: Request, pk: str) -> Response:
        services.follow_up_remove(actor=request.user, follow_up=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List complaints and denunciations"),
    retrieve=extend_schema(summary="One complaint or denunciation"),
)
class ComplaintViewSet(_Base):
    """Cases of complaint and denunciation handled by units within the caller's scope."""

    queryset = Complaint.objects.all()
    serializer_class = s.ComplaintSerializer
    filterset_class = filters.ComplaintApiFilter

    def get_queryset(self) -> QuerySet[Complaint]:
        return super().get_queryset().select_related("unit")

    def _answer(self, row: Complaint, code: int = 200) -> Response:
        row = selectors.complaints_visible(self.request.user).get(pk=row.pk)
        return Response(s.ComplaintSerializer(row, context={"request": self.request}).data, code)

    @write_schema(
        "Record a complaint or denunciation", s.ComplaintWriteSerializer, s.ComplaintSerializer,
        201,
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        data = _blank(parse_body(s.ComplaintWriteSerializer, request))
        row = services.complaint_create(actor=request.user, **data)
        return self._answer(row, status.HTTP_201_CREATED)

    @write_schema("Change a complaint", s.ComplaintWriteSerializer, s.ComplaintSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = _blank(parse_body(s.ComplaintWriteSerializer, request, partial=True))
        data.pop("unit", None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.complaint_update(actor=request.user, complaint=row, **data)
        return self._answer(row)

    @extend_schema(summary="Delete a complaint", responses=DELETED)
    def destroy(self, request: Request, pk: str) -> Response:
        services.complaint_delete(actor=request.user, complaint=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
