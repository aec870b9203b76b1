"""Pages of the awards: decisions and their recipients, with the decision as DOCX and the
certificates as PDF; nominations, the council's queue and the decision made from it; the
catalogue and the tallies.

A decision is seen through `organisation.view` on its recording unit (404 otherwise) and
changed with `activities.manage` there (403 otherwise). A nomination is seen from the proposing
unit and from the issuer; the proposing unit changes and submits it, the issuer's council
reviews it (`activities.manage` on each).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from congdoan.awards import documents, selectors, services
from congdoan.awards.forms import (
    AwardAddForm,
    DecideForm,
    DecisionForm,
    FromProposalForm,
    NominationForm,
    ReviewForm,
)
from congdoan.awards.models import (
    Award,
    Decision,
    Nomination,
    NominationStatus,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.pdf import pdf_response
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation.models import Unit
from congdoan.organisation.views.common import ServiceFormView

VIEW, MANAGE = Action.ORGANISATION_VIEW, Action.ACTIVITIES_MANAGE
FORM = "awards/form.html"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE = 50


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdecimal() and 1900 <= int(raw) <= 2100 else None


def _decision_url(pk: int, anchor: str = "") -> str:
    url = reverse("awards:decision_detail", args=[pk])
    return f"{url}#{anchor}" if anchor else url


def _nomination_url(pk: int) -> str:
    return reverse("awards:nomination_detail", args=[pk])


# ---------------------------------------------------------------------------------------------
# Decisions


class DecisionListView(ScopedMixin, ListView):
    model = Decision
    scope_action = VIEW
    template_name = "awards/decision_list.html"
    paginate_by = PAGE

    def get_queryset(self) -> Any:
        qs = selectors.decisions_visible(self.request.user)
        if (year := _year(self.request)) is not None:
            qs = qs.filter(signed_on__year=year)
        if q := self.request.GET.get("q", "").strip()[:100]:
            qs = qs.filter(number__icontains=q)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        year = _year(self.request)
        ctx.update(
            year=year,
            q=self.request.GET.get("q", ""),
            can_create=self.has_scope(MANAGE),
            tallies=selectors.tallies(self.request.user, year=year) if year else [],
        )
        return ctx


class DecisionDetailView(ScopedMixin, DetailView):
    model = Decision
    scope_action = VIEW
    template_name = "awards/decision_detail.html"
    context_object_name = "decision"

    def get_object(self, queryset: Any = None) -> Decision:
        return super().get_object(selectors.decisions_visible(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        decision: Decision = self.object
        can_manage = self.can(MANAGE, decision.recorded_by_unit)
        ctx.update(
            awards=selectors.decision_awards(decision),
            tallies=selectors.decision_tallies(decision),
            can_manage=can_manage,
            add_form=AwardAddForm(user=self.request.user, decision=decision)
            if can_manage
            else None,
        )
        return ctx


class ManagedDecisionMixin(ScopedMixin):
    """Pages that change one decision: seen (404 otherwise), managed (403 otherwise)."""

    scope_action = VIEW

    def decision(self) -> Decision:
        decision: Decision = self.get_visible(
            selectors.decisions_visible(self.request.user), pk=self.kwargs["pk"]
        )
        self.require(MANAGE, decision.recorded_by_unit)
        return decision


class DecisionCreateView(ServiceFormView):
    model = Decision
    scope_action = MANAGE
    form_class = DecisionForm
    template_name = FORM

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("New award decision"), "back": reverse("awards:decision_list")}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        decision = services.decision_create(
            actor=self.request.user,
            issuer_unit=data["issuer_unit"],
            issuer_name=data["issuer_name"] or "",
            recorded_by_unit=data["recorded_by_unit"],
            number=data["number"],
            signed_on=data["signed_on"],
            signer=data["signer"] or "",
            note=data["note"] or "",
        )
        messages.success(self.request, _("Decision %(number)s recorded.") % {"number": decision})
        return _decision_url(decision.pk)


class DecisionEditView(ManagedDecisionMixin, ServiceFormView):
    form_class = DecisionForm
    template_name = FORM

    def load(self) -> None:
        self.record = self.decision()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {
            name: getattr(self.record, name)
            for name in ("issuer_name", "number", "signed_on", "signer", "note")
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("Edit the decision"), "record": self.record,
                "back": _decision_url(self.record.pk)}  # fmt: skip

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        changes = {n: data[n] or "" for n in ("number", "signer", "note")}
        changes["signed_on"] = data["signed_on"]
        if self.record.is_outside:
            changes["issuer_name"] = data["issuer_name"] or ""
        services.decision_update(actor=self.request.user, decision=self.record, **changes)
        messages.success(self.request, _("Changes saved."))
        return _decision_url(self.record.pk)


class DecisionDeleteView(ManagedDecisionMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.decision()
        question = _("Delete decision %(number)s and its %(count)s awards?") % {
            "number": decision,
            "count": decision.awards.count(),
        }
        return render(
            request,
            "awards/confirm_delete.html",
            {"record": decision, "question": question, "back": _decision_url(decision.pk)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision = self.decision()
        services.decision_delete(actor=request.user, decision=decision)
        messages.success(request, _("Decision %(number)s deleted.") % {"number": decision})
        return HttpResponseRedirect(reverse("awards:decision_list"))


class AwardAddView(ManagedDecisionMixin, ServiceFormView):
    form_class = AwardAddForm
    template_name = FORM

    def load(self) -> None:
        self.record = self.decision()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "decision": self.record}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("Add a recipient"), "record": self.record,
                "back": _decision_url(self.record.pk)}  # fmt: skip

    def perform(self, form: Any) -> str:
        award = services.award_add(
            actor=self.request.user,
            decision=self.record,
            form=form.cleaned_data["form"],
            **form.recipient(),
            **form.texts(),
        )
        messages.success(self.request, _("%(award)s added.") % {"award": award})
        return _decision_url(self.record.pk, "recipients")


class AwardDeleteView(ScopedMixin, View):
    scope_action = VIEW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        award: Award = self.get_visible(selectors.award_with_decision(), pk=pk)
        self.require(MANAGE, award.decision.recorded_by_unit)
        services.award_delete(actor=request.user, award=award)
        messages.success(request, _("%(award)s removed.") % {"award": award})
        return HttpResponseRedirect(_decision_url(award.decision_id, "recipients"))


def _filename(decision: Decision, suffix: str) -> str:
    return f"{slugify(decision.number) or 'quyet-dinh'}-{decision.signed_on:%Y%m%d}{suffix}"


class DecisionDocxView(ScopedMixin, View):
    """The decision in the official layout, with its recipient list."""

    scope_action = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision: Decision = self.get_visible(selectors.decisions_visible(request.user), pk=pk)
        response = HttpResponse(documents.decision_docx(decision), content_type=DOCX)
        name = _filename(decision, ".docx")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class DecisionCertificatesView(ScopedMixin, View):
    """Every recipient's certificate, one page each, as one PDF."""

    scope_action = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        decision: Decision = self.get_visible(selectors.decisions_visible(request.user), pk=pk)
        awards = selectors.decision_awards(decision)
        if not awards:
            raise Http404
        return pdf_response(
            documents.certificates_pdf(awards), _filename(decision, "-bang-khen.pdf")
        )


class AwardCertificateView(ScopedMixin, View):
    """One recipient's certificate (seen by whoever sees the award)."""

    scope_action = VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        award: Award = self.get_visible(selectors.awards_visible(request.user), pk=pk)
        return pdf_response(
            documents.certificates_pdf([award]),
            _filename(award.decision, f"-{award.pk}.pdf"),
        )


# ---------------------------------------------------------------------------------------------
# Nominations and the council


class NominationListView(ScopedMixin, ListView):
    model = Nomination
    scope_action = VIEW
    template_name = "awards/nomination_list.html"
    paginate_by = PAGE

    def get_queryset(self) -> Any:
        qs = selectors.nominations_visible(self.request.user)
        if (year := _year(self.request)) is not None:
            qs = qs.filter(year=year)
        status = self.request.GET.get("status", "")
        if status in NominationStatus.values:
            qs = qs.filter(status=status)
        return qs.order_by("-year", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            year=_year(self.request),
            status=self.request.GET.get("status", ""),
            statuses=NominationStatus.choices,
            can_create=self.has_scope(MANAGE),
            councils=selectors.managed_issuers(self.request.user),
            proposals=selectors.proposals_to_nominate(self.request.user),
        )
        return ctx


class NominationDetailView(ScopedMixin, DetailView):
    model = Nomination
    scope_action = VIEW
    template_name = "awards/nomination_detail.html"
    context_object_name = "nomination"

    def get_object(self, queryset: Any = None) -> Nomination:
        return super().get_object(selectors.nominations_visible(self.request.user))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        n: Nomination = self.object
        proposer = self.can(MANAGE, n.proposing_unit)
        council = self.can(MANAGE, n.issuer_unit)
        ctx.update(
            can_edit=proposer and n.status == NominationStatus.DRAFT,
            can_submit=proposer and n.status == NominationStatus.DRAFT,
            can_withdraw=proposer and n.status == NominationStatus.SUBMITTED,
            can_delete=proposer and n.status in (NominationStatus.DRAFT, NominationStatus.REJECTED),
            can_review=council
            and n.status
            in (NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.REJECTED),
            review_form=ReviewForm(),
            council=council,
        )
        return ctx


class NominationMixin(ScopedMixin):
    scope_action = VIEW

    def nomination(self, *, council: bool = False) -> Nomination:
        nomination: Nomination = self.get_visible(
            selectors.nominations_visible(self.request.user), pk=self.kwargs["pk"]
        )
        self.require(MANAGE, nomination.issuer_unit if council else nomination.proposing_unit)
        return nomination


class NominationCreateView(ServiceFormView):
    model = Nomination
    scope_action = MANAGE
    form_class = NominationForm
    template_name = FORM

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("New nomination"), "multipart": True, "nominations": True,
                "back": reverse("awards:nomination_list")}  # fmt: skip

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        issuer = selectors.unit_by_id(data["issuer_unit"])
        if issuer is None:
            raise RuleViolation(_("The issuing unit was not found."), field="issuer_unit")
        nomination = services.nomination_create(
            actor=self.request.user,
            proposing_unit=data["proposing_unit"],
            issuer_unit=issuer,
            form=data["form"],
            dossier=data.get("dossier"),
            **form.recipient(),
            **form.texts(),
        )
        messages.success(self.request, _("Nomination saved as a draft."))
        return _nomination_url(nomination.pk)


class NominationEditView(NominationMixin, ServiceFormView):
    form_class = NominationForm
    template_name = FORM

    def load(self) -> None:
        self.record = self.nomination()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        r = self.record
        return {
            "issuer_unit": r.issuer_unit_id,
            "form": r.form_id,
            "year": r.year,
            "theme": r.theme,
            "achievement": r.achievement,
            "category": (r.details or {}).get("category", ""),
            "benefit": (r.details or {}).get("benefit"),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("Edit the nomination"), "record": self.record,
                "multipart": True, "nominations": True, "back": _nomination_url(self.record.pk)}  # fmt: skip

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        issuer = selectors.unit_by_id(data["issuer_unit"])
        if issuer is None:
            raise RuleViolation(_("The issuing unit was not found."), field="issuer_unit")
        services.nomination_update(
            actor=self.request.user,
            nomination=self.record,
            issuer_unit=issuer,
            form=data["form"],
            dossier=data.get("dossier"),
            **form.texts(),
        )
        messages.success(self.request, _("Changes saved."))
        return _nomination_url(self.record.pk)


class NominationActionView(NominationMixin, View):
    """A POST button of the nomination page: submit, withdraw or delete."""

    action = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.nomination()
        try:
            if self.action == "submit":
                services.nomination_submit(actor=request.user, nomination=nomination)
                messages.success(request, _("Nomination submitted to the council."))
            elif self.action == "withdraw":
                services.nomination_withdraw(actor=request.user, nomination=nomination)
                messages.success(request, _("Nomination withdrawn; it is a draft again."))
            else:
                services.nomination_delete(actor=request.user, nomination=nomination)
                messages.success(request, _("Nomination deleted."))
                return HttpResponseRedirect(reverse("awards:nomination_list"))
        except RuleViolation as refusal:
            messages.error(request, str(refusal))
        return HttpResponseRedirect(_nomination_url(nomination.pk))


class NominationDossierView(NominationMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        nomination: Nomination = self.get_visible(
            selectors.nominations_visible(request.user), pk=pk
        )
        if not nomination.dossier:
            raise Http404
        name = str(nomination.dossier.name or "").rsplit("/", 1)[-1]
        return FileResponse(nomination.dossier.open("rb"), as_attachment=True, filename=name)


class NominationReviewView(NominationMixin, ServiceFormView):
    form_class = ReviewForm
    template_name = FORM

    def load(self) -> None:
        self.record = self.nomination(council=True)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        return {**ctx, "heading": _("Council's review"), "record": self.record, "nominations": True,
                "back": _nomination_url(self.record.pk)}  # fmt: skip

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.nomination_review(
            actor=self.request.user,
            nomination=self.record,
            approve=data["approve"],
            council_on=data["council_on"],
            note=data["note"] or "",
        )
        messages.success(self.request, _("The council's conclusion is recorded."))
        return reverse("awards:council", args=[self.record.issuer_unit_id])


class CouncilView(ServiceFormView):
    """The issuer's Emulation and Rewards Council: the nominations before it, and the decision
    made from those it approved."""

    model = Unit
    scope_action = VIEW
    form_class = DecideForm
    template_name = "awards/council.html"

    def load(self) -> None:
        self.issuer: Unit = self.get_visible(Unit, pk=self.kwargs["pk"])
        self.require(MANAGE, self.issuer)
        self.year = _year(self.request)
        self.queue = selectors.council_queue(self.request.user, self.issuer, self.year)

    def get_form_kwargs(self) -> dict[str, Any]:
        approved = [n for n in self.queue if n.status == NominationStatus.APPROVED]
        return {**super().get_form_kwargs(), "approved": approved}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        groups: dict[str, list[Nomination]] = {}
        for n in self.queue:
            groups.setdefault(n.status, []).append(n)
        ctx.update(
            issuer=self.issuer,
            year=self.year,
            submitted=groups.get(NominationStatus.SUBMITTED, []),
            approved=groups.get(NominationStatus.APPROVED, []),
            rejected=groups.get(NominationStatus.REJECTED, []),
        )
        return ctx

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        decision = services.decision_from_nominations(
            actor=self.request.user,
            issuer_unit=self.issuer,
            nominations=form.chosen(),
            number=data["number"],
            signed_on=data["signed_on"],
            signer=data["signer"] or "",
        )
        messages.success(
            self.request,
            _("Decision %(number)s made: %(count)s awards.")
            % {"number": decision, "count": len(form.chosen())},
        )
        return _decision_url(decision.pk)


class FromProposalView(ServiceFormView):
    """The cluster organiser's nominations of the leading units its cluster proposed."""

    model = Unit
    scope_action = VIEW
    form_class = FromProposalForm
    template_name = FORM

    def load(self) -> None:
        self.proposal = selectors.proposal_for(self.request.user, self.kwargs["pk"])
        if self.proposal is None:
            raise Http404
        self.require(MANAGE, self.proposal.cluster.organiser)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "proposal": self.proposal}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        heading = _("Nominate the leading units of %(cluster)s (%(year)s)") % {
            "cluster": self.proposal.cluster.name,
            "year": self.proposal.year,
        }
        return {**ctx, "heading": heading, "nominations": True,
                "back": reverse("awards:nomination_list")}  # fmt: skip

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        issuer = selectors.unit_by_id(data["issuer_unit"])
        if issuer is None:
            raise RuleViolation(_("The issuing unit was not found."), field="issuer_unit")
        made = services.nominations_from_proposal(
            actor=self.request.user,
            proposal=self.proposal,
            issuer_unit=issuer,
            form=data["form"],
            units=form.chosen(),
        )
        messages.success(
            self.request,
            _("%(count)s nominations saved as drafts.") % {"count": len(made)},
        )
        return reverse("awards:nomination_list") + "?status=draft"


# ---------------------------------------------------------------------------------------------
# Catalogue and tallies


class CatalogueView(ScopedMixin, TemplateView):
    """The regulations and their award forms, with their rules."""

    scope_action = VIEW
    template_name = "awards/catalogue.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        self.require_scope()
        today = timezone.localdate()
        ctx["regulations"] = [
            (r, list(r.forms.all()), r.in_force_on(today)) for r in selectors.regulations()
        ]
        return ctx


class TallyView(ScopedMixin, TemplateView):
    """Awards of a year per form: "N tập thể, M cá nhân", flags by name."""

    scope_action = VIEW
    template_name = "awards/tallies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        self.require_scope()
        user = self.request.user
        year = _year(self.request) or timezone.localdate().year
        key = self.request.GET.get("issuer", "")[:310]
        issuer = selectors.issuer_of_key(user, key) if key else None
        ctx.update(
            year=year,
            years=range(timezone.localdate().year, timezone.localdate().year - 10, -1),
            issuers=selectors.issuers_in_year(user, year),
            issuer_key=key if issuer is not None else "",
            tallies=selectors.tallies(user, issuer=issuer, year=year),
        )
        return ctx
