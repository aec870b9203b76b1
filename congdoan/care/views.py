"""Pages of the care register (namespace "care"): the list of records (filtered, totalled by
campaign), a record's page (funding, attachments, history), the forms that call the services,
and the campaigns.

Records and campaigns are seen through "indicators.view" on their unit and changed with
"activities.manage" there: officer B gets 404 for A's records, a viewer of A gets 403 on the
forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.activities.import_views import (
    RecordExportView,
    RecordImportView,
    RecordTemplateView,
)
from congdoan.care import selectors, services
from congdoan.care.filters import CareFilter
from congdoan.care.forms import (
    CampaignForm,
    CareRecordForm,
    funding_formset,
    funding_lines,
)
from congdoan.care.imports import SPEC
from congdoan.care.models import Beneficiary, Campaign, CareKind, CareRecord
from congdoan.care.tables import CampaignTable, CareTable
from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.members.forms import PurposeForm
from congdoan.organisation.views.common import ServiceFormView

PER_PAGE = 50


class CareListView(ScopedMixin, SingleTableMixin, FilterView):
    """care:list — filterable by unit (and below), period, year, kind, campaign and text;
    totalled by campaign in a fragment (`CareTotalsView`). `?unit=<id>&period=<id>` lists the records behind a unit's figure."""

    model = CareRecord
    scope_action = Action.INDICATORS_VIEW
    table_class = CareTable
    filterset_class = CareFilter
    template_name = "care/record_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": PER_PAGE}

    def get_queryset(self) -> Any:
        return selectors.records_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.has_scope(Action.ACTIVITIES_MANAGE)
        return ctx


class CareTotalsView(ScopedMixin, FilterView):
    """care:totals — the list's totals by campaign, for the same filter: a fragment the list
    loads after its first page, since totalling a province's year of records takes longer
    than showing 50 of them."""

    model = CareRecord
    scope_action = Action.INDICATORS_VIEW
    filterset_class = CareFilter
    template_name = "care/partials/totals.html"

    def get_queryset(self) -> Any:
        return selectors.records_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["totals"] = selectors.campaign_totals(self.object_list)
        return ctx


class CareDetailView(ScopedMixin, DetailView):
    model = CareRecord
    scope_action = Action.INDICATORS_VIEW
    template_name = "care/record_detail.html"
    context_object_name = "record"

    def get_object(self, queryset: Any = None) -> CareRecord:
        return super().get_object(selectors.record_full())

    revealed = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        record: CareRecord = self.object
        revealed = self.revealed
        can_audit = self.can(Action.AUDIT_VIEW, record.unit)
        member = record.member
        may_reveal = selectors.has_personal(record) and selectors.may_reveal(
            self.request.user, record
        )
        if may_reveal and not revealed:
            ctx.setdefault("purpose_form", PurposeForm())
        ctx.update(
            revealed=revealed,
            personal=selectors.personal_data(record, revealed=revealed),
            funding=list(record.funding.all()),
            can_manage=self.can(Action.ACTIVITIES_MANAGE, record.unit),
            member_visible=member is not None and self.can(Action.MEMBERS_VIEW, member.unit),
            not_kept=selectors.not_kept(record),
            can_audit=can_audit,
            audit=selectors.record_audit(record, revealed=revealed) if can_audit else [],
        )
        return ctx


class CareRevealView(CareDetailView):
    """POST a purpose: the record's page with its beneficiary's full personal data, for this
    response only; the read is logged in the personal-data access log (as for members)."""

    http_method_names = ["post"]

    def post(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.object = record = self.get_object()
        if not selectors.may_reveal(request.user, record):
            raise PermissionDenied
        form = PurposeForm(request.POST)
        if not form.is_valid():
            context = self.get_context_data(object=record, purpose_form=form)
            return self.render_to_response(context, status=400)
        self.revealed = bool(
            services.reveal_personal(
                user=request.user, records=[record], purpose=form.purpose_text, where=request.path
            )
        )
        return self.render_to_response(self.get_context_data(object=record))


class _RecordFormView(ServiceFormView):
    """The form of a record with its funding lines (a formset of source, donor, amount)."""

    form_class = CareRecordForm
    template_name = "care/record_form.html"
    record: CareRecord | None = None

    def get_form_kwargs(self) -> dict[str, Any]:
        unit = self.record.unit if self.record else None
        return {**super().get_form_kwargs(), "user": self.request.user, "unit": unit}

    def initial_lines(self) -> list[dict[str, Any]]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        formset = getattr(self, "formset", None) or funding_formset(lines=self.initial_lines())
        return {**ctx, "funding": formset, "record": self.record}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        self.formset = funding_formset(request.POST)
        if form.is_valid() and self.formset.is_valid():
            self.lines = funding_lines(self.formset)
            return self.form_valid(form)
        return self.form_invalid(form)


class CareCreateView(_RecordFormView):
    model = CareRecord
    scope_action = Action.ACTIVITIES_MANAGE

    def load(self) -> None:
        self.require_scope()

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": CareKind.GIFT, "beneficiary": Beneficiary.MEMBER}
        user = self.request.user
        unit_id = parse_id(self.request.GET.get("unit"))
        unit = selectors.visible_unit(user, unit_id, Action.ACTIVITIES_MANAGE) if unit_id else None
        member_id = parse_id(self.request.GET.get("member"))
        member = selectors.member_by_id(user, member_id) if member_id else None
        if member is not None:
            initial.update(member=member.pk, card_number=member.card_number or "")
            if unit is None and self.can(Action.ACTIVITIES_MANAGE, member.unit):
                unit = member.unit
        if unit is not None:
            initial["unit"] = unit.code
        campaign_id = parse_id(self.request.GET.get("campaign"))
        if campaign_id and selectors.campaign_visible(user, campaign_id):
            initial["campaign"] = campaign_id
        return initial

    def perform(self, form: Any) -> str:
        record = services.care_record_create(
            actor=self.request.user,
            unit=form.cleaned_data["unit"],
            funding=self.lines,
            value=form.cleaned_data.get("value"),
            **form.service_fields(),
        )
        messages.success(self.request, _("The care record was saved."))
        return record.get_absolute_url()


class ManagedRecordMixin(ScopedMixin):
    """Pages that change one record: seen through "indicators.view" (404 otherwise), changed
    with "activities.manage" on its unit (403 otherwise)."""

    model = CareRecord
    scope_action = Action.INDICATORS_VIEW

    def managed_record(self, pk: Any) -> CareRecord:
        record: CareRecord = self.get_visible(selectors.record_full(), pk=pk)
        self.require(Action.ACTIVITIES_MANAGE, record.unit)
        return record


class CareEditView(ManagedRecordMixin, _RecordFormView):
    def load(self) -> None:
        self.record = self.managed_record(self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        r = self.record
        assert r is not None
        names = ("kind", "on", "beneficiary", "person_name", "recipient_kind", "citizen_id",
                 "phone", "date_of_birth", "address", "quantity", "house_work", "handover_on",
                 "economy_form", "description")  # fmt: skip
        initial = {n: getattr(r, n) for n in names}
        initial.update(unit=r.unit.code, campaign=r.campaign_id)
        if r.member is not None:
            initial.update(member=r.member.pk, card_number=r.member.card_number or "")
        return initial

    def initial_lines(self) -> list[dict[str, Any]]:
        assert self.record is not None
        return [
            {"source": f.source, "donor": f.donor, "amount": f.amount}
            for f in self.record.funding.all()
        ]

    def perform(self, form: Any) -> str:
        assert self.record is not None
        services.care_record_update(
            actor=self.request.user,
            record=self.record,
            unit=form.cleaned_data["unit"],
            funding=self.lines,
            value=form.cleaned_data.get("value"),
            **form.service_fields(),
        )
        messages.success(self.request, _("Changes saved."))
        return self.record.get_absolute_url()


class CareDeleteView(ManagedRecordMixin, TemplateView):
    """GET: confirm; POST: delete."""

    template_name = "care/record_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.record = self.managed_record(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "record": self.record}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.care_record_delete(actor=request.user, record=self.record)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.record.get_absolute_url())
        messages.success(request, _("The care record was deleted."))
        return HttpResponseRedirect(reverse("care:list"))


# ---------------------------------------------------------------------------------------------
# Campaigns


class CampaignListView(ScopedMixin, SingleTableMixin, TemplateView):
    model = Campaign
    scope_action = Action.INDICATORS_VIEW
    table_class = CampaignTable
    template_name = "care/campaign_list.html"
    table_pagination = {"per_page": PER_PAGE}

    def get_table_data(self) -> Any:
        return selectors.campaigns_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.has_scope(Action.ACTIVITIES_MANAGE)
        return ctx


class CampaignDetailView(ScopedMixin, DetailView):
    model = Campaign
    scope_action = Action.INDICATORS_VIEW
    template_name = "care/campaign_detail.html"
    context_object_name = "campaign"

    def get_object(self, queryset: Any = None) -> Campaign:
        return super().get_object(selectors.campaign_with_unit())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        campaign: Campaign = self.object
        user = self.request.user
        totals = selectors.campaign_totals(selectors.campaign_records(user, campaign))
        can_audit = self.can(Action.AUDIT_VIEW, campaign.unit)
        ctx.update(
            total=totals[0] if totals else None,
            by_unit=selectors.campaign_by_unit(user, campaign),
            can_manage=self.can(Action.ACTIVITIES_MANAGE, campaign.unit),
            can_record=self.has_scope(Action.ACTIVITIES_MANAGE),
            can_audit=can_audit,
            audit=selectors.campaign_audit(campaign) if can_audit else [],
        )
        return ctx


class CampaignCreateView(ServiceFormView):
    model = Campaign
    scope_action = Action.ACTIVITIES_MANAGE
    form_class = CampaignForm
    template_name = "care/campaign_form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        pk = parse_id(self.request.GET.get("unit"))
        unit = (
            selectors.visible_unit(self.request.user, pk, Action.ACTIVITIES_MANAGE) if pk else None
        )
        return {"unit": unit.code} if unit else {}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        campaign = services.campaign_create(
            actor=self.request.user,
            unit=d["unit"],
            name=d["name"],
            start=d["start"],
            end=d["end"],
            description=d.get("description") or "",
        )
        messages.success(self.request, _("Campaign %(name)s created.") % {"name": campaign.name})
        return campaign.get_absolute_url()


class ManagedCampaignMixin(ScopedMixin):
    model = Campaign
    scope_action = Action.INDICATORS_VIEW

    def managed_campaign(self, pk: Any) -> Campaign:
        campaign: Campaign = self.get_visible(selectors.campaign_with_unit(), pk=pk)
        self.require(Action.ACTIVITIES_MANAGE, campaign.unit)
        return campaign


class CampaignEditView(ManagedCampaignMixin, ServiceFormView):
    form_class = CampaignForm
    template_name = "care/campaign_form.html"

    def load(self) -> None:
        self.campaign = self.managed_campaign(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        c = self.campaign
        return {"name": c.name, "start": c.start, "end": c.end, "description": c.description}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "campaign": self.campaign}

    def perform(self, form: Any) -> str:
        d = form.cleaned_data
        services.campaign_update(
            actor=self.request.user,
            campaign=self.campaign,
            name=d["name"],
            start=d["start"],
            end=d["end"],
            description=d.get("description") or "",
        )
        messages.success(self.request, _("Changes saved."))
        return self.campaign.get_absolute_url()


class CampaignDeleteView(ManagedCampaignMixin, TemplateView):
    template_name = "care/campaign_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.campaign = self.managed_campaign(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "campaign": self.campaign}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.campaign_delete(actor=request.user, campaign=self.campaign)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self.campaign.get_absolute_url())
        messages.success(request, _("The campaign was deleted."))
        return HttpResponseRedirect(reverse("care:campaign_list"))


# ---------------------------------------------------------------------------------------------
# Import and export (the shared engine, congdoan.activities.imports)


class CareImportView(RecordImportView):
    """care:import — upload → preview → confirm (`?upload=<id>`, `&errors=1`)."""

    spec = SPEC
    done_url = "care:list"
    template_url = "care:import_template"


class CareTemplateView(RecordTemplateView):
    """care:import_template — the .xlsx template with its drop-downs."""

    spec = SPEC


class CareExportView(RecordExportView):
    """care:export — the filtered records as the register's file, personal data masked."""

    spec = SPEC
    filterset_class = CareFilter
