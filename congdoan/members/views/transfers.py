"""Transfers seen from both sides: the list (to confirm, asked for, decided), and the decisions
(confirm, refuse, withdraw).

Views only translate: the services decide which side may do what; the transfer comes through
the door (`ScopedMixin.get_object`: 404 unless one of its units is in the user's scope).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import selectors, services
from congdoan.members.forms import RejectForm
from congdoan.members.models import TransferRequest


class TransferMixin(ScopedMixin):
    """A page about one transfer, the URL's `pk`, seen by both units."""

    model = TransferRequest
    scope_action = Action.MEMBERS_VIEW

    def get_transfer(self) -> TransferRequest:
        transfer: TransferRequest = self.get_object(selectors.transfer_records())
        return transfer


# The query parameter of each section's page, and the anchor of the section.
SECTIONS = {
    "to_confirm": ("confirm_page", "to-confirm"),
    "requested": ("requested_page", "requested"),
    "history": ("history_page", "history"),
}


class TransferListView(ScopedMixin, TemplateView):
    """Both sides: transfers awaiting my confirmation, those my units asked for, history; each
    section paged on its own (`?confirm_page=`, `?requested_page=`, `?history_page=`)."""

    model = TransferRequest
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/transfer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET
        lists = selectors.transfer_lists(
            self.request.user, {name: query.get(param) for name, (param, _a) in SECTIONS.items()}
        )
        ctx["lists"] = lists
        ctx["pagers"] = {
            name: self._pager(getattr(lists, name), param, anchor)
            for name, (param, anchor) in SECTIONS.items()
        }
        ctx["reject_form"] = RejectForm()
        return ctx

    def _pager(self, page: Page, param: str, anchor: str) -> dict[str, Any]:
        """Links to the previous and next page of one section, the others' pages kept."""

        def url(number: int) -> str:
            query = self.request.GET.copy()
            query[param] = str(number)
            return f"?{query.urlencode()}#{anchor}"

        return {
            "page": page,
            "previous": url(page.previous_page_number()) if page.has_previous() else "",
            "next": url(page.next_page_number()) if page.has_next() else "",
        }


class TransferDecisionView(TransferMixin, View):
    """POST: confirm or cancel a pending transfer; the service checks which side may."""

    http_method_names = ["post"]
    decision = "confirm"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = self.get_transfer()
        try:
            if self.decision == "confirm":
                services.transfer_confirm(actor=request.user, request=transfer)
                messages.success(
                    request,
                    _("Transfer of %(name)s to %(unit)s confirmed.")
                    % {"name": transfer.member.full_name, "unit": transfer.to_unit},
                )
            else:
                services.transfer_cancel(actor=request.user, request=transfer)
                messages.success(request, _("Transfer request withdrawn."))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("members:transfer_list"))


class TransferRejectView(TransferMixin, FormView):
    """The receiving (or confirming) side refuses a transfer, with a reason."""

    form_class = RejectForm
    template_name = "members/registry/transfer_reject.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:  # else: sign-in first
            self.transfer = self.get_transfer()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "transfer": self.transfer}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.transfer_reject(
                actor=self.request.user, request=self.transfer, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("Transfer refused."))
        return HttpResponseRedirect(reverse("members:transfer_list"))


urlpatterns = [
    path("transfers/", TransferListView.as_view(), name="transfer_list"),
    path(
        "transfers/<int:pk>/confirm/",
        TransferDecisionView.as_view(decision="confirm"),
        name="transfer_confirm",
    ),
    path("transfers/<int:pk>/reject/", TransferRejectView.as_view(), name="transfer_reject"),
    path(
        "transfers/<int:pk>/cancel/",
        TransferDecisionView.as_view(decision="cancel"),
        name="transfer_cancel",
    ),
]
