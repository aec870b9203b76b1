"""Writes to emulation clusters and blocks (cụm / khối thi đua) and their yearly membership.

The organising unit owns a cluster: every service needs "organisation.manage_clusters" on it.
Member units lie in the organiser's subtree and are active; each cluster-year has at most one
head unit (cụm trưởng).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from congdoan.core.exceptions import RuleViolation
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, require
from congdoan.core.text import nfc
from congdoan.organisation.models import Cluster, ClusterKind, ClusterMembership, Unit

MIN_YEAR, MAX_YEAR = 1900, 2200
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_code(code: str, *, exclude_pk: int | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise RuleViolation(_("The cluster code is required."), field="code")
    if not _SLUG.match(code):
        raise RuleViolation(
            _("The cluster code %(code)s may only contain letters, digits, '-' and '_'.")
            % {"code": code},
            field="code",
        )
    clash = Cluster.objects.filter(code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise RuleViolation(
            _("The cluster code %(code)s is already used.") % {"code": code}, field="code"
        )
    return code


def _check_kind(kind: str) -> None:
    if kind not in ClusterKind.values:
        raise RuleViolation(_("Unknown cluster kind %(kind)s.") % {"kind": kind}, field="kind")


def _check_year(year: Any, field: str = "year") -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(_("%(year)s is not a valid year.") % {"year": year}, field=field)
    return year


def _check_member_unit(cluster: Cluster, unit: Unit) -> None:
    organiser = cluster.organiser
    if not unit.path.startswith(organiser.path):
        raise RuleViolation(
            _("%(unit)s does not lie under %(organiser)s, which organises the cluster %(cluster)s.")
            % {"unit": _label(unit), "organiser": _label(organiser), "cluster": cluster.name},
            field="unit",
        )
    if unit.dissolved_on is not None:
        raise RuleViolation(
            _("%(unit)s was dissolved and cannot join a cluster.") % {"unit": _label(unit)},
            field="unit",
        )


def _fresh(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_related("organiser").get(pk=cluster.pk)


@transaction.atomic
def cluster_create(
    *,
    actor: Any,
    organiser: Unit,
    code: str,
    name: str,
    kind: str = ClusterKind.CLUSTER,
    description: str = "",
) -> Cluster:
    """Create a cluster (or block) organised by `organiser`."""
    organiser = Unit.objects.get(pk=organiser.pk)
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, organiser)
    if organiser.dissolved_on is not None:
        raise RuleViolation(
            _("%(unit)s was dissolved and cannot organise a cluster.")
            % {"unit": _label(organiser)},
            field="organiser",
        )
    code = _check_code(code)
    name = nfc(name)
    if not name:
        raise RuleViolation(_("The cluster name is required."), field="name")
    _check_kind(kind)
    cluster = Cluster(
        organiser=organiser, code=code, name=name, kind=kind, description=description.strip()
    )
    stamp(cluster, actor, "cluster_create")
    cluster.save()
    return cluster


@transaction.atomic
def cluster_update(*, actor: Any, cluster: Cluster, **values: Any) -> Cluster:
    """Change a cluster's code, name, kind, description or organising unit."""
    allowed = {"code", "name", "kind", "description", "organiser"}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    cluster = _fresh(cluster)
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
    if "code" in values:
        values["code"] = _check_code(values["code"], exclude_pk=cluster.pk)
    if "name" in values:
        values["name"] = nfc(values["name"])
        if not values["name"]:
            raise RuleViolation(_("The cluster name is required."), field="name")
    if "kind" in values:
        _check_kind(values["kind"])
    if "description" in values:
        values["description"] = (values["description"] or "").strip()
    if "organiser" in values and values["organiser"].pk != cluster.organiser_id:
        organiser = Unit.objects.get(pk=values["organiser"].pk)
        require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, organiser)
        if organiser.dissolved_on is not None:
            raise RuleViolation(
                _("%(unit)s was dissolved and cannot organise a cluster.")
                % {"unit": _label(organiser)},
                field="organiser",
            )
        outside = (
            ClusterMembership.objects.filter(cluster=cluster)
            .exclude(path_range_q("unit__path", organiser.path))
            .select_related("unit")
            .first()
        )
        if outside is not None:
            raise RuleViolation(
                _("%(unit)s, a member of this cluster, does not lie under %(organiser)s.")
                % {"unit": _label(outside.unit), "organiser": _label(organiser)},
                field="organiser",
            )
        values["organiser"] = organiser
    changed = [f for f, v in values.items() if getattr(cluster, f) != v]
    if not changed:
        return cluster
    for f in changed:
        setattr(cluster, f, values[f])
    stamp(cluster, actor, "cluster_update")
    cluster.save(update_fields=changed)
    return cluster


@transaction.atomic
def cluster_member_add(
    *, actor: Any, cluster: Cluster, unit: Unit, year: int, is_head: bool = False
) -> ClusterMembership:
    """Add `unit` to `cluster` for `year`, optionally as its head unit."""
    cluster = _fresh(cluster)
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
    unit = Unit.objects.get(pk=unit.pk)
    year = _check_year(year)
    _check_member_unit(cluster, unit)
    if ClusterMembership.objects.filter(cluster=cluster, year=year, unit=unit).exists():
        raise RuleViolation(
            _("%(unit)s is already a member of %(cluster)s in %(year)s.")
            % {"unit": _label(unit), "cluster": cluster.name, "year": year},
            field="unit",
        )
    if is_head:
        head = (
            ClusterMembership.objects.filter(cluster=cluster, year=year, is_head=True)
            .select_related("unit")
            .first()
        )
        if head is not None:
            raise RuleViolation(
                _(
                    "%(unit)s is already the head unit of %(cluster)s in %(year)s; "
                    "change the head unit instead."
                )
                % {"unit": _label(head.unit), "cluster": cluster.name, "year": year},
                field="is_head",
            )
    membership = ClusterMembership(cluster=cluster, unit=unit, year=year, is_head=is_head)
    stamp(membership, actor, "cluster_member_add")
    membership.save()
    return membership


@transaction.atomic
def cluster_member_remove(*, actor: Any, membership: ClusterMembership) -> None:
    """Remove a unit from a cluster for one year (its history stays in the audit trail)."""
    membership = ClusterMembership.objects.select_related("cluster__organiser").get(
        pk=membership.pk
    )
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, membership.cluster.organiser)
    stamp(membership, actor, "cluster_member_remove")
    membership.delete()


@transaction.atomic
def cluster_set_head(*, actor: Any, cluster: Cluster, unit: Unit, year: int) -> ClusterMembership:
    """Make `unit` the head unit (cụm trưởng) of `cluster` in `year`, replacing the previous one."""
    cluster = _fresh(cluster)
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
    year = _check_year(year)
    membership = (
        ClusterMembership.objects.filter(cluster=cluster, year=year, unit_id=unit.pk)
        .select_related("unit")
        .first()
    )
    if membership is None:
        raise RuleViolation(
            _("%(unit)s is not a member of %(cluster)s in %(year)s.")
            % {"unit": _label(unit), "cluster": cluster.name, "year": year},
            field="unit",
        )
    if membership.is_head:
        return membership
    for old in ClusterMembership.objects.filter(cluster=cluster, year=year, is_head=True):
        old.is_head = False
        stamp(old, actor, "cluster_set_head")
        old.save(update_fields=["is_head"])
    membership.is_head = True
    stamp(membership, actor, "cluster_set_head")
    membership.save(update_fields=["is_head"])
    return membership


@transaction.atomic
def cluster_copy_year(*, actor: Any, cluster: Cluster, from_year: int, to_year: int) -> int:
    """Copy the members of `from_year` into `to_year`; returns how many were added.

    Dissolved units and units already listed for `to_year` are skipped; the head unit is copied
    too unless `to_year` already has one.
    """
    cluster = _fresh(cluster)
    require(actor, Action.ORGANISATION_MANAGE_CLUSTERS, cluster.organiser)
    from_year = _check_year(from_year, "from_year")
    to_year = _check_year(to_year, "to_year")
    if from_year == to_year:
        raise RuleViolation(_("Choose two different years."), field="to_year")
    existing = ClusterMembership.objects.filter(cluster=cluster, year=to_year)
    present = set(existing.values_list("unit_id", flat=True))
    has_head = existing.filter(is_head=True).exists()
    sources = ClusterMembership.objects.filter(
        cluster=cluster, year=from_year, unit__dissolved_on__isnull=True
    ).exclude(unit_id__in=present)
    new = [
        ClusterMembership(
            cluster=cluster, unit_id=m.unit_id, year=to_year, is_head=m.is_head and not has_head
        )
        for m in sources
    ]
    if new:
        bulk_create_with_history(
            new,
            ClusterMembership,
            default_user=_actor(actor),
            default_change_reason="cluster_copy_year",
        )
    return len(new)
