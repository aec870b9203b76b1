"""Pages of programmes: the list, a programme's page (each phase and the whole programme
against the targets for one unit, its rank in each phase, the units below it), and the forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from congdoan.core.views import ScopedMixin
from congdoan.initiatives import selectors, services
from congdoan.initiatives.forms import ProgrammeForm
from congdoan.initiatives.models import Programme
from congdoan.initiatives.views.common import MANAGE, VIEW, DeleteView, ManagedMixin, query_id
from congdoan.organisation.views.common import ServiceFormView


class ProgrammeListView(ScopedMixin, ListView):
    model = Programme
    scope_action = VIEW
    template_name = "initiatives/programme_list.html"
    context_object_name = "programmes"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.programmes_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_create": self.has_scope(MANAGE)}


class ProgrammeDetailView(ScopedMixin, DetailView):
    model = Programme
    scope_action = VIEW
    template_name = "initiatives/programme_detail.html"
    context_object_name = "programme"

    def get_object(self, queryset: Any = None) -> Programme:
        return super().get_object(selectors.programmes_with_relations())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        programme: Programme = self.object
        user = self.request.user
        subject = selectors.subject_for(programme, user, query_id(self.request, "unit"))
        can_audit = self.can(VIEW, programme.unit)
        ctx.update(
            board=selectors.programme_board(programme, subject, user),
            subject=subject,
            counts=selectors.programme_counts(programme, user),
            can_manage=self.can(MANAGE, programme.unit),
            can_record=self.has_scope(MANAGE),
            audit=selectors.programme_audit(programme) if can_audit else [],
        )
        return ctx


class ProgrammeCreateView(ServiceFormView):
    model = Programme
    scope_action = MANAGE
    form_class = ProgrammeForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        back = reverse("initiatives:programme_list")
        return {**ctx, "heading": _("New initiative programme"), "back": back}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        programme = services.programme_create(
            actor=self.request.user,
            unit=data["unit"],
            period=data["period"],
            name=data["name"] or "",
            start=data["start"],
            end=data["end"],
            phases=form.phases(),
            indicators=[i.code for i in data["indicators"]],
            description=data["description"] or "",
        )
        messages.success(self.request, _("Programme %(name)s recorded.") % {"name": programme.name})
        return programme.get_absolute_url()


class ProgrammeEditView(ManagedMixin, ServiceFormView):
    form_class = ProgrammeForm
    template_name = "initiatives/form.html"

    def load(self) -> None:
        self.row: Programme = self.managed(selectors.programmes_with_relations(), self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {"indicators": list(self.row.indicators.all()), "description": self.row.description}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Edit %(name)s") % {"name": self.row.name}
        return {**ctx, "heading": heading, "back": self.row.get_absolute_url(), "row": self.row}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.programme_update(
            actor=self.request.user,
            programme=self.row,
            indicators=[i.code for i in data["indicators"]],
            description=data["description"] or "",
        )
        messages.success(self.request, _("Changes saved."))
        return self.row.get_absolute_url()


class ProgrammeDeleteView(DeleteView):
    def load(self, pk: int) -> Programme:
        return self.managed(selectors.programmes_with_relations(), pk)

    def delete(self, row: Programme) -> str:
        services.programme_delete(actor=self.request.user, programme=row)
        messages.success(self.request, _("The programme was deleted."))
        return reverse("initiatives:programme_list")
