"""Pages of the meetings app: the list, a meeting's page, the forms that call the services,
and the downloads of the documents (streamed after the scope check, never a MEDIA_URL link).

A meeting is seen through "organisation.view" on its unit and changed with "meetings.manage"
there: officer B gets 404 for A's meetings, a viewer of A gets 403 on the forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.meetings import selectors, services
from congdoan.meetings.filters import MeetingFilter
from congdoan.meetings.forms import AgendaItemForm, AttendeeForm, MeetingForm, PledgeForm
from congdoan.meetings.models import AgendaItem, Attendee, Meeting, MeetingKind, Pledge
from congdoan.meetings.tables import MeetingTable
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView


def _detail_url(meeting_id: int, anchor: str = "") -> str:
    url = reverse("meetings:detail", args=[meeting_id])
    return f"{url}#{anchor}" if anchor else url


class MeetingListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Meeting
    scope_action = Action.ORGANISATION_VIEW
    table_class = MeetingTable
    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return selectors.meetings_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = self.has_scope(Action.MEETINGS_MANAGE)
        return ctx


class MeetingDetailView(ScopedMixin, DetailView):
    model = Meeting
    scope_action = Action.ORGANISATION_VIEW
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset: Any = None) -> Meeting:
        return super().get_object(selectors.meetings_full())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        meeting: Meeting = self.object
        can_audit = self.can(Action.AUDIT_VIEW, meeting.unit)
        ctx.update(
            attendees=[a for a in meeting.attendees.all() if not a.is_guest],
            guests=[a for a in meeting.attendees.all() if a.is_guest],
            can_manage=self.can(Action.MEETINGS_MANAGE, meeting.unit),
            can_audit=can_audit,
            audit=selectors.meeting_audit(meeting) if can_audit else [],
        )
        return ctx


class ManagedMeetingMixin(ScopedMixin):
    """Pages that change one meeting: seen through `organisation.view` (404 otherwise),
    changed with `meetings.manage` on its unit (403 otherwise)."""

    scope_action = Action.ORGANISATION_VIEW

    def managed(self, queryset: Any, pk: Any, unit_of: Any = lambda row: row.meeting.unit) -> Any:
        row = self.get_visible(queryset, pk=pk)
        self.require(Action.MEETINGS_MANAGE, unit_of(row))
        return row


def _meeting_data(data: dict[str, Any]) -> dict[str, Any]:
    """The service's fields from the form's cleaned data."""
    fields = {k: v for k, v in data.items() if k in services.MEETING_FIELDS}
    for name in ("title", "place", "chair_name", "chair_title", "conclusions"):
        fields[name] = fields.get(name) or ""
    return fields


class MeetingCreateView(ServiceFormView):
    model = Meeting
    scope_action = Action.MEETINGS_MANAGE
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": MeetingKind.BCH}
        pk = parse_id(self.request.GET.get("unit"))
        if pk is not None:
            try:
                unit: Unit = self.get_visible(Unit, Action.MEETINGS_MANAGE, pk=pk)
            except Http404:
                return initial
            initial["unit"] = unit.code
        return initial

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        meeting = services.meeting_create(
            actor=self.request.user,
            unit=data["unit"],
            opens_term=data["opens_term"],
            **_meeting_data(data),
        )
        messages.success(
            self.request, _("Meeting %(title)s recorded.") % {"title": meeting.display_title}
        )
        return _detail_url(meeting.pk)


class MeetingEditView(ManagedMeetingMixin, ServiceFormView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def load(self) -> None:
        self.meeting: Meeting = self.managed(
            selectors.meetings_with_relations(), self.kwargs["pk"], lambda m: m.unit
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "unit": self.meeting.unit}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.meeting, name) for name in services.MEETING_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "meeting": self.meeting}

    def perform(self, form: Any) -> str:
        services.meeting_update(
            actor=self.request.user, meeting=self.meeting, **_meeting_data(form.cleaned_data)
        )
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.meeting.pk)


class MeetingDeleteView(ManagedMeetingMixin, TemplateView):
    """GET: confirm; POST: delete (refused while a pledge was signed at it)."""

    template_name = "meetings/meeting_confirm_delete.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.meeting: Meeting = self.managed(
                selectors.meetings_with_relations(), kwargs["pk"], lambda m: m.unit
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "meeting": self.meeting}

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.meeting_delete(actor=request.user, meeting=self.meeting)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_detail_url(self.meeting.pk))
        messages.success(request, _("The meeting was deleted."))
        return HttpResponseRedirect(reverse("meetings:list"))


# ---------------------------------------------------------------------------------------------
# Attendees, agenda, pledges


class AttendeeAddView(ManagedMeetingMixin, ServiceFormView):
    form_class = AttendeeForm
    template_name = "meetings/part_form.html"

    def load(self) -> None:
        self.meeting: Meeting = self.managed(
            selectors.meetings_with_relations(), self.kwargs["pk"], lambda m: m.unit
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"is_guest": self.request.GET.get("guest") == "1"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "meeting": self.meeting, "heading": _("Add an attendee")}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        attendee = services.attendee_add(
            actor=self.request.user,
            meeting=self.meeting,
            full_name=data["full_name"],
            member=form.member,
            title=data["title"],
            body=data["body"],
            is_guest=data["is_guest"],
        )
        messages.success(self.request, _("%(name)s added.") % {"name": attendee.full_name})
        return _detail_url(self.meeting.pk, "attendees")


class _PartAction(ManagedMeetingMixin, View):
    """POST-only removal of an attendee or an agenda item."""

    def remove(self, row: Any) -> str:
        raise NotImplementedError

    def rows(self) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = self.managed(self.rows(), pk)
        try:
            messages.success(request, self.remove(row))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(row.meeting_id))


class AttendeeRemoveView(_PartAction):
    model = Attendee

    def rows(self) -> Any:
        return selectors.attendees_with_meeting()

    def remove(self, row: Attendee) -> str:
        services.attendee_remove(actor=self.request.user, attendee=row)
        return _("%(name)s removed.") % {"name": row.full_name}


class AgendaRemoveView(_PartAction):
    model = AgendaItem

    def rows(self) -> Any:
        return selectors.agenda_with_meeting()

    def remove(self, row: AgendaItem) -> str:
        services.agenda_item_remove(actor=self.request.user, item=row)
        return _("%(title)s removed from the agenda.") % {"title": row.title}


class AgendaAddView(ManagedMeetingMixin, ServiceFormView):
    form_class = AgendaItemForm
    template_name = "meetings/part_form.html"

    def load(self) -> None:
        self.meeting: Meeting = self.managed(
            selectors.meetings_with_relations(), self.kwargs["pk"], lambda m: m.unit
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "meeting": self.meeting, "heading": _("Add an agenda item"), "files": True}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.agenda_item_add(
            actor=self.request.user,
            meeting=self.meeting,
            title=data["title"],
            presenter=data["presenter"],
            document=data["document"] or None,
            notes=data["notes"],
            order=data["order"],
        )
        messages.success(self.request, _("Agenda item added."))
        return _detail_url(self.meeting.pk, "agenda")


class AgendaEditView(ManagedMeetingMixin, ServiceFormView):
    form_class = AgendaItemForm
    template_name = "meetings/part_form.html"

    def load(self) -> None:
        self.item: AgendaItem = self.managed(selectors.agenda_with_meeting(), self.kwargs["pk"])
        self.meeting = self.item.meeting

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self) -> dict[str, Any]:
        i = self.item
        return {"title": i.title, "presenter": i.presenter, "notes": i.notes, "order": i.order}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Edit an agenda item")
        return {**ctx, "meeting": self.meeting, "heading": heading, "files": True}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        order = data["order"] if data["order"] is not None else self.item.order
        services.agenda_item_update(
            actor=self.request.user,
            item=self.item,
            title=data["title"],
            presenter=data["presenter"],
            notes=data["notes"],
            order=order,
            document=data["document"] or None,
            remove_document=data["remove_document"],
        )
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.meeting.pk, "agenda")


class PledgeCreateView(ManagedMeetingMixin, ServiceFormView):
    """The pledge signed at a cluster conference by the cluster's units of that year."""

    form_class = PledgeForm
    template_name = "meetings/part_form.html"

    def load(self) -> None:
        self.meeting: Meeting = self.managed(
            selectors.meetings_with_relations(), self.kwargs["pk"], lambda m: m.unit
        )
        if self.meeting.cluster is None:
            raise Http404
        self.year = self.meeting.held_on.year

    def get_form_kwargs(self) -> dict[str, Any]:
        units = selectors.cluster_units(self.meeting.cluster, self.year)  # type: ignore[arg-type]
        return {**super().get_form_kwargs(), "units": units}

    def get_initial(self) -> dict[str, Any]:
        cluster = self.meeting.cluster
        title = _("Emulation pledge of %(cluster)s for %(year)s") % {
            "cluster": cluster.name if cluster else "",
            "year": self.year,
        }
        return {"title": title, "signed_on": self.meeting.held_on}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Record an emulation pledge")
        return {**ctx, "meeting": self.meeting, "heading": heading, "files": True}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        assert self.meeting.cluster is not None
        services.pledge_create(
            actor=self.request.user,
            cluster=self.meeting.cluster,
            year=self.year,
            signed_on=data["signed_on"],
            title=data["title"],
            signatories=list(data["signatories"]),
            meeting=self.meeting,
            document=data["document"] or None,
        )
        messages.success(self.request, _("Emulation pledge recorded."))
        return _detail_url(self.meeting.pk, "pledges")


# ---------------------------------------------------------------------------------------------
# Downloads


def stream_document(row: AgendaItem | Pledge) -> FileResponse:
    """The stored document of `row` as an attachment under the name it was sent with."""
    if not row.document:
        raise Http404
    try:
        handle = row.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=row.document_name or "document")


class AgendaDocumentView(ScopedMixin, View):
    model = AgendaItem
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return stream_document(self.get_visible(selectors.agenda_with_meeting(), pk=pk))


class PledgeDocumentView(ScopedMixin, View):
    model = Pledge
    scope_action = Action.ORGANISATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return stream_document(self.get_visible(selectors.pledges_with_cluster(), pk=pk))
