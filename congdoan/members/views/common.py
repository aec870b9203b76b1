"""What the member pages share: the door to one member, forms that call one service, and the
headers of pages with full personal data."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponse, HttpResponseBase
from django.utils.cache import add_never_cache_headers
from django.views.generic import FormView

from congdoan.core.concurrency import EditConflict
from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.members import personal, selectors
from congdoan.members.models import Member

PER_PAGE = 50


def no_store(response: HttpResponseBase) -> HttpResponseBase:
    """Pages with full personal data are never cached by the browser or a proxy."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


class OneMemberMixin(ScopedMixin):
    """A page about one member, the URL's `pk`: `get_member()` answers 404 when the member is
    missing or outside the user's scope for `scope_action`, and 403 when `needs_personal` and
    the user may not read the member's personal data (`personal.can_view_personal`).

    With `member_first`, the member is fetched before any handler runs (after sign-in), as
    `self.member`: for forms, whose every step needs it."""

    model = Member
    needs_personal = False
    member_first = False
    member: Member

    def get_member(self) -> Member:
        member: Member = self.get_object(selectors.member_records())
        if self.needs_personal and not personal.can_view_personal(self.request.user, member):
            raise PermissionDenied
        return member

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.member_first and request.user.is_authenticated:  # else: sign-in first
            self.member = self.get_member()
        return super().dispatch(request, *args, **kwargs)


class ServiceFormView(ScopedMixin, FormView):
    """A form whose valid input goes to a service: `perform(form)` returns the URL to go to; a
    broken rule (`RuleViolation`) is shown next to its field."""

    model = Member
    scope_action = Action.MEMBERS_CHANGE

    def perform(self, form: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            url = self.perform(form)
        except RuleViolation as exc:
            if isinstance(exc, EditConflict) and "loaded" in form.fields:
                # What the user entered comes back, on the record as now stored: saving again
                # keeps their values (core/concurrency.py).
                form.data = form.data.copy()
                form.data["loaded"] = exc.state
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(url)
