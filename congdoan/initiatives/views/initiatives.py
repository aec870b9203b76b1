"""Pages of initiatives: the list (the register's records: `?unit=<id>&period=<id>`), an
initiative's page with its authors, attachments and history, and the forms that call the
services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.activities.import_views import RecordImportView
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.initiatives import selectors, services
from congdoan.initiatives.filters import InitiativeFilter
from congdoan.initiatives.forms import DecisionForm, InitiativeForm, authors_initial
from congdoan.initiatives.imports import SPEC
from congdoan.initiatives.models import Initiative, Status
from congdoan.initiatives.tables import InitiativeTable
from congdoan.initiatives.views.common import MANAGE, VIEW, DeleteView, ManagedMixin, query_id
from congdoan.organisation.views.common import ServiceFormView


class InitiativeListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Initiative
    scope_action = VIEW
    table_class = InitiativeTable
    filterset_class = InitiativeFilter
    template_name = "initiatives/initiative_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.initiatives_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            can_create=self.has_scope(MANAGE),
            periods=list(selectors.periods_to_filter()),
            programmes=list(selectors.programmes_visible(self.request.user)),
        )
        return ctx


class InitiativeSummaryView(ScopedMixin, FilterView):
    """initiatives:summary — how many initiatives the list's filter holds, valid and rejected,
    and the valid ones' benefit: a fragment the list loads after its first page (counting a
    province's year takes longer than showing 50)."""

    model = Initiative
    scope_action = VIEW
    filterset_class = InitiativeFilter
    template_name = "initiatives/partials/summary.html"

    def get_queryset(self) -> Any:
        return selectors.initiatives_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = self.object_list.order_by().aggregate(
            total=Count("pk"),
            valid=Count("pk", filter=Q(status=Status.VALID)),
            rejected=Count("pk", filter=Q(status=Status.REJECTED)),
            benefit=Sum("benefit", filter=Q(status=Status.VALID)),
        )
        return ctx


class InitiativeDetailView(ScopedMixin, DetailView):
    model = Initiative
    scope_action = VIEW
    template_name = "initiatives/initiative_detail.html"
    context_object_name = "initiative"

    def get_object(self, queryset: Any = None) -> Initiative:
        return super().get_object(selectors.initiatives_full())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        row: Initiative = self.object
        can_audit = self.can(VIEW, row.unit)
        ctx.update(
            can_manage=self.can(MANAGE, row.unit),
            audit=selectors.initiative_audit(row) if can_audit else [],
        )
        return ctx


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "unit": data["unit"],
        "programme": data["programme"],
        "title": data["title"],
        "field": data["field"],
        "submitted_on": data["submitted_on"],
        "benefit": data["benefit"],
        "summary": data["summary"] or "",
        "creative_labour_on": data["creative_labour_on"],
    }


class InitiativeCreateView(ServiceFormView):
    model = Initiative
    scope_action = MANAGE
    form_class = InitiativeForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        pk = query_id(self.request, "unit")
        if pk is not None:
            unit = selectors.visible_unit(self.request.user, pk, MANAGE)
            if unit is not None:
                initial["unit"] = unit.code
        programme = query_id(self.request, "programme")
        if programme is not None:
            initial["programme"] = programme
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("New initiative"), "back": reverse("initiatives:list")}

    def perform(self, form: Any) -> str:
        row = services.initiative_create(
            actor=self.request.user, authors=form.authors, **_fields(form.cleaned_data)
        )
        messages.success(self.request, _("Initiative %(title)s recorded.") % {"title": row.title})
        return row.get_absolute_url()


class InitiativeEditView(ManagedMixin, ServiceFormView):
    form_class = InitiativeForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.row: Initiative = self.managed(selectors.initiatives_full(), self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        row = self.row
        names = [n for n in services.INITIATIVE_FIELDS if n not in ("unit", "programme")]
        return {
            **{n: getattr(row, n) for n in names},
            "unit": row.unit.code,
            "programme": row.programme_id,
            **authors_initial(row),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Edit the initiative")
        return {**ctx, "heading": heading, "back": self.row.get_absolute_url(), "row": self.row}

    def perform(self, form: Any) -> str:
        services.initiative_update(
            actor=self.request.user,
            initiative=self.row,
            authors=form.authors,
            **_fields(form.cleaned_data),
        )
        messages.success(self.request, _("Changes saved."))
        return self.row.get_absolute_url()


class InitiativeDecideView(ManagedMixin, ServiceFormView):
    form_class = DecisionForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.row: Initiative = self.managed(
            selectors.initiatives_with_relations(), self.kwargs["pk"]
        )

    def get_initial(self) -> dict[str, Any]:
        row = self.row
        status = row.status if row.status != Status.SUBMITTED else Status.VALID
        return {"status": status, "decided_on": row.decided_on, "note": row.decision_note}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Decision on %(title)s") % {"title": self.row.title}
        return {**ctx, "heading": heading, "back": self.row.get_absolute_url(), "row": self.row}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.initiative_decide(
            actor=self.request.user,
            initiative=self.row,
            status=data["status"],
            decided_on=data["decided_on"],
            note=data["note"] or "",
        )
        messages.success(self.request, _("The decision is recorded."))
        return self.row.get_absolute_url()


class InitiativeDeleteView(DeleteView):
    def load(self, pk: int) -> Initiative:
        return self.managed(selectors.initiatives_with_relations(), pk)

    def delete(self, row: Initiative) -> str:
        services.initiative_delete(actor=self.request.user, initiative=row)
        messages.success(self.request, _("The initiative was deleted."))
        return reverse("initiatives:list")


class InitiativeImportView(RecordImportView):
    """initiatives:import — initiatives from a union's or a council's list (.xlsx, .csv)."""

    spec = SPEC
    done_url = "initiatives:list"
    template_url = "initiatives:import_template"
