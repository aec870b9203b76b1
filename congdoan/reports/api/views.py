"""Report API: reports within the caller's scope ("reports.view"), their generated versions and
files, the units' templates. Writes call the services the pages call."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    Pagination,
    ScopedViewSetMixin,
    parse_body,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.reports import selectors, services
from congdoan.reports.api import serializers as s
from congdoan.reports.models import Generation, GenerationState, Report, ReportTemplate
from congdoan.reports.views import FILES

TAGS = ["reports"]


@extend_schema(tags=TAGS)
class ReportViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reports of units within the caller's scope. Writes need "reports.write" on the report's
    unit, approval and issue "reports.issue"; generation runs in the background (poll the
    version's `state` and `progress`)."""

    scope_action = Action.REPORTS_VIEW
    queryset = Report.objects.all()
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Report]:
        return selectors.reports_visible(self.request.user)

    def get_serializer_class(self) -> Any:
        return s.ReportDetailSerializer if self.action == "retrieve" else s.ReportSerializer

    def _detail(self, report: Report, code: int = 200) -> Response:
        fresh = selectors.reports_visible(self.request.user).get(pk=report.pk)
        return Response(s.ReportDetailSerializer(fresh).data, status=code)

    @write_schema("Create a draft report", s.ReportCreateSerializer, s.ReportDetailSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.ReportCreateSerializer, request)
        code = data.pop("cluster_code")
        cluster = None
        if code:
            cluster = selectors.cluster_by_code(request.user, code)
            if cluster is None:
                raise RuleViolation(
                    _("No cluster with this code was found within your scope."),
                    field="cluster_code",
                )
        report = services.report_create(actor=request.user, cluster=cluster, **data)
        return self._detail(report, status.HTTP_201_CREATED)

    @write_schema(
        "Change a report's title, tasks, meeting or language",
        s.ReportUpdateSerializer,
        s.ReportDetailSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        data = parse_body(s.ReportUpdateSerializer, request)
        services.report_update(actor=request.user, report=report, **data)
        return self._detail(report)

    @extend_schema(
        summary="Delete a report not issued",
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.report_delete(actor=request.user, report=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @write_schema("Generate a new version (background task)", None, s.GenerationSerializer, 202)
    @action(detail=True, methods=["post"], filter_backends=[])
    def generate(self, request: Request, pk: str) -> Response:
        gen = services.generation_start(actor=request.user, report=self.get_object())
        gen.refresh_from_db()
        return Response(s.GenerationSerializer(gen).data, status=status.HTTP_202_ACCEPTED)

    @write_schema("Approve the text of the last version", None, s.ReportDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str) -> Response:
        report = services.report_approve(actor=request.user, report=self.get_object())
        return self._detail(report)

    @write_schema(
        "Issue: the next number of the unit's register", s.IssueSerializer, s.ReportDetailSerializer
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def issue(self, request: Request, pk: str) -> Response:
        data = parse_body(s.IssueSerializer, request)
        report = services.report_issue(
            actor=request.user, report=self.get_object(), issued_on=data["issued_on"]
        )
        return self._detail(report)


@extend_schema(tags=TAGS)
class GenerationViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A generated version: its state and progress, and its files."""

    scope_action = Action.REPORTS_VIEW
    queryset = Generation.objects.select_related("report")
    serializer_class = s.GenerationSerializer

    @extend_schema(
        summary="Download a generated file (docx, pdf or xlsx)",
        responses={(200, "application/octet-stream"): bytes, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<kind>docx|pdf|xlsx)",
        url_name="file",
        filter_backends=[],
    )
    def file(self, request: Request, pk: str, kind: str) -> Any:
        gen: Generation = self.get_object()
        field = getattr(gen, FILES[kind][0])
        if gen.state != GenerationState.DONE or not field:
            raise Http404
        return FileResponse(
            field.open("rb"),
            as_attachment=True,
            filename=field.name.rsplit("/", 1)[-1],
            content_type=FILES[kind][1],
        )


@extend_schema(tags=TAGS)
class TemplateViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Report template versions of units within the caller's scope; saving makes a version."""

    scope_action = Action.REPORTS_VIEW
    queryset = ReportTemplate.objects.select_related("unit")
    serializer_class = s.TemplateSerializer
    pagination_class = Pagination

    @write_schema(
        "Save a new version of a unit's template",
        s.TemplateSaveSerializer,
        s.TemplateSerializer,
        201,
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.TemplateSaveSerializer, request)
        template = services.template_save(actor=request.user, **data)
        return Response(s.TemplateSerializer(template).data, status=status.HTTP_201_CREATED)
