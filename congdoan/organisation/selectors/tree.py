"""Reads of the organisation tree: current and as of a date, ancestors, lineage, and the nodes
that the tree browser and the API's dated tree show."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, scope_q
from congdoan.core.text import sort_key
from congdoan.organisation.models import LineageLink, Unit, UnitType, UnitVersion


def ancestor_paths(path: str, steplen: int = Unit.steplen) -> list[str]:
    """The paths of the ancestors of the unit at `path`, from the root down."""
    return [path[:i] for i in range(steplen, len(path), steplen)]


def ancestors(unit: Unit) -> list[Unit]:
    """Current ancestors of a unit, from the root down (one indexed query)."""
    return list(
        Unit.objects.filter(path__in=ancestor_paths(unit.path))
        .select_related("unit_type")
        .order_by("path")
    )


def children(unit: Unit, user: Any, *, include_dissolved: bool = False) -> list[Unit]:
    """The visible units directly under `unit`, active first, in Vietnamese name order."""
    qs = (
        Unit.objects.filter(parent=unit)
        .visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("unit_type")
    )
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return sorted(qs, key=lambda u: (u.dissolved_on is not None, sort_key(u.name)))


def subtree(unit: Unit) -> QuerySet[Unit]:
    """`unit` and every unit under it today (dissolved ones included)."""
    return Unit.objects.filter(path_range_q("path", unit.path))


# Columns of a tree row: enough to rebuild and aggregate a tree without model instances.
TREE_ROW_FIELDS = (
    "unit_id",
    "parent_id",
    "path",
    "depth",
    "code",
    "name",
    "short_name",
    "unit_type_id",
)


def subtree_rows(unit: Unit, *, active_only: bool = True) -> list[Any]:
    """The current subtree of `unit` as light named rows (for totals over large subtrees).

    Rows have the fields of TREE_ROW_FIELDS; a province of 20,000 units loads in tens of
    milliseconds, where model instances would take a second (see docs/benchmarks.md).
    """
    qs = Unit.objects.filter(path_range_q("path", unit.path))
    if active_only:
        qs = qs.filter(dissolved_on__isnull=True)
    fields = ["id", *TREE_ROW_FIELDS[1:]]
    return list(qs.order_by("path").values_list(*fields, named=True))


def subtree_rows_on(unit: Unit, day: dt.date) -> list[Any]:
    """The subtree of `unit` as it was on `day`, as light named rows (TREE_ROW_FIELDS)."""
    root = version_on(unit, day)
    if root is None:
        return []
    qs = UnitVersion.objects.on(day).filter(path_range_q("path", root.path))
    return list(qs.order_by("path").values_list(*TREE_ROW_FIELDS, named=True))


T = TypeVar("T")


def subtree_sums(
    unit_ids: Iterable[int], day: dt.date, read: Callable[[str], dict[str, T]], zero: T
) -> dict[int, T]:
    """Each unit's figures over its subtree as it stood on `day` ({unit id: figures}; units
    not in the tree that day left out), from a register that totals a subtree in SQL.

    `read(path)` gives the figures under that path per prefix one level below it: the root's
    own figures under its own path, each child's (with its subtree) under the child's path; a
    missing prefix has nothing (`zero`). Figures are tuples of numbers, added up position by
    position. Units under the same parent are read through their parent: a unit and its
    children, or the children alone, cost one `read`."""
    wanted = {int(u) for u in unit_ids}
    placed = {
        unit_id: (path, parent)
        for unit_id, path, parent in UnitVersion.objects.on(day)
        .filter(unit_id__any=list(wanted))
        .values_list("unit_id", "path", "parent_id")
    }
    siblings = Counter(parent for _path, parent in placed.values() if parent is not None)
    reads = {unit_id: path for unit_id, (path, _parent) in placed.items()}
    shared = [p for p, n in siblings.items() if n > 1 and p not in placed]
    if shared:
        reads.update(
            UnitVersion.objects.on(day).filter(unit_id__in=shared).values_list("unit_id", "path")
        )
    out: dict[int, T] = {}
    done: set[int] = set()
    for unit_id, path in sorted(reads.items(), key=lambda item: (len(item[1]), item[0])):
        if unit_id in done:
            continue
        by_prefix = read(path)
        done.add(unit_id)
        if unit_id in wanted:
            total = [sum(column) for column in zip(*by_prefix.values(), strict=True)]
            out[unit_id] = tuple(total) if total else zero  # type: ignore[assignment]
        for child, (child_path, parent) in placed.items():
            if parent == unit_id and child not in done:
                out[child] = by_prefix.get(child_path, zero)
                done.add(child)
    return out


def version_on(unit: Unit, day: dt.date) -> UnitVersion | None:
    """The unit as it stood on `day` (None when it did not exist then)."""
    return UnitVersion.objects.on(day).filter(unit=unit).first()


def subtree_on(
    unit: Unit, day: dt.date, user: Any = None, *, max_depth: int | None = None
) -> list[UnitVersion]:
    """The subtree of `unit` as it was on `day`, in tree order (path), limited to the user's scope.

    Uses the unit's path on that day, so a unit that moved since is rebuilt where it stood.
    """
    root = version_on(unit, day)
    if root is None:
        return []
    qs = UnitVersion.objects.on(day).filter(path_range_q("path", root.path))
    if max_depth is not None:
        qs = qs.filter(depth__lte=root.depth + max_depth)
    if user is not None:
        q = scope_q(user, Action.ORGANISATION_VIEW, "unit__path")
        if q is not None:
            qs = qs.filter(q)
    return list(qs.select_related("unit_type").order_by("path"))


def children_on(unit: Unit, day: dt.date, user: Any = None) -> list[UnitVersion]:
    """The units directly under `unit` on `day` (within the user's scope, when given)."""
    qs = UnitVersion.objects.on(day).filter(parent=unit).select_related("unit_type", "unit")
    if user is not None:
        q = scope_q(user, Action.ORGANISATION_VIEW, "unit__path")
        if q is not None:
            qs = qs.filter(q)
    return sorted(qs, key=lambda v: sort_key(v.name))


def roots_on(day: dt.date, user: Any) -> list[UnitVersion]:
    """The topmost units a user can see on `day` (their granted units, or the national root)."""
    q = scope_q(user, Action.ORGANISATION_VIEW, "unit__path")
    qs = UnitVersion.objects.on(day).select_related("unit_type", "unit")
    if q is None:
        return list(qs.filter(depth=1))
    visible = list(qs.filter(q).order_by("path"))
    tops: list[UnitVersion] = []
    for v in visible:
        if not any(v.path.startswith(t.path) for t in tops):
            tops.append(v)
    return tops


def current_roots(user: Any) -> list[Unit]:
    """The topmost active units a user can see today."""
    qs = (
        Unit.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .filter(dissolved_on__isnull=True)
        .select_related("unit_type")
    )
    q = scope_q(user, Action.ORGANISATION_VIEW, "path")
    if q is None:
        return list(qs.filter(depth=1))
    tops: list[Unit] = []
    for u in qs.order_by("path").only("id", "path", "name", "short_name", "code", "unit_type"):
        if not any(u.path.startswith(t.path) for t in tops):
            tops.append(u)
    return tops


def lineage(unit: Unit) -> dict[str, list[LineageLink]]:
    """Which units this one came from, and which it became."""
    came_from = list(
        LineageLink.objects.filter(target=unit)
        .select_related("source", "event")
        .order_by("-event__effective_date")
    )
    became = list(
        LineageLink.objects.filter(source=unit)
        .select_related("target", "event")
        .order_by("-event__effective_date")
    )
    return {"came_from": came_from, "became": became}


def history(unit: Unit) -> list[UnitVersion]:
    """The unit's effective-dated versions, oldest first, with what pages and API show of each."""
    return list(
        UnitVersion.objects.filter(unit=unit)
        .select_related("parent", "unit_type", "sector", "ownership", "event")
        .order_by("valid_from")
    )


def search(user: Any, text: str, *, include_dissolved: bool = False, limit: int = 20) -> list[Unit]:
    """Visible units matching `text` (diacritics and case ignored), shallow first."""
    qs = (
        Unit.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .search(text)
        .select_related("unit_type", "parent")
    )
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return list(qs.order_by("depth", "path")[:limit])


def active_on_q(day: dt.date) -> Q:
    """Units that existed on `day`: founded by then and not yet dissolved."""
    return Q(founded_on__lte=day) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


# ---------------------------------------------------------------------------------------------
# The tree browser (pages)


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
    roots = current_roots(user)
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
    roots = roots_on(day, user)
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
# The tree as of a date (API): plain nodes, nested


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
    return [Node.from_version(v) for v in subtree_on(unit, day, user, max_depth=depth)]


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
    for version in roots_on(day, user):
        tops += nest(subtree_nodes(version.unit, day, user, depth=depth))
    return tops
