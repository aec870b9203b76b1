"""The wizard: one page per operation. "Xem trước" runs a dry run; "Áp dụng" applies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.organisation.models import Unit
from congdoan.organisation.services import ChangeSet, dry_run
from congdoan.reorganisation import forms, services
from congdoan.reorganisation.views.base import ReorganiseMixin

OPERATIONS: list[tuple[str, Promise, Promise, str]] = [
    (
        "create",
        gettext_lazy("Create a unit"),
        gettext_lazy("Found a new unit under a parent unit."),
        "bi-plus-square",
    ),
    (
        "update",
        gettext_lazy("Rename / update details"),
        gettext_lazy("Change the name, short name, code, type, sector or ownership type."),
        "bi-pencil-square",
    ),
    (
        "move",
        gettext_lazy("Move"),
        gettext_lazy("Place a unit, with everything below it, under another parent unit."),
        "bi-arrow-left-right",
    ),
    (
        "merge",
        gettext_lazy("Merge"),
        gettext_lazy("Merge several units into an existing or a new unit."),
        "bi-union",
    ),
    (
        "split",
        gettext_lazy("Split"),
        gettext_lazy("Split a unit into several receiving units and assign members and units."),
        "bi-diagram-2",
    ),
    (
        "dissolve",
        gettext_lazy("Dissolve"),
        gettext_lazy("Dissolve a unit: members leave the union or move to another unit."),
        "bi-x-octagon",
    ),
]


class StartView(ReorganiseMixin, View):
    """The operations, each linked with the unit of `?unit=` preselected."""

    def get(self, request: HttpRequest) -> HttpResponse:
        unit = self.preselected_unit("unit", Action.ORGANISATION_VIEW)
        operations = [
            self.operation(op, title, text, icon, unit) for op, title, text, icon in OPERATIONS
        ]
        return render(
            request,
            "reorganisation/start.html",
            {"unit": unit, "operations": operations},
        )

    @staticmethod
    def operation(
        op: str, title: Promise, text: Promise, icon: str, unit: Unit | None
    ) -> dict[str, Any]:
        url = reverse(f"reorganisation:{op}")
        if unit is not None:
            url += f"?{'parent' if op == 'create' else 'unit'}={unit.pk}"
        return {"op": op, "title": title, "text": text, "icon": icon, "url": url}


class OperationView(ReorganiseMixin, View):
    """GET shows the form; POST "preview" shows the dry run; POST "apply" applies.

    `scope_action` is what the operation needs (reorganise; change for an update): a user who
    holds it nowhere gets 403, and `?unit=` preselects only a unit where they hold it."""

    op: str = ""
    title: Promise | str = ""
    form_class: type[forms.OperationForm]
    service: Callable[..., Any]
    unit_param = "unit"

    def render_page(
        self, form: forms.OperationForm, preview: ChangeSet | None = None
    ) -> HttpResponse:
        return render(
            self.request,
            "reorganisation/operation.html",
            {
                "op": self.op,
                "title": self.title,
                "form": form,
                "preview": preview,
                "totals": services.totals_rows(preview.totals()) if preview is not None else None,
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(user=request.user)
        unit = self.preselected_unit(self.unit_param)
        if unit is not None:
            self.preselect(form, unit)
        return self.render_page(form)

    def preselect(self, form: forms.OperationForm, unit: Unit) -> None:
        form.initial[form.unit_field] = unit.code

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_page(form)
        applying = "apply" in request.POST
        if applying and not form.cleaned_data.get("confirm"):
            form.add_error("confirm", _("Tick the box to confirm that you checked the preview."))
            applying = False
        try:
            if applying:
                return self.apply(form)
            changes = dry_run(type(self).service, actor=request.user, **form.service_kwargs())
        except RuleViolation as exc:
            form.add_rule_error(exc)
            return self.render_page(form)
        return self.render_page(form, preview=changes)

    def apply(self, form: forms.OperationForm) -> HttpResponse:
        event = type(self).service(actor=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("The reorganisation was applied."))
        return HttpResponseRedirect(reverse("reorganisation:event_detail", args=[event.pk]))


class CreateView(OperationView):
    op = "create"
    title = gettext_lazy("Create a unit")
    form_class = forms.CreateForm
    service = services.reorg_create
    unit_param = "parent"

    def preselect(self, form: forms.OperationForm, unit: Unit) -> None:
        assert isinstance(form, forms.CreateForm)
        form.unit_form.initial["parent"] = unit.code


class UpdateView(OperationView):
    op = "update"
    title = gettext_lazy("Rename / update details")
    form_class = forms.UpdateForm
    service = services.reorg_update
    scope_action = Action.ORGANISATION_CHANGE

    def preselect(self, form: forms.OperationForm, unit: Unit) -> None:
        form.initial.update(
            unit=unit.code,
            code=unit.code,
            name=unit.name,
            short_name=unit.short_name,
            unit_type=unit.unit_type_id,
            sector=unit.sector_id,
            ownership=unit.ownership_id,
        )


class MoveView(OperationView):
    op = "move"
    title = gettext_lazy("Move a unit")
    form_class = forms.MoveForm
    service = services.reorg_move


class MergeView(OperationView):
    op = "merge"
    title = gettext_lazy("Merge units")
    form_class = forms.MergeForm
    service = services.reorg_merge


class SplitView(OperationView):
    op = "split"
    title = gettext_lazy("Split a unit")
    form_class = forms.SplitForm
    service = services.reorg_split


class DissolveView(OperationView):
    op = "dissolve"
    title = gettext_lazy("Dissolve a unit")
    form_class = forms.DissolveForm
    service = services.reorg_dissolve
