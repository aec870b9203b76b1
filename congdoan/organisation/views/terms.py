"""Terms (nhiệm kỳ) and committee seats: create a term, the term page, add and end seats."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors, services
from congdoan.organisation.forms import SeatEndForm, SeatForm, TermForm
from congdoan.organisation.models import CommitteeKind, CommitteeSeat, Term, Unit
from congdoan.organisation.views.common import ServiceFormView


def _term_url(term_id: int) -> str:
    return reverse("organisation:term_detail", args=[term_id])


class TermCreateView(ServiceFormView):
    model = Unit
    scope_action = Action.ORGANISATION_MANAGE_TERMS
    form_class = TermForm
    template_name = "organisation/term_form.html"

    def load(self) -> None:
        self.unit: Unit = self.get_object()

    def get_initial(self) -> dict[str, Any]:
        last = selectors.term_latest(self.unit)
        year = timezone.localdate().year
        if last is None:
            return {"start_year": year, "end_year": year + 5}
        return {
            "number": last.number + 1,
            "start_year": last.end_year,
            "end_year": last.end_year + 5,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "unit": self.unit}

    def perform(self, form: Any) -> str:
        term = services.term_create(actor=self.request.user, unit=self.unit, **form.cleaned_data)
        messages.success(self.request, _("Term %(term)s recorded.") % {"term": term.label})
        return _term_url(term.pk)


class TermDetailView(ScopedMixin, DetailView):
    model = Term
    scope_action = Action.ORGANISATION_VIEW
    template_name = "organisation/term_detail.html"
    context_object_name = "term"

    def get_object(self, queryset: Any = None) -> Term:
        return super().get_object(selectors.terms_with_unit())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        term: Term = self.object
        ctx["committees"] = selectors.term_committees(term)
        ctx["other_terms"] = selectors.term_others(term)
        ctx["can_manage"] = self.can(Action.ORGANISATION_MANAGE_TERMS, term.unit)
        ctx["can_audit"] = self.can(Action.AUDIT_VIEW, term.unit)
        ctx["audit"] = selectors.term_audit(term) if ctx["can_audit"] else []
        return ctx


class SeatAddView(ServiceFormView):
    model = Term
    scope_action = Action.ORGANISATION_MANAGE_TERMS
    form_class = SeatForm
    template_name = "organisation/seat_form.html"

    def load(self) -> None:
        self.term: Term = self.get_object(selectors.terms_with_unit())

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        committee = self.request.GET.get("committee", CommitteeKind.BCH)
        if committee not in CommitteeKind.values:
            committee = CommitteeKind.BCH
        return {"committee": committee, "start_date": self.term.congress_date}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "term": self.term}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        seat = services.seat_add(
            actor=self.request.user,
            term=self.term,
            committee=data["committee"],
            position=data["position"],
            full_name=data["full_name"],
            member=form.member,
            job_title=data["job_title"],
            start_date=data["start_date"],
        )
        messages.success(
            self.request,
            _("%(name)s seated as %(position)s.")
            % {"name": seat.full_name, "position": seat.position.name},
        )
        return _term_url(self.term.pk)


class SeatEndView(ServiceFormView):
    model = CommitteeSeat
    scope_action = Action.ORGANISATION_MANAGE_TERMS
    form_class = SeatEndForm
    template_name = "organisation/seat_end_form.html"

    def load(self) -> None:
        self.seat: CommitteeSeat = self.get_object(selectors.seats_with_term())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "seat": self.seat}

    def perform(self, form: Any) -> str:
        seat = services.seat_end(
            actor=self.request.user,
            seat=self.seat,
            end_date=form.cleaned_data["end_date"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            _("The seat of %(name)s ended on %(day)s.")
            % {
                "name": seat.full_name,
                "day": seat.end_date.strftime("%d/%m/%Y") if seat.end_date else "",
            },
        )
        return _term_url(seat.term_id)
