"""API of the awards: the catalogue, decisions and their awards (read), nominations (made,
submitted and reviewed through the services the pages call) and the decision made from the
approved ones. Reads are scoped through `ScopedViewSetMixin` (404 outside the caller's scope);
a broken rule answers 400 `{"detail", "field"}`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.awards import selectors, services
from congdoan.awards.api import serializers as s
from congdoan.awards.models import Award, AwardForm, Decision, Nomination
from congdoan.core.api.base import (
    CatalogueViewSet,
    Pagination,
    ScopedViewSetMixin,
    parse_body,
    write_schema,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.organisation.models import Unit

TAGS = ["awards"]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="The award forms of every regulation"),
    retrieve=extend_schema(summary="One award form"),
)
class AwardFormViewSet(CatalogueViewSet):
    queryset = AwardForm.objects.select_related("regulation").order_by(
        "-regulation__in_force_from", "order", "name"
    )
    serializer_class = s.AwardFormSerializer


class _Read(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = selectors.VIEW
    pagination_class = Pagination


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List award decisions"),
    retrieve=extend_schema(summary="One award decision"),
)
class DecisionViewSet(_Read):
    queryset = Decision.objects.all()
    serializer_class = s.DecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return selectors.decisions_visible(self.request.user).order_by("-signed_on", "-pk")

    @write_schema("The decision made from approved nominations", s.DecideSerializer,
                  s.DecisionSerializer, 201)  # fmt: skip
    @action(detail=False, methods=["post"], url_path="from-nominations")
    def from_nominations(self, request: Request) -> Response:
        data = parse_body(s.DecideSerializer, request)
        issuer = data["issuer_unit"]
        found = selectors.nominations_before(issuer, data["nominations"])
        missing = [pk for pk in data["nominations"] if pk not in found]
        if missing:
            raise RuleViolation(
                _("Nominations %(ids)s were not found before this council.")
                % {"ids": ", ".join(map(str, missing))},
                field="nominations",
            )
        decision = services.decision_from_nominations(
            actor=request.user,
            issuer_unit=issuer,
            nominations=list(found.values()),
            number=data["number"],
            signed_on=data["signed_on"],
            signer=data.get("signer", ""),
        )
        return Response(s.DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List awards (from decisions and to recipients you see)"),
    retrieve=extend_schema(summary="One award"),
)
class AwardViewSet(_Read):
    queryset = Award.objects.all()
    serializer_class = s.AwardSerializer

    def get_queryset(self) -> QuerySet[Award]:
        qs = selectors.awards_visible(self.request.user).order_by("-decision__signed_on", "pk")
        year = self.request.query_params.get("year", "")
        return qs.filter(year=int(year)) if year.isdecimal() else qs


def _unit_by_code(code: str, field: str) -> Unit:
    unit = selectors.unit_by_code(code)
    if unit is None:
        raise RuleViolation(_("No unit with this code was found within your scope."), field=field)
    return unit


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List nominations (made by or addressed to your units)"),
    retrieve=extend_schema(summary="One nomination"),
)
class NominationViewSet(_Read):
    queryset = Nomination.objects.all()
    serializer_class = s.NominationSerializer

    def get_queryset(self) -> QuerySet[Nomination]:
        return selectors.nominations_visible(self.request.user).order_by("-year", "-pk")

    @write_schema("Propose an award (a draft)", s.NominationWriteSerializer,
                  s.NominationSerializer, 201)  # fmt: skip
    def create(self, request: Request) -> Response:
        data = parse_body(s.NominationWriteSerializer, request)
        user = request.user
        recipient: dict[str, Any] = {}
        if data.get("unit"):
            unit = _unit_by_code(data["unit"], "unit")
            if not path_in_scope(user, Action.ORGANISATION_VIEW, unit.path):
                raise RuleViolation(
                    _("No unit with this code was found within your scope."), field="unit"
                )
            recipient["unit"] = unit
        if data.get("member"):
            member = selectors.member_by_card(user, data["member"])
            if member is None:
                raise RuleViolation(
                    _("No member with this card number was found within your scope."),
                    field="member",
                )
            recipient["member"] = member
        if data.get("outside_name"):
            recipient["outside_name"] = data["outside_name"]
            recipient["outside_kind"] = data.get("outside_kind", "")
        issuer = _unit_by_code(data["issuer_unit"], "issuer_unit")
        if issuer.pk not in {u.pk for u in selectors.issuers_for(user)} and not path_in_scope(
            user, Action.ORGANISATION_VIEW, issuer.path
        ):
            raise RuleViolation(_("The issuing unit was not found."), field="issuer_unit")
        form = selectors.form_by_id(data["form"])
        if form is None:
            raise RuleViolation(_("The award form was not found."), field="form")
        nomination = services.nomination_create(
            actor=user,
            proposing_unit=data["proposing_unit"],
            issuer_unit=issuer,
            form=form,
            year=data["year"],
            theme=data.get("theme", ""),
            achievement=data.get("achievement", ""),
            details=data.get("details") or {},
            **recipient,
        )
        return Response(s.NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)

    @write_schema("Submit a draft to the council", None, s.NominationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        row = services.nomination_submit(actor=request.user, nomination=self.get_object())
        return Response(s.NominationSerializer(row).data)

    @write_schema("The council's conclusion", s.ReviewSerializer, s.NominationSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        data = parse_body(s.ReviewSerializer, request)
        row = services.nomination_review(
            actor=request.user,
            nomination=self.get_object(),
            approve=data["approve"],
            council_on=data["council_on"],
            note=data.get("note", ""),
        )
        return Response(s.NominationSerializer(row).data)
