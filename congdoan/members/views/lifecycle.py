"""Forms about one member: correction of the record, transfer, suspension and resumption,
exit, discipline, Party referral and admission, re-admission.

Views only translate: every write goes through `members.services` (which checks the scope
again); the member comes through the door (`OneMemberMixin`: 404 when missing or not changeable
by the user, 403 for Party data without the personal-data right).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.permissions import Action
from congdoan.members import personal, selectors, services
from congdoan.members.forms import (
    RECORD_FIELDS,
    DayForm,
    DisciplineForm,
    ExitForm,
    MemberForm,
    ReadmitForm,
    TransferForm,
)
from congdoan.members.models import TransferStatus
from congdoan.members.views.common import OneMemberMixin, ServiceFormView, no_store


class MemberActionView(OneMemberMixin, ServiceFormView):
    """A form about one member the user may change (404 otherwise); with `needs_personal`
    (Party data), only for users who may read the member's personal data (403 otherwise)."""

    scope_action = Action.MEMBERS_CHANGE
    member_first = True
    template_name = "members/registry/action_form.html"
    title: Any = ""
    submit: Any = gettext_lazy("Save")
    needs_current: bool | None = True  # True: current members only; False: former only

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        state_ok = self.needs_current is None or self.member.is_current == self.needs_current
        return {
            **ctx,
            "member": self.member,
            "p": personal.profile(self.member),
            "title": self.title,
            "submit": self.submit,
            "state_ok": state_ok,
        }

    def detail_url(self) -> str:
        return reverse("members:member_detail", args=[self.member.pk])


class MemberEditView(MemberActionView):
    """Correct or complete the record (member_update). Users with the personal-data permission
    see and edit the sensitive fields too; opening the form is logged as a read."""

    template_name = "members/registry/member_form.html"
    needs_current = None

    def get_form(self, form_class: Any = None) -> MemberForm:
        self.personal = personal.can_view_personal(self.request.user, self.member)
        return MemberForm(
            **self.get_form_kwargs(),
            user=self.request.user,
            admit=False,
            personal=self.personal,
            masked_citizen_id=self.member.masked_citizen_id,
        )

    def get_initial(self) -> dict[str, Any]:
        m = self.member
        initial = {name: getattr(m, name) for name in RECORD_FIELDS}
        initial["loaded"] = selectors.member_state(m)
        if not personal.can_view_personal(self.request.user, m):
            initial["citizen_id"] = ""
        return initial

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if self.personal:
            personal.log_access(
                user=request.user,
                kind="view",
                purpose=_("Correct the member record"),
                members=[self.member],
                where=request.path,
            )
            no_store(response)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "admit": False}

    def perform(self, form: Any) -> str:
        services.member_update(
            actor=self.request.user,
            member=self.member,
            where=self.request.path,
            loaded=form.cleaned_data.get("loaded"),
            **form.details(),
        )
        messages.success(self.request, _("The record was saved."))
        return self.detail_url()


class MemberTransferView(MemberActionView):
    form_class = TransferForm
    title = gettext_lazy("Transfer to another unit")
    submit = gettext_lazy("Transfer")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["help"] = _(
            "Any unit of the federation can receive the member. When your rights cover both "
            "units the transfer is done at once; otherwise the receiving unit confirms it."
        )
        ctx["pending"] = selectors.pending_transfer(self.member)
        return ctx

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        request = services.transfer_request(
            actor=self.request.user,
            member=self.member,
            to_unit=data["to_unit"],
            day=data["day"],
            note=data["note"],
        )
        if request.status == TransferStatus.CONFIRMED:
            messages.success(
                self.request,
                _("%(name)s was transferred to %(unit)s.")
                % {"name": self.member.full_name, "unit": request.to_unit},
            )
        else:
            messages.success(
                self.request,
                _("Transfer requested: %(unit)s has to confirm it.") % {"unit": request.to_unit},
            )
        return self.detail_url()


class SimpleLifecycleView(MemberActionView):
    """Suspend, resume, Party referral and admission: a date and a note."""

    form_class = DayForm
    service: Any = None
    done: Any = ""

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        type(self).service(
            actor=self.request.user, member=self.member, day=data["day"], note=data["note"]
        )
        messages.success(self.request, str(self.done) % {"name": self.member.full_name})
        return self.detail_url()


class MemberSuspendView(SimpleLifecycleView):
    title = gettext_lazy("Suspend membership")
    submit = gettext_lazy("Suspend")
    service = services.member_suspend
    done = gettext_lazy("%(name)s: membership suspended.")


class MemberResumeView(SimpleLifecycleView):
    title = gettext_lazy("Resume membership")
    submit = gettext_lazy("Resume")
    service = services.member_resume
    done = gettext_lazy("%(name)s: membership resumed.")


class MemberPartyReferralView(SimpleLifecycleView):
    title = gettext_lazy("Referral to the Party")
    submit = gettext_lazy("Record the referral")
    service = services.member_party_referral
    needs_personal = True
    done = gettext_lazy("%(name)s: referral to the Party recorded.")


class MemberPartyAdmissionView(SimpleLifecycleView):
    title = gettext_lazy("Admission to the Party")
    submit = gettext_lazy("Record the admission")
    service = services.member_party_admission
    needs_personal = True
    done = gettext_lazy("%(name)s: admission to the Party recorded.")


class MemberExitView(MemberActionView):
    form_class = ExitForm
    title = gettext_lazy("Leaving the union")
    submit = gettext_lazy("Record the exit")

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.member_exit(
            actor=self.request.user,
            member=self.member,
            day=data["day"],
            reason=data["reason"],
            note=data["note"],
        )
        messages.success(
            self.request, _("%(name)s left the union.") % {"name": self.member.full_name}
        )
        return self.detail_url()


class MemberDisciplineView(MemberActionView):
    form_class = DisciplineForm
    title = gettext_lazy("Discipline")
    submit = gettext_lazy("Record the discipline")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["help"] = _("Expulsion ends the membership on the effective date.")
        return ctx

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.member_discipline(
            actor=self.request.user,
            member=self.member,
            day=data["day"],
            level=data["level"],
            decision_ref=data["decision_ref"],
            note=data["note"],
        )
        messages.success(
            self.request, _("%(name)s: discipline recorded.") % {"name": self.member.full_name}
        )
        return self.detail_url()


class MemberReadmitView(MemberActionView):
    form_class = ReadmitForm
    title = gettext_lazy("Re-admission")
    submit = gettext_lazy("Re-admit")
    needs_current = False

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"unit": self.member.unit}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        member = services.member_readmit(
            actor=self.request.user,
            member=self.member,
            unit=data["unit"],
            day=data["day"],
            note=data["note"],
        )
        messages.success(
            self.request,
            _("%(name)s re-admitted to %(unit)s.")
            % {"name": member.full_name, "unit": member.unit},
        )
        return self.detail_url()


urlpatterns = [
    path("<int:pk>/edit/", MemberEditView.as_view(), name="member_edit"),
    path("<int:pk>/transfer/", MemberTransferView.as_view(), name="member_transfer"),
    path("<int:pk>/suspend/", MemberSuspendView.as_view(), name="member_suspend"),
    path("<int:pk>/resume/", MemberResumeView.as_view(), name="member_resume"),
    path("<int:pk>/exit/", MemberExitView.as_view(), name="member_exit"),
    path("<int:pk>/discipline/", MemberDisciplineView.as_view(), name="member_discipline"),
    path(
        "<int:pk>/party-referral/",
        MemberPartyReferralView.as_view(),
        name="member_party_referral",
    ),
    path(
        "<int:pk>/party-admission/",
        MemberPartyAdmissionView.as_view(),
        name="member_party_admission",
    ),
    path("<int:pk>/readmit/", MemberReadmitView.as_view(), name="member_readmit"),
]
