"""The member registry pages: list, member page, admission and record corrections, lifecycle
forms, transfers seen from both sides, duplicate review, personal data (reveal with a purpose,
data-subject export) and the access log.

Views only translate: every write goes through `members.services`, every read through
`members.selectors`, and what a user may see of personal data is decided in `members.personal`.
Members are fetched with `get_visible_or_404` (404 for "missing" and "not yours" alike); a user
who may see a member but lacks the right for an action gets 403.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import RequestConfig

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, path_in_scope, scope_q
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.members import personal, selectors, services
from congdoan.members.filters import MemberFilterSet
from congdoan.members.forms import (
    RECORD_FIELDS,
    DayForm,
    DisciplineForm,
    DuplicateResolveForm,
    ExitForm,
    MemberForm,
    PurposeForm,
    ReadmitForm,
    RejectForm,
    SubjectExportForm,
    TransferForm,
)
from congdoan.members.models import (
    AccessKind,
    DuplicateFlag,
    Member,
    PersonalDataAccess,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.tables import AccessLogTable, MemberTable

PER_PAGE = 50
EXPORTS = (("export_xlsx", "Excel"), ("export_csv", "CSV"), ("export_pdf", "PDF"))


def _member_qs() -> QuerySet[Member]:
    return Member.objects.select_related("unit__unit_type__level", "ethnicity", "religion")


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _query_without(query: QueryDict, *names: str) -> str:
    q = query.copy()
    for name in names:
        q.pop(name, None)
    return q.urlencode()


def _no_store(response: HttpResponse) -> HttpResponse:
    """Pages with full personal data are never cached by the browser or a proxy."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


# ---------------------------------------------------------------------------------------------
# The member list


def _page_number(request: Any) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


class MemberListView(ScopedMixin, TemplateView):
    """Search and filters (MemberFilterSet), Vietnamese official order, lazy pagination."""

    model = Member
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/member_list.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:  # type: ignore[attr-defined]
            return ["members/registry/partials/member_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        request = self.request
        filterset = MemberFilterSet(
            request.GET, queryset=selectors.member_list(request.user), request=request
        )
        valid = filterset.is_valid()
        qs = filterset.qs if valid else Member.objects.none()
        if valid and not request.GET.get("sort"):
            qs = filterset.page_queryset(_page_number(request), PER_PAGE)
        table = MemberTable(qs)
        RequestConfig(
            request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        query = _query_without(request.GET, "page", "sort")
        exports = []
        for name, label in EXPORTS:
            url = _url(f"members:{name}")
            if url:
                exports.append((label, f"{url}?{query}" if query else url))
        ctx.update(
            filter=filterset,
            table=table,
            exports=exports,
            can_admit=self.has_scope(Action.MEMBERS_CHANGE),
            can_audit=self.has_scope(Action.AUDIT_VIEW),
            filters_open=bool(set(request.GET) - {"q", "page", "sort"}),
        )
        return ctx


# ---------------------------------------------------------------------------------------------
# The member page and personal data


class MemberDetailView(ScopedMixin, View):
    model = Member
    scope_action = Action.MEMBERS_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_visible_or_404(_member_qs(), request.user, Action.MEMBERS_VIEW, pk=pk)
        return render_member_page(request, member, revealed=False)


def render_member_page(
    request: HttpRequest,
    member: Member,
    *,
    revealed: bool,
    purpose_form: PurposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.member_page(request.user, member, revealed=revealed)
    if purpose_form is None and page.can["personal"] and not revealed:
        purpose_form = PurposeForm()
    response = render(
        request,
        "members/registry/member_detail.html",
        {
            "member": member,
            "page": page,
            "p": page.profile,
            "purpose_form": purpose_form,
            "pdf_available": _pdf_available(),
        },
        status=status,
    )
    return _no_store(response) if revealed else response


class MemberRevealView(LoginRequiredMixin, View):
    """POST a purpose: the member page with full personal data, for this response only; the read
    is logged (PersonalDataAccess, kind "view")."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        member = get_visible_or_404(_member_qs(), request.user, Action.MEMBERS_VIEW, pk=pk)
        if not personal.can_view_personal(request.user, member):
            raise PermissionDenied
        form = PurposeForm(request.POST)
        if not form.is_valid():
            return render_member_page(
                request, member, revealed=False, purpose_form=form, status=400
            )
        personal.reveal(
            user=request.user, member=member, purpose=form.purpose_text, where=request.path
        )
        return render_member_page(request, member, revealed=True)


def _pdf_available() -> bool:
    from importlib.util import find_spec

    return find_spec("congdoan.core.pdf") is not None


class SubjectExportView(LoginRequiredMixin, View):
    """Everything held about one member (JSON or PDF), for the personal-data role; logged as a
    data-subject export."""

    template_name = "members/registry/subject_export.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.member = get_visible_or_404(
                _member_qs(), request.user, Action.MEMBERS_VIEW, pk=kwargs["pk"]
            )
            if not personal.can_view_personal(request.user, self.member):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SubjectExportForm(pdf=_pdf_available())
        return render(request, self.template_name, {"member": self.member, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = SubjectExportForm(request.POST, pdf=_pdf_available())
        if not form.is_valid():
            return render(
                request, self.template_name, {"member": self.member, "form": form}, status=400
            )
        data = personal.subject_export_data(
            user=request.user,
            member=self.member,
            purpose=form.purpose_text,
            where=f"{request.path} ({form.cleaned_data['format']})",
        )
        stem = f"doan-vien-{self.member.pk}-{timezone.localdate():%Y%m%d}"
        if form.cleaned_data["format"] == "pdf":
            from congdoan.core import pdf

            content = pdf.render_pdf(
                "members/registry/subject_export_pdf.html",
                {"member": self.member, "data": data, "today": timezone.localdate()},
                request=request,
            )
            response = pdf.pdf_response(content, f"{stem}.pdf")
        else:
            body = json.dumps(data.as_dict(), ensure_ascii=False, indent=2)
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        return _no_store(response)


# ---------------------------------------------------------------------------------------------
# Forms that call one service


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
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            return self.form_invalid(form)
        return HttpResponseRedirect(url)


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
    """Admission (kết nạp). A citizen ID already registered offers, instead of a second record,
    a transfer request to the chosen unit (current member) or a re-admission (former member)."""

    template_name = "members/registry/member_form.html"

    def get_form(self, form_class: Any = None) -> MemberForm:
        return MemberForm(
            **self.get_form_kwargs(), user=self.request.user, admit=True, personal=False
        )

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"sex": "F"}
        unit_id = self.request.GET.get("unit", "")
        if unit_id.isdigit():
            initial["unit"] = int(unit_id)
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "admit": True}

    def _existing(self, form: MemberForm) -> Member | None:
        return services.member_by_citizen_id(
            actor=self.request.user,
            citizen_id=form.cleaned_data.get("citizen_id"),
            where=self.request.path,
        )

    def form_valid(self, form: Any) -> HttpResponse:
        action = self.request.POST.get("action", "admit")
        data = form.cleaned_data
        given = form.sensitive_given()
        if given and not path_in_scope(
            self.request.user, Action.MEMBERS_VIEW_PERSONAL, data["unit"].path
        ):
            form.add_error(
                given[0],
                _(
                    "Only users allowed to see personal data may enter ethnicity, religion or "
                    "Party data."
                ),
            )
            return self.form_invalid(form)
        if action in ("request_transfer", "readmit"):
            existing = self._existing(form)
            if existing is None:
                form.add_error("citizen_id", _("No record with this citizen ID was found."))
                return self.form_invalid(form)
            try:
                if action == "request_transfer":
                    return self._request_transfer(existing, data)
                return self._readmit(existing, form)
            except RuleViolation as exc:
                form.add_error(None, str(exc))
                return self.form_invalid(form)
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
        if member.duplicate_flags.exists():
            messages.warning(
                self.request,
                _(
                    "Another record has the same name and date of birth: it is listed for "
                    "review under possible duplicates."
                ),
            )
        return HttpResponseRedirect(reverse("members:member_detail", args=[member.pk]))

    def _describe(self, existing: Member, data: dict[str, Any]) -> ExistingRecord:
        visible = path_in_scope(self.request.user, Action.MEMBERS_VIEW, existing.unit.path)
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
        if path_in_scope(self.request.user, Action.MEMBERS_VIEW, request.from_unit.path):
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


class MemberActionView(ServiceFormView):
    """A form about one member the user may change (404 otherwise)."""

    template_name = "members/registry/action_form.html"
    title: Any = ""
    submit: Any = gettext_lazy("Save")
    needs_personal = False  # Party data: also the personal-data permission
    needs_current: bool | None = True  # True: current members only; False: former only

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.member = get_visible_or_404(
                _member_qs(), request.user, Action.MEMBERS_CHANGE, pk=kwargs["pk"]
            )
            if self.needs_personal and not personal.can_view_personal(request.user, self.member):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

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
            return _no_store(response)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "admit": False}

    def perform(self, form: Any) -> str:
        services.member_update(
            actor=self.request.user, member=self.member, where=self.request.path, **form.details()
        )
        messages.success(self.request, _("The record was saved."))
        return self.detail_url()


class MemberTransferView(MemberActionView):
    form_class = TransferForm
    title = gettext_lazy("Transfer to another unit")
    submit = gettext_lazy("Transfer")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["help"] = _(
            "Any unit of the federation can receive the member. When your rights cover both "
            "units the transfer is done at once; otherwise the receiving unit confirms it."
        )
        ctx["pending"] = (
            TransferRequest.objects.pending().filter(member=self.member).select_related("to_unit")
        ).first()
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


# ---------------------------------------------------------------------------------------------
# Transfers


class TransferListView(ScopedMixin, TemplateView):
    """Both sides: transfers awaiting my confirmation, those my units asked for, history."""

    model = TransferRequest
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/transfer_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["lists"] = selectors.transfer_lists(self.request.user)
        ctx["reject_form"] = RejectForm()
        return ctx


def _transfer(request: HttpRequest, pk: int) -> TransferRequest:
    qs = TransferRequest.objects.select_related("member__unit", "from_unit", "to_unit")
    return get_visible_or_404(qs, request.user, Action.MEMBERS_VIEW, pk=pk)


class TransferDecisionView(LoginRequiredMixin, View):
    """POST: confirm or cancel a pending transfer; the service checks which side may."""

    http_method_names = ["post"]
    decision = "confirm"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        transfer = _transfer(request, pk)
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


class TransferRejectView(LoginRequiredMixin, FormView):
    form_class = RejectForm
    template_name = "members/registry/transfer_reject.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.transfer = _transfer(request, kwargs["pk"])
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


# ---------------------------------------------------------------------------------------------
# Duplicates


class DuplicateListView(ScopedMixin, TemplateView):
    model = DuplicateFlag
    scope_action = Action.MEMBERS_VIEW
    template_name = "members/registry/duplicate_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "open")
        if status not in ("open", "distinct", "resolved"):
            status = "open"
        rows = selectors.duplicate_flags(self.request.user, status=status)
        for row in rows:
            row.can_resolve = status == "open" and (  # type: ignore[attr-defined]
                path_in_scope(self.request.user, Action.MEMBERS_CHANGE, row.mine.unit.path)
                or path_in_scope(self.request.user, Action.MEMBERS_CHANGE, row.other.unit.path)
            )
        ctx.update(rows=rows, status=status)
        return ctx


class DuplicateResolveView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        qs = DuplicateFlag.objects.all()
        q_member = scope_q(request.user, Action.MEMBERS_VIEW, "member__unit__path")
        q_other = scope_q(request.user, Action.MEMBERS_VIEW, "other__unit__path")
        if q_member is not None and q_other is not None:
            qs = qs.filter(q_member | q_other)
        flag = qs.filter(pk=pk).first()
        if flag is None:
            raise Http404
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


# ---------------------------------------------------------------------------------------------
# Personal-data access log


class AccessLogView(ScopedMixin, TemplateView):
    """Reads of full personal data (who, when, which members, why) for auditors: rows that
    concern at least one member in the auditor's scope ("audit.view")."""

    model = PersonalDataAccess
    scope_action = Action.AUDIT_VIEW
    template_name = "members/registry/access_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        qs = selectors.access_log(self.request.user)
        kind = self.request.GET.get("kind", "")
        if kind in AccessKind.values:
            qs = qs.filter(kind=kind)
        member_id = self.request.GET.get("member", "")
        member = None
        if member_id.isdigit():
            member = get_visible_or_404(
                Member, self.request.user, Action.MEMBERS_VIEW, pk=int(member_id)
            )
            qs = qs.filter(members=member)
        table = AccessLogTable(qs)
        RequestConfig(
            self.request, paginate={"paginator_class": LazyPaginator, "per_page": PER_PAGE}
        ).configure(table)
        selectors.access_members(self.request.user, [row.record for row in table.page.object_list])
        ctx.update(table=table, kind=kind, member=member, allowed=self.has_scope(Action.AUDIT_VIEW))
        return ctx


urlpatterns = [
    path("", MemberListView.as_view(), name="member_list"),
    path("admit/", MemberAdmitView.as_view(), name="member_admit"),
    path("<int:pk>/", MemberDetailView.as_view(), name="member_detail"),
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
    path("<int:pk>/reveal/", MemberRevealView.as_view(), name="member_reveal"),
    path("<int:pk>/subject-export/", SubjectExportView.as_view(), name="member_subject_export"),
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
    path("duplicates/", DuplicateListView.as_view(), name="duplicate_list"),
    path("duplicates/<int:pk>/resolve/", DuplicateResolveView.as_view(), name="duplicate_resolve"),
    path("access-log/", AccessLogView.as_view(), name="access_log"),
]
