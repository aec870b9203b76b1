"""Member import (upload, check, preview, commit, progress, template) and exports of the
member list (xlsx, csv, printable PDF).

Views only translate: uploads and commits go through `members.imports.jobs`, exports read
`members.exports`; jobs are scoped with `visible_to` / `get_visible_or_404` ("members.view" to
see, "members.change" to upload and commit), exports take the member list's filters
(`MemberFilterSet`, which keeps only the members the user may see).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, path_in_scope, scope_prefixes
from congdoan.members import exports, personal
from congdoan.members.cccd import mask
from congdoan.members.filters import MemberFilterSet
from congdoan.members.imports import jobs
from congdoan.members.imports.reading import max_bytes, max_rows
from congdoan.members.imports.template import render_for_catalogues
from congdoan.members.models import AccessKind, ImportJob, ImportStatus, Member
from congdoan.organisation.forms import UnitChoiceField

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ID_RUN = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


def _no_store(response: HttpResponseBase) -> HttpResponseBase:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def mask_numbers(text: str) -> str:
    """Identity numbers (9 or 12 digits) in a message, masked for users without the
    personal-data permission (the lost-zero suggestion names a full citizen ID)."""
    return _ID_RUN.sub(lambda m: mask(m.group(1)), text)


# ---------------------------------------------------------------------------------------------
# Import


class UploadForm(forms.Form):
    unit = forms.Field(label=gettext_lazy("Unit"))
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitChoiceField(
            user=user,
            action=Action.MEMBERS_CHANGE,
            label=_("Unit"),
            help_text=_(
                "Members go to this unit, or to the unit of the column “Mã đơn vị” within it."
            ),
        )
        for field in self.fields.values():
            css = "form-control"
            field.widget.attrs.setdefault("class", css)


class ImportListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        qs = (
            ImportJob.objects.visible_to(request.user, Action.MEMBERS_VIEW)
            .select_related("unit", "created_by")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        prefixes = scope_prefixes(request.user, Action.MEMBERS_CHANGE)
        return render(
            request,
            "members/imports/import_list.html",
            {"page": page, "can_upload": prefixes is None or bool(prefixes)},
        )


class ImportUploadView(LoginRequiredMixin, View):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            prefixes = scope_prefixes(request.user, Action.MEMBERS_CHANGE)
            if prefixes is not None and not prefixes:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _context(self, form: UploadForm) -> dict[str, Any]:
        return {
            "form": form,
            "max_mb": max_bytes() // (1024 * 1024),
            "max_rows": max_rows(),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {}
        unit_code = request.GET.get("unit")
        if unit_code:
            initial["unit"] = unit_code
        form = UploadForm(user=request.user, initial=initial)
        return render(request, "members/imports/import_upload.html", self._context(form))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > max_bytes():
                form.add_error(
                    "file",
                    _("%(file)s is larger than %(max)s MB; split it into several files.")
                    % {"file": upload.name, "max": max_bytes() // (1024 * 1024)},
                )
            else:
                try:
                    job = jobs.job_create(
                        actor=request.user,
                        unit=form.cleaned_data["unit"],
                        filename=upload.name,
                        data=upload.read(),
                    )
                except RuleViolation as exc:
                    form.add_error("file" if exc.field == "file" else None, str(exc))
                else:
                    jobs.start_check(job)
                    return HttpResponseRedirect(reverse("members:import_detail", args=[job.pk]))
        return render(
            request, "members/imports/import_upload.html", self._context(form), status=400
        )


def _job(request: HttpRequest, pk: int, action: Action = Action.MEMBERS_VIEW) -> ImportJob:
    return get_visible_or_404(
        ImportJob.objects.select_related("unit", "created_by"), request.user, action, pk=pk
    )


def _messages(job: ImportJob, items: list[dict[str, Any]], user: Any) -> list[dict[str, Any]]:
    full = path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, job.unit.path)
    out = []
    for item in items:
        item = dict(item)
        if not full:
            item["message"] = mask_numbers(str(item.get("message", "")))
        out.append(item)
    out.sort(key=lambda e: (e.get("row") is not None, e.get("row") or 0))
    return out


def _progress(job: ImportJob) -> dict[str, Any]:
    total = job.rows_total or 0
    done = min(job.rows_done or 0, total) if total else 0
    return {
        "running": job.status in jobs.RUNNING,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
    }


class ImportDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk)
        errors = _messages(job, job.errors or [], request.user)
        context = {
            "job": job,
            "errors": errors,
            "warnings": _messages(job, job.warnings or [], request.user),
            "error_rows": len({e.get("row") for e in errors if e.get("row") is not None}),
            "preview": jobs.preview(job) if job.status == ImportStatus.READY else [],
            "can_commit": job.status == ImportStatus.READY
            and path_in_scope(request.user, Action.MEMBERS_CHANGE, job.unit.path),
            "progress": _progress(job),
        }
        return render(request, "members/imports/import_detail.html", context)


class ImportStatusView(LoginRequiredMixin, View):
    """The progress fragment, polled every second while the job runs; when it has finished, an
    htmx request is told to reload the page (which then shows the result)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk)
        progress = _progress(job)
        response = render(
            request,
            "members/imports/partials/import_progress.html",
            {"job": job, "progress": progress},
        )
        if not progress["running"] and getattr(request, "htmx", False):
            response["HX-Refresh"] = "true"
        _no_store(response)
        return response


class ImportCommitView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job(request, pk, Action.MEMBERS_CHANGE)
        url = reverse("members:import_detail", args=[job.pk])
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm that you checked the preview."))
            return HttpResponseRedirect(url)
        try:
            job = jobs.start_commit(job, actor=request.user)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(url)
        return HttpResponseRedirect(url)


class ImportTemplateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(render_for_catalogues(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-doan-vien.xlsx"'
        return response


# ---------------------------------------------------------------------------------------------
# Exports


class ExportPurposeForm(forms.Form):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=personal.Purpose.choices)
    detail = forms.CharField(
        label=gettext_lazy("Details"),
        required=False,
        max_length=250,
        help_text=gettext_lazy("For example the request, case or decision this is for."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == personal.Purpose.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Describe the purpose."))
        return data


class ExportView(LoginRequiredMixin, View):
    """The member list as filtered on the list page (same parameters), within scope.

    With `personal=1` the user is first asked for the purpose (a POST back to the same address);
    the export then includes the full citizen ID, ethnicity, religion and Party columns, and is
    logged — if the user may read the personal data of every member in it (403 otherwise)."""

    kind = "xlsx"

    def _members(self, request: HttpRequest) -> tuple[Any, Any]:
        filterset = MemberFilterSet(request.GET, queryset=Member.objects.all(), request=request)
        if not filterset.is_valid():
            return None, filterset
        return filterset.qs.in_vietnamese_order(), filterset

    def get(self, request: HttpRequest) -> HttpResponseBase:
        qs, filterset = self._members(request)
        if qs is None:
            return self._invalid(request, filterset)
        if request.GET.get("personal") == "1" and self.kind != "pdf":
            self._check_personal(request, qs)
            return render(
                request,
                "members/exports/export_purpose.html",
                {"form": ExportPurposeForm(), "kind": self.kind, "count": qs.count()},
            )
        return self._export(request, qs, filterset, purpose="")

    def post(self, request: HttpRequest) -> HttpResponseBase:
        qs, filterset = self._members(request)
        if qs is None:
            return self._invalid(request, filterset)
        if self.kind == "pdf" or request.GET.get("personal") != "1":
            return self._export(request, qs, filterset, purpose="")
        self._check_personal(request, qs)
        form = ExportPurposeForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "members/exports/export_purpose.html",
                {"form": form, "kind": self.kind, "count": qs.count()},
                status=400,
            )
        text = personal.purpose_text(form.cleaned_data["purpose"], form.cleaned_data["detail"])
        return self._export(request, qs, filterset, purpose=text)

    def _invalid(self, request: HttpRequest, filterset: Any) -> HttpResponse:
        problems = [
            f"{name}: {'; '.join(map(str, errs))}" for name, errs in filterset.errors.items()
        ]
        return HttpResponse(
            "\n".join(problems) or _("Invalid filter."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )

    def _check_personal(self, request: HttpRequest, qs: Any) -> None:
        q = personal.personal_q(request.user)
        if q is not None and qs.exclude(q).exists():
            raise PermissionDenied(
                _(
                    "You may not read the personal data of every member of this list; narrow "
                    "it to units where you hold that right, or export without personal data."
                )
            )

    def _unit(self, request: HttpRequest, filterset: Any) -> Any:
        unit = filterset.form.cleaned_data.get("unit")
        if unit is not None:
            return unit
        from congdoan.organisation.selectors import current_roots

        roots = current_roots(request.user)
        return roots[0] if len(roots) == 1 else None

    def _export(
        self, request: HttpRequest, qs: Any, filterset: Any, *, purpose: str
    ) -> HttpResponseBase:
        unit = self._unit(request, filterset)
        code = unit.code if unit is not None else ""
        filename = exports.export_filename(self.kind, code)
        full = bool(purpose)
        if full:
            personal.log_access(
                user=request.user,
                kind=AccessKind.EXPORT,
                purpose=purpose,
                members=list(qs.values_list("pk", flat=True)),
                where=f"{request.path} ({self.kind}) {request.GET.urlencode()}"[:300],
            )
        if self.kind == "csv":
            response: HttpResponseBase = StreamingHttpResponse(
                exports.csv_stream(qs, personal=full), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        elif self.kind == "xlsx":
            response = FileResponse(
                exports.xlsx_tempfile(qs, personal=full, title="Danh sách đoàn viên"),
                as_attachment=True,
                filename=filename,
                content_type=XLSX,
            )
        else:
            if unit is None:
                return HttpResponse(
                    _("Choose a unit to print its member list."),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            count = qs.count()
            if count > exports.PDF_MAX_ROWS:
                return HttpResponse(
                    _(
                        "The printable list is limited to %(max)s members (this one has %(n)s): "
                        "choose a smaller unit, or export to Excel."
                    )
                    % {"max": exports.PDF_MAX_ROWS, "n": count},
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
            data = exports.printed_list(qs, unit=unit)
            show_unit = len({r["unit"] for r in data.rows}) > 1
            from congdoan.core.pdf import pdf_response

            response = pdf_response(exports.render_pdf(data, show_unit=show_unit), filename)
        return _no_store(response)


urlpatterns = [
    path("imports/", ImportListView.as_view(), name="import_list"),
    path("imports/upload/", ImportUploadView.as_view(), name="import_upload"),
    path("imports/template.xlsx", ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/status/", ImportStatusView.as_view(), name="import_status"),
    path("imports/<int:pk>/commit/", ImportCommitView.as_view(), name="import_commit"),
    path("export.xlsx", ExportView.as_view(kind="xlsx"), name="export_xlsx"),
    path("export.csv", ExportView.as_view(kind="csv"), name="export_csv"),
    path("export.pdf", ExportView.as_view(kind="pdf"), name="export_pdf"),
]
