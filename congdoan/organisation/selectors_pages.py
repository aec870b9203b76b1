"""Reads behind the organisation pages: tree nodes, search with paths, the unit page, audit trails,
clusters and terms. Every read is limited to the user's scope through `visible_to`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q
from congdoan.core.text import fold, sort_key
from congdoan.organisation import divisions, selectors
from congdoan.organisation.models import (
    Cluster,
    ClusterMembership,
    CommitteeKind,
    CommitteeSeat,
    LineageLink,
    Term,
    Unit,
    UnitVersion,
)

# ---------------------------------------------------------------------------------------------
# Tree


@dataclass
class TreeNode:
    """One node of the tree browser, current or as of a date."""

    pk: int
    name: str
    short_name: str
    code: str
    type_name: str
    type_short: str
    child_count: int = 0
    dissolved_on: dt.date | None = None
    parent_name: str = ""
    children: list[TreeNode] = field(default_factory=list)
    loaded: bool = False

    @property
    def label(self) -> str:
        return self.short_name or self.name


def _unit_node(unit: Unit, counts: dict[int, int]) -> TreeNode:
    return TreeNode(
        pk=unit.pk,
        name=unit.name,
        short_name=unit.short_name,
        code=unit.code,
        type_name=unit.unit_type.name,
        type_short=unit.unit_type.short_name or unit.unit_type.name,
        child_count=counts.get(unit.pk, 0),
        dissolved_on=unit.dissolved_on,
    )


def _version_node(version: UnitVersion, counts: dict[int, int]) -> TreeNode:
    return TreeNode(
        pk=version.unit_id,
        name=version.name,
        short_name=version.short_name,
        code=version.code,
        type_name=version.unit_type.name,
        type_short=version.unit_type.short_name or version.unit_type.name,
        child_count=counts.get(version.unit_id, 0),
    )


def _current_children_qs(user: Any, parent_ids: Sequence[int], show_dissolved: bool) -> Any:
    qs = Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).filter(parent_id__in=parent_ids)
    if not show_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs


def _current_counts(user: Any, parent_ids: Sequence[int], show_dissolved: bool) -> dict[int, int]:
    if not parent_ids:
        return {}
    rows = (
        _current_children_qs(user, parent_ids, show_dissolved)
        .order_by()
        .values("parent_id")
        .annotate(n=Count("id"))
    )
    return {r["parent_id"]: r["n"] for r in rows}


def _unit_order(unit: Unit) -> tuple[Any, ...]:
    return (unit.dissolved_on is not None, sort_key(unit.name))


def tree_children(user: Any, parent: Unit, *, show_dissolved: bool = False) -> list[TreeNode]:
    """Children of `parent` in the current tree, each with its number of children."""
    units = sorted(
        _current_children_qs(user, [parent.pk], show_dissolved).select_related("unit_type"),
        key=_unit_order,
    )
    counts = _current_counts(user, [u.pk for u in units], show_dissolved)
    return [_unit_node(u, counts) for u in units]


def tree_roots(user: Any, *, show_dissolved: bool = False) -> list[TreeNode]:
    """The user's topmost units, with their children loaded (one level)."""
    roots = selectors.current_roots(user)
    if not roots:
        return []
    root_ids = [r.pk for r in roots]
    children = sorted(
        _current_children_qs(user, root_ids, show_dissolved).select_related("unit_type"),
        key=_unit_order,
    )
    counts = _current_counts(user, [c.pk for c in children], show_dissolved)
    by_parent: dict[int, list[TreeNode]] = defaultdict(list)
    for child in children:
        assert child.parent_id is not None
        by_parent[child.parent_id].append(_unit_node(child, counts))
    parents = dict(
        Unit.objects.filter(pk__in=[r.parent_id for r in roots if r.parent_id]).values_list(
            "pk", "short_name"
        )
    )
    nodes = []
    for root in roots:
        node = _unit_node(root, {root.pk: len(by_parent[root.pk])})
        node.children = by_parent[root.pk]
        node.loaded = True
        node.parent_name = parents.get(root.parent_id, "") if root.parent_id else ""
        nodes.append(node)
    return nodes


def _versions_on(day: dt.date, user: Any) -> Any:
    return UnitVersion.objects.on(day).visible_to(user, Action.ORGANISATION_VIEW)


def _counts_on(day: dt.date, user: Any, parent_ids: Sequence[int]) -> dict[int, int]:
    if not parent_ids:
        return {}
    rows = (
        _versions_on(day, user)
        .filter(parent_id__in=parent_ids)
        .order_by()
        .values("parent_id")
        .annotate(n=Count("id"))
    )
    return {r["parent_id"]: r["n"] for r in rows}


def _version_order(version: UnitVersion) -> Any:
    return sort_key(version.name)


def tree_children_on(user: Any, parent: Unit, day: dt.date) -> list[TreeNode]:
    """Children of `parent` as they were on `day` (names, types and parents of that date)."""
    versions = sorted(
        _versions_on(day, user).filter(parent=parent).select_related("unit_type"),
        key=_version_order,
    )
    counts = _counts_on(day, user, [v.unit_id for v in versions])
    return [_version_node(v, counts) for v in versions]


def tree_roots_on(user: Any, day: dt.date) -> list[TreeNode]:
    """The user's topmost units as they were on `day`, with their children then (one level)."""
    roots = selectors.roots_on(day, user)
    if not roots:
        return []
    root_ids = [r.unit_id for r in roots]
    children = sorted(
        _versions_on(day, user).filter(parent_id__in=root_ids).select_related("unit_type"),
        key=_version_order,
    )
    counts = _counts_on(day, user, [c.unit_id for c in children])
    by_parent: dict[int, list[TreeNode]] = defaultdict(list)
    for child in children:
        assert child.parent_id is not None
        by_parent[child.parent_id].append(_version_node(child, counts))
    parent_ids = [r.parent_id for r in roots if r.parent_id]
    parents = {
        v.unit_id: v.short_name or v.name
        for v in UnitVersion.objects.on(day).filter(unit_id__in=parent_ids)
    }
    nodes = []
    for root in roots:
        node = _version_node(root, {root.unit_id: len(by_parent[root.unit_id])})
        node.children = by_parent[root.unit_id]
        node.loaded = True
        node.parent_name = parents.get(root.parent_id, "") if root.parent_id else ""
        nodes.append(node)
    return nodes


# ---------------------------------------------------------------------------------------------
# Search and the unit picker


@dataclass
class Crumb:
    """An ancestor shown in a path; linked only when the user may open it."""

    pk: int
    label: str
    visible: bool


@dataclass
class SearchHit:
    unit: Unit
    path: list[Crumb]


def crumbs_for(user: Any, units: Iterable[Unit]) -> dict[int, list[Crumb]]:
    """Ancestors of several units (root first), fetched in one query."""
    units = list(units)
    wanted = {p for u in units for p in selectors.ancestor_paths(u.path)}
    by_path = {
        a.path: a
        for a in Unit.objects.filter(path__in=wanted).only("pk", "path", "name", "short_name")
    }
    out: dict[int, list[Crumb]] = {}
    for unit in units:
        crumbs = []
        for p in selectors.ancestor_paths(unit.path):
            a = by_path.get(p)
            if a is not None:
                crumbs.append(
                    Crumb(a.pk, str(a), path_in_scope(user, Action.ORGANISATION_VIEW, a.path))
                )
        out[unit.pk] = crumbs
    return out


def search_with_paths(
    user: Any, text: str, *, include_dissolved: bool = False, limit: int = 30
) -> list[SearchHit]:
    """Units matching `text` (diacritics and case ignored), each with its current path."""
    if not fold(text):
        return []
    units = selectors.search(user, text, include_dissolved=include_dissolved, limit=limit)
    paths = crumbs_for(user, units)
    return [SearchHit(u, paths[u.pk]) for u in units]


def unit_picker(user: Any, text: str, *, limit: int = 15) -> list[Unit]:
    """The navbar "go to unit" results: exact code first, then active units, shallow first."""
    text = (text or "").strip()
    if not fold(text):
        return []
    return list(
        Unit.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .search(text)
        .select_related("unit_type")
        .order_by(
            Case(When(code=text.upper(), then=0), default=1, output_field=IntegerField()),
            F("dissolved_on").asc(nulls_first=True),
            "depth",
            "path",
        )[:limit]
    )


# ---------------------------------------------------------------------------------------------
# The unit page


@dataclass
class HistoryRow:
    version: UnitVersion
    parent_label: str
    parent_visible: bool

    @property
    def place(self) -> str:
        """Address, commune and province of that period."""
        v = self.version
        parts = [v.address]
        seen = fold(v.address)
        for name in (divisions.ward_name(v.ward_code), divisions.province_name(v.province_code)):
            if name and fold(name) not in seen:  # the address text often names them already
                parts.append(name)
        return ", ".join(p for p in parts if p)


@dataclass
class LineageRow:
    link: LineageLink
    other: Unit
    visible: bool


@dataclass
class CommitteeBlock:
    kind: str
    label: str
    seats: list[CommitteeSeat]


@dataclass
class UnitPage:
    unit: Unit
    ancestors: list[Crumb]
    children: list[Unit]  # active first, then dissolved
    dissolved_children: int
    terms: list[Term]
    current_term: Term | None
    committees: list[CommitteeBlock]
    cluster_memberships: list[ClusterMembership]
    organised_clusters: list[Cluster]
    history: list[HistoryRow]
    came_from: list[LineageRow]
    became: list[LineageRow]


def current_term(terms: Sequence[Term], today: dt.date | None = None) -> Term | None:
    """The term running this year, or else the most recent one."""
    year = (today or timezone.localdate()).year
    running = [t for t in terms if t.start_year <= year <= t.end_year]
    if running:
        return max(running, key=lambda t: (t.start_year, t.number))
    past = [t for t in terms if t.start_year <= year]
    return max(past, key=lambda t: (t.start_year, t.number)) if past else None


def committee_blocks(seats: Iterable[CommitteeSeat]) -> list[CommitteeBlock]:
    grouped: dict[str, list[CommitteeSeat]] = defaultdict(list)
    for seat in seats:
        grouped[seat.committee].append(seat)
    return [
        CommitteeBlock(kind, str(label), grouped[kind])
        for kind, label in CommitteeKind.choices
        if grouped[kind]
    ]


def is_current_seat(seat: CommitteeSeat, today: dt.date) -> bool:
    return seat.end_date is None or seat.end_date > today


def unit_history(user: Any, unit: Unit) -> list[HistoryRow]:
    """The unit's effective-dated versions, each with its parent's name on that date."""
    versions = selectors.history(unit)
    parent_ids = {v.parent_id for v in versions if v.parent_id}
    parent_versions: dict[int, list[UnitVersion]] = defaultdict(list)
    for pv in UnitVersion.objects.filter(unit_id__in=parent_ids).order_by("valid_from"):
        parent_versions[pv.unit_id].append(pv)
    rows = []
    for v in versions:
        label, visible = "", False
        if v.parent is not None:
            label = str(v.parent)
            for pv in parent_versions.get(v.parent.pk, []):
                if pv.valid_from <= v.valid_from and (
                    pv.valid_to is None or pv.valid_to > v.valid_from
                ):
                    label = pv.short_name or pv.name
            visible = path_in_scope(user, Action.ORGANISATION_VIEW, v.parent.path)
        rows.append(HistoryRow(v, label, visible))
    return list(reversed(rows))


def unit_lineage(user: Any, unit: Unit) -> tuple[list[LineageRow], list[LineageRow]]:
    data = selectors.lineage(unit)
    came_from = [
        LineageRow(
            link, link.source, path_in_scope(user, Action.ORGANISATION_VIEW, link.source.path)
        )
        for link in data["came_from"]
    ]
    became = [
        LineageRow(
            link, link.target, path_in_scope(user, Action.ORGANISATION_VIEW, link.target.path)
        )
        for link in data["became"]
    ]
    return came_from, became


def unit_page(user: Any, unit: Unit, *, today: dt.date | None = None) -> UnitPage:
    """Everything the unit page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    ancestors = crumbs_for(user, [unit])[unit.pk]
    all_children = selectors.children(unit, user, include_dissolved=True)
    terms = list(Term.objects.filter(unit=unit).order_by("-start_year", "-number"))
    term = current_term(terms, today)
    committees: list[CommitteeBlock] = []
    if term is not None:
        seats = [
            s
            for s in CommitteeSeat.objects.filter(term=term).select_related("position")
            if is_current_seat(s, today)
        ]
        committees = committee_blocks(seats)
    memberships = list(
        ClusterMembership.objects.filter(unit=unit)
        .select_related("cluster")
        .order_by("-year", "cluster__name")
    )
    organised = list(Cluster.objects.filter(organiser=unit).order_by("name"))
    came_from, became = unit_lineage(user, unit)
    return UnitPage(
        unit=unit,
        ancestors=ancestors,
        children=all_children,
        dissolved_children=sum(1 for c in all_children if c.dissolved_on is not None),
        terms=terms,
        current_term=term,
        committees=committees,
        cluster_memberships=memberships,
        organised_clusters=organised,
        history=unit_history(user, unit),
        came_from=came_from,
        became=became,
    )


# ---------------------------------------------------------------------------------------------
# Audit trail (django-simple-history, read through congdoan.core.audit)

# Codes that the unit's history stores, shown by name.
_UNIT_FORMATTERS = {
    "province_code": divisions.province_name,
    "ward_code": divisions.ward_name,
}


def unit_audit(unit: Unit, *, limit: int = 100) -> list[AuditEntry]:
    """Who changed what on this unit, newest first: each change with its value before and after."""
    return audit_trail(unit.history.all(), limit=limit, formatters=_UNIT_FORMATTERS)


def cluster_audit(cluster: Cluster, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the cluster and to its memberships (removed ones included), newest first."""
    return audit_trail(
        cluster.history.all(),
        ClusterMembership.history.filter(cluster_id=cluster.pk),
        limit=limit,
    )


def term_audit(term: Term, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the term and to its committee seats, newest first."""
    return audit_trail(
        term.history.all(), CommitteeSeat.history.filter(term_id=term.pk), limit=limit
    )


# ---------------------------------------------------------------------------------------------
# Clusters


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


# ---------------------------------------------------------------------------------------------
# Terms


@dataclass
class CommitteeSeats:
    kind: str
    label: str
    current: list[CommitteeSeat]
    past: list[CommitteeSeat]


def term_committees(term: Term, *, today: dt.date | None = None) -> list[CommitteeSeats]:
    """Seats of a term grouped by committee (BCH, BTV, UBKT), current and past."""
    today = today or timezone.localdate()
    seats = list(
        CommitteeSeat.objects.filter(term=term).select_related("position", "member")
        # Meta ordering: committee, position order, name
    )
    out = []
    for kind, label in CommitteeKind.choices:
        mine = [s for s in seats if s.committee == kind]
        out.append(
            CommitteeSeats(
                kind=kind,
                label=str(label),
                current=[s for s in mine if is_current_seat(s, today)],
                past=[s for s in mine if not is_current_seat(s, today)],
            )
        )
    return out


def subtree_counts(unit: Unit) -> dict[str, int]:
    """Active units under `unit`: directly below, in the whole subtree, grassroots unions."""
    return (
        Unit.objects.filter(path_range_q("path", unit.path), dissolved_on__isnull=True)
        .exclude(pk=unit.pk)
        .aggregate(
            direct=Count("id", filter=Q(parent_id=unit.pk)),
            total=Count("id"),
            grassroots=Count("id", filter=Q(unit_type__is_grassroots=True)),
        )
    )
