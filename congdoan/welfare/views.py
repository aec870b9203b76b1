"""Pages of the welfare register (namespace "welfare"): the agreements and the uses lists, an
agreement's page with its uses, attachments and history, and the forms that call the services.

Records are seen through "indicators.view" on their unit and changed with "activities.manage"
there: officer B gets 404 for A's records, a viewer of A gets 403 on the forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.activities.import_views import RecordImportView, RecordTemplateView
from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView
from congdoan.welfare import selectors, services
from congdoan.welfare.filters import AgreementFilter, UseFilter
from congdoan.welfare.forms import AgreementForm, UseForm
from congdoan.welfare.imports import AGREEMENTS, USES_SPEC
from congdoan.welfare.models import Agreement, BenefitUse
from congdoan.welfare.tables import AgreementTable, UseTable

USES_SHOWN = 50  # uses on an agreement's page; the rest through the uses list


def _detail_url(pk: int, anchor: str = "") -> str:
    url = reverse("welfare:detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


class _ListMixin(ScopedMixin, SingleTableMixin, FilterView):
    scope_action = Action.INDICATORS_VIEW
    table_pagination = {"paginator_class": LazyPaginator, "per_page": 50}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        picked = selectors.period_by_id(parse_id(self.request.GET.get("period")))
        periods = list(selectors.periods_offered())
        if picked is not None and picked not in periods:
            periods.insert(0, picked)
        ctx.update(
            periods=periods,
            picked_period=picked,
            query=query.urlencode(),
            can_create=self.has_scope(Action.ACTIVITIES_MANAGE),
        )
        return ctx


class AgreementListView(_ListMixin):
    """welfare:list — the agreements (the register's list: the sheets link here)."""

    model = Agreement
    table_class = AgreementTable
    filterset_class = AgreementFilter
    template_name = "welfare/agreement_list.html"

    def get_queryset(self) -> Any:
        return selectors.agreements_visible(self.request.user)


class UseListView(_ListMixin):
    """welfare:uses — the uses of the agreements; their total comes in a fragment
    (`UseTotalsView`)."""

    model = BenefitUse
    table_class = UseTable
    filterset_class = UseFilter
    template_name = "welfare/use_list.html"

    def get_queryset(self) -> Any:
        return selectors.uses_visible(self.request.user)


class UseTotalsView(ScopedMixin, FilterView):
    """welfare:use_totals — the uses' total for the list's filter: a fragment the list loads
    after its first page (totalling a province's uses takes longer than showing 50)."""

    model = BenefitUse
    scope_action = Action.INDICATORS_VIEW
    filterset_class = UseFilter
    template_name = "welfare/partials/use_totals.html"

    def get_queryset(self) -> Any:
        return selectors.uses_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        count, value = selectors.use_totals(self.object_list)
        return {**ctx, "total_count": count, "total_value": value}


# ---------------------------------------------------------------------------------------------
# An agreement


class AgreementDetailView(ScopedMixin, DetailView):
    model = Agreement
    scope_action = Action.INDICATORS_VIEW
    template_name = "welfare/agreement_detail.html"
    context_object_name = "agreement"

    def get_object(self, queryset: Any = None) -> Agreement:
        return super().get_object(selectors.agreements_with_unit())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        agreement: Agreement = self.object
        can_audit = self.can(Action.AUDIT_VIEW, agreement.unit)
        records, uses, value = selectors.agreement_totals(agreement)
        year = agreement.signed_on.year
        ctx.update(
            uses=selectors.agreement_uses(agreement, USES_SHOWN),
            records=records,
            use_count=uses,
            use_value=value,
            more_uses=records > USES_SHOWN,
            kept=selectors.keeps_register(agreement.unit, year),
            kept_year=year,
            in_force=agreement.in_force_on(timezone.localdate()),
            can_manage=self.can(Action.ACTIVITIES_MANAGE, agreement.unit),
            can_audit=can_audit,
            audit=selectors.agreement_audit(agreement) if can_audit else [],
        )
        return ctx


class ManagedMixin(ScopedMixin):
    """Pages that change a record: seen through "indicators.view" (404 otherwise), changed
    with "activities.manage" on its unit (403 otherwise)."""

    scope_action = Action.INDICATORS_VIEW

    def managed(self, queryset: Any, pk: Any) -> Any:
        row = self.get_visible(queryset, pk=pk)
        self.require(Action.ACTIVITIES_MANAGE, row.unit)
        return row


def _agreement_data(data: dict[str, Any]) -> dict[str, Any]:
    """The service's fields from the form's cleaned data."""
    fields = {k: v for k, v in data.items() if k in services.AGREEMENT_FIELDS}
    for name in ("number", "partner_address", "notes"):
        fields[name] = fields.get(name) or ""
    return fields


class AgreementCreateView(ServiceFormView):
    model = Agreement
    scope_action = Action.ACTIVITIES_MANAGE
    form_class = AgreementForm
    template_name = "welfare/agreement_form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        pk = parse_id(self.request.GET.get("unit"))
        if pk is None:
            return {}
        try:
            unit: Unit = self.get_visible(Unit, Action.ACTIVITIES_MANAGE, pk=pk)
        except Http404:
            return {}
        return {"unit": unit.code}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        agreement = services.agreement_create(
            actor=self.request.user, unit=data["unit"], **_agreement_data(data)
        )
        messages.success(
            self.request,
            _("The agreement with %(partner)s is recorded.") % {"partner": agreement.partner_name},
        )
        return _detail_url(agreement.pk)


class AgreementEditView(ManagedMixin, ServiceFormView):
    form_class = AgreementForm
    template_name = "welfare/agreement_form.html"

    def load(self) -> None:
        self.agreement: Agreement = self.managed(
            selectors.agreements_with_unit(), self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.agreement, name) for name in services.AGREEMENT_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "agreement": self.agreement}

    def perform(self, form: Any) -> str:
        services.agreement_update(
            actor=self.request.user,
            agreement=self.agreement,
            **_agreement_data(form.cleaned_data),
        )
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.agreement.pk)


class AgreementDeleteView(ManagedMixin, TemplateView):
    """GET: confirm; POST: delete (refused while uses are recorded)."""

    template_name = "welfare/agreement_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.agreement: Agreement = self.managed(selectors.agreements_with_unit(), kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "agreement": self.agreement}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.agreement_delete(actor=request.user, agreement=self.agreement)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_detail_url(self.agreement.pk))
        messages.success(request, _("The agreement was deleted."))
        return HttpResponseRedirect(reverse("welfare:list"))


# ---------------------------------------------------------------------------------------------
# Uses


def _use_data(form: Any) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "member": form.member,
        "count": data["count"],
        "used_on": data["used_on"],
        "value": data["value"] or 0,
        "description": data["description"] or "",
    }


class UseCreateView(ManagedMixin, ServiceFormView):
    form_class = UseForm
    template_name = "welfare/use_form.html"

    def load(self) -> None:
        self.agreement: Agreement = self.managed(
            selectors.agreements_with_unit(), self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"count": 1, "used_on": min(timezone.localdate(), self._last_day())}

    def _last_day(self) -> Any:
        return self.agreement.valid_until or timezone.localdate()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "agreement": self.agreement, "heading": _("Record uses")}

    def perform(self, form: Any) -> str:
        services.benefit_use_create(
            actor=self.request.user, agreement=self.agreement, **_use_data(form)
        )
        messages.success(self.request, _("The use is recorded."))
        return _detail_url(self.agreement.pk, "uses")


class UseEditView(ManagedMixin, ServiceFormView):
    form_class = UseForm
    template_name = "welfare/use_form.html"

    def load(self) -> None:
        self.use: BenefitUse = self.managed(selectors.uses_with_relations(), self.kwargs["pk"])
        self.agreement = self.use.agreement

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        u = self.use
        card = u.member.card_number if u.member else ""
        return {
            "card_number": card, "count": u.count, "used_on": u.used_on, "value": u.value,
            "description": u.description,
        }  # fmt: skip

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "agreement": self.agreement, "heading": _("Correct a use")}

    def perform(self, form: Any) -> str:
        services.benefit_use_update(actor=self.request.user, use=self.use, **_use_data(form))
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.agreement.pk, "uses")


class UseDeleteView(ManagedMixin, View):
    """POST-only removal of a use."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        use = self.managed(selectors.uses_with_relations(), pk)
        try:
            services.benefit_use_delete(actor=request.user, use=use)
            messages.success(request, _("The use was deleted."))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(use.agreement_id, "uses"))


# ---------------------------------------------------------------------------------------------
# Import (the generic pages of activities.import_views, with the register's files)


# `scope_action` is the specs' manage action, named here as a plain attribute too (the generic
# views compute it from the spec, which tools reading the class cannot).


class AgreementImportView(RecordImportView):
    """welfare:import — agreements from a partner's or a unit's list (.xlsx, .csv)."""

    spec = AGREEMENTS
    scope_action = Action.ACTIVITIES_MANAGE
    done_url = "welfare:list"
    template_url = "welfare:import_template"


class UseImportView(RecordImportView):
    """welfare:use_import — the uses partners report."""

    spec = USES_SPEC
    scope_action = Action.ACTIVITIES_MANAGE
    done_url = "welfare:uses"
    template_url = "welfare:use_import_template"


class AgreementTemplateView(RecordTemplateView):
    spec = AGREEMENTS
    scope_action = Action.ACTIVITIES_MANAGE


class UseTemplateView(RecordTemplateView):
    spec = USES_SPEC
    scope_action = Action.ACTIVITIES_MANAGE
