"""Reads the API needs beyond `congdoan.organisation.selectors`: tree nodes as of a date.

The tree as of a date comes from `selectors.subtree_on` / `selectors.roots_on` (effective-dated
`UnitVersion` rows, limited to the caller's scope); this module turns those rows into plain
nodes and nests them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from congdoan.core.text import sort_key
from congdoan.organisation import selectors
from congdoan.organisation.models import (
    Cluster,
    ClusterMembership,
    CommitteeSeat,
    Term,
    Unit,
    UnitType,
    UnitVersion,
)


@dataclass
class Node:
    """A unit as it stood on a date (from its `UnitVersion`)."""

    id: int
    code: str
    name: str
    short_name: str
    unit_type: UnitType
    parent_id: int | None
    depth: int
    path: str
    valid_from: dt.date
    children: list[Node] = field(default_factory=list)

    @classmethod
    def from_version(cls, version: UnitVersion) -> Node:
        return cls(
            id=version.unit_id,
            code=version.code,
            name=version.name,
            short_name=version.short_name,
            unit_type=version.unit_type,
            parent_id=version.parent_id,
            depth=version.depth,
            path=version.path,
            valid_from=version.valid_from,
        )


def subtree_nodes(unit: Unit, day: dt.date, user: Any, *, depth: int | None) -> list[Node]:
    """The subtree of `unit` on `day`, flat, in tree order; `depth` levels below it at most."""
    return [Node.from_version(v) for v in selectors.subtree_on(unit, day, user, max_depth=depth)]


def nest(nodes: list[Node]) -> list[Node]:
    """Hang each node under its parent (children in Vietnamese name order); return the tops."""
    by_id = {n.id: n for n in nodes}
    tops: list[Node] = []
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent is not None else tops).append(node)
    for node in nodes:
        node.children.sort(key=lambda n: sort_key(n.name))
    return tops


def tree_on(day: dt.date, user: Any, *, root: Unit | None, depth: int) -> list[Node]:
    """The tree on `day` within the user's scope, nested, `depth` levels below each top.

    With `root`, the tree under that unit (empty when it did not exist on `day`); without it,
    one tree per topmost unit the user can see on that day.
    """
    if root is not None:
        return nest(subtree_nodes(root, day, user, depth=depth))
    tops: list[Node] = []
    for version in selectors.roots_on(day, user):
        tops += nest(subtree_nodes(version.unit, day, user, depth=depth))
    return tops


def unit_history(unit: Unit) -> list[UnitVersion]:
    """`selectors.history` with every relation the API shows loaded in the same query."""
    return list(
        UnitVersion.objects.filter(unit=unit)
        .select_related("parent", "unit_type", "sector", "ownership", "event")
        .order_by("valid_from")
    )


def units_for_api(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    return qs.select_related("parent", "unit_type", "unit_type__level", "sector", "ownership")


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


def terms_for_api(qs: QuerySet[Term], *, with_seats: bool) -> QuerySet[Term]:
    qs = qs.select_related("unit", "unit__unit_type")
    if with_seats:
        seats = CommitteeSeat.objects.select_related("position")
        qs = qs.prefetch_related(Prefetch("seats", queryset=seats))
    return qs
