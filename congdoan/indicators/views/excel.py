"""Indicator pages: the Excel template of a unit's figures (download) and its upload.

Views only translate: the workbook and the import are `indicators.excel`. The unit is fetched
within the user's "indicators.view" scope and the period among those opened (404 otherwise,
`IndicatorPageMixin`); which units a file may fill, and whether the user may enter their
figures, is decided by `excel` and `services`.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.indicators import excel, selectors, services
from congdoan.indicators.models import Period
from congdoan.indicators.views.base import IndicatorPageMixin
from congdoan.organisation.models import Unit


class TemplateView(IndicatorPageMixin, View):
    """The pre-filled workbook: the unit itself, or with ?children=1 the units below it."""

    def get(self, request: HttpRequest, unit_pk: int, period_pk: int) -> FileResponse:
        unit, period = self.unit_and_period(unit_pk, period_pk)
        children = request.GET.get("children") == "1"
        if not children and not services.can_enter(request.user, unit):
            raise PermissionDenied
        data = excel.template_for(request.user, unit, period, children=children)
        response = FileResponse(
            io.BytesIO(data),
            as_attachment=True,
            filename=excel.template_filename(unit, period, children=children),
            content_type=excel.XLSX,
        )
        add_never_cache_headers(response)
        return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    children = forms.TypedChoiceField(
        label=gettext_lazy("The file holds the figures of"),
        choices=[
            ("0", gettext_lazy("this unit only")),
            ("1", gettext_lazy("the units directly below it")),
        ],
        coerce=lambda v: v == "1",
        initial="0",
        widget=forms.RadioSelect,
    )


class UploadView(IndicatorPageMixin, View):
    template_name = "indicators/excel/upload.html"

    def _context(self, unit: Unit, period: Period, form: UploadForm) -> dict[str, Any]:
        kids = selectors.children_on(unit.pk, period.end, self.request.user)
        return {
            "unit": unit,
            "period": period,
            "form": form,
            "has_children": bool(kids),
            "can_enter_unit": services.can_enter(self.request.user, unit),
            "max_mb": excel.MAX_BYTES // (1024 * 1024),
        }

    def get(self, request: HttpRequest, unit_pk: int, period_pk: int) -> HttpResponse:
        unit, period = self.unit_and_period(unit_pk, period_pk)
        initial = {"children": "1" if request.GET.get("children") == "1" else "0"}
        form = UploadForm(initial=initial)
        return render(request, self.template_name, self._context(unit, period, form))

    def post(self, request: HttpRequest, unit_pk: int, period_pk: int) -> HttpResponse:
        unit, period = self.unit_and_period(unit_pk, period_pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, self.template_name, self._context(unit, period, form), status=400
            )
        upload = form.cleaned_data["file"]
        children = form.cleaned_data["children"]
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
                period=period,
                data=upload.read(),
                filename=upload.name,
                children=children,
            )
        again = UploadForm(initial={"children": "1" if children else "0"})
        context = {
            **self._context(unit, period, again),
            "result": result,
            "children": children,
        }
        return render(
            request,
            "indicators/excel/result.html",
            context,
            status=200 if result.ok else 400,
        )


urlpatterns: list[URLPattern] = [
    path(
        "excel/<int:unit_pk>/<int:period_pk>/template.xlsx",
        TemplateView.as_view(),
        name="excel_template",
    ),
    path(
        "excel/<int:unit_pk>/<int:period_pk>/upload/",
        UploadView.as_view(),
        name="excel_upload",
    ),
]
