"""Pages of contests: the list (the register's records: `?unit=<id>&period=<id>`), a contest's
page (entries and participants of the units the reader may see, the others counted), and the
forms for the contest, its entries and a quiz's participants. The organiser's officers record
them ("activities.manage" on the organising unit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.core.exceptions import RuleViolation
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.initiatives import selectors, services
from congdoan.initiatives.filters import ContestFilter
from congdoan.initiatives.forms import ContestForm, EntryForm, ParticipantForm
from congdoan.initiatives.models import Contest, ContestKind, Entry, Participant
from congdoan.initiatives.tables import ContestTable
from congdoan.initiatives.views.common import MANAGE, VIEW, DeleteView, ManagedMixin
from congdoan.organisation.views.common import ServiceFormView


def _anchor(contest_id: int, anchor: str) -> str:
    return f"{reverse('initiatives:contest_detail', args=[contest_id])}#{anchor}"


class ContestListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Contest
    scope_action = VIEW
    table_class = ContestTable
    filterset_class = ContestFilter
    template_name = "initiatives/contest_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": 50}

    def get_queryset(self) -> Any:
        return selectors.contests_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(can_create=self.has_scope(MANAGE), periods=list(selectors.periods_to_filter()))
        return ctx


class ContestDetailView(ScopedMixin, DetailView):
    model = Contest
    scope_action = VIEW
    template_name = "initiatives/contest_detail.html"
    context_object_name = "contest"

    def get_object(self, queryset: Any = None) -> Contest:
        return super().get_object(selectors.contests_with_relations())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        contest: Contest = self.object
        can_audit = self.can(VIEW, contest.unit)
        ctx.update(
            page=selectors.contest_page(contest, self.request.user),
            can_manage=self.can(MANAGE, contest.unit),
            audit=selectors.contest_audit(contest) if can_audit else [],
        )
        return ctx


def _contest_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: data[k] for k in services.CONTEST_FIELDS if k in data}
    fields["description"] = fields.get("description") or ""
    return fields


class ContestCreateView(ServiceFormView):
    model = Contest
    scope_action = MANAGE
    form_class = ContestForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        kind = self.request.GET.get("kind")
        return {"kind": kind if kind in ContestKind.values else ContestKind.INNOVATION}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("New contest"), "back": reverse("initiatives:contest_list")}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        contest = services.contest_create(
            actor=self.request.user, unit=data["unit"], **_contest_fields(data)
        )
        messages.success(self.request, _("Contest %(title)s recorded.") % {"title": contest.title})
        return contest.get_absolute_url()


class ContestEditView(ManagedMixin, ServiceFormView):
    form_class = ContestForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.row: Contest = self.managed(selectors.contests_with_relations(), self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {n: getattr(self.row, n) for n in services.CONTEST_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Edit the contest")
        return {**ctx, "heading": heading, "back": self.row.get_absolute_url(), "row": self.row}

    def perform(self, form: Any) -> str:
        services.contest_update(
            actor=self.request.user, contest=self.row, **_contest_fields(form.cleaned_data)
        )
        messages.success(self.request, _("Changes saved."))
        return self.row.get_absolute_url()


class ContestDeleteView(DeleteView):
    def load(self, pk: int) -> Contest:
        return self.managed(selectors.contests_with_relations(), pk)

    def delete(self, row: Contest) -> str:
        services.contest_delete(actor=self.request.user, contest=row)
        messages.success(self.request, _("The contest was deleted."))
        return reverse("initiatives:contest_list")


# ---------------------------------------------------------------------------------------------
# Entries and participants


class EntryAddView(ManagedMixin, ServiceFormView):
    form_class = EntryForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.contest: Contest = self.managed(selectors.contests_with_relations(), self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        back = self.contest.get_absolute_url()
        return {**ctx, "heading": _("Add an entry"), "back": back, "row": self.contest}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.entry_add(
            actor=self.request.user, contest=self.contest, unit=data["unit"],
            title=data["title"], authors=data["authors"] or "", prize=data["prize"] or "",
        )  # fmt: skip
        messages.success(self.request, _("Entry added."))
        return _anchor(self.contest.pk, "entries")


class EntryEditView(ManagedMixin, ServiceFormView):
    form_class = EntryForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.entry: Entry = self.managed(
            selectors.entries_with_contest(), self.kwargs["pk"], lambda e: e.contest.unit
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        e = self.entry
        return {"unit": e.unit.code, "title": e.title, "authors": e.authors, "prize": e.prize}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        back = self.entry.contest.get_absolute_url()
        return {**ctx, "heading": _("Edit an entry"), "back": back, "row": self.entry.contest}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.entry_update(
            actor=self.request.user, entry=self.entry, unit=data["unit"], title=data["title"],
            authors=data["authors"] or "", prize=data["prize"] or "",
        )  # fmt: skip
        messages.success(self.request, _("Changes saved."))
        return _anchor(self.entry.contest_id, "entries")


class ParticipantAddView(ManagedMixin, ServiceFormView):
    form_class = ParticipantForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.contest: Contest = self.managed(selectors.contests_with_relations(), self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        back = self.contest.get_absolute_url()
        return {**ctx, "heading": _("Add participants"), "back": back, "row": self.contest}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.participant_add(
            actor=self.request.user, contest=self.contest, unit=data["unit"],
            count=data["count"] or 1, member=form.member, full_name=data["full_name"] or "",
        )  # fmt: skip
        messages.success(self.request, _("Participants added."))
        return _anchor(self.contest.pk, "participants")


class _RemoveView(ManagedMixin, View):
    """POST-only removal of an entry or participants."""

    http_method_names = ["post"]

    def rows(self) -> Any:
        raise NotImplementedError

    def remove(self, row: Any) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.managed(self.rows(), pk, lambda r: r.contest.unit)
        try:
            messages.success(request, self.remove(row))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(row.contest.get_absolute_url())


class EntryRemoveView(_RemoveView):
    model = Entry

    def rows(self) -> Any:
        return selectors.entries_with_contest()

    def remove(self, row: Entry) -> str:
        services.entry_remove(actor=self.request.user, entry=row)
        return _("%(title)s removed.") % {"title": row.title}


class ParticipantRemoveView(_RemoveView):
    model = Participant

    def rows(self) -> Any:
        return selectors.participants_with_contest()

    def remove(self, row: Participant) -> str:
        services.participant_remove(actor=self.request.user, participant=row)
        return _("Participants removed.")
