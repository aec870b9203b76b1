"""Pages of the inspections app: the lists of inspections and of complaints, their pages, and
the forms that call the services.

An inspection is seen through `indicators.view` on its conducting unit or on one of the units
it covered (404 otherwise) and changed with `inspection.manage` on its conducting unit (403
otherwise); a complaint through its handling unit. Files are attached through the shared
attachments (`{% attachments record %}`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.activities.import_views import (
    RecordExportView,
    RecordImportView,
    RecordTemplateView,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.inspections import selectors, services
from congdoan.inspections.filters import ComplaintFilter, InspectionFilter
from congdoan.inspections.forms import (
    ComplaintForm,
    FollowUpForm,
    InspectionForm,
    RecommendationForm,
    TargetForm,
)
from congdoan.inspections.imports import COMPLAINT_SPEC, SPEC
from congdoan.inspections.models import (
    Complaint,
    FollowUp,
    Inspected,
    Inspection,
    Recommendation,
)
from congdoan.inspections.tables import ComplaintTable, InspectionTable
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView

VIEW, MANAGE = Action.INDICATORS_VIEW, Action.INSPECTION_MANAGE
FORM = "inspections/form.html"


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("inspections:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


class InspectionListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Inspection
    scope_action = VIEW
    table_class = InspectionTable
    filterset_class = InspectionFilter
    template_name = "inspections/inspection_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.inspections_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.has_scope(MANAGE)
        return ctx


class InspectionDetailView(ScopedMixin, DetailView):
    model = Inspection
    scope_action = VIEW
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"

    def get_object(self, queryset: Any = None) -> Inspection:
        return super().get_object(selectors.inspection_full())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        inspection: Inspection = self.object
        page = selectors.inspection_page(self.request.user, inspection)
        can_audit = page.full and self.can(Action.AUDIT_VIEW, inspection.unit)
        ctx.update(
            page=page,
            can_manage=self.can(MANAGE, inspection.unit),
            can_audit=can_audit,
            audit=selectors.inspection_audit(inspection) if can_audit else [],
        )
        return ctx


class ManagedMixin(ScopedMixin):
    """Pages that change one record: seen through `indicators.view` (404 otherwise), changed
    with `inspection.manage` on the conducting (or handling) unit (403 otherwise)."""

    scope_action = VIEW

    def managed(self, queryset: Any, pk: Any, unit_of: Any) -> Any:
        row = self.get_visible(queryset, pk=pk)
        self.require(MANAGE, unit_of(row))
        return row

    def inspection(self) -> Inspection:
        return self.managed(selectors.inspection_with_unit(), self.kwargs["pk"], lambda i: i.unit)


def _initial_unit(view: ScopedMixin) -> dict[str, Any]:
    """?unit=<id or code> preselects a unit the user may manage."""
    raw = view.request.GET.get("unit")
    pk = parse_id(raw)
    if pk is None:
        return {}
    try:
        unit: Unit = view.get_visible(Unit, MANAGE, pk=pk)
    except Http404:
        return {}
    return {"unit": unit.code}


def _fields(data: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """The service's fields from a form's cleaned data (blank texts as "")."""
    out = {k: v for k, v in data.items() if k in names}
    return {
        k: ("" if v is None and not k.endswith(("_on", "_date")) else v) for k, v in out.items()
    }


class InspectionCreateView(ServiceFormView):
    model = Inspection
    scope_action = MANAGE
    form_class = InspectionForm
    template_name = FORM

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return _initial_unit(self)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {
            **ctx,
            "heading": _("New inspection or supervision"),
            "back": reverse("inspections:list"),
        }

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        inspection = services.inspection_create(
            actor=self.request.user,
            unit=data["unit"],
            units=data["units"],
            outside=data["outside"],
            **_fields(data, services.INSPECTION_FIELDS),
        )
        messages.success(
            self.request, _("%(title)s recorded.") % {"title": inspection.display_title}
        )
        return _detail_url(inspection.pk)


class InspectionEditView(ManagedMixin, ServiceFormView):
    form_class = InspectionForm
    template_name = FORM

    def load(self) -> None:
        self.record = self.inspection()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in services.INSPECTION_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("Edit the inspection"), "record": self.record,
                "back": _detail_url(self.record.pk)}  # fmt: skip

    def perform(self, form: Any) -> str:
        services.inspection_update(
            actor=self.request.user,
            inspection=self.record,
            **_fields(form.cleaned_data, services.INSPECTION_FIELDS),
        )
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.record.pk)


class _DeleteView(ManagedMixin, TemplateView):
    """GET: confirm; POST: delete through `remove()`."""

    template_name = "inspections/confirm_delete.html"
    question = ""

    def fetch(self) -> Any:
        raise NotImplementedError

    def remove(self) -> str:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.record = self.fetch()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "record": self.record, "question": self.question % {"title": self.record}}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            url = self.remove()
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.record.get_absolute_url())
        return HttpResponseRedirect(url)


class InspectionDeleteView(_DeleteView):
    question = _("Delete %(title)s with its units inspected, recommendations and follow-ups?")

    def fetch(self) -> Inspection:
        return self.inspection()

    def remove(self) -> str:
        services.inspection_delete(actor=self.request.user, inspection=self.record)
        messages.success(self.request, _("The inspection was deleted."))
        return reverse("inspections:list")


# ---------------------------------------------------------------------------------------------
# Units inspected, recommendations, follow-ups


class _PartForm(ManagedMixin, ServiceFormView):
    template_name = FORM
    heading = ""
    record: Inspection

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        record = self.record
        return {**ctx, "heading": self.heading, "record": record, "back": _detail_url(record.pk)}


class TargetAddView(_PartForm):
    form_class = TargetForm
    heading = _("Add a unit inspected")

    def load(self) -> None:
        self.record = self.inspection()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        target = services.inspected_add(
            actor=self.request.user,
            inspection=self.record,
            unit=d["unit"],
            name=d["name"] or "",
            outside_kind=d["outside_kind"] or "",
        )
        messages.success(self.request, _("%(name)s added.") % {"name": target.label})
        return _detail_url(self.record.pk, "targets")


class _PartAction(ManagedMixin, View):
    """POST-only removal of a part of an inspection."""

    http_method_names = ["post"]

    def rows(self) -> Any:
        raise NotImplementedError

    def inspection_of(self, row: Any) -> Inspection:
        raise NotImplementedError

    def remove(self, row: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.managed(self.rows(), pk, lambda r: self.inspection_of(r).unit)
        inspection_id = self.inspection_of(row).pk
        try:
            messages.success(request, self.remove(row))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(inspection_id))


class TargetRemoveView(_PartAction):
    model = Inspected

    def rows(self) -> Any:
        return selectors.targets_with_inspection()

    def inspection_of(self, row: Inspected) -> Inspection:
        return row.inspection

    def remove(self, row: Inspected) -> str:
        services.inspected_remove(actor=self.request.user, target=row)
        return _("%(name)s removed.") % {"name": row.label}


class RecommendationAddView(_PartForm):
    form_class = RecommendationForm
    heading = _("Add a recommendation")

    def load(self) -> None:
        self.record = self.inspection()

    def get_form_kwargs(self) -> dict[str, Any]:
        targets = list(selectors.targets_of(self.record))
        return {**super().get_form_kwargs(), "targets": targets}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.recommendation_add(
            actor=self.request.user, inspection=self.record, text=d["text"],
            target=d["target"], due_on=d["due_on"], order=d["order"],
        )  # fmt: skip
        messages.success(self.request, _("Recommendation added."))
        return _detail_url(self.record.pk, "recommendations")


class RecommendationEditView(_PartForm):
    form_class = RecommendationForm
    heading = _("Edit a recommendation")

    def load(self) -> None:
        self.row: Recommendation = self.managed(
            selectors.recommendations_with_inspection(), self.kwargs["pk"],
            lambda r: r.inspection.unit,
        )  # fmt: skip
        self.record = self.row.inspection

    def get_form_kwargs(self) -> dict[str, Any]:
        targets = list(selectors.targets_of(self.record))
        return {**super().get_form_kwargs(), "targets": targets}

    def get_initial(self) -> dict[str, Any]:
        r = self.row
        return {"text": r.text, "target": r.target_id or "", "due_on": r.due_on, "order": r.order}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.recommendation_update(
            actor=self.request.user, recommendation=self.row, text=d["text"], target=d["target"],
            due_on=d["due_on"], order=d["order"] if d["order"] is not None else self.row.order,
        )  # fmt: skip
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.record.pk, "recommendations")


class RecommendationRemoveView(_PartAction):
    model = Recommendation

    def rows(self) -> Any:
        return selectors.recommendations_with_inspection()

    def inspection_of(self, row: Recommendation) -> Inspection:
        return row.inspection

    def remove(self, row: Recommendation) -> str:
        services.recommendation_remove(actor=self.request.user, recommendation=row)
        return _("Recommendation removed.")


class FollowUpAddView(_PartForm):
    form_class = FollowUpForm
    heading = _("Record a follow-up")

    def load(self) -> None:
        self.row: Recommendation = self.managed(
            selectors.recommendations_with_inspection(), self.kwargs["pk"],
            lambda r: r.inspection.unit,
        )  # fmt: skip
        self.record = self.row.inspection

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "recommendation": self.row}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.follow_up_add(
            actor=self.request.user, recommendation=self.row, on=d["on"], action=d["action"],
            done=d["done"],
        )  # fmt: skip
        messages.success(self.request, _("Follow-up recorded."))
        return _detail_url(self.record.pk, "recommendations")


class FollowUpRemoveView(_PartAction):
    model = FollowUp

    def rows(self) -> Any:
        return selectors.follow_ups_with_inspection()

    def inspection_of(self, row: FollowUp) -> Inspection:
        return row.recommendation.inspection

    def remove(self, row: FollowUp) -> str:
        services.follow_up_remove(actor=self.request.user, follow_up=row)
        return _("Follow-up removed.")


# ---------------------------------------------------------------------------------------------
# Complaints and denunciations


class ComplaintListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Complaint
    scope_action = VIEW
    table_class = ComplaintTable
    filterset_class = ComplaintFilter
    template_name = "inspections/complaint_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.complaints_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.has_scope(MANAGE)
        return ctx


class ComplaintDetailView(ScopedMixin, DetailView):
    model = Complaint
    scope_action = VIEW
    template_name = "inspections/complaint_detail.html"
    context_object_name = "complaint"

    def get_object(self, queryset: Any = None) -> Complaint:
        return super().get_object(selectors.complaints_visible(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        complaint: Complaint = self.object
        can_audit = self.can(Action.AUDIT_VIEW, complaint.unit)
        see = selectors.may_see_sender(self.request.user, complaint)
        ctx.update(
            sender=complaint.sender if see else selectors.masked(complaint.sender),
            can_manage=self.can(MANAGE, complaint.unit),
            can_audit=can_audit and see,
            audit=selectors.complaint_audit(complaint) if can_audit and see else [],
        )
        return ctx


class ComplaintCreateView(ServiceFormView):
    model = Complaint
    scope_action = MANAGE
    form_class = ComplaintForm
    template_name = FORM

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return _initial_unit(self)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("New complaint or denunciation")
        return {**ctx, "heading": heading, "back": reverse("inspections:complaints")}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        fields = _fields(data, services.COMPLAINT_FIELDS)
        row = services.complaint_create(actor=self.request.user, unit=data["unit"], **fields)
        messages.success(self.request, _("The case is recorded."))
        return row.get_absolute_url()


class ComplaintEditView(ManagedMixin, ServiceFormView):
    form_class = ComplaintForm
    template_name = FORM

    def load(self) -> None:
        self.record: Complaint = self.managed(
            selectors.complaints_visible(self.request.user), self.kwargs["pk"], lambda c: c.unit
        )
        self.see = selectors.may_see_sender(self.request.user, self.record)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user, "editing": True, "sender": self.see}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in services.COMPLAINT_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        back = self.record.get_absolute_url()
        return {**ctx, "heading": _("Edit the case"), "record": self.record, "back": back}

    def perform(self, form: Any) -> str:
        fields = _fields(form.cleaned_data, services.COMPLAINT_FIELDS)
        services.complaint_update(actor=self.request.user, complaint=self.record, **fields)
        messages.success(self.request, _("Changes saved."))
        return self.record.get_absolute_url()


class ComplaintDeleteView(_DeleteView):
    question = _("Delete the case %(title)s?")

    def fetch(self) -> Complaint:
        qs = selectors.complaints_visible(self.request.user)
        return self.managed(qs, self.kwargs["pk"], lambda c: c.unit)

    def remove(self) -> str:
        services.complaint_delete(actor=self.request.user, complaint=self.record)
        messages.success(self.request, _("The case was deleted."))
        return reverse("inspections:complaints")


# ---------------------------------------------------------------------------------------------
# Import and export (the shared engine of the registers)


class InspectionImportView(RecordImportView):
    """inspections:import — upload → preview → confirm (`?upload=<id>`, `&errors=1`)."""

    spec = SPEC
    done_url = "inspections:list"
    template_url = "inspections:import_template"


class InspectionTemplateView(RecordTemplateView):
    spec = SPEC


class InspectionExportView(RecordExportView):
    """inspections:export — the filtered inspections the user's units conducted (an inspection
    seen only as an inspected unit is not exported: the file names every unit it covered)."""

    spec = SPEC
    filterset_class = InspectionFilter

    def get_queryset(self) -> Any:
        return selectors.conducted_visible(self.request.user, super().get_queryset())


class ComplaintImportView(RecordImportView):
    spec = COMPLAINT_SPEC
    done_url = "inspections:complaints"
    template_url = "inspections:complaint_import_template"


class ComplaintTemplateView(RecordTemplateView):
    spec = COMPLAINT_SPEC


class ComplaintExportView(RecordExportView):
    """inspections:complaint_export — the filtered cases; who sent them is masked."""

    spec = COMPLAINT_SPEC
    filterset_class = ComplaintFilter
