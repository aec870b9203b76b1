"""Reads of emulation clusters and blocks and their yearly members, for the pages and the API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.text import sort_key
from congdoan.organisation.models import Cluster, ClusterMembership


def clusters_for_list(user: Any, year: int) -> QuerySet[Cluster]:
    """Clusters the user can see, with their number of members and head unit in `year`."""
    head = ClusterMembership.objects.filter(cluster=OuterRef("pk"), year=year, is_head=True).values(
        "unit__short_name"
    )[:1]
    return (
        Cluster.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("organiser")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__year=year), distinct=True),
            head_name=Subquery(head),
        )
        .order_by("name")
    )


def cluster_years(cluster: Cluster) -> list[int]:
    """The years in which the cluster has members, latest first."""
    return sorted(
        set(ClusterMembership.objects.filter(cluster=cluster).values_list("year", flat=True)),
        reverse=True,
    )


def cluster_members(cluster: Cluster, year: int) -> list[ClusterMembership]:
    """Members of a cluster in a year: the head first, then by name (Vietnamese order)."""
    rows = ClusterMembership.objects.filter(cluster=cluster, year=year).select_related(
        "unit__unit_type"
    )
    return sorted(rows, key=lambda m: (not m.is_head, sort_key(m.unit.name)))


def cluster_audit(cluster: Cluster, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the cluster and to its memberships (removed ones included), newest first."""
    return audit_trail(
        cluster.history.all(),
        ClusterMembership.history.filter(cluster_id=cluster.pk),
        limit=limit,
    )


def clusters_with_organiser() -> QuerySet[Cluster]:
    """Clusters with their organising unit and its type loaded."""
    return Cluster.objects.select_related("organiser__unit_type")


def memberships_with_cluster() -> QuerySet[ClusterMembership]:
    """Cluster memberships with their cluster, its organiser and their unit loaded."""
    return ClusterMembership.objects.select_related("cluster__organiser", "unit")


def cluster_ids_in_year(year: int) -> QuerySet[Cluster, Any]:
    """Ids of the clusters that have members in `year` (a subquery)."""
    return Cluster.objects.filter(memberships__year=year).values("pk")


def clusters_for_api(qs: QuerySet[Cluster], *, year: int | None) -> QuerySet[Cluster]:
    """Clusters with organiser and memberships (of `year` only, when given) loaded."""
    memberships = ClusterMembership.objects.select_related("unit", "unit__unit_type").order_by(
        "-year", "-is_head", "unit__name"
    )
    if year is not None:
        memberships = memberships.filter(year=year)
    return qs.select_related("organiser", "organiser__unit_type").prefetch_related(
        Prefetch("memberships", queryset=memberships)
    )


def cluster_memberships(cluster: Cluster, *, year: int | None = None) -> list[ClusterMembership]:
    """The memberships of a cluster (of `year` only, when given): latest year first, the head
    first, then by name (Vietnamese order)."""
    rows = ClusterMembership.objects.filter(cluster=cluster).select_related("cluster", "unit")
    if year is not None:
        rows = rows.filter(year=year)
    return sorted(rows, key=lambda m: (-m.year, not m.is_head, sort_key(m.unit.name)))


def cluster_membership(cluster: Cluster, pk: int) -> ClusterMembership | None:
    """One membership of this cluster (None when the cluster has no such membership)."""
    return (
        ClusterMembership.objects.filter(cluster=cluster, pk=pk)
        .select_related("cluster__organiser", "unit")
        .first()
    )
