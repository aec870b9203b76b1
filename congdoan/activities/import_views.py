"""The generic pages of register imports and exports; each register subclasses them in its own
urls (see the docstring of `congdoan.activities.imports`).

- `RecordImportView` (scope: the register's manage action): GET the form (importing unit
  within the actor's scope, file); POST stores an `ImportUpload`, checks it and redirects to
  `?upload=<id>`, the preview (counts, first rows, every error by row and column); GET
  `?upload=<id>&errors=1` downloads the errors as .xlsx; POST `upload=<id>` with `confirm`
  commits it (once). An upload of another register, or outside the scope, is 404.
- `RecordTemplateView`: the .xlsx template of the spec (reads no unit).
- `RecordExportView` (scope: `Action.INDICATORS_VIEW`): the records the register's filterset
  keeps, within the scope, personal columns masked.
"""

from __future__ import annotations

import io
from typing import Any, ClassVar

import xlsxwriter
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.activities import exports
from congdoan.activities import template as template_file
from congdoan.activities.import_uploads import upload_check, upload_commit, upload_create
from congdoan.activities.imports import PREVIEW_ROWS, Result, Spec
from congdoan.activities.models import ImportUpload
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members.cccd import mask_numbers
from congdoan.members.imports.reading import max_bytes, max_rows
from congdoan.organisation.forms import UnitChoiceField

XLSX = exports.XLSX
SHOWN_ERRORS = 1000


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    return response


class UploadForm(forms.Form):
    unit = forms.Field(label=gettext_lazy("Importing unit"))
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, action: Action, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=action,
            label=_("Importing unit"),
            help_text=_(
                "Records go to this unit, or to the unit of the column “Mã đơn vị” within it."
            ),
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class SpecMixin(ScopedMixin):
    spec: Spec = None  # type: ignore[assignment]  # set by the subclass or `as_view(spec=...)`

    @property
    def scope_action(self) -> Action:  # type: ignore[override]
        return self.spec.manage_action


class RecordImportView(SpecMixin, View):
    """Upload → preview → confirm, for the register of `spec`."""

    model = ImportUpload
    done_url: ClassVar[str] = ""  # URL name of the register's list (after the commit)
    template_url: ClassVar[str] = ""  # URL name of the register's template
    title: ClassVar[Any] = gettext_lazy("Import records")
    template_name: ClassVar[str] = "activities/import.html"
    preview_template_name: ClassVar[str] = "activities/import_preview.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # else: sign-in first
            self.require_scope()
        return super().dispatch(request, *args, **kwargs)

    def get_upload(self, value: Any) -> ImportUpload:
        try:
            pk = int(value)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        qs = ImportUpload.objects.filter(register=self.spec.register).select_related("unit")
        upload: ImportUpload = self.get_visible(qs, pk=pk)
        return upload

    def url(self, upload: ImportUpload | None = None) -> str:
        base = self.request.path
        return f"{base}?upload={upload.pk}" if upload is not None else base

    # -- upload ------------------------------------------------------------------------------

    def _form(self, data: Any = None, files: Any = None, **kwargs: Any) -> UploadForm:
        return UploadForm(
            data, files, user=self.request.user, action=self.spec.manage_action, **kwargs
        )

    def _form_page(self, form: UploadForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "spec": self.spec,
            "max_mb": max_bytes() // (1024 * 1024),
            "max_rows": max_rows(),
            "template_url": reverse(self.template_url) if self.template_url else "",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "upload" in request.GET:
            upload = self.get_upload(request.GET["upload"])
            if request.GET.get("errors"):
                return self.errors_file(upload)
            return self.preview(upload)
        initial = {"unit": request.GET["unit"]} if request.GET.get("unit") else {}
        return self._form_page(self._form(initial=initial))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "upload" in request.POST:
            return self.confirm(self.get_upload(request.POST["upload"]))
        form = self._form(request.POST, request.FILES)
        if not form.is_valid():
            return self._form_page(form, status=400)
        file = form.cleaned_data["file"]
        try:
            upload = upload_create(
                self.spec,
                actor=request.user,
                unit=form.cleaned_data["unit"],
                filename=file.name,
                data=file.read(max_bytes() + 1),
            )
            upload_check(self.spec, upload, actor=request.user)
        except RuleViolation as exc:
            form.add_error("file" if exc.field == "file" else None, str(exc))
            return self._form_page(form, status=400)
        return HttpResponseRedirect(self.url(upload))

    # -- preview and confirm -----------------------------------------------------------------

    def _full(self, upload: ImportUpload) -> bool:
        return self.can(Action.MEMBERS_VIEW_PERSONAL, upload.unit)

    def preview(self, upload: ImportUpload) -> HttpResponse:
        result = Result.from_json(upload.result)
        full = self._full(upload)
        rows = []
        for item in result.preview[:PREVIEW_ROWS]:
            cells = [
                c if full or not personal else "•••" if c else ""
                for c, personal in zip(item["cells"], result.personal, strict=False)
            ]
            rows.append({"row": item["row"], "status": item["status"], "cells": cells})
        errors = [
            {
                "row": e.row,
                "column": e.column,
                "message": e.message if full else mask_numbers(e.message),
            }
            for e in result.errors[:SHOWN_ERRORS]
        ]
        context = {
            "title": self.title,
            "spec": self.spec,
            "upload": upload,
            "result": result,
            "rows": rows,
            "errors": errors,
            "more_errors": max(result.errors_total - len(errors), 0),
            "can_commit": upload.committed_at is None
            and result.ok
            and bool(upload.result)
            and self.can(self.spec.manage_action, upload.unit),
            "done_url": self._done_url(upload),
            "form_url": self.url(),
        }
        return _no_store(render(self.request, self.preview_template_name, context))

    def _done_url(self, upload: ImportUpload) -> str:
        if not self.done_url:
            return ""
        return f"{reverse(self.done_url)}?unit={upload.unit.code}"

    def confirm(self, upload: ImportUpload) -> HttpResponse:
        self.require(self.spec.manage_action, upload.unit)
        if not self.request.POST.get("confirm"):
            messages.error(self.request, _("Tick the box to confirm that you checked the preview."))
            return HttpResponseRedirect(self.url(upload))
        try:
            result = upload_commit(self.spec, upload, actor=self.request.user)
        except RuleViolation as exc:
            messages.error(self.request, str(exc))
            return HttpResponseRedirect(self.url(upload))
        if not result.committed:
            messages.error(
                self.request,
                _("The file no longer passes the checks; nothing has been imported."),
            )
            return HttpResponseRedirect(self.url(upload))
        messages.success(
            self.request,
            _("Imported: %(new)s new records, %(unchanged)s already recorded.")
            % {"new": result.new, "unchanged": result.unchanged},
        )
        return HttpResponseRedirect(self._done_url(upload) or self.url(upload))

    def errors_file(self, upload: ImportUpload) -> HttpResponse:
        result = Result.from_json(upload.result)
        full = self._full(upload)
        content = errors_xlsx(result, full=full)
        response = HttpResponse(content, content_type=XLSX)
        name = f"loi-{upload.register}-{upload.pk}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _no_store(response)


def errors_xlsx(result: Result, *, full: bool) -> bytes:
    """The problems of a check as a workbook: row, column, problem (text, never formulas)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1})
    sheet = book.add_worksheet("Lỗi")
    for c, title in enumerate((_("File"), _("Row"), _("Column"), _("Problem"))):
        sheet.write_string(0, c, title, head)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 2, 16)
    sheet.set_column(3, 3, 90)
    for r, problem in enumerate(result.errors, start=1):
        sheet.write_string(r, 0, result.filename)
        if problem.row is not None:
            sheet.write_number(r, 1, problem.row)
        sheet.write_string(r, 2, problem.column)
        sheet.write_string(r, 3, problem.message if full else mask_numbers(problem.message))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


class RecordTemplateView(SpecMixin, View):
    """The blank file of the register with its drop-downs: it reads no unit."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(template_file.render(self.spec), content_type=XLSX)
        name = f"mau-{self.spec.register}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RecordExportView(ScopedMixin, View):
    """The register's records that the filterset keeps, within the user's scope for
    `Action.INDICATORS_VIEW`, as the register's file with personal columns masked."""

    spec: Spec = None  # type: ignore[assignment]  # set by the subclass or `as_view(spec=...)`
    filterset_class: Any = None
    scope_action = Action.INDICATORS_VIEW

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.require_scope()
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        model = self.spec.record_model
        qs = model._default_manager.visible_to(  # type: ignore[attr-defined]
            self.request.user, Action.INDICATORS_VIEW
        )
        if self.filterset_class is not None:
            qs = self.filterset_class(self.request.GET, queryset=qs, request=self.request).qs
        if self.spec.export_queryset is not None:
            qs = self.spec.export_queryset(qs)
        return qs.order_by("pk")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        content = exports.export_xlsx(self.spec, self.get_queryset().iterator(chunk_size=2000))
        response = HttpResponse(content, content_type=XLSX)
        name = exports.export_filename(self.spec, timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return _no_store(response)
