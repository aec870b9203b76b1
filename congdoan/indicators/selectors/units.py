"""Reads of units as the indicator pages need them: the units below or beside a unit on a day
(within the caller's "indicators.view" scope when a user is given), the topmost units a user
may choose, and the members of a cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_prefixes, scope_q
from congdoan.organisation.models import Cluster, ClusterMembership, Unit, UnitVersion

CHUNK = 30000  # ids per IN list (SQLite accepts 32,766 parameters)


def chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def units_with_parent() -> QuerySet[Unit]:
    """Units with their parent and type (a sheet needs both): the base of the pages' look-ups."""
    return Unit.objects.select_related("parent", "unit_type")


def units_by_ids(ids: Iterable[int]) -> list[Unit]:
    return list(Unit.objects.filter(pk__in=list(ids)))


def units_in_bulk(ids: Iterable[int]) -> dict[int, Unit]:
    return Unit.objects.in_bulk(list(ids))


def unit_search(visible: QuerySet[Unit], text: str, *, limit: int) -> list[Unit]:
    """Units of `visible` (a scoped queryset) matching a name or code, active ones first."""
    return list(
        visible.search(text)  # type: ignore[attr-defined]
        .select_related("unit_type")
        .order_by("dissolved_on", "depth", "path")[:limit]
    )


def units_top(user: Any) -> list[tuple[Unit, bool]]:
    """The user's topmost units for "indicators.view", each followed by its active children:
    (unit, is child)."""
    prefixes = scope_prefixes(user, Action.INDICATORS_VIEW)
    if prefixes is None:
        tops = list(Unit.objects.filter(depth=1))
    else:
        tops = list(Unit.objects.filter(path__in=prefixes))
    if not tops:
        return []
    children: dict[int, list[Unit]] = {}
    for kid in Unit.objects.filter(parent__in=tops).active().order_by("name"):
        children.setdefault(kid.parent_id or 0, []).append(kid)
    out: list[tuple[Unit, bool]] = []
    for top in sorted(tops, key=lambda u: u.path):
        out.append((top, False))
        out.extend((kid, True) for kid in children.get(top.pk, []))
    return out


def siblings_on(unit_id: int, day: dt.date) -> list[tuple[int, str]]:
    """The units under the same parent as `unit_id` on `day` (it included), by name."""
    me = (
        UnitVersion.objects.on(day)
        .filter(unit_id=unit_id)
        .values_list("parent_id", flat=True)
        .first()
    )
    if me is None:
        return []
    return list(
        UnitVersion.objects.on(day)
        .filter(parent_id=me)
        .order_by("name")
        .values_list("unit_id", "name")
    )


def children_versions(unit_id: int, day: dt.date, user: Any = None) -> Any:
    """The versions of the units directly below `unit_id` on `day`, within the user's scope."""
    qs = UnitVersion.objects.on(day).filter(parent_id=unit_id)
    if user is not None:
        q = scope_q(user, Action.INDICATORS_VIEW, "unit__path")
        if q is not None:
            qs = qs.filter(q)
    return qs.order_by("name")


def children_on(unit_id: int, day: dt.date, user: Any = None) -> list[tuple[int, str, str]]:
    """(unit id, name, code) of the units directly below `unit_id` on `day`, within scope."""
    return list(children_versions(unit_id, day, user).values_list("unit_id", "name", "code"))


def below_on(unit_id: int, day: dt.date) -> Any:
    """A subquery of the ids of the units directly below `unit_id` on `day`: cheaper than a
    list of thousands of ids to filter the rows of a province's communes."""
    return UnitVersion.objects.on(day).filter(parent_id=unit_id).values("unit_id")


def cluster_members(cluster: Cluster, year: int) -> list[ClusterMembership]:
    """The cluster's member units in `year` (with their unit), the head first, then by name."""
    return list(
        ClusterMembership.objects.filter(cluster=cluster, year=year)
        .select_related("unit")
        .order_by("-is_head", "unit__name")
    )


def cluster_member_units(cluster: Cluster, year: int) -> list[Unit]:
    """The cluster's member units in `year`."""
    ids = ClusterMembership.objects.filter(cluster=cluster, year=year).values_list(
        "unit_id", flat=True
    )
    return units_by_ids(ids)
