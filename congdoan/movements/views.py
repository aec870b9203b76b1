"""Pages of the register of movements and models: the lists of activities and of collective
agreements (filterable; the sheets link a unit's figure to `?unit=<id>&period=<id>`), a record's
page with its attached files and history, and the forms that call the services.

Records are seen through "indicators.view" on their unit (officer B gets 404 for A's records)
and changed with "activities.manage" there (a viewer of A gets 403 on the forms).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from congdoan.movements import selectors, services
from congdoan.movements.filters import ActivityFilter, AgreementFilter
from congdoan.movements.forms import ActivityForm, AgreementForm
from congdoan.movements.imports import ACTIVITIES, AGREEMENTS
from congdoan.movements.models import Activity, Agreement
from congdoan.movements.tables import ActivityTable, AgreementTable
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView

MANAGE = Action.ACTIVITIES_MANAGE
PER_PAGE = 50
TEXTS = ("title", "event", "notes", "enterprise", "rating")


def _data(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The service's fields from a form's cleaned data (texts as "", never None)."""
    data = {k: v for k, v in form.cleaned_data.items() if k in fields}
    return {k: (v or "") if k in TEXTS else v for k, v in data.items()}


# ---------------------------------------------------------------------------------------------
# Lists


class _ListView(ScopedMixin, SingleTableMixin, FilterView):
    scope_action = selectors.VIEW
    template_name = "movements/record_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": PER_PAGE}
    tab = ""
    create_url = ""
    import_url = ""
    export_url = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx.update(
            tab=self.tab,
            query=query.urlencode(),
            can_create=self.has_scope(MANAGE),
            create_url=reverse(self.create_url),
            import_url=reverse(self.import_url),
            export_url=f"{reverse(self.export_url)}?{query.urlencode()}",
            counted=self._counted(),
        )
        return ctx

    def _counted(self) -> dict[str, Any] | None:
        """For a sheet's link (a unit and a period): whether the unit's figures count these
        records, and where its workers' conferences are."""
        form = self.filterset.form
        if not form.is_valid():
            return None
        unit, period = form.cleaned_data.get("unit"), form.cleaned_data.get("period")
        if unit is None or period is None:
            return None
        meetings = f"{reverse('meetings:list')}?{urlencode({'unit': unit.code})}"
        return {
            "unit": unit,
            "period": period,
            "keeps": selectors.keeps(unit, period.end.year),
            "meetings_url": meetings,
        }


class ActivityListView(_ListView):
    """movements:list — activities of the units in scope (works, models, classes, …)."""

    model = Activity
    table_class = ActivityTable
    filterset_class = ActivityFilter
    tab = "activities"
    create_url = "movements:create"
    import_url = "movements:import"
    export_url = "movements:export"

    def get_queryset(self) -> QuerySet[Activity]:
        return selectors.activities_visible(self.request.user)


class AgreementListView(_ListView):
    """movements:agreement_list — collective labour agreements."""

    model = Agreement
    table_class = AgreementTable
    filterset_class = AgreementFilter
    tab = "agreements"
    create_url = "movements:agreement_create"
    import_url = "movements:agreement_import"
    export_url = "movements:agreement_export"

    def get_queryset(self) -> QuerySet[Agreement]:
        return selectors.agreements_visible(self.request.user)


# ---------------------------------------------------------------------------------------------
# A record's page


class _DetailView(ScopedMixin, DetailView):
    model: Any = None
    scope_action = selectors.VIEW
    context_object_name = "record"

    def rows(self) -> QuerySet[Any]:
        raise NotImplementedError

    def audit(self, record: Any) -> list[Any]:
        raise NotImplementedError

    def get_object(self, queryset: Any = None) -> Any:
        return self.get_visible(self.rows(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        record = self.object
        can_audit = self.can(Action.AUDIT_VIEW, record.unit)
        ctx.update(
            can_manage=self.can(MANAGE, record.unit),
            can_audit=can_audit,
            audit=self.audit(record) if can_audit else [],
        )
        return ctx


class ActivityDetailView(_DetailView):
    model = Activity
    template_name = "movements/activity_detail.html"

    def rows(self) -> QuerySet[Activity]:
        return selectors.activities_with_unit()

    def audit(self, record: Activity) -> list[Any]:
        return selectors.activity_audit(record)


class AgreementDetailView(_DetailView):
    model = Agreement
    template_name = "movements/agreement_detail.html"

    def rows(self) -> QuerySet[Agreement]:
        return selectors.agreements_with_unit()

    def audit(self, record: Agreement) -> list[Any]:
        return selectors.agreement_audit(record)


# ---------------------------------------------------------------------------------------------
# Forms


class _CreateView(ServiceFormView):
    scope_action = MANAGE
    template_name = "movements/record_form.html"
    heading: Any = ""
    list_url = ""

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "action": MANAGE}

    def get_initial(self) -> dict[str, Any]:
        pk = parse_id(self.request.GET.get("unit"))
        if pk is None:
            return {}
        try:
            unit: Unit = self.get_visible(Unit, MANAGE, pk=pk)
        except Http404:
            return {}
        return {"unit": unit.code}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": self.heading, "cancel_url": reverse(self.list_url)}


class ActivityCreateView(_CreateView):
    model = Activity
    form_class = ActivityForm
    list_url = "movements:list"

    heading = gettext_lazy("Record an activity")

    def perform(self, form: Any) -> str:
        data = _data(form, ("unit", "kind", "title", "on", *services.ACTIVITY_FIELDS))
        row = services.activity_create(actor=self.request.user, **data)
        messages.success(self.request, _("%(title)s recorded.") % {"title": row.title})
        return row.get_absolute_url()


class AgreementCreateView(_CreateView):
    model = Agreement
    form_class = AgreementForm
    list_url = "movements:agreement_list"

    heading = gettext_lazy("Record a collective agreement")

    def perform(self, form: Any) -> str:
        data = _data(form, ("unit", *services.AGREEMENT_FIELDS))
        row = services.agreement_create(actor=self.request.user, **data)
        messages.success(self.request, _("%(title)s recorded.") % {"title": row.enterprise})
        return row.get_absolute_url()


class _ManagedMixin(ScopedMixin):
    """Pages that change one record: seen through "indicators.view" (404 otherwise), changed
    with "activities.manage" on its unit (403 otherwise)."""

    scope_action = selectors.VIEW
    record: Any

    def rows(self) -> QuerySet[Any]:
        raise NotImplementedError

    def managed(self) -> Any:
        self.record = self.get_visible(self.rows(), pk=self.kwargs["pk"])
        self.require(MANAGE, self.record.unit)
        return self.record


class _EditView(_ManagedMixin, ServiceFormView):
    template_name = "movements/record_form.html"
    fields: tuple[str, ...] = ()

    def load(self) -> None:
        self.managed()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user, "action": MANAGE, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.record, name) for name in self.fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {
            **ctx,
            "record": self.record,
            "heading": _("Edit %(title)s") % {"title": self.record},
            "cancel_url": self.record.get_absolute_url(),
        }


class ActivityEditView(_EditView):
    model = Activity
    form_class = ActivityForm
    fields = services.ACTIVITY_FIELDS

    def rows(self) -> QuerySet[Activity]:
        return selectors.activities_with_unit()

    def perform(self, form: Any) -> str:
        services.activity_update(
            actor=self.request.user, activity=self.record, **_data(form, self.fields)
        )
        messages.success(self.request, _("Changes saved."))
        return str(self.record.get_absolute_url())


class AgreementEditView(_EditView):
    model = Agreement
    form_class = AgreementForm
    fields = services.AGREEMENT_FIELDS

    def rows(self) -> QuerySet[Agreement]:
        return selectors.agreements_with_unit()

    def perform(self, form: Any) -> str:
        data = _data(form, self.fields)
        data["enterprise"] = data.get("enterprise") or self.record.enterprise
        services.agreement_update(actor=self.request.user, agreement=self.record, **data)
        messages.success(self.request, _("Changes saved."))
        return str(self.record.get_absolute_url())


class _DeleteView(_ManagedMixin, TemplateView):
    """GET: confirm; POST: delete."""

    template_name = "movements/record_confirm_delete.html"
    list_url = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.managed()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "record": self.record}

    def remove(self, record: Model) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            self.remove(self.record)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.record.get_absolute_url())
        messages.success(request, _("%(title)s deleted.") % {"title": self.record})
        return HttpResponseRedirect(reverse(self.list_url))


class ActivityDeleteView(_DeleteView):
    model = Activity
    list_url = "movements:list"

    def rows(self) -> QuerySet[Activity]:
        return selectors.activities_with_unit()

    def remove(self, record: Any) -> None:
        services.activity_delete(actor=self.request.user, activity=record)


class AgreementDeleteView(_DeleteView):
    model = Agreement
    list_url = "movements:agreement_list"

    def rows(self) -> QuerySet[Agreement]:
        return selectors.agreements_with_unit()

    def remove(self, record: Any) -> None:
        services.agreement_delete(actor=self.request.user, agreement=record)


# ---------------------------------------------------------------------------------------------
# Import and export (the shared engine, congdoan.activities.imports)


class ActivityImportView(RecordImportView):
    """movements:import — upload → preview → confirm (`?upload=<id>`, `&errors=1`)."""

    spec = ACTIVITIES
    done_url = "movements:list"
    template_url = "movements:import_template"


class ActivityTemplateView(RecordTemplateView):
    """movements:import_template — the .xlsx template with its drop-downs."""

    spec = ACTIVITIES


class ActivityExportView(RecordExportView):
    """movements:export — the activities the list's filters keep, as the import's file."""

    spec = ACTIVITIES
    filterset_class = ActivityFilter


class AgreementImportView(RecordImportView):
    spec = AGREEMENTS
    done_url = "movements:agreement_list"
    template_url = "movements:agreement_import_template"


class AgreementTemplateView(RecordTemplateView):
    spec = AGREEMENTS


class AgreementExportView(RecordExportView):
    spec = AGREEMENTS
    filterset_class = AgreementFilter
