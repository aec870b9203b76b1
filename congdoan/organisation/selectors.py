"""Reads of the organisation tree: current and as of a date, ancestors, lineage."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q, scope_q
from congdoan.core.text import sort_key
from congdoan.organisation.models import LineageLink, Unit, UnitVersion


def ancestor_paths(path: str, steplen: int = Unit.steplen) -> list[str]:
    return [path[:i] for i in range(steplen, len(path), steplen)]


def ancestors(unit: Unit) -> list[Unit]:
    """Current ancestors of a unit, from the root down (one indexed query)."""
    return list(
        Unit.objects.filter(path__in=ancestor_paths(unit.path))
        .select_related("unit_type")
        .order_by("path")
    )


def children(unit: Unit, user: Any, *, include_dissolved: bool = False) -> list[Unit]:
    qs = (
        Unit.objects.filter(parent=unit)
        .visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("unit_type")
    )
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return sorted(qs, key=lambda u: (u.dissolved_on is not None, sort_key(u.name)))


def subtree(unit: Unit) -> QuerySet[Unit]:
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
        .filter(unit_id__in=wanted)
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
    return list(
        UnitVersion.objects.filter(unit=unit)
        .select_related("parent", "unit_type", "event")
        .order_by("valid_from")
    )


def search(user: Any, text: str, *, include_dissolved: bool = False, limit: int = 20) -> list[Unit]:
    qs = (
        Unit.objects.visible_to(user, Action.ORGANISATION_VIEW)
        .search(text)
        .select_related("unit_type", "parent")
    )
    if not include_dissolved:
        qs = qs.filter(dissolved_on__isnull=True)
    return list(qs.order_by("depth", "path")[:limit])


def active_on_q(day: dt.date) -> Q:
    return Q(founded_on__lte=day) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
