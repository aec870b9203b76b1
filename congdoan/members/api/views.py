"""API of the member registry: members (list with the page's filters, detail, admission,
correction, lifecycle actions, timeline), transfer requests (both sides), possible duplicates
and their review, import jobs and counts.

- Scope: every view derives from a base of `core.api.base` (`ScopedViewSetMixin`,
  `ScopedAPIView`): querysets go through `visible_to(user, "members.view")`, single objects
  through `get_visible` (404 for "missing" and "not yours" alike). Writes go through
  `members.services`, which check the scope again ("members.change"); a caller who may see a
  member but not change it gets 403. Reads go through `members.selectors`.
- Personal data: masked by default. A caller with "members.view_personal" on a member's unit who
  states a purpose (`?purpose=…` or the header `X-Purpose`) gets the `personal` block of that
  member, and the read is logged in `PersonalDataAccess` (kind "view" for one member, "export"
  for a page of the list) with the member ids. Error messages never carry a full citizen ID.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    ApiErrorSerializer,
    FilterBackend,
    Pagination,
    ScopedAPIView,
    ScopedViewSetMixin,
    parse_body,
    parse_query,
)
from congdoan.core.concurrency import EditConflict
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.text import nfc
from congdoan.members import counts, personal, selectors, services
from congdoan.members.api import serializers as s
from congdoan.members.filters import MemberFilterSet
from congdoan.members.models import AccessKind, DuplicateFlag, ImportJob, Member, TransferRequest
from congdoan.members.search import sort_found_first
from congdoan.organisation.forms import UnitChoiceField
from congdoan.organisation.models import Cluster

TAGS = ["members"]
FORBIDDEN = OpenApiResponse(
    ApiErrorSerializer, description="The caller may see the member but not change it."
)
PURPOSE = OpenApiParameter(
    "purpose",
    str,
    description="Why full personal data is read (see PurposeQuery); also the header X-Purpose.",
    required=False,
)


def purpose_of(request: Request) -> str:
    return nfc(request.query_params.get("purpose") or request.headers.get("X-Purpose") or "")


def reveal(request: Request, members: Iterable[Member], kind: str) -> set[int]:
    """Ids of the members whose personal data this request may carry; logs the read."""
    purpose = purpose_of(request)
    if not purpose:
        return set()
    ids = [m.pk for m in members if personal.can_view_personal(request.user, m)]
    if ids:
        personal.log_access(
            user=request.user, kind=kind, purpose=purpose, members=ids, where=request.path
        )
    return set(ids)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    description="The member's ETag as read (GET answers it): only the fields you change are "
    "written, and a field someone else changed since answers 412 with nothing written.",
    required=False,
)
PRECONDITION_FAILED = OpenApiResponse(
    ApiErrorSerializer,
    description="Someone else changed the same fields since the ETag given in If-Match; "
    "nothing was written (`changed`: the fields; the answer's ETag is the record now).",
)


def _etag(member: Member | int) -> str:
    return f'"{selectors.member_state(member)}"'


def _if_match(request: Request) -> int | None:
    """The member state an update was read on (If-Match), or None when not given."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw:
        return None
    value = raw.removeprefix("W/").strip('"')
    if not value.isdecimal() or len(value) > 18:
        raise RuleViolation(
            _("If-Match must be the member's ETag, as GET gives it (a number in quotes)."),
            field="If-Match",
        )
    return int(value)


def _duplicate(request: Request, exc: services.DuplicateCitizenId) -> Response:
    """400 for a citizen ID already registered: the existing record's id when the caller may see
    it (to open it or request a transfer instead)."""
    body: dict[str, Any] = {"detail": str(exc), "field": "citizen_id"}
    if exc.visible:
        body["existing_member"] = exc.existing.pk
    elif exc.existing.is_current:
        # Where to ask for the transfer without knowing where the person is a member.
        body["request_transfer"] = reverse("api:member-transfer-list")
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


def _member_response(request: Request, member: Member, code: int = 200) -> Response:
    member = selectors.member_with_catalogues(member.pk)
    data = s.MemberSerializer(member, context={"request": request, "revealed": set()}).data
    return Response(data, status=code, headers={"ETag": _etag(member)})


def _lifecycle(summary: str, request_serializer: Any, description: str = "") -> Any:
    return extend_schema(
        summary=summary,
        description=description or None,
        request=request_serializer,
        responses={200: s.MemberSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
        tags=TAGS,
    )


@extend_schema_view(
    list=extend_schema(
        summary="List members",
        description="Members within the caller's scope, with the filters of the member list page "
        "(`status` defaults to current members), in the official Vietnamese order.",
        parameters=[PURPOSE],
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One member",
        parameters=[PURPOSE],
        responses={200: s.MemberSerializer, 404: NOT_FOUND},
        tags=TAGS,
    ),
)
class MemberViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Members within the caller's scope; personal data masked unless revealed with a purpose."""

    queryset = Member.objects.select_related("unit", "ethnicity", "religion")
    serializer_class = s.MemberSerializer
    scope_action = Action.MEMBERS_VIEW
    filter_backends = [FilterBackend]
    filterset_class = MemberFilterSet
    pagination_class = Pagination

    def get_object(self) -> Member:
        # The list's filters (current members by default) do not apply to one member.
        member: Member = self.get_visible(self.get_queryset(), pk=self.kwargs["pk"])
        return member

    def _member_to_change(self) -> Member:
        """The URL's member: one the caller may see (404 otherwise) and change (403)."""
        member = self.get_object()
        if not self.can(Action.MEMBERS_CHANGE, member.unit):
            raise PermissionDenied
        return member

    def _check_sensitive(self, unit: Any, values: dict[str, Any]) -> None:
        """Sensitive inputs (actually sent, not form defaults) need the personal-data
        permission on the unit."""
        for name in s.SENSITIVE_INPUTS:
            if name in values and name not in self.request.data:
                values.pop(name)  # a form's unticked box, not an input
        given = [f for f in s.SENSITIVE_INPUTS if f in values]
        if given and not self.can(Action.MEMBERS_VIEW_PERSONAL, unit):
            raise RuleViolation(
                _(
                    "Only users allowed to see personal data may enter ethnicity, religion or "
                    "Party data."
                ),
                field=given[0],
            )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        qs = sort_found_first(
            self.filter_queryset(self.get_queryset()), request.query_params.get("q", "")
        )
        page = self.paginate_queryset(qs)
        rows = list(page if page is not None else qs)
        revealed = reveal(request, rows, AccessKind.EXPORT)
        context = {**self.get_serializer_context(), "revealed": revealed}
        data = s.MemberSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        member = self.get_object()
        revealed = reveal(request, [member], AccessKind.VIEW)
        context = {**self.get_serializer_context(), "revealed": revealed}
        return Response(
            s.MemberSerializer(member, context=context).data, headers={"ETag": _etag(member)}
        )

    @extend_schema(
        summary="Admit a member",
        description="Admission (kết nạp) to a unit within the caller's scope. A citizen ID "
        "already registered anywhere answers 400: with `existing_member` when the caller may "
        "see that record (request a transfer or re-admit it instead); otherwise without naming "
        "its unit, with `request_transfer`, where to ask for the transfer by identity number. "
        "Numbers found on other records count as look-ups by identity number (logged, limited).",
        request=s.MemberAdmitSerializer,
        responses={201: s.MemberSerializer, 400: BAD_REQUEST},
        tags=TAGS,
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.MemberAdmitSerializer, request)
        unit = data.pop("unit")
        self._check_sensitive(unit, data)
        try:
            member = services.member_admit(
                actor=request.user, unit=unit, where=request.path, **data
            )
        except services.DuplicateCitizenId as exc:
            return _duplicate(request, exc)
        return _member_response(request, member, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct or complete a member's record",
        request=s.MemberUpdateSerializer,
        parameters=[IF_MATCH],
        responses={
            200: s.MemberSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
        },
        tags=TAGS,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        member = self._member_to_change()
        loaded = _if_match(request)
        data = parse_body(s.MemberUpdateSerializer, request, partial=True)
        self._check_sensitive(member.unit, data)
        try:
            member = services.member_update(
                actor=request.user, member=member, where=request.path, loaded=loaded, **data
            )
        except services.DuplicateCitizenId as exc:
            return _duplicate(request, exc)
        except EditConflict as exc:
            return Response(
                {"detail": str(exc), "changed": [c.name for c in exc.changed]},
                status=status.HTTP_412_PRECONDITION_FAILED,
                headers={"ETag": f'"{exc.state}"'},
            )
        return _member_response(request, member)

    @extend_schema(
        summary="Timeline of a member",
        description="Dated events, oldest first. Party referral and admission appear only when "
        "personal data is revealed (permission and purpose).",
        parameters=[PURPOSE],
        responses={200: s.MemberEventSerializer(many=True), 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, filter_backends=[], pagination_class=None)
    def events(self, request: Request, pk: str) -> Response:
        member = self.get_object()
        revealed = bool(reveal(request, [member], AccessKind.VIEW))
        rows = personal.visible_events(selectors.member_events(member), revealed=revealed)
        return Response(s.MemberEventSerializer(rows, many=True).data)

    @extend_schema(
        summary="Transfer a member to another unit",
        description="Starts a transfer (chuyển sinh hoạt) to any active unit of the federation. "
        "When the caller may change members in both units it is done at once (status "
        "confirmed); otherwise it waits for the other side (see member-transfers).",
        request=s.TransferActionSerializer,
        responses={
            201: s.MemberTransferSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transfer(self, request: Request, pk: str) -> Response:
        member = self.get_object()
        data = parse_body(s.TransferActionSerializer, request)
        transfer = services.transfer_request(
            actor=request.user,
            member=member,
            to_unit=data["to_unit"],
            day=data["day"],
            note=data["note"],
        )
        transfer = selectors.transfer_with_units(transfer.pk)
        return Response(
            s.MemberTransferSerializer(transfer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    def _simple(self, request: Request, service: Any, serializer: Any, **extra: Any) -> Response:
        member = self._member_to_change()
        data = parse_body(serializer, request)
        member = service(actor=request.user, member=member, **data, **extra)
        return _member_response(request, member)

    @_lifecycle("Suspend a member (tạm dừng sinh hoạt)", s.DayNoteSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def suspend(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_suspend, s.DayNoteSerializer)

    @_lifecycle("Resume a suspended member", s.DayNoteSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def resume(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_resume, s.DayNoteSerializer)

    @_lifecycle("A member leaves the union", s.ExitSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def exit(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_exit, s.ExitSerializer)

    @_lifecycle(
        "Discipline a member",
        s.DisciplineSerializer,
        "Reprimand, warning or expulsion; expulsion also ends the membership.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def discipline(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_discipline, s.DisciplineSerializer)

    @_lifecycle("Refer a member to the Party", s.DayNoteSerializer)
    @action(detail=True, methods=["post"], url_path="party-referral", filter_backends=[])
    def party_referral(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_party_referral, s.DayNoteSerializer)

    @_lifecycle("Record a member's admission to the Party", s.DayNoteSerializer)
    @action(detail=True, methods=["post"], url_path="party-admission", filter_backends=[])
    def party_admission(self, request: Request, pk: str) -> Response:
        return self._simple(request, services.member_party_admission, s.DayNoteSerializer)

    @_lifecycle(
        "Re-admit a former member",
        s.ReadmitSerializer,
        "The same record joins again, in a unit within the caller's scope.",
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def readmit(self, request: Request, pk: str) -> Response:
        member = self.get_object()
        data = parse_body(s.ReadmitSerializer, request)
        member = services.member_readmit(
            actor=request.user, member=member, unit=data["unit"], day=data["day"], note=data["note"]
        )
        return _member_response(request, member)


@extend_schema_view(
    list=extend_schema(
        summary="Transfer requests",
        description="Transfers of members from or to a unit within the caller's scope (both "
        "sides see them), newest first.",
        parameters=[s.TransferQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One transfer request",
        responses={200: s.MemberTransferSerializer, 404: NOT_FOUND},
        tags=TAGS,
    ),
)
class TransferRequestViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = TransferRequest.objects.select_related("member", "from_unit", "to_unit")
    serializer_class = s.MemberTransferSerializer
    scope_action = Action.MEMBERS_VIEW
    filter_backends: Any = []
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[TransferRequest]:
        status = ""
        if self.action == "list":
            status = parse_query(s.TransferQuerySerializer, self.request).get("status") or ""
        return selectors.transfers_for_api(super().get_queryset(), status=status)

    def _decide(self, request: Request, service: Any, **kwargs: Any) -> Response:
        transfer = self.get_object()
        transfer = service(actor=request.user, request=transfer, **kwargs)
        transfer = selectors.transfer_with_units(transfer.pk)
        return Response(s.MemberTransferSerializer(transfer, context={"request": request}).data)

    @extend_schema(
        summary="Ask for the transfer of a member by identity number",
        description="The path offered when an admission answers that a citizen ID is already "
        "registered in a unit outside the caller's scope: the request goes to the unit that "
        "holds the member, which sees who asked and confirms or refuses it. The answer does not "
        "name that unit. A look-up by identity number: logged and limited per user.",
        request=s.TransferByCitizenIdSerializer,
        responses={201: s.MemberTransferSerializer, 400: BAD_REQUEST},
        tags=TAGS,
    )
    def create(self, request: Request) -> Response:
        data = parse_body(s.TransferByCitizenIdSerializer, request)
        transfer = services.transfer_request_by_citizen_id(
            actor=request.user,
            citizen_id=data["citizen_id"],
            to_unit=data["to_unit"],
            day=data["day"],
            note=data["note"],
            where=request.path,
        )
        transfer = selectors.transfer_with_units(transfer.pk)
        return Response(
            s.MemberTransferSerializer(transfer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Confirm a transfer (the other side)",
        request=None,
        responses={200: s.MemberTransferSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        return self._decide(request, services.transfer_confirm)

    @extend_schema(
        summary="Refuse a transfer (the other side)",
        request=s.RejectSerializer,
        responses={200: s.MemberTransferSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = parse_body(s.RejectSerializer, request)
        return self._decide(request, services.transfer_reject, reason=data["reason"])

    @extend_schema(
        summary="Withdraw a transfer (the side that asked)",
        request=None,
        responses={200: s.MemberTransferSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._decide(request, services.transfer_cancel)


@extend_schema_view(
    list=extend_schema(summary="Member imports", tags=TAGS),
    retrieve=extend_schema(
        summary="One member import: status, progress, problems",
        responses={200: s.ImportJobSerializer, 404: NOT_FOUND},
        tags=TAGS,
    ),
)
class ImportJobViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Imports of members from xlsx/csv by units within the caller's scope."""

    queryset = ImportJob.objects.select_related("unit")
    serializer_class = s.ImportJobSerializer
    scope_action = Action.MEMBERS_VIEW
    filter_backends: Any = []
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        return super().get_queryset().order_by("-created_at", "-id")

    @extend_schema(
        summary="Upload a member file (xlsx or csv) to check",
        description="The file is stored and checked (small files at once, larger ones in the "
        "background: follow `status` and `progress`). Nothing is imported until `commit`.",
        request={"multipart/form-data": s.ImportUploadSerializer},
        responses={201: s.ImportJobSerializer, 400: BAD_REQUEST},
        tags=TAGS,
    )
    def create(self, request: Request) -> Response:
        from congdoan.members.imports import jobs

        data = parse_body(s.ImportUploadSerializer, request)
        upload = data["file"]
        job = jobs.job_create(
            actor=request.user, unit=data["unit"], filename=upload.name, data=upload.read()
        )
        job = jobs.start_check(job)
        job.refresh_from_db()
        return Response(s.ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Import a checked file (all rows or none)",
        description="Only for a job whose status is `ready`. Small files are imported at once "
        "(status `done`), larger ones in the background (status `importing`, then `done` or "
        "`failed`).",
        request=None,
        responses={200: s.ImportJobSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str) -> Response:
        from congdoan.members.imports import jobs

        job = self.get_visible(self.get_queryset(), Action.MEMBERS_CHANGE, pk=pk)
        job = jobs.start_commit(job, actor=request.user)
        job.refresh_from_db()
        return Response(s.ImportJobSerializer(job).data)


# ---------------------------------------------------------------------------------------------
# Possible duplicates


@extend_schema_view(
    list=extend_schema(
        summary="Possible duplicates",
        description="Pairs of records with the same name (ignoring case, diacritics and tone "
        "placement) and date of birth, where at least one record lies within the caller's "
        "scope, newest first: those to review (`status=open`, the default) or those reviewed. "
        "The other record is named only when the caller may see it.",
        parameters=[s.DuplicateQuerySerializer],
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="One pair of possible duplicates",
        responses={200: s.DuplicateSerializer, 404: NOT_FOUND},
        tags=TAGS,
    ),
)
class DuplicateViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The duplicates page: pairs seen from either side, and the decision on one pair."""

    queryset = DuplicateFlag.objects.all()
    serializer_class = s.DuplicateSerializer
    scope_action = Action.MEMBERS_VIEW
    filter_backends: Any = []
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[DuplicateFlag]:
        status = None
        if self.action == "list":
            status = parse_query(s.DuplicateQuerySerializer, self.request)["status"]
        return selectors.duplicate_pairs(super().get_queryset(), status=status)

    def _rows(self, flags: Iterable[DuplicateFlag]) -> list[selectors.DuplicateRow]:
        return [selectors.duplicate_row(self.request.user, flag) for flag in flags]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        data = self.get_serializer(self._rows(page), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._rows([self.get_object()])[0]).data)

    @extend_schema(
        summary="Decide on a pair of possible duplicates",
        description="As on the duplicates page: the caller may change members in the unit of "
        "either record. `distinct`: different people; `resolved`: handled (one record was "
        "corrected, exited or transferred). A pair is decided once.",
        request=s.DuplicateResolveSerializer,
        responses={200: s.DuplicateSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        flag = self.get_object()
        data = parse_body(s.DuplicateResolveSerializer, request)
        flag = services.duplicate_resolve(actor=request.user, flag=flag, status=data["status"])
        return Response(self.get_serializer(self._rows([flag])[0]).data)


# ---------------------------------------------------------------------------------------------
# Counts


class MemberCountsView(ScopedAPIView):
    """Member counts of a unit and the units below it, as the tree was."""

    scope_action = Action.MEMBERS_VIEW

    @extend_schema(
        summary="Member counts of a unit and its subtree",
        description="Members and women on `as_of`, members the day before `date_from`, and "
        "admissions, exits (by reason), transfers, reorganisation moves and Party referrals and "
        "admissions between the two days: one row for the unit's own members, one per child "
        "unit with the units below it (as the tree was), and the total. Transfers inside a row "
        "(or, in the total, inside the subtree) are not counted there.",
        parameters=[s.CountsQuerySerializer],
        responses={200: s.SubtreeCountsSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.CountsQuerySerializer, request)
        unit = self._unit(options.get("unit"))
        period = counts.Period(options["date_from"], options["as_of"])
        return Response(s.SubtreeCountsSerializer(counts.subtree_counts(unit, period)).data)

    def _unit(self, value: str | None) -> Any:
        """The unit of `?unit=` (a code), or the caller's topmost one; 404 when there is none
        within the caller's scope."""
        if not value:
            unit = selectors.default_unit(self.request.user)
            if unit is None:
                raise Http404
            return unit
        field = UnitChoiceField(
            user=self.request.user, action=Action.MEMBERS_VIEW, active_only=False
        )
        try:
            return field.clean(value)
        except Exception as exc:
            raise Http404 from exc


class ClusterCountsView(ScopedAPIView):
    """Member counts of an emulation cluster's member units."""

    scope_action = Action.MEMBERS_VIEW

    @extend_schema(
        summary="Member counts of an emulation cluster",
        description="The figures of each member unit of the cluster in the year of `as_of` "
        "(with the units below it) and the total; member units outside the caller's scope are "
        "left out and counted in `hidden_units`.",
        parameters=[s.ClusterCountsQuerySerializer],
        responses={200: s.ClusterCountsSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        options = parse_query(s.ClusterCountsQuerySerializer, request)
        cluster = self.get_visible(Cluster, pk=options["cluster"])
        period = counts.Period(options["date_from"], options["as_of"])
        result = counts.cluster_counts(cluster, period, user=request.user)
        return Response(s.ClusterCountsSerializer(result).data)
