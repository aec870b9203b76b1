"""Plan pages: list, upload (checked and previewed at once), detail, apply, template download."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import PlanStatus, ReorgPlan
from congdoan.reorganisation import plans, selectors
from congdoan.reorganisation.forms import PlanUploadForm
from congdoan.reorganisation.plan_template import render_template
from congdoan.reorganisation.services import totals_rows
from congdoan.reorganisation.tables import PlanTable
from congdoan.reorganisation.views.base import ReorganiseMixin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanListView(ScopedMixin, View):
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        table = PlanTable(selectors.plan_list(request.user))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return render(request, "reorganisation/plan_list.html", {"table": table})


class PlanUploadView(ReorganiseMixin, View):
    """The upload form; a file that passes the form is checked and stored as a plan."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PlanUploadForm(user=request.user)
        return render(request, "reorganisation/plan_upload.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanUploadForm(request.POST, request.FILES, user=request.user)
        plan = self.upload(form) if form.is_valid() else None
        if plan is not None:
            return HttpResponseRedirect(reverse("reorganisation:plan_detail", args=[plan.pk]))
        return render(request, "reorganisation/plan_upload.html", {"form": form})

    def upload(self, form: PlanUploadForm) -> ReorgPlan | None:
        """The stored plan, or None with the reason added to the form."""
        upload = form.cleaned_data["file"]
        if upload.size > plans.MAX_BYTES:
            form.add_error(
                "file",
                _("%(file)s is larger than 5 MB; split the plan into several files.")
                % {"file": upload.name},
            )
            return None
        try:
            return plans.plan_upload(
                actor=self.request.user,
                filename=upload.name,
                data=upload.read(),
                unit=form.cleaned_data.get("unit"),
                title=form.cleaned_data.get("title") or "",
                effective_date=form.cleaned_data.get("effective_date"),
                decision_ref=form.cleaned_data.get("decision_ref") or "",
            )
        except RuleViolation as exc:
            form.add_error(None, str(exc))
            return None


def plan_context(plan: ReorgPlan) -> dict[str, Any]:
    """Rows with their errors and change lines, file-level errors, totals."""
    errors_by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    other_errors: list[dict[str, Any]] = []
    for e in plan.errors:
        if e.get("row") is not None and e.get("sheet") != plans.ASSIGN_SHEET:
            errors_by_row[e["row"]].append(e)
        else:
            other_errors.append(e)
    lines_by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for line in plan.preview:
        lines_by_row[line["row"]].append(line)
    rows = [
        {
            "row": r,
            "op": plans.operation_label(r.get("op", "")),
            "errors": errors_by_row.pop(r["row"], []),
            "lines": lines_by_row.get(r["row"], []),
        }
        for r in plan.rows
    ]
    for leftover in errors_by_row.values():
        other_errors.extend(leftover)
    return {
        "plan": plan,
        "rows": rows,
        "other_errors": other_errors,
        "totals": totals_rows(plans.preview_totals(plan.preview)) if not plan.errors else [],
        "error_count": len(plan.errors),
    }


class PlanDetailView(ScopedMixin, View):
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan: ReorgPlan = self.get_object(selectors.plan_queryset())
        context = plan_context(plan)
        context["can_apply"] = plan.status == PlanStatus.VALID and self.can(
            Action.ORGANISATION_REORGANISE, plan.unit
        )
        context["events"] = selectors.plan_events(plan) if plan.status == PlanStatus.APPLIED else []
        return render(request, "reorganisation/plan_detail.html", context)


class PlanApplyView(ScopedMixin, View):
    """POST only: apply a valid plan of a unit where the user may reorganise (404 elsewhere)."""

    model = ReorgPlan
    scope_action = Action.ORGANISATION_REORGANISE

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan: ReorgPlan = self.get_object()
        url = reverse("reorganisation:plan_detail", args=[plan.pk])
        if not request.POST.get("confirm"):
            messages.error(request, _("Tick the box to confirm that you checked the preview."))
            return HttpResponseRedirect(url)
        try:
            events = plans.plan_apply(actor=request.user, plan=plan)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The plan was applied: %(n)s operations recorded.") % {"n": len(events)},
            )
        return HttpResponseRedirect(url)


class PlanTemplateView(ScopedMixin, View):
    """The plan template (catalogues only, no unit's data): for every signed-in user."""

    scope_action = Action.ORGANISATION_REORGANISE

    def get(self, request: HttpRequest) -> HttpResponse:
        catalogues = selectors.catalogue_choices()
        content = render_template(
            catalogues["unit_types"], catalogues["sectors"], catalogues["ownerships"]
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="ke-hoach-sap-xep.xlsx"'
        return response
