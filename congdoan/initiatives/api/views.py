"""API of the initiatives app: programmes (with their results per phase), initiatives (with
their authors and the decision), contests, their entries and a quiz's participants. Reads are
scoped through `ScopedViewSetMixin` (404 outside the caller's scope); every write calls the
service the pages call, which checks "activities.manage" and every rule (400
`{"detail", "field"}`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
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
    parse_query,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.initiatives import filters, selectors, services
from congdoan.initiatives.api import serializers as s
from congdoan.initiatives.models import Contest, Entry, Initiative, Participant, Programme

TAGS = ["initiatives"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = Action.INDICATORS_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _found(self, qs: QuerySet[Any], pk: Any, field: str) -> Any:
        row = qs.filter(pk=pk).first() if pk else None
        if row is None:
            raise RuleViolation(_("Not found within your scope."), field=field)
        return row

    def _destroyed(self) -> Response:
        return Response(status=status.HTTP_204_NO_CONTENT)


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List initiative programmes"),
    retrieve=extend_schema(summary="One programme, with its phases"),
)
class ProgrammeViewSet(_Base):
    """Programmes organised within the caller's scope or above it."""

    queryset = Programme.objects.all()
    filterset_class = filters.ProgrammeApiFilter

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programmes_with_relations(super().get_queryset())

    def get_serializer_class(self) -> Any:
        return s.ProgrammeDetailSerializer if self.action == "retrieve" else s.ProgrammeSerializer

    def _answer(self, programme: Programme, code: int = 200) -> Response:
        row = selectors.programmes_with_relations().get(pk=programme.pk)
        return Response(s.ProgrammeDetailSerializer(row).data, status=code)

    @write_schema(
        "Record a programme", s.ProgrammeWriteSerializer, s.ProgrammeDetailSerializer, 201
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.ProgrammeWriteSerializer, request)
        period = None
        if data.get("period"):
            period = self._found(selectors.programme_periods_free(), data["period"], "period")
        phases = [(p["name"], p["start"], p["end"]) for p in data.get("phases") or []]
        programme = services.programme_create(
            actor=request.user, unit=data["unit"], period=period, name=data.get("name") or "",
            start=data.get("start"), end=data.get("end"), phases=phases,
            indicators=data.get("indicators"), description=data.get("description") or "",
        )  # fmt: skip
        return self._answer(programme, status.HTTP_201_CREATED)

    @write_schema("Change a programme", s.ProgrammeWriteSerializer, s.ProgrammeDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        data = parse_body(s.ProgrammeWriteSerializer, request, partial=True)
        programme = services.programme_update(
            actor=request.user, programme=programme, indicators=data.get("indicators"),
            description=data.get("description"),
        )  # fmt: skip
        return self._answer(programme)

    @extend_schema(
        summary="Delete a programme", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.programme_delete(actor=request.user, programme=self.get_object())
        return self._destroyed()

    @extend_schema(
        summary="Results of a unit in each phase and in the whole programme, with its ranks",
        parameters=[OpenApiParameter("unit", int, description="Id of a unit (default: yours).")],
        responses={200: dict, 404: NOT_FOUND},
    )
    @action(detail=True, url_path="results", url_name="results", filter_backends=[])
    def results(self, request: Request, pk: str) -> Response:
        programme = self.get_object()
        query = parse_query(s.ResultsQuerySerializer, request)
        subject = selectors.subject_for(programme, request.user, query.get("unit"))
        board = selectors.programme_board(programme, subject, request.user)
        lines = [
            {
                "period": line.period.pk,
                "name": line.period.name,
                "whole": line.is_whole,
                "rank": line.rank.rank if line.rank else None,
                "rank_of": line.rank.of if line.rank else None,
                "figures": {
                    code: {"value": _number(c.value), "target": _number(c.target)}
                    for code, c in line.cells.items()
                },
            }
            for line in board.lines
        ]
        return Response({"unit": subject.pk, "lines": lines})


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List initiatives"),
    retrieve=extend_schema(summary="One initiative, with its authors"),
)
class InitiativeViewSet(_Base):
    queryset = Initiative.objects.all()
    serializer_class = s.InitiativeSerializer
    filterset_class = filters.InitiativeApiFilter

    def get_queryset(self) -> QuerySet[Initiative]:
        return selectors.initiatives_full(super().get_queryset())

    def _answer(self, row: Initiative, code: int = 200) -> Response:
        return Response(
            s.InitiativeSerializer(selectors.initiatives_full().get(pk=row.pk)).data, status=code
        )

    def _authors(self, rows: list[dict[str, Any]]) -> list[services.AuthorIn]:
        out = []
        for row in rows:
            member = None
            if row.get("member"):
                member = selectors.member_by_id(self.request.user, row["member"])
                if member is None:
                    raise RuleViolation(_("Not found within your scope."), field="authors")
            out.append(
                services.AuthorIn(member, row.get("full_name") or "", row.get("workplace") or "")
            )
        return out

    def _resolved(self, data: dict[str, Any]) -> dict[str, Any]:
        if "programme" in data:
            data["programme"] = self._found(
                selectors.programmes_visible(self.request.user), data["programme"], "programme"
            )
        if "authors" in data:
            data["authors"] = self._authors(data["authors"])
        if "summary" in data:
            data["summary"] = data["summary"] or ""
        return data

    @write_schema("Record an initiative", s.InitiativeWriteSerializer, s.InitiativeSerializer, 201)
    def create(self, request: Request) -> Response:
        data = self._resolved(parse_body(s.InitiativeWriteSerializer, request))
        row = services.initiative_create(actor=request.user, **data)
        return self._answer(row, status.HTTP_201_CREATED)

    @write_schema("Change an initiative", s.InitiativeWriteSerializer, s.InitiativeSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = self._resolved(parse_body(s.InitiativeWriteSerializer, request, partial=True))
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.initiative_update(actor=request.user, initiative=row, **data)
        return self._answer(row)

    @write_schema("Decide on an initiative", s.DecisionSerializer, s.InitiativeSerializer)
    @action(detail=True, methods=["post"], url_path="decide", url_name="decide", filter_backends=[])
    def decide(self, request: Request, pk: str) -> Response:
        row = self.get_object()
        data = parse_body(s.DecisionSerializer, request)
        row = services.initiative_decide(actor=request.user, initiative=row, **data)
        return self._answer(row)

    @extend_schema(
        summary="Delete an initiative", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.initiative_delete(actor=request.user, initiative=self.get_object())
        return self._destroyed()


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List contests"), retrieve=extend_schema(summary="One contest")
)
class ContestViewSet(_Base):
    """Contests organised within the caller's scope or above it."""

    queryset = Contest.objects.all()
    serializer_class = s.ContestSerializer
    filterset_class = filters.ContestApiFilter

    def get_queryset(self) -> QuerySet[Contest]:
        return selectors.contests_with_relations(super().get_queryset())

    @write_schema("Record a contest", s.ContestWriteSerializer, s.ContestSerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.ContestWriteSerializer, request)
        data["description"] = data.get("description") or ""
        row = services.contest_create(actor=request.user, **data)
        return Response(s.ContestSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Change a contest", s.ContestWriteSerializer, s.ContestSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        contest = self.get_object()
        data = parse_body(s.ContestWriteSerializer, request, partial=True)
        data.pop("unit", None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.contest_update(actor=request.user, contest=contest, **data)
        return Response(s.ContestSerializer(row).data)

    @extend_schema(
        summary="Delete a contest", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.contest_delete(actor=request.user, contest=self.get_object())
        return self._destroyed()


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List contest entries (of units in scope)"),
    retrieve=extend_schema(summary="One contest entry"),
)
class EntryViewSet(_Base):
    queryset = Entry.objects.all()
    serializer_class = s.EntrySerializer
    filterset_class = filters.ContestPartFilter

    def get_queryset(self) -> QuerySet[Entry]:
        return super().get_queryset().select_related("unit")

    def _initiative(self, data: dict[str, Any]) -> None:
        if data.get("initiative"):
            data["initiative"] = self._found(
                selectors.initiatives_visible(self.request.user), data["initiative"], "initiative"
            )

    @write_schema("Add a contest entry", s.EntryWriteSerializer, s.EntrySerializer, 201)
    def create(self, request: Request) -> Response:
        data = parse_body(s.EntryWriteSerializer, request)
        contest = self.get_visible(selectors.contests_with_relations(), pk=data.pop("contest"))
        self._initiative(data)
        row = services.entry_add(actor=request.user, contest=contest, **data)
        return Response(s.EntrySerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Change a contest entry", s.EntryChangeSerializer, s.EntrySerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        entry = self.get_object()
        data = parse_body(s.EntryChangeSerializer, request, partial=True)
        self._initiative(data)
        row = services.entry_update(actor=request.user, entry=entry, **data)
        return Response(s.EntrySerializer(row).data)

    @extend_schema(
        summary="Remove a contest entry", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.entry_remove(actor=request.user, entry=self.get_object())
        return self._destroyed()


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List quiz participants (of units in scope)"),
    retrieve=extend_schema(summary="One row of quiz participants"),
)
class ParticipantViewSet(_Base):
    queryset = Participant.objects.all()
    serializer_class = s.ParticipantSerializer
    filterset_class = filters.ContestPartFilter

    def get_queryset(self) -> QuerySet[Participant]:
        return super().get_queryset().select_related("unit")

    @write_schema(
        "Add quiz participants", s.ParticipantWriteSerializer, s.ParticipantSerializer, 201
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.ParticipantWriteSerializer, request)
        contest = self.get_visible(selectors.contests_with_relations(), pk=data.pop("contest"))
        if data.get("member"):
            data["member"] = self._found_member(data["member"])
        row = services.participant_add(actor=request.user, contest=contest, **data)
        return Response(s.ParticipantSerializer(row).data, status=status.HTTP_201_CREATED)

    def _found_member(self, pk: int) -> Any:
        member = selectors.member_by_id(self.request.user, pk)
        if member is None:
            raise RuleViolation(_("Not found within your scope."), field="member")
        return member

    @extend_schema(
        summary="Remove quiz participants", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.participant_remove(actor=request.user, participant=self.get_object())
        return self._destroyed()
