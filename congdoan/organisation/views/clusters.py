"""Emulation clusters and blocks: list, detail by year, and the pages that call the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.core.exceptions import RuleViolation
from congdoan.core.filters import parse_id
from congdoan.core.permissions import Action
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors, services
from congdoan.organisation.filters import ClusterFilter
from congdoan.organisation.forms import ClusterCopyYearForm, ClusterForm, ClusterMemberForm
from congdoan.organisation.models import Cluster, ClusterMembership, Unit
from congdoan.organisation.tables import ClusterTable
from congdoan.organisation.views.common import ServiceFormView, int_param


def _detail_url(cluster_id: int, year: int | None = None) -> str:
    url = reverse("organisation:cluster_detail", args=[cluster_id])
    return f"{url}?year={year}" if year else url


class ManagedClusterMixin(ScopedMixin):
    """Pages that change one cluster: seen through `organisation.view`, changed only by users
    who manage clusters at its organising unit."""

    model = Cluster
    scope_action = Action.ORGANISATION_VIEW

    def managed_cluster(self, pk: Any) -> Cluster:
        """The cluster of the URL if the user can see it (404 otherwise) and manages it (403
        otherwise)."""
        cluster: Cluster = self.get_visible(selectors.clusters_with_organiser(), pk=pk)
        self.require(Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
        return cluster


class ClusterListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Cluster
    scope_action = Action.ORGANISATION_VIEW
    table_class = ClusterTable
    filterset_class = ClusterFilter
    template_name = "organisation/cluster_list.html"
    paginate_by = 50

    def get_year(self) -> int:
        return int_param(self.request, "year", timezone.localdate().year)

    def get_queryset(self) -> Any:
        return selectors.clusters_for_list(self.request.user, self.get_year())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = self.get_year()
        ctx["can_create"] = self.has_scope(Action.ORGANISATION_MANAGE_CLUSTERS)
        return ctx


class ClusterDetailView(ScopedMixin, DetailView):
    model = Cluster
    scope_action = Action.ORGANISATION_VIEW
    template_name = "organisation/cluster_detail.html"
    context_object_name = "cluster"

    def get_object(self, queryset: Any = None) -> Cluster:
        return super().get_object(selectors.clusters_with_organiser())

    def get_year(self, years: list[int]) -> int:
        """The year asked for, else this year when it has members (or none has), else the
        latest year with members."""
        this_year = timezone.localdate().year
        default = this_year if (this_year in years or not years) else years[0]
        return int_param(self.request, "year", default)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        cluster: Cluster = self.object
        years = selectors.cluster_years(cluster)
        year = self.get_year(years)
        members = selectors.cluster_members(cluster, year)
        can_manage = self.can(Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
        can_audit = self.can(Action.AUDIT_VIEW, cluster.organiser)
        ctx.update(
            year=year,
            years=sorted({*years, year}, reverse=True),
            rows=[(m, self.can(Action.ORGANISATION_VIEW, m.unit)) for m in members],
            organiser_visible=self.can(Action.ORGANISATION_VIEW, cluster.organiser),
            can_manage=can_manage,
            can_audit=can_audit,
            audit=selectors.cluster_audit(cluster) if can_audit else [],
        )
        if can_manage:
            ctx["member_form"] = ClusterMemberForm(user=self.request.user, initial={"year": year})
            ctx["copy_form"] = ClusterCopyYearForm(initial={"from_year": year, "to_year": year + 1})
        return ctx


class ClusterCreateView(ServiceFormView):
    model = Cluster
    scope_action = Action.ORGANISATION_MANAGE_CLUSTERS
    form_class = ClusterForm
    template_name = "organisation/cluster_form.html"

    def load(self) -> None:
        self.require_scope()

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        """The organising unit of `?organiser=<id>`, when the user manages clusters there."""
        pk = parse_id(self.request.GET.get("organiser"))
        if pk is None:
            return {}
        try:
            unit: Unit = self.get_visible(Unit, pk=pk)
        except Http404:
            return {}
        return {"organiser": unit.code}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        cluster = services.cluster_create(
            actor=self.request.user,
            organiser=data["organiser"],
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
        )
        messages.success(self.request, _("Cluster %(name)s created.") % {"name": cluster.name})
        return _detail_url(cluster.pk)


class ClusterEditView(ManagedClusterMixin, ServiceFormView):
    form_class = ClusterForm
    template_name = "organisation/cluster_form.html"

    def load(self) -> None:
        self.cluster = self.managed_cluster(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        c = self.cluster
        return {
            "organiser": c.organiser.code,
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "description": c.description,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cluster": self.cluster}

    def perform(self, form: Any) -> str:
        services.cluster_update(actor=self.request.user, cluster=self.cluster, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return _detail_url(self.cluster.pk)


class ClusterMemberAddView(ManagedClusterMixin, ServiceFormView):
    form_class = ClusterMemberForm
    template_name = "organisation/cluster_member_form.html"

    def load(self) -> None:
        self.cluster = self.managed_cluster(self.kwargs["pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        return {"year": int_param(self.request, "year", timezone.localdate().year)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "cluster": self.cluster}

    def perform(self, form: Any) -> str:
        data = form.cleaned_data
        membership = services.cluster_member_add(
            actor=self.request.user,
            cluster=self.cluster,
            unit=data["unit"],
            year=data["year"],
            is_head=data["is_head"],
        )
        messages.success(
            self.request,
            _("%(unit)s added to the cluster for %(year)s.")
            % {"unit": membership.unit, "year": membership.year},
        )
        return _detail_url(self.cluster.pk, membership.year)


class _MembershipAction(ScopedMixin, View):
    """POST-only actions on one membership (remove, make head)."""

    model = ClusterMembership
    scope_action = Action.ORGANISATION_MANAGE_CLUSTERS

    def act(self, membership: ClusterMembership) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership: ClusterMembership = self.get_visible(
            selectors.memberships_with_cluster(), pk=pk
        )
        try:
            messages.success(request, self.act(membership))
        except RuleViolation as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(membership.cluster_id, membership.year))


class ClusterMemberRemoveView(_MembershipAction):
    def act(self, membership: ClusterMembership) -> str:
        services.cluster_member_remove(actor=self.request.user, membership=membership)
        return _("%(unit)s removed from the cluster for %(year)s.") % {
            "unit": membership.unit,
            "year": membership.year,
        }


class ClusterSetHeadView(_MembershipAction):
    def act(self, membership: ClusterMembership) -> str:
        services.cluster_set_head(
            actor=self.request.user,
            cluster=membership.cluster,
            unit=membership.unit,
            year=membership.year,
        )
        return _("%(unit)s is now the head unit for %(year)s.") % {
            "unit": membership.unit,
            "year": membership.year,
        }


class ClusterCopyYearView(ManagedClusterMixin, View):
    """POST: copy one year's members into another year."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cluster = self.managed_cluster(pk)
        form = ClusterCopyYearForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return HttpResponseRedirect(_detail_url(cluster.pk))
        from_year, to_year = form.cleaned_data["from_year"], form.cleaned_data["to_year"]
        try:
            n = services.cluster_copy_year(
                actor=request.user, cluster=cluster, from_year=from_year, to_year=to_year
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(_detail_url(cluster.pk, from_year))
        messages.success(
            request,
            _("%(n)s members copied from %(from)s into %(to)s.")
            % {"n": n, "from": from_year, "to": to_year},
        )
        return HttpResponseRedirect(_detail_url(cluster.pk, to_year))
