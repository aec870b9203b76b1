"""Emulation clusters and blocks: list, detail by year, and the pages that call the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from congdoan.core.exceptions import RuleViolation
from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404, path_in_scope
from congdoan.core.views import ScopedMixin
from congdoan.organisation import selectors_pages as pages
from congdoan.organisation import services
from congdoan.organisation.filters import ClusterFilter
from congdoan.organisation.forms import ClusterCopyYearForm, ClusterForm, ClusterMemberForm
from congdoan.organisation.models import Cluster, ClusterMembership, Unit
from congdoan.organisation.tables import ClusterTable
from congdoan.organisation.views.common import ServiceFormView, int_param


def _detail_url(cluster_id: int, year: int | None = None) -> str:
    url = reverse("organisation:cluster_detail", args=[cluster_id])
    return f"{url}?year={year}" if year else url


def _managed_cluster(request: HttpRequest, pk: Any) -> Cluster:
    """A cluster the user can see (404 otherwise) and manages (403 otherwise)."""
    cluster = get_visible_or_404(
        Cluster.objects.select_related("organiser"), request.user, Action.ORGANISATION_VIEW, pk=pk
    )
    if not path_in_scope(request.user, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser.path):
        raise PermissionDenied
    return cluster


class ClusterListView(ScopedMixin, SingleTableMixin, FilterView):
    model = Cluster
    table_class = ClusterTable
    filterset_class = ClusterFilter
    template_name = "organisation/cluster_list.html"
    paginate_by = 50

    def get_year(self) -> int:
        return int_param(self.request, "year", timezone.localdate().year)

    def get_queryset(self) -> Any:
        return pages.clusters_for_list(self.request.user, self.get_year())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["year"] = self.get_year()
        ctx["can_create"] = self.has_scope(Action.ORGANISATION_MANAGE_CLUSTERS)
        return ctx


class ClusterDetailView(ScopedMixin, DetailView):
    model = Cluster
    template_name = "organisation/cluster_detail.html"
    context_object_name = "cluster"

    def get_object(self, queryset: Any = None) -> Cluster:
        return super().get_object(Cluster.objects.select_related("organiser__unit_type"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        cluster: Cluster = self.object
        user = self.request.user
        years = pages.cluster_years(cluster)
        this_year = timezone.localdate().year
        default = this_year if (this_year in years or not years) else years[0]
        year = int_param(self.request, "year", default)
        members = pages.cluster_members(cluster, year)
        can_manage = path_in_scope(
            user, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser.path
        )
        can_audit = path_in_scope(user, Action.AUDIT_VIEW, cluster.organiser.path)
        ctx.update(
            year=year,
            years=sorted({*years, year}, reverse=True),
            rows=[(m, path_in_scope(user, Action.ORGANISATION_VIEW, m.unit.path)) for m in members],
            organiser_visible=path_in_scope(user, Action.ORGANISATION_VIEW, cluster.organiser.path),
            can_manage=can_manage,
            can_audit=can_audit,
            audit=pages.cluster_audit(cluster) if can_audit else [],
        )
        if can_manage:
            ctx["member_form"] = ClusterMemberForm(user=user, initial={"year": year})
            ctx["copy_form"] = ClusterCopyYearForm(initial={"from_year": year, "to_year": year + 1})
        return ctx


class ClusterCreateView(ServiceFormView):
    model = Cluster
    form_class = ClusterForm
    template_name = "organisation/cluster_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.has_scope(
            Action.ORGANISATION_MANAGE_CLUSTERS
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        organiser = self.request.GET.get("organiser", "")
        if organiser.isdigit():
            unit = (
                Unit.objects.visible_to(self.request.user, Action.ORGANISATION_MANAGE_CLUSTERS)
                .filter(pk=organiser)
                .first()
            )
            if unit is not None:
                initial["organiser"] = unit.code
        return initial

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


class ClusterEditView(ServiceFormView):
    model = Cluster
    form_class = ClusterForm
    template_name = "organisation/cluster_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.cluster = _managed_cluster(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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


class ClusterMemberAddView(ServiceFormView):
    model = Cluster
    form_class = ClusterMemberForm
    template_name = "organisation/cluster_member_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.cluster = _managed_cluster(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

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
        membership = get_visible_or_404(
            ClusterMembership.objects.select_related("cluster__organiser", "unit"),
            request.user,
            Action.ORGANISATION_MANAGE_CLUSTERS,
            pk=pk,
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


class ClusterCopyYearView(ScopedMixin, View):
    """POST: copy one year's members into another year."""

    model = Cluster

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cluster = _managed_cluster(request, pk)
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
