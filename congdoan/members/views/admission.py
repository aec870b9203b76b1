"""Admission (kết nạp) of a member. A citizen ID already on record offers, instead of a second
record, a transfer request to the chosen unit (current member) or a re-admission (former
member); the record is named only as far as the user may see it.

Views only translate: writes go through `members.services`, which also log and limit the
look-ups by identity number (`members.lookups`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.members import selectors, services
from congdoan.members.forms import MemberForm
from congdoan.members.models import Member, TransferStatus
from congdoan.members.views.common import ServiceFormView


@dataclass
class ExistingRecord:
    """The record that already holds a citizen ID, as far as the user may know it: whether the
    person is still a member; its unit, the day they left and a link only if the user may see
    members there (otherwise nothing that says where the person is)."""

    unit: Any
    is_current: bool
    exited_on: Any
    visible: bool
    pk: int | None
    same_unit: bool


class MemberAdmitView(ServiceFormView):
    """Admission, or (buttons "request_transfer" and "readmit") the record already on file."""

    template_name = "members/registry/member_form.html"

    def get_form(self, form_class: Any = None) -> MemberForm:
        return MemberForm(
            **self.get_form_kwargs(), user=self.request.user, admit=True, personal=False
        )

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"sex": "F"}
        unit_id = parse_id(self.request.GET.get("unit"))
        if unit_id is not None:
            initial["unit"] = unit_id
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "admit": True}

    def form_valid(self, form: Any) -> HttpResponse:
        if not self._sensitive_allowed(form):
            return self.form_invalid(form)
        action = self.request.POST.get("action", "admit")
        if action in ("request_transfer", "readmit"):
            return self._on_record(form, action)
        return self._admit(form)

    def _sensitive_allowed(self, form: MemberForm) -> bool:
        """Ethnicity, religion and Party data only from users who may see them in the unit."""
        given = form.sensitive_given()
        if given and not self.can(Action.MEMBERS_VIEW_PERSONAL, form.cleaned_data["unit"]):
            form.add_error(
                given[0],
                _(
                    "Only users allowed to see personal data may enter ethnicity, religion or "
                    "Party data."
                ),
            )
            return False
        return True

    def _admit(self, form: MemberForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            member = services.member_admit(
                actor=self.request.user,
                unit=data["unit"],
                admitted_on=data["admitted_on"],
                allocate_card=data.get("allocate_card", False),
                where=self.request.path,
                **form.details(),
            )
        except services.DuplicateCitizenId as exc:
            form.add_error("citizen_id", str(exc))
            return self.render_to_response(
                self.get_context_data(form=form, existing=self._describe(exc.existing, data))
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s admitted to %(unit)s.") % {"name": member.full_name, "unit": member.unit},
        )
        if selectors.has_duplicate_flags(member):
            messages.warning(
                self.request,
                _(
                    "Another record has the same name and date of birth: it is listed for "
                    "review under possible duplicates."
                ),
            )
        return HttpResponseRedirect(reverse("members:member_detail", args=[member.pk]))

    def _on_record(self, form: MemberForm, action: str) -> HttpResponse:
        """The record with the form's citizen ID: a transfer request, or its re-admission."""
        existing = services.member_by_citizen_id(
            actor=self.request.user,
            citizen_id=form.cleaned_data.get("citizen_id"),
            where=self.request.path,
        )
        if existing is None:
            form.add_error("citizen_id", _("No record with this citizen ID was found."))
            return self.form_invalid(form)
        try:
            if action == "request_transfer":
                return self._request_transfer(existing, form.cleaned_data)
            return self._readmit(existing, form)
        except RuleViolation as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)

    def _describe(self, existing: Member, data: dict[str, Any]) -> ExistingRecord:
        visible = self.can(Action.MEMBERS_VIEW, existing.unit)
        return ExistingRecord(
            unit=existing.unit if visible else None,
            is_current=existing.is_current,
            exited_on=existing.exited_on if visible else None,
            visible=visible,
            pk=existing.pk if visible else None,
            same_unit=data.get("unit") is not None and data["unit"].pk == existing.unit_id,
        )

    def _request_transfer(self, existing: Member, data: dict[str, Any]) -> HttpResponse:
        request = services.transfer_request(
            actor=self.request.user,
            member=existing,
            to_unit=data["unit"],
            day=data["admitted_on"],
            note=_("Requested from the admission form"),
        )
        if request.status == TransferStatus.CONFIRMED:
            messages.success(
                self.request,
                _("The member was transferred to %(unit)s.") % {"unit": request.to_unit},
            )
            return HttpResponseRedirect(reverse("members:member_detail", args=[existing.pk]))
        if self.can(Action.MEMBERS_VIEW, request.from_unit):
            text = _("Transfer requested: %(unit)s has to confirm it.") % {
                "unit": request.from_unit
            }
        else:
            text = _("Transfer requested: the unit that holds the record has to confirm it.")
        messages.success(self.request, text)
        return HttpResponseRedirect(reverse("members:transfer_list"))

    def _readmit(self, existing: Member, form: MemberForm) -> HttpResponse:
        data = form.cleaned_data
        member = services.member_readmit(
            actor=self.request.user, member=existing, unit=data["unit"], day=data["admitted_on"]
        )
        # The record is now in the user's unit: complete it with what was entered (empty
        # inputs keep the values on record).
        details = {
            k: v
            for k, v in form.details().items()
            if k != "citizen_id" and v not in (None, "", False)
        }
        if details:
            services.member_update(actor=self.request.user, member=member, **details)
        messages.success(
            self.request,
            _("%(name)s re-admitted to %(unit)s.")
            % {"name": member.full_name, "unit": member.unit},
        )
        return HttpResponseRedirect(reverse("members:member_detail", args=[member.pk]))


urlpatterns = [path("admit/", MemberAdmitView.as_view(), name="member_admit")]
