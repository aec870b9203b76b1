"""Pieces shared by the organisation views: service-backed forms and request parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.views.generic import FormView

from congdoan.core.exceptions import RuleViolation
from congdoan.core.views import ScopedMixin
from congdoan.organisation.forms import TreeFilterForm


class ServiceFormView(ScopedMixin, FormView):
    """A form page whose valid input goes to a service: `perform(form)` calls it and returns the
    URL to go to; a broken rule (`RuleViolation`) is shown on the form, next to its field.

    `load()` fetches (and checks) what the page is about, once the user is known to be signed
    in and before any handler runs: a 404 or 403 there answers every method alike."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.load()
        return super().dispatch(request, *args, **kwargs)

    def load(self) -> None:
        """Fetch the objects of the URL through the door helpers (nothing by default)."""

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            url = self.perform(form)
        except RuleViolation as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(url)


def tree_params(request: HttpRequest) -> tuple[TreeFilterForm, dt.date | None, bool]:
    """The "as of" date and the show-dissolved toggle from the query string."""
    form = TreeFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["as_of"], form.cleaned_data["show_dissolved"]
    return form, None, False


def int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default
