"""API defaults that REST_FRAMEWORK settings name (pagination, filter backend) and the error shape.

Kept apart from base.py because DRF reads its default classes while `rest_framework.views` is
being imported: importing viewsets here would be circular.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

from congdoan.core.exceptions import RuleViolation


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; 50 rows by default, at most 500 per page."""

    default_limit = 50
    max_limit = 500


class ApiErrorSerializer(serializers.Serializer):
    """The body of 404 answers, and of 400 answers for broken rules and invalid parameters."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    field = serializers.CharField(
        required=False, help_text="The parameter or field at fault, when there is one."
    )
    row = serializers.IntegerField(
        required=False, help_text="The row of an uploaded file at fault, when there is one."
    )


NOT_FOUND = OpenApiResponse(
    ApiErrorSerializer, description="Not found, or outside the caller's scope."
)
BAD_REQUEST = OpenApiResponse(ApiErrorSerializer, description="Invalid parameter.")


def first_error(errors: Any) -> RuleViolation:
    """The first validation error as a RuleViolation (400 `{"detail", "field"}`); a nested
    field is named with dots ("entries.phat_trien_dv")."""
    if isinstance(errors, dict):
        name, value = next(iter(errors.items()))
        inner = first_error(value)
        field = None if name in ("non_field_errors", "__all__") else str(name)
        if inner.field:
            field = f"{field}.{inner.field}" if field else inner.field
        return RuleViolation(inner.message, field=field)
    if isinstance(errors, list) and errors:
        return first_error(next((e for e in errors if e), errors[0]))
    return RuleViolation(str(errors))


def parse_query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """Validate query parameters with a serializer; an invalid one answers 400 naming it."""
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise first_error(serializer.errors)
    return dict(serializer.validated_data)


def parse_body(
    serializer_class: type[serializers.Serializer], request: Request, **kwargs: Any
) -> dict[str, Any]:
    """Validate the request body with a serializer; the first invalid field answers 400."""
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    if not serializer.is_valid():
        raise first_error(serializer.errors)
    return dict(serializer.validated_data)


class FilterBackend(DjangoFilterBackend):
    """django-filter; an invalid value answers 400 `{"detail", "field"}` like other parameters."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise first_error(filterset.errors)
        return filterset.qs


def write_schema(summary: str, request: Any, response: Any, code: int = 200, **kwargs: Any) -> Any:
    """extend_schema for a write: its body, its answer, 400 for a broken rule, 404."""
    return extend_schema(
        summary=summary,
        request=request,
        responses={code: response, 400: BAD_REQUEST, 404: NOT_FOUND},
        **kwargs,
    )
