"""Member import: upload, check, preview, commit, progress and the blank template.

Views only translate: uploads and commits go through `members.imports.jobs`; jobs come through
the door ("members.view" to see them, "members.change" to upload and commit; 404 for "missing"
and "not yours" alike). Messages name full identity numbers only to users who may read the
personal data of the job's unit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import selectors
from congdoan.members.cccd import mask_numbers
from congdoan.members.forms import UploadForm
from congdoan.members.imports import errors as error_file
from congdoan.members.imports import jobs
from congdoan.members.imports.reading import max_bytes, max_rows
from congdoan.members.imports.template import render_for_catalogues
from congdoan.members.models import ImportJob, ImportStatus
from congdoan.members.views.common import no_store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportListView(ScopedMixin, View):
    """The import jobs of the units whose members the user may see, newest first."""

    model = ImportJob
    scope_action = Action.MEMBERS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.import_jobs(request.user), 50).get_page(request.GET.get("page"))
        return render(
            request,
            "members/imports/import_list.html",
            {"page": page, "can_upload": self.has_scope(Action.MEMBERS_CHANGE)},
        )


class ImportUploadView(ScopedMixin, View):
    """Upload a file for a unit where the user may change members (403 for a user who may do
    that nowhere); the check starts at once."""

    model = ImportJob
    scope_action = Action.MEMBERS_CHANGE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # else: sign-in first
            self.require_scope()
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
            job = self._create_job(form)
            if job is not None:
                jobs.start_check(job)
                return HttpResponseRedirect(reverse("members:import_detail", args=[job.pk]))
        return render(
            request, "members/imports/import_upload.html", self._context(form), status=400
        )

    def _create_job(self, form: UploadForm) -> ImportJob | None:
        """The stored job of a valid upload, or None with the problem added to the form."""
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            form.add_error(
                "file",
                _("%(file)s is larger than %(max)s MB; split it into several files.")
                % {"file": upload.name, "max": max_bytes() // (1024 * 1024)},
            )
            return None
        try:
            return jobs.job_create(
                actor=self.request.user,
                unit=form.cleaned_data["unit"],
                filename=upload.name,
                data=upload.read(),
            )
        except RuleViolation as exc:
            form.add_error("file" if exc.field == "file" else None, str(exc))
            return None


class ImportJobMixin(ScopedMixin):
    """A page about one import job, the URL's `pk`, within the user's scope for `scope_action`."""

    model = ImportJob
    scope_action = Action.MEMBERS_VIEW

    def get_job(self) -> ImportJob:
        job: ImportJob = self.get_object(selectors.import_job_records())
        return job


def _messages(items: list[dict[str, Any]], *, full: bool) -> list[dict[str, Any]]:
    """A job's errors or warnings, by row; identity numbers masked unless `full`."""
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
    stalled = jobs.is_stalled(job)
    return {
        "running": job.status in jobs.RUNNING and not stalled,
        "stalled": stalled,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
    }


class ImportDetailView(ImportJobMixin, View):
    """A job's result: problems by row, the preview of a checked file, and the commit button."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job()
        full = self.can(Action.MEMBERS_VIEW_PERSONAL, job.unit)
        errors = _messages(job.errors or [], full=full)
        context = {
            "job": job,
            "errors": errors,
            "warnings": _messages(job.warnings or [], full=full),
            "error_rows": len({e.get("row") for e in errors if e.get("row") is not None}),
            "preview": jobs.preview(job) if job.status == ImportStatus.READY else [],
            "can_commit": job.status == ImportStatus.READY
            and self.can(Action.MEMBERS_CHANGE, job.unit),
            "progress": _progress(job),
        }
        return render(request, "members/imports/import_detail.html", context)


class ImportErrorsView(ImportJobMixin, View):
    """The job's problems and the rows with errors as Excel (`imports.errors`), identity
    numbers masked as on the job's page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job()
        if not job.errors:
            return HttpResponse(
                _("This import has no errors to download."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        full = self.can(Action.MEMBERS_VIEW_PERSONAL, job.unit)
        content = error_file.error_xlsx(error_file.error_report(job, full=full))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{error_file.error_filename(job)}"'
        no_store(response)
        return response


class ImportStatusView(ImportJobMixin, View):
    """The progress fragment, polled every second while the job runs; when it has finished, an
    htmx request is told to reload the page (which then shows the result)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job()
        progress = _progress(job)
        response = render(
            request,
            "members/imports/partials/import_progress.html",
            {"job": job, "progress": progress},
        )
        if not progress["running"] and getattr(request, "htmx", False):
            response["HX-Refresh"] = "true"
        no_store(response)
        return response


class ImportCommitView(ImportJobMixin, View):
    """POST (with the box ticked): import a checked file, all rows or none."""

    scope_action = Action.MEMBERS_CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job()
        url = reverse("members:import_detail", args=[job.pk])
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm that you checked the preview."))
            return HttpResponseRedirect(url)
        try:
            jobs.start_commit(job, actor=request.user)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(url)


class ImportRetryView(ImportJobMixin, View):
    """POST: run a stalled job again (its worker stopped half-way; nothing was written)."""

    scope_action = Action.MEMBERS_CHANGE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_job()
        try:
            jobs.job_retry(job, actor=request.user)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The import runs again."))
        return HttpResponseRedirect(reverse("members:import_detail", args=[job.pk]))


class ImportTemplateView(ScopedMixin, View):
    """The blank member file with its catalogues: it reads no unit, so any signed-in user may
    download it."""

    scope_action = Action.MEMBERS_CHANGE

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(render_for_catalogues(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-doan-vien.xlsx"'
        return response


urlpatterns = [
    path("imports/", ImportListView.as_view(), name="import_list"),
    path("imports/upload/", ImportUploadView.as_view(), name="import_upload"),
    path("imports/template.xlsx", ImportTemplateView.as_view(), name="import_template"),
    path("imports/<int:pk>/", ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/status/", ImportStatusView.as_view(), name="import_status"),
    path("imports/<int:pk>/errors.xlsx", ImportErrorsView.as_view(), name="import_errors"),
    path("imports/<int:pk>/commit/", ImportCommitView.as_view(), name="import_commit"),
    path("imports/<int:pk>/retry/", ImportRetryView.as_view(), name="import_retry"),
]
