"""Pages of the emulation app: movements (with their phases and registrations), pledges (the
meetings app's, listed and recorded here too), scoring schemes, scorecards with their three
stages, the ranking of each cluster and its proposal of leading units.

Every page goes through `ScopedMixin`: reads with "organisation.view" (404 outside the scope),
writes with "activities.manage" through the services (403 on a form the user may see but not
use; a broken rule is shown on the form).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import LazyPaginator, ScopedMixin
from congdoan.emulation import selectors, services
from congdoan.emulation.filters import MovementFilter, PledgeFilter
from congdoan.emulation.forms import (
    ClusterYearForm,
    MovementForm,
    PhaseForm,
    PledgeForm,
    ProposalForm,
    RegistrationForm,
    SchemeForm,
    ScoreForm,
    WithdrawForm,
)
from congdoan.emulation.models import (
    ClusterProposal,
    Movement,
    Registration,
    Scorecard,
    ScoringScheme,
    Stage,
)
from congdoan.emulation.tables import MovementTable, PledgeTable
from congdoan.meetings import services as meeting_services
from congdoan.meetings.models import Pledge
from congdoan.organisation.models import Cluster, Unit
from congdoan.organisation.views.common import ServiceFormView

VIEW = selectors.VIEW
MANAGE = selectors.MANAGE
PER_PAGE = 50
TEXTS = ("theme", "description")


def _today() -> dt.date:
    return timezone.localdate()


def _year_param(request: HttpRequest, default: int) -> int:
    value = parse_id(request.GET.get("year"))
    return value if value is not None and 1900 <= value <= 2200 else default


# ---------------------------------------------------------------------------------------------
# Movements


class MovementListView(ScopedMixin, SingleTableMixin, FilterView):
    """emulation:movement_list — movements of the units in scope and above them."""

    model = Movement
    scope_action = VIEW
    table_class = MovementTable
    filterset_class = MovementFilter
    template_name = "emulation/movement_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": PER_PAGE}

    def get_queryset(self) -> QuerySet[Movement]:
        return selectors.movements_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_create": self.has_scope(MANAGE)}


class MovementDetailView(ScopedMixin, DetailView):
    model = Movement
    scope_action = VIEW
    template_name = "emulation/movement_detail.html"
    context_object_name = "movement"

    def get_object(self, queryset: Any = None) -> Movement:
        return self.get_visible(selectors.movements_with_organiser(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        movement: Movement = self.object
        user = self.request.user
        registrations = selectors.registrations_of(user, movement)
        can_audit = self.can(Action.AUDIT_VIEW, movement.organiser)
        ctx.update(
            phases=list(movement.phases.all()),
            registrations=[
                (r, self.can(Action.MEMBERS_VIEW, r.unit), self.can(MANAGE, r.unit))
                for r in registrations
            ],
            active_count=sum(1 for r in registrations if r.active),
            can_manage=self.can(MANAGE, movement.organiser),
            can_register=self.has_scope(MANAGE),
            can_audit=can_audit,
            audit=selectors.movement_audit(movement) if can_audit else [],
        )
        return ctx


class MovementCreateView(ServiceFormView):
    model = Movement
    scope_action = MANAGE
    form_class = MovementForm
    template_name = "emulation/form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user, "action": MANAGE}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Launch an emulation movement"),
            "cancel_url": reverse("emulation:movement_list"),
        }

    def perform(self, form: Any) -> str:
        data = dict(form.cleaned_data)
        for name in TEXTS:
            data[name] = data.get(name) or ""
        movement = services.movement_create(actor=self.request.user, **data)
        messages.success(self.request, _("%(name)s recorded.") % {"name": movement.name})
        return movement.get_absolute_url()


class _MovementMixin(ScopedMixin):
    """Pages that change a movement: seen with "organisation.view", changed by its organiser."""

    scope_action = VIEW
    movement: Movement

    def managed_movement(self) -> Movement:
        self.movement = self.get_visible(selectors.movements_with_organiser(), pk=self.kwargs["pk"])
        self.require(MANAGE, self.movement.organiser)
        return self.movement


class MovementEditView(_MovementMixin, ServiceFormView):
    model = Movement
    form_class = MovementForm
    template_name = "emulation/form.html"

    def load(self) -> None:
        self.managed_movement()

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        return {**kwargs, "user": self.request.user, "action": MANAGE, "editing": True}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.movement, name) for name in services.MOVEMENT_FIELDS}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Edit %(title)s") % {"title": self.movement.name},
            "cancel_url": self.movement.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        data = dict(form.cleaned_data)
        for name in TEXTS:
            data[name] = data.get(name) or ""
        if data.get("end_year") is None:
            data["end_year"] = data["start_year"]
        services.movement_update(actor=self.request.user, movement=self.movement, **data)
        messages.success(self.request, _("Changes saved."))
        return self.movement.get_absolute_url()


class PhaseAddView(_MovementMixin, ServiceFormView):
    model = Movement
    form_class = PhaseForm
    template_name = "emulation/form.html"

    def load(self) -> None:
        self.managed_movement()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Add a programme phase to %(title)s") % {"title": self.movement.name},
            "cancel_url": self.movement.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        services.phase_add(actor=self.request.user, movement=self.movement, **form.cleaned_data)
        messages.success(self.request, _("Phase added."))
        return self.movement.get_absolute_url()


class RegistrationCreateView(ServiceFormView):
    """Register a unit of the user's scope for the movement."""

    model = Movement
    scope_action = VIEW
    form_class = RegistrationForm
    template_name = "emulation/form.html"
    movement: Movement

    def load(self) -> None:
        self.movement = self.get_visible(selectors.movements_with_organiser(), pk=self.kwargs["pk"])
        self.require_scope(MANAGE)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "action": MANAGE,
            "years": self.movement.years,
        }

    def get_initial(self) -> dict[str, Any]:
        year = _today().year
        years = self.movement.years
        return {
            "registered_on": _today(),
            "year": year if year in years else years[-1],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Register for %(title)s") % {"title": self.movement.name},
            "cancel_url": self.movement.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        services.registration_create(
            actor=self.request.user,
            movement=self.movement,
            unit=data["unit"],
            year=data["year"],
            registered_on=data["registered_on"],
            commitments=data.get("commitments") or "",
            member=data.get("card_number"),
        )
        who = data["card_number"].full_name if data.get("card_number") else data["unit"].name
        messages.success(self.request, _("%(unit)s registered.") % {"unit": who})
        return self.movement.get_absolute_url()


class RegistrationWithdrawView(ServiceFormView):
    model = Registration
    scope_action = VIEW
    form_class = WithdrawForm
    template_name = "emulation/form.html"
    registration: Registration

    def load(self) -> None:
        self.registration = self.get_visible(
            selectors.registrations_with_relations(), pk=self.kwargs["pk"]
        )
        self.require(MANAGE, self.registration.unit)

    def get_initial(self) -> dict[str, Any]:
        return {"withdrawn_on": _today()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        r = self.registration
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Withdraw the registration of %(unit)s for %(title)s (%(year)s)")
            % {"unit": r.unit.name, "title": r.movement.name, "year": r.year},
            "cancel_url": r.movement.get_absolute_url(),
        }

    def perform(self, form: Any) -> str:
        services.registration_withdraw(
            actor=self.request.user,
            registration=self.registration,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            reason=form.cleaned_data.get("reason") or "",
        )
        messages.success(self.request, _("Registration withdrawn."))
        return self.registration.movement.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Pledges (meetings.Pledge)


class PledgeListView(ScopedMixin, SingleTableMixin, FilterView):
    """emulation:pledge_list — pledges of the clusters in scope."""

    model = Pledge
    scope_action = VIEW
    table_class = PledgeTable
    filterset_class = PledgeFilter
    template_name = "emulation/pledge_list.html"
    table_pagination = {"paginator_class": LazyPaginator, "per_page": PER_PAGE}

    def get_queryset(self) -> QuerySet[Pledge]:
        return selectors.pledges_visible(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "can_create": self.has_scope(Action.MEETINGS_MANAGE),
        }


class PledgeDetailView(ScopedMixin, DetailView):
    model = Pledge
    scope_action = VIEW
    template_name = "emulation/pledge_detail.html"
    context_object_name = "pledge"

    def get_object(self, queryset: Any = None) -> Pledge:
        return self.get_visible(selectors.pledges_with_relations(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        pledge: Pledge = self.object
        meeting = pledge.meeting
        ctx.update(
            signatories=sorted(pledge.signatories.all(), key=lambda u: u.name),
            members=selectors.member_units(pledge.cluster, pledge.year),
            meeting_visible=meeting is not None
            and self.can(Action.ORGANISATION_VIEW, meeting.unit),
        )
        return ctx


class PledgeCreateView(ServiceFormView):
    """emulation:pledge_create — `?cluster=<id>&year=` (chosen first, then the form)."""

    model = Pledge
    scope_action = VIEW
    form_class = PledgeForm
    template_name = "emulation/pledge_form.html"
    cluster: Cluster | None = None
    year: int = 0

    def load(self) -> None:
        self.require_scope(Action.MEETINGS_MANAGE)
        self.chooser = ClusterYearForm(
            self.request.GET or None, clusters=selectors.clusters_visible(self.request.user)
        )
        if self.chooser.is_bound and self.chooser.is_valid():
            self.cluster = self.chooser.cleaned_data["cluster"]
            self.year = self.chooser.cleaned_data["year"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.cluster is None:
            return self.render_to_response(self.get_context_data(form=None))
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.cluster is None:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        assert self.cluster is not None
        meetings = selectors.cluster_meetings(self.request.user, self.cluster, self.year)
        return {
            **super().get_form_kwargs(),
            "units": selectors.member_units(self.cluster, self.year),
            "meetings": meetings,
        }

    def get_initial(self) -> dict[str, Any]:
        if self.cluster is None:
            return {}
        return {
            "title": _("Emulation pledge of %(cluster)s for %(year)s")
            % {"cluster": self.cluster.name, "year": self.year},
            "signatories": [u.pk for u in selectors.member_units(self.cluster, self.year)],
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "chooser": self.chooser,
            "cluster": self.cluster,
            "year": self.year,
            "heading": _("Record an emulation pledge"),
        }

    def perform(self, form: Any) -> str:
        assert self.cluster is not None
        data = form.cleaned_data
        pledge = meeting_services.pledge_create(
            actor=self.request.user,
            cluster=self.cluster,
            year=self.year,
            signed_on=data["signed_on"],
            title=data["title"],
            signatories=list(data["signatories"]),
            meeting=data.get("meeting"),
            document=data.get("document"),
        )
        messages.success(self.request, _("Emulation pledge recorded."))
        return reverse("emulation:pledge_detail", args=[pledge.pk])


# ---------------------------------------------------------------------------------------------
# Scoring schemes


class SchemeListView(ScopedMixin, TemplateView):
    """emulation:scheme_list — the schemes in force in the user's scope, newest first."""

    model = ScoringScheme
    scope_action = VIEW
    template_name = "emulation/scheme_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "schemes": list(self.get_queryset_schemes()),
            "can_create": self.has_scope(MANAGE),
        }

    def get_queryset_schemes(self) -> QuerySet[ScoringScheme]:
        return selectors.schemes_visible(self.request.user)


class SchemeDetailView(ScopedMixin, DetailView):
    model = ScoringScheme
    scope_action = VIEW
    template_name = "emulation/scheme_detail.html"
    context_object_name = "scheme"

    def get_object(self, queryset: Any = None) -> ScoringScheme:
        return self.get_visible(selectors.schemes_visible(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scheme: ScoringScheme = self.object
        return {
            **super().get_context_data(**kwargs),
            "groups": selectors.scheme_groups(scheme),
            "max_total": selectors.scheme_max(scheme),
        }


class SchemeCreateView(ServiceFormView):
    model = ScoringScheme
    scope_action = MANAGE
    form_class = SchemeForm
    template_name = "emulation/form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        clusters = selectors.clusters_managed(self.request.user)
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "action": MANAGE,
            "clusters": clusters,
        }

    def get_initial(self) -> dict[str, Any]:
        return {"from_year": _today().year}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "heading": _("Record a scoring scheme"),
            "cancel_url": reverse("emulation:scheme_list"),
        }

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        scheme = services.scheme_create(
            actor=self.request.user,
            name=data["name"],
            from_year=data["from_year"],
            organiser=data.get("organiser"),
            cluster=data.get("cluster"),
            description=data.get("description") or "",
            groups=data["criteria"],
        )
        messages.success(self.request, _("%(name)s recorded.") % {"name": scheme.name})
        return scheme.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Rankings and scorecards


class RankingIndexView(ScopedMixin, TemplateView):
    """emulation:ranking_index — the clusters the user sees, each with its ranking."""

    model = Cluster
    scope_action = VIEW
    template_name = "emulation/ranking_index.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year = _year_param(self.request, _today().year - 1)
        return {
            **super().get_context_data(**kwargs),
            "clusters": list(selectors.clusters_visible(self.request.user)),
            "year": year,
            "years": list(range(_today().year, _today().year - 6, -1)),
        }


class _ClusterMixin(ScopedMixin):
    model = Cluster
    scope_action = VIEW
    cluster: Cluster
    year: int

    def load_cluster(self) -> None:
        self.cluster = self.get_visible(selectors.clusters_with_organiser(), pk=self.kwargs["pk"])
        years = selectors.cluster_years(self.cluster)
        self.years = years
        default = years[0] if years else _today().year
        self.year = _year_param(self.request, default)

    def can_propose(self) -> bool:
        if self.can(MANAGE, self.cluster.organiser):
            return True
        head = selectors.head_of(self.cluster, self.year)
        return head is not None and self.can(MANAGE, head)


class RankingView(_ClusterMixin, TemplateView):
    """emulation:ranking — the cluster's units of a year ranked (`?year=`)."""

    template_name = "emulation/ranking.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            self.load_cluster()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ranking = selectors.cluster_ranking(self.cluster, self.year)
        organiser = self.can(MANAGE, self.cluster.organiser)
        rows = []
        for row in ranking:
            card = row.scorecard
            visible = card is not None and selectors.scorecard_visible(self.request.user, card.pk)
            rows.append((row, visible, card is None and (organiser or self.can(MANAGE, row.unit))))
        return {
            **super().get_context_data(**kwargs),
            "cluster": self.cluster,
            "year": self.year,
            "years": self.years,
            "rows": rows,
            "scheme": selectors.scheme_for(self.cluster, self.year),
            "proposal": selectors.proposal_of(self.cluster, self.year),
            "can_propose": self.can_propose(),
        }


class ScorecardOpenView(_ClusterMixin, View):
    """POST `unit`, `year`: open the unit's scorecard in this cluster."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.load_cluster()
        year = parse_id(request.POST.get("year")) or self.year
        unit_id = parse_id(request.POST.get("unit"))
        if unit_id is None:
            raise Http404
        unit = self.get_visible(Unit, VIEW, pk=unit_id)
        back = f"{reverse('emulation:ranking', args=[self.cluster.pk])}?{urlencode({'year': year})}"
        try:
            card = services.scorecard_open(
                actor=request.user, unit=unit, cluster=self.cluster, year=year
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(card.get_absolute_url())


class ScorecardDetailView(ScopedMixin, DetailView):
    model = Scorecard
    scope_action = VIEW
    template_name = "emulation/scorecard_detail.html"
    context_object_name = "card"

    def get_object(self, queryset: Any = None) -> Scorecard:
        return self.get_visible(selectors.scorecards_with_relations(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        card: Scorecard = self.object
        user = self.request.user
        stages = []
        for stage in (Stage.SELF, Stage.CLUSTER, Stage.FINAL):
            stages.append(
                {
                    "code": stage.value,
                    "label": stage.label,
                    "total": card.total(stage),
                    "by": getattr(card, f"{stage}_by"),
                    "at": getattr(card, f"{stage}_at"),
                    "may": services.may_score(user, card, stage),
                }
            )
        can_audit = self.can(Action.AUDIT_VIEW, card.unit)
        return {
            **super().get_context_data(**kwargs),
            "groups": selectors.scorecard_lines(card),
            "stages": stages,
            "max_total": selectors.scheme_max(card.scheme),
            "ranking_url": f"{reverse('emulation:ranking', args=[card.cluster_id])}?year={card.year}",
            "cluster_visible": selectors.cluster_visible(user, card.cluster_id),
            "can_audit": can_audit,
            "audit": selectors.scorecard_audit(card) if can_audit else [],
        }


class ScorecardScoreView(ServiceFormView):
    """emulation:scorecard_score — give one stage (`self`, `cluster`, `final`)."""

    model = Scorecard
    scope_action = VIEW
    form_class = ScoreForm
    template_name = "emulation/score_form.html"
    card: Scorecard

    def load(self) -> None:
        self.card = self.get_visible(selectors.scorecards_with_relations(), pk=self.kwargs["pk"])
        stage = self.kwargs["stage"]
        if stage not in Stage.values:
            raise Http404
        self.stage = Stage(stage)
        if not services.may_score(self.request.user, self.card, self.stage):
            raise PermissionDenied
        self.groups = selectors.scorecard_lines(self.card)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "groups": self.groups}

    def get_initial(self) -> dict[str, Any]:
        """The stage's points if given, else the previous stage's, else the figures'."""
        order = [Stage.SELF, Stage.CLUSTER, Stage.FINAL]
        earlier = order[: order.index(self.stage) + 1][::-1]
        initial: dict[str, Any] = {}
        for group in self.groups:
            for line in group.lines:
                c = line.criterion
                score = next((line.scores[s] for s in earlier if s in line.scores), None)
                if score is not None:
                    initial[f"c{c.pk}"] = f"{score.points.normalize():f}"
                    initial[f"n{c.pk}"] = score.note
                elif line.proposal is not None:
                    initial[f"c{c.pk}"] = f"{line.proposal.points.normalize():f}"
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "card": self.card,
            "stage": self.stage,
            "heading": _("%(stage)s: %(unit)s, %(year)s")
            % {"stage": self.stage.label, "unit": self.card.unit.name, "year": self.card.year},
            "max_total": selectors.scheme_max(self.card.scheme),
        }

    def perform(self, form: Any) -> str:
        services.scorecard_score(
            actor=self.request.user,
            scorecard=self.card,
            stage=self.stage,
            points=form.points(),
            notes=form.notes(),
        )
        messages.success(self.request, _("Scores saved."))
        return self.card.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Proposals


class ProposalEditView(_ClusterMixin, ServiceFormView):
    """emulation:proposal_edit — the cluster's proposal of leading units for `?year=`."""

    form_class = ProposalForm
    template_name = "emulation/proposal_form.html"

    def load(self) -> None:
        self.load_cluster()
        if not self.can_propose():
            raise PermissionDenied
        self.ranking = selectors.cluster_ranking(self.cluster, self.year)
        self.proposal = selectors.proposal_of(self.cluster, self.year)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "ranking": self.ranking}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"proposed_on": _today()}
        if self.proposal is not None:
            initial["proposed_on"] = self.proposal.proposed_on
            for entry in self.proposal.entries.all():
                initial[f"u{entry.unit_id}"] = True
                initial[f"a{entry.unit_id}"] = entry.award
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "cluster": self.cluster,
            "year": self.year,
            "proposal": self.proposal,
            "heading": _("Leading units proposed by %(cluster)s for %(year)s")
            % {"cluster": self.cluster.name, "year": self.year},
        }

    def perform(self, form: Any) -> str:
        proposal = services.proposal_save(
            actor=self.request.user,
            cluster=self.cluster,
            year=self.year,
            entries=form.entries(),
            proposed_on=form.cleaned_data["proposed_on"],
        )
        messages.success(self.request, _("Proposal saved."))
        return proposal.get_absolute_url()


class ProposalDetailView(ScopedMixin, DetailView):
    model = ClusterProposal
    scope_action = VIEW
    template_name = "emulation/proposal_detail.html"
    context_object_name = "proposal"

    def get_object(self, queryset: Any = None) -> ClusterProposal:
        return self.get_visible(selectors.proposals_with_entries(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        proposal: ClusterProposal = self.object
        head = selectors.head_of(proposal.cluster, proposal.year)
        may = self.can(MANAGE, proposal.cluster.organiser) or (
            head is not None and self.can(MANAGE, head)
        )
        return {
            **super().get_context_data(**kwargs),
            "can_change": may and not proposal.submitted,
            "ranking_url": f"{reverse('emulation:ranking', args=[proposal.cluster_id])}"
            f"?year={proposal.year}",
        }


class ProposalSubmitView(ScopedMixin, View):
    """POST: submit a draft proposal."""

    model = ClusterProposal
    scope_action = VIEW

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = self.get_visible(selectors.proposals_with_entries(), pk=pk)
        try:
            services.proposal_submit(actor=request.user, proposal=proposal)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Proposal submitted."))
        return HttpResponseRedirect(proposal.get_absolute_url())
