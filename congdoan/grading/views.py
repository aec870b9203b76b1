"""Pages of the grading app: the list of gradings with the count per category, a union's
history, the unions not yet graded, grading a union (one number per criterion, grouped), a
grading's page, editing, confirming and deleting it, the schemes' catalogue and the export.

Gradings are seen through "indicators.view" on the graded union (officer B gets 404 for A's
gradings and units) and changed with "activities.manage" on the grading unit (403 otherwise).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView
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
from congdoan.grading import selectors, services
from congdoan.grading.filters import GradingFilter
from congdoan.grading.forms import ConfirmForm, DeleteForm, ScoresForm, StartForm
from congdoan.grading.imports import SPEC
from congdoan.grading.models import Grading, Scheme
from congdoan.grading.tables import GradingTable
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView

VIEW, MANAGE = selectors.VIEW, selectors.MANAGE
PER_PAGE = 50


# ---------------------------------------------------------------------------------------------
# Lists


class GradingListView(ScopedMixin, SingleTableMixin, FilterView):
    """grading:list — gradings of the unions in scope, filtered, with the count per category."""

    model = Grading
    scope_action = VIEW
    table_class = GradingTable
    filterset_class = GradingFilter
    template_name = "grading/grading_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": PER_PAGE}

    def get_queryset(self) -> QuerySet[Grading]:
        return selectors.gradings_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        qs = self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()
        counts = selectors.category_counts(qs)
        ctx.update(
            counts=counts,
            counted=sum(c.count for c in counts),
            can_create=self.has_scope(MANAGE),
            export_url=f"{reverse('grading:export')}?{query.urlencode()}",
        )
        return ctx


class UnitHistoryView(ScopedMixin, TemplateView):
    """grading:unit_history — every grading of one union (a merged union's included)."""

    scope_action = VIEW
    template_name = "grading/unit_history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        unit: Unit = self.get_visible(Unit, pk=self.kwargs["pk"])
        ctx.update(
            unit=unit,
            gradings=list(selectors.unit_history(unit)),
            can_grade=self.can(MANAGE, unit) and unit.unit_type.is_grassroots,
        )
        return ctx


class UngradedView(ScopedMixin, TemplateView):
    """grading:ungraded — `?unit=<code or id>&year=` the grassroots unions of the unit's
    subtree not yet graded for the year, each with the reason it cannot be, if any."""

    scope_action = VIEW
    template_name = "grading/ungraded.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        form = StartForm(
            self.request.GET or None,
            user=self.request.user,
            action=VIEW,
            label=_("Unit (and the units below)"),
        )
        rows = None
        if form.is_bound and form.is_valid():
            unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
            rows = selectors.ungraded(self.request.user, unit, year)
            ctx.update(unit=unit, year=year)
        ctx.update(form=form, rows=rows, can_create=self.has_scope(MANAGE))
        return ctx


# ---------------------------------------------------------------------------------------------
# A grading's page


class GradingDetailView(ScopedMixin, DetailView):
    """grading:detail — the points per criterion, total, category and decision."""

    model = Grading
    scope_action = VIEW
    template_name = "grading/grading_detail.html"
    context_object_name = "grading"

    def get_object(self, queryset: Any = None) -> Grading:
        return self.get_visible(selectors.grading_full(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        grading: Grading = self.object
        can_audit = self.can(Action.AUDIT_VIEW, grading.unit)
        ctx.update(
            blocks=selectors.sheet(grading.scheme, grading),
            can_manage=self.can(MANAGE, grading.graded_by),
            can_audit=can_audit,
            audit=selectors.grading_audit(grading) if can_audit else [],
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# Grading a union


class GradingStartView(ScopedMixin, TemplateView):
    """grading:create — choose the union and the year; opens its sheet (`grading:grade`)."""

    scope_action = MANAGE
    template_name = "grading/start.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.require_scope()
        initial: dict[str, Any] = {"year": timezone.localdate().year - 1}
        pk = parse_id(request.GET.get("unit"))
        if pk is not None and "year" not in request.GET:
            with contextlib.suppress(Http404):
                initial["unit"] = self.get_visible(Unit, MANAGE, pk=pk).code
            bound = None
        else:
            bound = request.GET or None
        self.form = StartForm(bound, initial=initial, user=request.user)
        if self.form.is_bound and self.form.is_valid():
            unit, year = self.form.cleaned_data["unit"], self.form.cleaned_data["year"]
            return HttpResponseRedirect(reverse("grading:grade", args=[unit.pk, year]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "form": self.form}


class _ScoresView(ServiceFormView):
    """The sheet: one number per criterion, grouped, with the maximum points."""

    form_class = ScoresForm
    template_name = "grading/grade.html"
    blocks: list[selectors.Block]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "blocks": self.blocks}


class GradingCreateView(_ScoresView):
    """grading:grade — grade union `unit_pk` for the period ending in `year`."""

    scope_action = MANAGE
    refusal = ""

    def load(self) -> None:
        self.unit: Unit = self.get_visible(selectors.units_described(), pk=self.kwargs["unit_pk"])
        self.year: int = self.kwargs["year"]
        if not services.FIRST_YEAR <= self.year <= 2200:
            raise Http404
        self.existing = selectors.grading_of(self.unit, self.year)
        self.scheme: Scheme | None = None
        self.blocks = []
        try:
            self.scheme = services.check_eligible(self.unit, None, self.year)
        except RuleViolation as exc:
            self.refusal = str(exc)
            return
        self.blocks = selectors.sheet(self.scheme)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.existing is not None:
            return HttpResponseRedirect(self.existing.get_absolute_url())
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.existing is not None:
            return HttpResponseRedirect(self.existing.get_absolute_url())
        if self.refusal:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        period = self.scheme.label(self.year) if self.scheme else str(self.year)
        return {
            **ctx,
            "unit": self.unit,
            "scheme": self.scheme,
            "refusal": self.refusal,
            "heading": _("Grade %(unit)s for %(period)s")
            % {"unit": self.unit.short_name or self.unit.name, "period": period},
            "cancel_url": reverse("grading:list"),
        }

    def perform(self, form: Any) -> str:
        grading = services.grading_create(
            actor=self.request.user,
            unit=self.unit,
            year=self.year,
            scheme=self.scheme,
            scores=form.scores(),
            notes=form.cleaned_data.get("notes") or "",
        )
        messages.success(
            self.request,
            _("%(grading)s: %(total)s points, %(category)s.")
            % {
                "grading": grading,
                "total": grading.total.normalize(),
                "category": grading.category,
            },
        )
        return grading.get_absolute_url()


class _ManagedMixin(ScopedMixin):
    """Pages that change one grading: seen through "indicators.view" on the union (404
    otherwise), changed with "activities.manage" on the grading unit (403 otherwise)."""

    scope_action = VIEW
    record: Grading

    def managed(self) -> Grading:
        self.record = self.get_visible(selectors.grading_full(), pk=self.kwargs["pk"])
        self.require(MANAGE, self.record.graded_by)
        return self.record


class GradingEditView(_ManagedMixin, _ScoresView):
    """grading:edit — a draft's points and notes."""

    def load(self) -> None:
        self.managed()
        self.blocks = selectors.sheet(self.record.scheme, self.record)

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"notes": self.record.notes}
        for block in self.blocks:
            for line in block.lines:
                initial[f"scores.{line.criterion.code}"] = line.points
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {
            **ctx,
            "record": self.record,
            "unit": self.record.unit,
            "scheme": self.record.scheme,
            "refusal": _("A confirmed grading no longer changes.") if self.record.confirmed else "",
            "heading": _("Edit %(grading)s") % {"grading": self.record},
            "cancel_url": self.record.get_absolute_url(),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.record.confirmed:
            messages.error(request, _("A confirmed grading no longer changes."))
            return HttpResponseRedirect(self.record.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def perform(self, form: Any) -> str:
        grading = services.grading_update(
            actor=self.request.user,
            grading=self.record,
            scores=form.scores(),
            notes=form.cleaned_data.get("notes") or "",
        )
        messages.success(
            self.request,
            _("Changes saved: %(total)s points, %(category)s.")
            % {"total": grading.total.normalize(), "category": grading.category},
        )
        return grading.get_absolute_url()


class GradingConfirmView(_ManagedMixin, ServiceFormView):
    """grading:confirm — the decision's number and date."""

    form_class = ConfirmForm
    template_name = "grading/form.html"

    def load(self) -> None:
        self.managed()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {
            **ctx,
            "record": self.record,
            "heading": _("Confirm %(grading)s") % {"grading": self.record},
            "cancel_url": self.record.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        services.grading_confirm(
            actor=self.request.user,
            grading=self.record,
            decision_number=form.cleaned_data["decision_number"],
            decision_date=form.cleaned_data["decision_date"],
        )
        messages.success(self.request, _("The grading is confirmed."))
        return self.record.get_absolute_url()


class GradingDeleteView(_ManagedMixin, ServiceFormView):
    """grading:delete — a draft; a confirmed grading with a reason."""

    form_class = DeleteForm
    template_name = "grading/form.html"

    def load(self) -> None:
        self.managed()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {
            **ctx,
            "record": self.record,
            "heading": _("Delete %(grading)s") % {"grading": self.record},
            "question": _("Delete this grading and its points? Its history is kept."),
            "danger": True,
            "cancel_url": self.record.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        services.grading_delete(
            actor=self.request.user, grading=self.record, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("%(grading)s deleted.") % {"grading": self.record})
        return f"{reverse('grading:list')}?{urlencode({'year': self.record.year})}"


# ---------------------------------------------------------------------------------------------
# Schemes (a catalogue every signed-in user reads)


class SchemeListView(ScopedMixin, ListView):
    """grading:schemes — the versions of the points table."""

    model = Scheme
    template_name = "grading/scheme_list.html"
    context_object_name = "schemes"

    def get_queryset(self) -> QuerySet[Scheme]:
        return selectors.schemes()


class SchemeDetailView(ScopedMixin, DetailView):
    """grading:scheme_detail — a scheme's groups, criteria and categories."""

    model = Scheme
    template_name = "grading/scheme_detail.html"
    context_object_name = "scheme"

    def get_queryset(self) -> QuerySet[Scheme]:
        return selectors.scheme_full()

    def get_object(self, queryset: Any = None) -> Scheme:
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "blocks": selectors.sheet(self.object)}


# ---------------------------------------------------------------------------------------------
# Import and export (the shared engine, congdoan.activities.imports)


class GradingImportView(RecordImportView):
    """grading:import — upload → preview → confirm (`?upload=<id>`, `&errors=1`)."""

    spec = SPEC
    done_url = "grading:list"
    template_url = "grading:import_template"


class GradingTemplateView(RecordTemplateView):
    """grading:import_template — the .xlsx template with its guide and example row."""

    spec = SPEC


class GradingExportView(RecordExportView):
    """grading:export — the gradings the list's filters keep, as .xlsx."""

    spec = SPEC
    filterset_class = GradingFilter
