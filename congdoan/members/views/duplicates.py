"""Possible duplicates (same folded name and date of birth): the pairs with a record in the
user's scope, and the decision on one pair. The other record is named only when the user may
see it (`selectors.duplicate_flags`); the decision goes through `services.duplicate_resolve`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import selectors, services
from congdoan.members.forms import DuplicateResolveForm
from congdoan.members.models import DuplicateFlag

STATUSES = ("open", "distinct", "resolved")


class DuplicateListView(ScopedMixin, TemplateView):
    model = DuplicateFlag
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/duplicate_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "open")
        if status not in STATUSES:
            status = "open"
        rows = selectors.duplicate_flags(self.request.user, status=status)
        for row in rows:
            row.can_resolve = status == "open" and (  # type: ignore[attr-defined]
                self.can(Action.MEMBERS_CHANGE, row.mine.unit)
                or self.can(Action.MEMBERS_CHANGE, row.other.unit)
            )
        ctx.update(rows=rows, status=status)
        return ctx


class DuplicateResolveView(ScopedMixin, View):
    """POST a decision on one pair seen from either side; back to where the user came from."""

    model = DuplicateFlag
    scope_action = Action.MEMBERS_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        flag = self.get_object()
        form = DuplicateResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
        else:
            try:
                services.duplicate_resolve(
                    actor=request.user, flag=flag, status=form.cleaned_data["status"]
                )
                messages.success(request, _("Decision recorded."))
            except RuleViolation as exc:
                messages.error(request, str(exc))
        back = request.POST.get("next_url", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("members:duplicate_list")
        return HttpResponseRedirect(back)


urlpatterns = [
    path("duplicates/", DuplicateListView.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/resolve/", DuplicateResolveView.as_view(), name="duplicate_resolve"),
]
