"""Pages shared by the registers: which registers a unit keeps, and attachments of records."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from congdoan.activities import registers, selectors, services
from congdoan.activities.forms import AttachmentForm, KeepingForm
from congdoan.activities.models import Attachment
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import Unit


class KeepingView(ScopedMixin, View):
    """activities:keeping — the registers a unit keeps; start or stop keeping one."""

    scope_action = Action.INDICATORS_VIEW
    template_name = "activities/keeping.html"

    def _context(self, unit: Unit, form: KeepingForm | None = None) -> dict[str, Any]:
        rows = selectors.keepings_of(unit)
        return {
            "unit": unit,
            "rows": rows,
            "form": form or KeepingForm(),
            "can_manage": {r.register.code: self.can(r.register.manage_action, unit) for r in rows},
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = self.get_visible(Unit, pk=pk)
        return render(request, self.template_name, self._context(unit))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = self.get_visible(Unit, pk=pk)
        form = KeepingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["step"] == "stop":
                    services.keeping_stop(
                        actor=request.user,
                        unit=unit,
                        register=data["register"],
                        last_year=data["year"],
                    )
                    messages.success(request, _("The unit no longer keeps this register."))
                else:
                    services.keeping_start(
                        actor=request.user,
                        unit=unit,
                        register=data["register"],
                        from_year=data["year"],
                    )
                    messages.success(request, _("The unit now keeps this register."))
                return HttpResponseRedirect(reverse("activities:keeping", args=[unit.pk]))
            except RuleViolation as exc:
                form.add_error(None, str(exc))
        return render(request, self.template_name, self._context(unit, form), status=400)


def _record(view: ScopedMixin, label: str, pk: int) -> Any:
    """A record of a register that takes attachments, within the user's scope (or 404)."""
    allowed = {m for r in registers.REGISTERS.values() for m in (r.model, *r.attachable)}
    if label not in allowed:
        raise Http404
    model = apps.get_model(label)
    return view.get_visible(model, pk=pk)


def _back(request: HttpRequest, record: Any) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return nxt
    return str(record.get_absolute_url())


class AttachmentAddView(ScopedMixin, View):
    """activities:attachment_add — POST a file (and a caption) onto a record."""

    scope_action = Action.INDICATORS_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest, label: str, pk: int) -> HttpResponse:
        record = _record(self, label, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        else:
            try:
                services.attachment_add(
                    actor=request.user,
                    record=record,
                    upload=form.cleaned_data["file"],
                    caption=form.cleaned_data["caption"],
                )
                messages.success(request, _("The file is attached."))
            except RuleViolation as exc:
                messages.error(request, str(exc))
        return HttpResponseRedirect(_back(request, record))


class AttachmentView(ScopedMixin, View):
    """activities:attachment — the stored file, to those who may see the record's unit."""

    model = Attachment
    scope_action = Action.INDICATORS_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = self.get_object()
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        inline = attachment.is_image or attachment.name.lower().endswith(".pdf")
        return FileResponse(handle, as_attachment=not inline, filename=attachment.name)


class AttachmentDeleteView(ScopedMixin, View):
    """activities:attachment_delete — POST removes an attached file."""

    model = Attachment
    scope_action = Action.INDICATORS_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = self.get_object()
        record = attachment.record
        try:
            services.attachment_delete(actor=request.user, attachment=attachment)
            messages.success(request, _("The file is removed."))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        if record is None:
            return HttpResponseRedirect(reverse("home"))
        return HttpResponseRedirect(_back(request, record))
