"""API of the welfare register: agreements and their uses. Reads are scoped through
`ScopedViewSetMixin` ("indicators.view"; 404 outside the caller's scope); every write calls the
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
from congdoan.core.permissions import Action
from congdoan.welfare import filters, selectors, services
from congdoan.welfare.api import serializers as s
from congdoan.welfare.models import Agreement, BenefitUse

TAGS = ["welfare"]


class _Base(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    scope_action = Action.INDICATORS_VIEW
    pagination_class = Pagination
    filter_backends = [FilterBackend]


def _member(user: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The member id of a use's body as a member within the caller's scope."""
    if "member" in data and data["member"] is not None:
        data["member"] = selectors.member_by_id(user, data["member"])
        if data["member"] is None:
            raise RuleViolation(_("This member was not found within your scope."), field="member")
    return data


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List welfare agreements"),
    retrieve=extend_schema(summary="One welfare agreement, with its use totals"),
)
class AgreementViewSet(_Base):
    """Agreements of the units within the caller's scope with partners giving members benefits."""

    queryset = Agreement.objects.all()
    serializer_class = s.WelfareAgreementSerializer
    filterset_class = filters.AgreementApiFilter

    def get_queryset(self) -> QuerySet[Agreement]:
        return selectors.agreements_with_unit(super().get_queryset())

    def _answer(self, agreement: Agreement, code: int = 200) -> Response:
        row = selectors.with_use_totals(selectors.agreements_with_unit()).get(pk=agreement.pk)
        return Response(s.WelfareAgreementSerializer(row).data, status=code)

    @write_schema(
        "Record a welfare agreement",
        s.WelfareAgreementWriteSerializer,
        s.WelfareAgreementSerializer,
        201,
    )
    def create(self, request: Request) -> Response:
        data = s.compact(parse_body(s.WelfareAgreementWriteSerializer, request))
        agreement = services.agreement_create(actor=request.user, **data)
        return self._answer(agreement, status.HTTP_201_CREATED)

    @write_schema(
        "Change a welfare agreement",
        s.WelfareAgreementWriteSerializer,
        s.WelfareAgreementSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        agreement = self.get_object()
        data = s.compact(parse_body(s.WelfareAgreementWriteSerializer, request, partial=True))
        data.pop("unit", None)
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        agreement = services.agreement_update(actor=request.user, agreement=agreement, **data)
        return self._answer(agreement)

    @extend_schema(
        summary="Delete a welfare agreement without uses",
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.agreement_delete(actor=request.user, agreement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List uses of welfare agreements"),
    retrieve=extend_schema(summary="One use of a welfare agreement"),
)
class BenefitUseViewSet(_Base):
    """Uses of the agreements: by a member, or counted without names, with their value."""

    queryset = BenefitUse.objects.all()
    serializer_class = s.BenefitUseSerializer
    filterset_class = filters.UseApiFilter

    def get_queryset(self) -> QuerySet[BenefitUse]:
        return selectors.uses_with_relations(super().get_queryset())

    @write_schema(
        "Record uses of a welfare agreement", s.BenefitUseWriteSerializer,
        s.BenefitUseSerializer, 201,
    )  # fmt: skip
    def create(self, request: Request) -> Response:
        data = _member(request.user, s.compact(parse_body(s.BenefitUseWriteSerializer, request)))
        agreement = self.get_visible(selectors.agreements_with_unit(), pk=data.pop("agreement"))
        row = services.benefit_use_create(actor=request.user, agreement=agreement, **data)
        return Response(s.BenefitUseSerializer(row).data, status=status.HTTP_201_CREATED)

    @write_schema("Correct a use", s.BenefitUseChangeSerializer, s.BenefitUseSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        use = self.get_object()
        body = parse_body(s.BenefitUseChangeSerializer, request, partial=True)
        data = _member(request.user, s.compact(body))
        if not data:
            raise RuleViolation(_("Enter at least one new value."))
        row = services.benefit_use_update(actor=request.user, use=use, **data)
        return Response(s.BenefitUseSerializer(row).data)

    @extend_schema(summary="Delete a use", responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND})
    def destroy(self, request: Request, pk: str) -> Response:
        services.benefit_use_delete(actor=request.user, use=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
