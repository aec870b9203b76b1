"""API of the meetings app: meetings, their attendees, agenda items (with their documents)
and emulation pledges. Reads are scoped through `ScopedViewSetMixin` (404 outside the
caller's scope); every write calls the service the pages call, which checks
"meetings.manage" and every rule (400 `{"detail", "field"}`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
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
from congdoan.meetings import filters, selectors, services
from congdoan.meetings.api import serializers as s
from congdoan.meetings.models import AgendaItem, Attendee, Meeting, Pledge
from congdoan.meetings.views import stream_document

TAGS = ["meetings"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = Action.ORGANISATION_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def meeting(self, pk: int) -> Meeting:
        """A meeting within the caller's scope (404 otherwise)."""
        return self.get_visible(selectors.meetings_with_relations(), pk=pk)


def _resolve(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Ids of terms, clusters and periods as objects within the caller's scope."""
    out = dict(data)
    lookups = {
        "term": selectors.terms_visible(user),
        "cluster": selectors.clusters_visible(user),
        "period": selectors.periods_reviewed(),
    }
    for name, qs in lookups.items():
        if out.get(name) is not None:
            out[name] = qs.filter(pk=out[name]).first()
            if out[name] is None:
                raise RuleViolation(_("Not found within your scope."), field=name)
    return s.compact(out)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List meetings"),
    retrieve=extend_schema(summary="One meeting, with its attendees, agenda and pledges"),
)
class MeetingViewSet(_Base):
    """Meetings held by units within the caller's scope."""

    queryset = Meeting.objects.all()
    filterset_class = filters.MeetingApiFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        qs = super().get_queryset()
        if self.action == "retrieve":
            return selectors.meetings_full(qs)
        return selectors.meetings_with_relations(qs)

    def get_serializer_class(self) -> Any:
        return s.MeetingDetailSerializer if self.action == "retrieve" else s.MeetingSerializer

    def _answer(self, meeting: Meeting, code: int = 200) -> Response:
        meeting = selectors.meetings_full().get(pk=meeting.pk)
        return Response(s.MeetingDetailSerializer(meeting).data, status=code)

    @write_schema("Record a meeting", s.MeetingWriteSerializer, s.MeetingDetailSerializer, 201)
    def create(self, request: Request) -> Response:
        data = _resolve(request.user, parse_body(s.MeetingWriteSerializer, request))
        meeting = services.meeting_create(actor=request.user, **data)
        return self._answer(meeting, status.HTTP_201_CREATED)

    @write_schema("Change a meeting", s.MeetingWriteSerializer, s.MeetingDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = parse_body(s.MeetingWriteSerializer, request, partial=True)
        for name in ("unit", "opens_term", "term_number"):
            data.pop(name, None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        meeting = services.meeting_update(
            actor=request.user, meeting=meeting, **_resolve(request.user, data)
        )
        return self._answer(meeting)

    @extend_schema(
        summary="Delete a meeting", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.meeting_delete(actor=request.user, meeting=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List attendees"), retrieve=extend_schema(summary="One attendee")
)
class AttendeeViewSet(_Base):
    queryset = Attendee.objects.all()
    serializer_class = s.AttendeeSerializer
    filterset_class = filters.MeetingPartFilter

    def get_queryset(self) -> QuerySet[Attendee]:
        return selectors.attendees_for_api(super().get_queryset())

    @write_schema("Add an attendee", s.AttendeeWriteSerializer, s.AttendeeSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.AttendeeWriteSerializer, request)
        meeting = self.meeting(data.pop("meeting"))
        member = None
        if data.get("member") is not None:
            member = selectors.attendee_member_by_id(request.user, data["member"])
            if member is None:
                raise RuleViolation(_("Not found within your scope."), field="member")
        data["member"] = member
        row = services.attendee_add(actor=request.user, meeting=meeting, **data)
        return Response(s.AttendeeSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an attendee", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.attendee_remove(actor=request.user, attendee=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List agenda items"),
    retrieve=extend_schema(summary="One agenda item"),
)
class AgendaItemViewSet(_Base):
    queryset = AgendaItem.objects.all()
    serializer_class = s.AgendaItemSerializer
    filterset_class = filters.MeetingPartFilter

    def get_queryset(self) -> QuerySet[AgendaItem]:
        return selectors.agenda_for_api(super().get_queryset())

    @write_schema("Add an agenda item", s.AgendaItemWriteSerializer, s.AgendaItemSerializer, 201)
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.AgendaItemWriteSerializer, request))
        meeting = self.meeting(data.pop("meeting"))
        row = services.agenda_item_add(actor=request.user, meeting=meeting, **data)
        return Response(s.AgendaItemSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Change an agenda item", s.AgendaItemChangeSerializer, s.AgendaItemSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = s.compact(parse_body(s.AgendaItemChangeSerializer, request, partial=True))
        row = services.agenda_item_update(actor=request.user, item=item, **data)
        return Response(s.AgendaItemSerializer(row).data)

    @extend_schema(
        summary="Remove an agenda item", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.agenda_item_remove(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Download the document of an agenda item",
        responses={(200, "application/octet-stream"): bytes, 404: NOT_FOUND},
    )
    @action(detail=True, url_path="document", url_name="document", filter_backends=[])
    def document(self, request: Request, pk: str) -> FileResponse:
        return stream_document(self.get_object())


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List emulation pledges"),
    retrieve=extend_schema(summary="One emulation pledge"),
)
class PledgeViewSet(_Base):
    queryset = Pledge.objects.all()
    serializer_class = s.PledgeSerializer
    filterset_class = filters.PledgeApiFilter

    def get_queryset(self) -> QuerySet[Pledge]:
        return selectors.pledges_for_api(super().get_queryset())

    @write_schema("Record an emulation pledge", s.PledgeWriteSerializer, s.PledgeSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.PledgeWriteSerializer, request)
        cluster = selectors.clusters_visible(request.user).filter(pk=data.pop("cluster")).first()
        if cluster is None:
            raise RuleViolation(_("Not found within your scope."), field="cluster")
        meeting_id = data.pop("meeting", None)
        meeting = self.meeting(meeting_id) if meeting_id else None
        units = list(selectors.units_by_ids(data.pop("signatories")))
        row = services.pledge_create(
            actor=request.user, cluster=cluster, meeting=meeting, signatories=units, **data
        )
        row = selectors.pledges_for_api(selectors.pledges_with_cluster()).get(pk=row.pk)
        return Response(s.PledgeSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download the document of a pledge",
        responses={(200, "application/octet-stream"): bytes, 404: NOT_FOUND},
    )
    @action(detail=True, url_path="document", url_name="document", filter_backends=[])
    def document(self, request: Request, pk: str) -> FileResponse:
        return stream_document(self.get_object())
