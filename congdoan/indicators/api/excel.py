"""Indicator API: the Excel round trip of figures, as the pages do it (`views/excel.py`): the
pre-filled template of a unit (or of the units directly below it) and the upload of a filled
one, through the same functions (`indicators.excel`).

The unit is read within the caller's "indicators.view" scope (404 otherwise); which units a
file may fill, and whether the caller may enter their figures, is decided by `excel` and
`services`, row by row. An upload with any problem saves nothing and answers 400 with every
problem (file, row, column, field, message), as the page lists them.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from congdoan.core.api.base import (
    BAD_REQUEST,
    NOT_FOUND,
    ApiErrorSerializer,
    ScopedAPIView,
    parse_body,
    parse_query,
)
from congdoan.core.permissions import Action
from congdoan.indicators import excel, services
from congdoan.indicators.api import serializers as s
from congdoan.indicators.api.common import TAGS, unit_param

UPLOAD_ERRORS = OpenApiResponse(
    s.ExcelErrorsSerializer,
    description="Every problem of the file (nothing was saved), or an invalid parameter "
    "(`detail` and `field` only).",
)


class FileOrJson(DefaultContentNegotiation):
    """The template answers the file, or JSON for an error, whatever `Accept` asks (a client
    asking for the spreadsheet's type would otherwise get 406)."""

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class ExcelTemplateView(ScopedAPIView):
    scope_action = Action.INDICATORS_VIEW
    content_negotiation_class = FileOrJson

    @extend_schema(
        summary="Excel template of figures",
        description="The workbook of the figures page: one row per unit, pre-filled with its "
        "figures, the targets on a second sheet and how to fill it in on a third. Upload it "
        "filled with POST /figures/upload/.",
        parameters=[s.ExcelQuerySerializer],
        responses={
            (200, excel.XLSX): OpenApiTypes.BINARY,
            400: BAD_REQUEST,
            403: OpenApiResponse(
                ApiErrorSerializer, description="The caller does not enter figures for `unit`."
            ),
            404: NOT_FOUND,
        },
        tags=TAGS,
    )
    def get(self, request: Request) -> FileResponse:
        options = parse_query(s.ExcelQuerySerializer, request)
        unit = unit_param(self, options["unit"])
        period, children = options["period"], options["children"]
        if not children and not services.can_enter(request.user, unit):
            raise PermissionDenied
        response = FileResponse(
            io.BytesIO(excel.template_for(request.user, unit, period, children=children)),
            as_attachment=True,
            filename=excel.template_filename(unit, period, children=children),
            content_type=excel.XLSX,
        )
        add_never_cache_headers(response)
        return response


class ExcelUploadView(ScopedAPIView):
    scope_action = Action.INDICATORS_VIEW
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload a filled Excel template of figures",
        description="The whole file is checked: with any problem nothing is saved and every "
        "problem is listed; otherwise every changed figure is saved at once (unchanged cells "
        "are not written again: the same file twice changes nothing the second time). Rows of "
        "sheets no longer in draft are refused only if they would change something.",
        request={"multipart/form-data": s.ExcelUploadSerializer},
        responses={200: s.ExcelResultSerializer, 400: UPLOAD_ERRORS, 404: NOT_FOUND},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = parse_body(s.ExcelUploadSerializer, request)
        unit = unit_param(self, data["unit"])
        upload = data["file"]
        if upload.size > excel.MAX_BYTES:
            result = excel.ImportResult(filename=upload.name)
            message = _("%(file)s is larger than %(max)s MB.") % {
                "file": upload.name,
                "max": excel.MAX_BYTES // (1024 * 1024),
            }
            result.errors.append(excel.CellError(upload.name, None, "", "", message))
        else:
            result = excel.import_figures(
                actor=request.user,
                unit=unit,
                period=data["period"],
                data=upload.read(),
                filename=upload.name,
                children=data["children"],
            )
        if result.ok:
            return Response(s.ExcelResultSerializer(result).data)
        return Response(_errors(result), status=400)


def _errors(result: excel.ImportResult) -> dict[str, Any]:
    n = len(result.errors)
    detail = ngettext(
        "%(file)s has %(n)s problem. Nothing has been saved: fix the file and upload it again.",
        "%(file)s has %(n)s problems. Nothing has been saved: fix the file and upload it again.",
        n,
    ) % {"file": result.filename, "n": n}
    return s.ExcelErrorsSerializer({"detail": detail, "errors": result.errors}).data
