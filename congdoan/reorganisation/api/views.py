"""API of the reorganisation app: operations (dry run or apply), plans and recorded events.

Operations run the same services as the wizard (`congdoan.reorganisation.services`); a dry run
goes through `dry_run`, so the preview is exactly what applying does. Units outside the caller's
scope are "not found"; broken rules answer 400 with a translated message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    Pagination,
    ScopedAPIView,
    ScopedReadOnlyViewSet,
    ScopedViewSetMixin,
    first_error,
    parse_query,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.organisation.models import ReorgEvent, ReorgPlan
from congdoan.organisation.services import ChangeSet, dry_run
from congdoan.reorganisation import plans, selectors, services
from congdoan.reorganisation.api import serializers as s


class OperationView(ScopedAPIView):
    """POST one operation; `dry_run` (default true) previews it without changing anything.

    A caller who holds `scope_action` nowhere is refused with 400, before the request is read."""

    serializer_class: type[s.OperationSerializer]
    service: Callable[..., Any]
    scope_action = Action.ORGANISATION_REORGANISE

    def post(self, request: Request) -> Response:
        if not self.has_scope():
            raise RuleViolation(_("You may not reorganise any unit."))
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            raise first_error(serializer.errors)
        kwargs = serializer.service_kwargs()
        service = type(self).service
        if serializer.validated_data["dry_run"]:
            changes = dry_run(service, actor=request.user, **kwargs)
            event_id = None
        else:
            changes = ChangeSet()
            event_id = service(actor=request.user, changes=changes, **kwargs).pk
        body = {
            "dry_run": event_id is None,
            "changes": changes.as_list(),
            "totals": changes.totals(),
            "event": event_id,
        }
        return Response(
            s.ResultSerializer(body).data,
            status=status.HTTP_200_OK if event_id is None else status.HTTP_201_CREATED,
        )


def _operation(name: str, serializer: Any, service: Any, summary: str, **extra: Any) -> Any:
    def post(self: OperationView, request: Request) -> Response:
        return OperationView.post(self, request)

    schema = extend_schema(
        operation_id=f"reorganisation_{name}",
        summary=summary,
        request=serializer,
        responses={
            200: OpenApiResponse(s.ResultSerializer, description="Dry run: what would change."),
            201: OpenApiResponse(s.ResultSerializer, description="Applied: what changed."),
            400: BAD_REQUEST,
        },
        tags=["reorganisation"],
    )
    return type(
        f"{name.title()}OperationView",
        (OperationView,),
        {"serializer_class": serializer, "service": service, "post": schema(post), **extra},
    )


CreateView = _operation("create", s.CreateRequestSerializer, services.reorg_create, "Create a unit")
UpdateView = _operation(
    "update",
    s.UpdateRequestSerializer,
    services.reorg_update,
    "Rename a unit or change its details",
    scope_action=Action.ORGANISATION_CHANGE,
)
MoveView = _operation("move", s.MoveRequestSerializer, services.reorg_move, "Move a unit")
MergeView = _operation("merge", s.MergeRequestSerializer, services.reorg_merge, "Merge units")
SplitView = _operation("split", s.SplitRequestSerializer, services.reorg_split, "Split a unit")
DissolveView = _operation(
    "dissolve", s.DissolveRequestSerializer, services.reorg_dissolve, "Dissolve a unit"
)


@extend_schema_view(
    list=extend_schema(
        summary="Recorded reorganisations",
        parameters=[s.EventQuerySerializer],
        responses={200: s.EventSerializer(many=True), 400: BAD_REQUEST},
        tags=["reorganisation"],
    ),
    retrieve=extend_schema(
        summary="One recorded reorganisation",
        responses={200: s.EventSerializer, 404: NOT_FOUND},
        tags=["reorganisation"],
    ),
)
class EventViewSet(ScopedReadOnlyViewSet):
    """Reorganisation events that touched a unit within the caller's scope."""

    queryset = ReorgEvent.objects.all()
    serializer_class = s.EventSerializer
    filter_backends: Any = []
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[ReorgEvent]:
        events = super().get_queryset()
        if self.action == "list":
            events = selectors.event_filter(
                events, **parse_query(s.EventQuerySerializer, self.request)
            )
        return selectors.event_with_details(events)


@extend_schema_view(
    list=extend_schema(
        summary="Reorganisation plans",
        responses={200: s.PlanSerializer(many=True)},
        tags=["reorganisation"],
    ),
    retrieve=extend_schema(
        summary="One plan: its errors or its preview",
        responses={200: s.PlanSerializer, 404: NOT_FOUND},
        tags=["reorganisation"],
    ),
    create=extend_schema(
        summary="Upload a plan (checked and previewed; nothing changes)",
        request={"multipart/form-data": s.PlanUploadSerializer},
        responses={201: s.PlanSerializer, 400: BAD_REQUEST},
        tags=["reorganisation"],
    ),
)
class PlanViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Plans owned by units within the caller's scope."""

    queryset = ReorgPlan.objects.select_related("unit", "created_by", "applied_by")
    serializer_class = s.PlanSerializer
    filter_backends: Any = []
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("-created_at")

    def create(self, request: Request) -> Response:
        upload = s.PlanUploadSerializer(data=request.data, context={"request": request})
        if not upload.is_valid():
            raise first_error(upload.errors)
        d = upload.validated_data
        f = d["file"]
        if f.size > plans.MAX_BYTES:
            raise RuleViolation(
                _("%(file)s is larger than 5 MB; split the plan into several files.")
                % {"file": f.name},
                field="file",
            )
        plan = plans.plan_upload(
            actor=request.user,
            filename=f.name,
            data=f.read(),
            unit=d.get("unit"),
            title=d.get("title", ""),
            effective_date=d.get("effective_date"),
            decision_ref=d.get("decision_ref", ""),
        )
        return Response(
            s.PlanSerializer(plan, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Apply a valid plan (all rows in one transaction)",
        request=None,
        responses={200: s.PlanApplySerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=["reorganisation"],
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str) -> Response:
        plan: ReorgPlan = self.get_visible(ReorgPlan, Action.ORGANISATION_REORGANISE, pk=pk)
        events = plans.plan_apply(actor=request.user, plan=plan)
        plan.refresh_from_db()
        body = {"events": [e.pk for e in events], "plan": plan}
        return Response(s.PlanApplySerializer(body, context={"request": request}).data)
