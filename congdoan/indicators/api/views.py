"""API of the indicator engine: the catalogue, periods, targets and their allocation, figures
sheets with their workflow, figures of units and clusters, rankings.

- Reads are scoped by "indicators.view": lists through `visible_to`, single objects and the units
  named in parameters through `get_visible_or_404` (404 for "missing" and "not yours" alike).
- Writes go through `indicators.services` (and `periods`), which check "indicators.enter" /
  "indicators.approve" (and who may open or create a period); a broken rule answers 400 `{"detail", "field"}`, refused figures answer
  400 with every refused figure (`EntryErrorsSerializer`), and nothing is written.
- Rankings and cluster figures compare units across the tree: units outside the caller's scope
  are ranked (so that "thứ 3/15" is right) but not shown, and counted in `hidden_units`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    ApiErrorSerializer,
    CatalogueViewSet,
    FilterBackend,
    Pagination,
    ScopedViewSetMixin,
    parse_body,
    parse_query,
)
from congdoan.core.concurrency import EditConflict
from congdoan.core.permissions import Action
from congdoan.indicators import filters, periods, selectors, services
from congdoan.indicators.api import serializers as s
from congdoan.indicators.api.common import TAGS, ref, unit_param, unit_ref
from congdoan.indicators.models import Indicator, IndicatorGroup, PeriodRule, Sheet, Target

FORBIDDEN = OpenApiResponse(ApiErrorSerializer, description="The caller may not do this.")
ENTRY_ERRORS = OpenApiResponse(
    s.EntryErrorsSerializer,
    description="Refused figures (every one, with its indicator code), or another broken rule "
    "(`detail` and `field` only). Nothing is written.",
)


# ---------------------------------------------------------------------------------------------
# Catalogue: the same for every signed-in user.


def _detail(serializer: Any, **kwargs: Any) -> Any:
    return extend_schema(responses={200: serializer, 404: NOT_FOUND}, **kwargs)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Indicator groups"),
    retrieve=_detail(s.IndicatorGroupSerializer, summary="One indicator group"),
)
class IndicatorGroupViewSet(CatalogueViewSet):
    """Headings under which indicators are listed."""

    queryset = IndicatorGroup.objects.all()
    serializer_class = s.IndicatorGroupSerializer
    filter_backends: Any = []


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Indicators"),
    retrieve=_detail(s.IndicatorSerializer, summary="One indicator"),
)
class IndicatorViewSet(CatalogueViewSet):
    """The indicator catalogue: what is counted, how it adds up and where it comes from."""

    queryset = Indicator.objects.select_related("group")
    serializer_class = s.IndicatorSerializer
    filterset_class = filters.IndicatorFilter


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Period rules"),
    retrieve=_detail(s.PeriodRuleSerializer, summary="One period rule"),
)
class PeriodRuleViewSet(CatalogueViewSet):
    """How periods of each kind are cut, from a year on."""

    queryset = PeriodRule.objects.all()
    serializer_class = s.PeriodRuleSerializer
    filterset_class = filters.PeriodRuleFilter


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Data sets (forms)"),
    retrieve=_detail(s.DataSetSerializer, summary="One data set"),
)
class DataSetViewSet(CatalogueViewSet):
    """The indicators that units of some types report."""

    queryset = selectors.data_sets_with_items()
    serializer_class = s.DataSetSerializer
    filter_backends: Any = []


# ---------------------------------------------------------------------------------------------
# Periods


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Reporting periods"),
    retrieve=_detail(s.PeriodSerializer, summary="One period"),
)
class PeriodViewSet(CatalogueViewSet):
    """Reporting periods (the same for every signed-in user), latest first."""

    queryset = selectors.periods_all()
    serializer_class = s.PeriodSerializer
    filterset_class = filters.PeriodFilter
    pagination_class: Any = Pagination  # periods add up over the years

    @extend_schema(
        summary="Open or create a period",
        description="A calendar period (month, quarter, 6 or 9 months, year, school year) is "
        "given by `kind`, `year` and `number` and cut by the period rules in force (an existing "
        "one is returned as it is): for users who enter or approve figures somewhere. A term, "
        "programme, programme phase or custom period is given by `kind`, `name`, `start` and "
        "`end` (and `parent` for a part): every province sees it, so only users who approve "
        "figures over the whole tree (the national level) create one.",
        request=s.PeriodCreateSerializer,
        responses={201: s.PeriodSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        if not periods.may_open_calendar(request.user):
            raise PermissionDenied
        data = parse_body(s.PeriodCreateSerializer, request)
        if data["kind"] in periods.CALENDAR_KINDS:
            period = periods.period_open(
                actor=request.user, kind=data["kind"], year=data["year"], number=data["number"]
            )
        else:
            period = periods.period_create(
                actor=request.user,
                kind=data["kind"],
                name=data["name"],
                start=data["start"],
                end=data["end"],
                year=data.get("year"),
                number=data["number"],
                programme=data.get("programme", ""),
                parent=data.get("parent"),
                due_on=data.get("due_on"),
            )
        return Response(s.PeriodSerializer(period).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# Targets


def _target_response(target: Target | None, code: int = 200) -> Response:
    if target is None:
        return Response(status=status.HTTP_204_NO_CONTENT)
    return Response(s.TargetSerializer(selectors.target_detail(target.pk)).data, status=code)


TARGET_SAVED = {
    200: s.TargetSerializer,
    204: OpenApiResponse(description="The value was empty: the target was removed."),
    400: BAD_REQUEST,
    404: NOT_FOUND,
}


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Targets",
        description="Targets of units within the caller's scope.",
    ),
    retrieve=_detail(s.TargetSerializer, summary="One target"),
)
class TargetViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Target],
):
    """Targets (chỉ tiêu giao), assigned to each unit by the unit above it."""

    queryset = Target.objects.select_related("unit", "indicator", "period", "assigned_by")
    serializer_class = s.TargetSerializer
    scope_action = Action.INDICATORS_VIEW
    filter_backends = [FilterBackend]
    filterset_class = filters.TargetFilter
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Target]:
        return super().get_queryset().order_by("period__end", "unit__path", "indicator__order")

    def _set(self, request: Request, target: Target, data: dict[str, Any]) -> Response:
        saved = services.target_set(
            actor=request.user,
            unit=target.unit,
            indicator=target.indicator,
            period=target.period,
            value=data["value"],
            note=data.get("note", target.note),
        )
        return _target_response(saved)

    @extend_schema(
        summary="Assign a target",
        description="Sets (or changes) the target of a unit for an indicator and a period; an "
        "empty value removes it. Only the unit above assigns targets.",
        request=s.TargetWriteSerializer,
        responses={k: v for k, v in TARGET_SAVED.items() if k != 200} | {201: s.TargetSerializer},
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.TargetWriteSerializer, request)
        saved = services.target_set(actor=request.user, **data)
        return _target_response(saved, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a target",
        request=s.TargetChangeSerializer,
        responses=TARGET_SAVED,
    )
    def update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        return self._set(request, target, parse_body(s.TargetChangeSerializer, request))

    @extend_schema(
        summary="Change a target (some fields)",
        request=s.TargetChangeSerializer,
        responses=TARGET_SAVED,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        data = parse_body(s.TargetChangeSerializer, request, partial=True)
        data.setdefault("value", target.value)
        return self._set(request, target, data)

    @extend_schema(
        summary="Remove a target",
        request=None,
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        target = self.get_object()
        return self._set(request, target, {"value": None})

    @extend_schema(
        summary="Allocate a target among the units below",
        description="Splits `total` (default: the unit's own target) among the active children "
        "of `unit`, evenly or in proportion to their members, keeping the total. With "
        "`?dry_run=1` only shows the split; otherwise assigns the children's targets.",
        parameters=[s.AllocateQuerySerializer],
        request=s.AllocateSerializer,
        responses={200: s.AllocateResultSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def allocate(self, request: Request) -> Response:
        dry_run = parse_query(s.AllocateQuerySerializer, request)["dry_run"]
        data = parse_body(s.AllocateSerializer, request)
        parent, indicator, period = data["unit"], data["indicator"], data["period"]
        total = data.get("total")
        if dry_run:
            if total is None or total == "":
                total = selectors.target_value(unit=parent, indicator=indicator, period=period)
            plan = services.allocation_preview(
                parent=parent,
                indicator=indicator,
                period=period,
                total=total,
                method=data["method"],
            )
            rows: list[dict[str, Any]] = [
                {"unit": unit_ref(a.unit), "weight": a.weight, "value": a.value} for a in plan
            ]
        else:
            made = services.targets_allocate(
                actor=request.user,
                parent=parent,
                indicator=indicator,
                period=period,
                total=total,
                method=data["method"],
            )
            rows = [{"unit": unit_ref(t.unit), "weight": None, "value": t.value} for t in made]
        body = {
            "dry_run": dry_run,
            "total": sum((r["value"] for r in rows), Decimal(0)),
            "rows": rows,
        }
        return Response(s.AllocateResultSerializer(body).data)

    @extend_schema(
        summary="Targets that do not add up",
        description="Indicators (summed ones) whose children's targets do not add up to the "
        "unit's own target for the period.",
        parameters=[s.UnitPeriodQuerySerializer],
        responses={200: s.TargetGapSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def gaps(self, request: Request) -> Response:
        options = parse_query(s.UnitPeriodQuerySerializer, request)
        unit = unit_param(self, options["unit"])
        gaps = selectors.target_gaps(unit.pk, options["period"])
        return Response(s.TargetGapSerializer(gaps, many=True).data)


# ---------------------------------------------------------------------------------------------
# Sheets


def _workflow(summary: str, request_serializer: Any = None, description: str = "") -> Any:
    return extend_schema(
        summary=summary,
        description=description or None,
        request=request_serializer,
        responses={200: s.SheetDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Figures sheets",
        description="One sheet per unit and period, within the caller's scope.",
    ),
    retrieve=_detail(s.SheetDetailSerializer, summary="One figures sheet, with values and steps"),
)
class SheetViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Sheet],
):
    """Figures sheets: a unit's figures for a period, draft → submitted → approved → locked."""

    queryset = Sheet.objects.select_related("unit", "period")
    scope_action = Action.INDICATORS_VIEW
    filter_backends = [FilterBackend]
    filterset_class = filters.SheetFilter
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Sheet]:
        if self.action == "list":
            return super().get_queryset().order_by("-period__end", "unit__path")
        return selectors.sheets_detailed(super().get_queryset())

    def get_serializer_class(self) -> Any:
        return s.SheetSerializer if self.action == "list" else s.SheetDetailSerializer

    def _detail_response(self, request: Request, sheet: Sheet) -> Response:
        sheet = selectors.sheets_detailed().get(pk=sheet.pk)
        return Response(s.SheetDetailSerializer(sheet, context={"request": request}).data)

    def _move(self, request: Request, service: Any, **kwargs: Any) -> Response:
        sheet = self.get_object()
        sheet = service(actor=request.user, sheet=sheet, **kwargs)
        return self._detail_response(request, sheet)

    @_workflow("Submit figures (the unit itself)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: str) -> Response:
        return self._move(request, services.sheet_submit)

    @_workflow("Approve submitted figures (the unit above)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str) -> Response:
        return self._move(request, services.sheet_approve)

    @_workflow("Return submitted figures for correction (the unit above)", s.ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filter_backends=[])
    def return_(self, request: Request, pk: str) -> Response:
        data = parse_body(s.ReasonSerializer, request)
        return self._move(request, services.sheet_return, reason=data["reason"])

    @_workflow("Lock approved figures (the unit above)")
    @action(detail=True, methods=["post"], filter_backends=[])
    def lock(self, request: Request, pk: str) -> Response:
        return self._move(request, services.sheet_lock)

    @_workflow("Reopen approved or locked figures (the unit above)", s.ReasonSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def reopen(self, request: Request, pk: str) -> Response:
        data = parse_body(s.ReasonSerializer, request)
        return self._move(request, services.sheet_reopen, reason=data["reason"])

    @extend_schema(
        summary="Save figures of a unit for a period",
        description="All or nothing: every refused figure is listed and nothing is written. "
        "The sheet is created on first save; only a draft sheet can be changed.",
        request=s.ValuesSaveSerializer,
        responses={
            200: s.SheetDetailSerializer,
            400: ENTRY_ERRORS,
            404: NOT_FOUND,
            412: OpenApiResponse(
                s.EditConflictSerializer,
                description="Someone else changed figures you changed since you read them "
                "(`read`); nothing was written. `changed`: their codes.",
            ),
        },
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def values(self, request: Request) -> Response:
        data = parse_body(s.ValuesSaveSerializer, request)
        try:
            sheet = services.values_save(
                actor=request.user,
                unit=data["unit"],
                period=data["period"],
                entries=data["entries"],
                comments=data["comments"],
                shown=data.get("read"),
                shown_comments=data.get("read_comments"),
            )
        except EditConflict as exc:
            conflict = {"detail": str(exc), "changed": [c.name for c in exc.changed]}
            return Response(conflict, status=status.HTTP_412_PRECONDITION_FAILED)
        except services.EntryErrors as exc:
            errors = [{"indicator": code, "message": msg} for code, msg in exc.errors]
            body = {"detail": str(exc), "errors": errors}
            return Response(s.EntryErrorsSerializer(body).data, status=status.HTTP_400_BAD_REQUEST)
        return self._detail_response(request, sheet)

    @extend_schema(
        summary="Where the sheets of the units below stand",
        description="For each child unit of `unit` (within the caller's scope, as the tree "
        "stood at the period's end): its sheet's status, empty when nothing was entered, and "
        "whether it is late.",
        parameters=[s.UnitPeriodQuerySerializer],
        responses={200: s.SheetStateSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def states(self, request: Request) -> Response:
        from django.utils import timezone

        options = parse_query(s.UnitPeriodQuerySerializer, request)
        unit, period = unit_param(self, options["unit"]), options["period"]
        kids = selectors.children_on(unit.pk, period.end, request.user)
        states = selectors.sheet_states([k for k, _n, _c in kids], period, timezone.localdate())
        rows = [
            {
                "unit": ref(k, code, name),
                "status": states[k].status,
                "late": states[k].late,
                "updated_at": states[k].updated_at,
            }
            for k, name, code in kids
        ]
        return Response(s.SheetStateSerializer(rows, many=True).data)
