"""Report pages: the list, a report (its versions, progress, files, approval and issue), the
unit's template and its register of outgoing documents. Every page goes through the one door
(ScopedMixin) and every write through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView
from congdoan.reports import selectors, services
from congdoan.reports.forms import IssueForm, ReportForm, TemplateForm
from congdoan.reports.models import Generation, GenerationState, Report, ReportStatus

FILES = {
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _report_url(pk: int) -> str:
    return reverse("reports:report_detail", args=[pk])


class ReportListView(ScopedMixin, ListView):
    scope_action = Action.REPORTS_VIEW
    template_name = "reports/report_list.html"
    paginate_by = 50
    context_object_name = "reports"

    def get_queryset(self) -> Any:
        qs = selectors.reports_visible(self.request.user)
        status = self.request.GET.get("status")
        if status in ReportStatus.values:
            qs = qs.filter(status=status)
        unit_id = parse_id(self.request.GET.get("unit"))
        if unit_id is not None:
            qs = qs.filter(unit_id=unit_id)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = ReportStatus.choices
        ctx["status"] = self.request.GET.get("status", "")
        ctx["can_write"] = self.has_scope(Action.REPORTS_WRITE)
        ctx["unit_id"] = parse_id(self.request.GET.get("unit"))
        return ctx


class ReportCreateView(ServiceFormView):
    scope_action = Action.REPORTS_WRITE
    form_class = ReportForm
    template_name = "reports/report_form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"language": "vi"}
        unit_id = parse_id(self.request.GET.get("unit"))
        if unit_id is not None:
            initial["unit"] = unit_id
        return initial

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        cluster = None
        if d["cluster_code"]:
            cluster = selectors.cluster_by_code(self.request.user, d["cluster_code"])
            if cluster is None:
                raise RuleViolation(
                    _("No cluster with this code was found within your scope."),
                    field="cluster_code",
                )
        report = services.report_create(
            actor=self.request.user,
            unit=d["unit"],
            period=d["period"],
            second_period=d["second_period"],
            cluster=cluster,
            title=d["title"],
            tasks=d["tasks"],
            language=d["language"],
        )
        messages.success(self.request, _("Report created. Generate it to see the text."))
        return _report_url(report.pk)


class ReportEditView(ServiceFormView):
    model = Report
    scope_action = Action.REPORTS_WRITE
    form_class = ReportForm
    template_name = "reports/report_form.html"

    def load(self) -> None:
        self.report: Report = self.get_object()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "editing": True,
            "meetings": selectors.meetings_of(self.report.unit),
        }

    def get_initial(self) -> dict[str, Any]:
        r = self.report
        return {
            "second_period": r.second_period_id,
            "title": r.title,
            "tasks": r.tasks,
            "language": r.language,
            "meeting_id": r.meeting_id,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "report": self.report}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.report_update(
            actor=self.request.user,
            report=self.report,
            title=d["title"],
            tasks=d["tasks"],
            language=d["language"],
            second_period=d["second_period"],
            meeting_id=d.get("meeting_id"),
        )
        messages.success(self.request, _("Report saved."))
        return _report_url(self.report.pk)


class ReportDetailView(ScopedMixin, DetailView):
    model = Report
    scope_action = Action.REPORTS_VIEW
    template_name = "reports/report_detail.html"
    context_object_name = "report"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        report: Report = self.object
        ctx["generations"] = selectors.generations_of(report)
        ctx["latest"] = ctx["generations"][0] if ctx["generations"] else None
        ctx["stalled"] = ctx["latest"] is not None and selectors.generation_stalled(ctx["latest"])
        ctx["done"] = selectors.latest_done(report)
        ctx["can_write"] = self.can(Action.REPORTS_WRITE, report.unit)
        ctx["can_issue"] = self.can(Action.REPORTS_ISSUE, report.unit)
        ctx["issue_form"] = IssueForm(initial={"issued_on": timezone.localdate()})
        ctx["editable"] = report.status != ReportStatus.ISSUED
        return ctx


class _ReportAction(ScopedMixin, View):
    """A POST on a report that calls one service and returns to the report."""

    model = Report
    scope_action = Action.REPORTS_WRITE
    done_message = ""

    def act(self, report: Report) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_object()
        try:
            self.act(report)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(_report_url(report.pk))


class GenerateView(_ReportAction):
    def act(self, report: Report) -> None:
        self.done_message = _("Generation started; the page shows its progress.")
        services.generation_start(actor=self.request.user, report=report)


class ApproveView(_ReportAction):
    scope_action = Action.REPORTS_ISSUE

    def act(self, report: Report) -> None:
        self.done_message = _("Report approved.")
        services.report_approve(actor=self.request.user, report=report)


class IssueView(_ReportAction):
    scope_action = Action.REPORTS_ISSUE

    def act(self, report: Report) -> None:
        form = IssueForm(self.request.POST)
        if not form.is_valid():
            raise RuleViolation(_("Enter the date of issue as dd/mm/yyyy."))
        issued = services.report_issue(
            actor=self.request.user, report=report, issued_on=form.cleaned_data["issued_on"]
        )
        self.done_message = _("Report issued as number %(number)s.") % {
            "number": issued.number_text
        }


class DeleteView(_ReportAction):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self.get_object()
        try:
            services.report_delete(actor=request.user, report=report)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_report_url(report.pk))
        messages.success(request, _("Report deleted."))
        return HttpResponseRedirect(reverse("reports:report_list"))


class GenerationStatusView(ScopedMixin, View):
    """The progress fragment the report page polls (htmx) while a version is generated."""

    scope_action = Action.REPORTS_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        gen = selectors.generation_of(request.user, pk)
        stalled = selectors.generation_stalled(gen)
        response = render(
            request, "reports/partials/generation_status.html", {"gen": gen, "stalled": stalled}
        )
        if (
            gen.state in (GenerationState.DONE, GenerationState.FAILED) or stalled
        ) and request.htmx:  # type: ignore[attr-defined]
            response["HX-Refresh"] = "true"  # the page shows the new files
        return response


class GenerationFileView(ScopedMixin, View):
    """A generated file, through the scope check only (never a media URL)."""

    scope_action = Action.REPORTS_VIEW

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponseBase:
        gen: Generation = selectors.generation_of(request.user, pk)
        if kind == "news":
            return render(request, "reports/news.html", {"gen": gen, "report": gen.report})
        if kind not in FILES or gen.state != GenerationState.DONE:
            raise Http404
        field = getattr(gen, FILES[kind][0])
        if not field:
            raise Http404
        name = field.name.rsplit("/", 1)[-1]
        return FileResponse(
            field.open("rb"), as_attachment=True, filename=name, content_type=FILES[kind][1]
        )


class TemplateEditView(ServiceFormView):
    """The unit's template: saving makes a new version; the versions are listed."""

    model = Unit
    scope_action = Action.REPORTS_WRITE
    form_class = TemplateForm
    template_name = "reports/template_form.html"

    def load(self) -> None:
        self.unit: Unit = self.get_object()
        self.current = selectors.template_of(self.unit)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "sections": selectors.section_choices()}

    def get_initial(self) -> dict[str, Any]:
        if self.current is not None:
            c = self.current
            return {f: getattr(c, f) for f in services.TEMPLATE_FIELDS if f != "headings"}
        return self._defaults()

    def _defaults(self) -> dict[str, Any]:
        from congdoan.reports.facts import Options

        o = Options()
        return {
            "place": "",
            "number_symbol": o.number_symbol,
            "on_behalf": o.on_behalf,
            "signer_title": o.signer_title,
            "recipients": "\n".join(o.recipients),
            "rounding": o.rounding,
            "percent_decimals": o.percent_decimals,
            "fractions": o.fractions,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["unit"] = self.unit
        ctx["versions"] = selectors.template_versions(self.unit)
        return ctx

    def perform(self, form: Any) -> str:
        t = services.template_save(actor=self.request.user, unit=self.unit, **form.cleaned_data)
        if t.word_template:
            messages.info(self.request, _("Reports of this unit use its own Word template."))
        messages.success(self.request, _("Template saved as version %(v)s.") % {"v": t.version})
        return reverse("reports:template", args=[self.unit.pk])


class WordTemplateView(ScopedMixin, View):
    """The Word template to start from (the official layout with its tags), a version's
    uploaded template, or a version's preview on a sample report."""

    scope_action = Action.REPORTS_VIEW

    def get(self, request: HttpRequest, pk: int, what: str) -> HttpResponse:
        from congdoan.reports.render.word_template import default_template, preview

        unit: Unit = self.get_visible(selectors.units_all(), pk=pk)
        version = parse_id(request.GET.get("version"))
        template = selectors.template_version(unit, version) if version else None
        if what == "official":
            data, name = default_template(), "mau-bao-cao.docx"
        elif what in ("version", "preview") and template is not None:
            data = template.word_bytes() or default_template()
            name = f"mau-bao-cao-v{template.version}.docx"
            if what == "preview":
                data, name = preview(data), f"xem-thu-mau-v{template.version}.docx"
        else:
            raise Http404
        response = HttpResponse(data, content_type=FILES["docx"][1])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RegisterView(ScopedMixin, DetailView):
    """The unit's register of outgoing documents for a year."""

    model = Unit
    scope_action = Action.REPORTS_VIEW
    template_name = "reports/register.html"
    context_object_name = "unit"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 1950), 2200)
        ctx["year"] = year
        ctx["numbers"] = selectors.outgoing_register(self.object, year)
        ctx["years"] = range(dt.date.today().year, dt.date.today().year - 6, -1)
        return ctx
