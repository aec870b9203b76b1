"""Reads behind the unit pages and the unit API: search with paths, the navbar picker, the unit
page, its audit trail and counts. Every read that lists units is limited to the user's scope
through `visible_to`; single units come to these functions already checked by the caller."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, When
from django.utils import timezone

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q
from congdoan.core.text import fold
from congdoan.organisation import divisions
from congdoan.organisation.models import (
    Cluster,
    ClusterMembership,
    CommitteeSeat,
    LineageLink,
    Term,
    Unit,
    UnitVersion,
)
from congdoan.organisation.selectors.terms import (
    CommitteeBlock,
    committee_blocks,
    current_term,
    is_current_seat,
)
from congdoan.organisation.selectors.tree import ancestor_paths, children, history, lineage, search

# ---------------------------------------------------------------------------------------------
# Units for the pages and the API


def units_for_page() -> QuerySet[Unit]:
    """Units with what the unit page shows of their type, level, sector, ownership and parent."""
    return Unit.objects.select_related(
        "unit_type__level", "sector", "ownership", "parent__unit_type"
    )


def units_for_api(qs: QuerySet[Unit]) -> QuerySet[Unit]:
    """`qs` with every relation the unit API shows loaded in the same query."""
    return qs.select_related("parent", "unit_type", "unit_type__level", "sector", "ownership")


def unit_path(pk: int) -> str | None:
    """The current path of unit `pk` (None when there is none), to filter rows by subtree."""
    return Unit.objects.filter(pk=pk).values_list("path", flat=True).first()


def place_of(unit: Unit | UnitVersion) -> str:
    """Address, commune and province of a unit, or of a unit in one period (a version)."""
    parts = [unit.address]
    seen = fold(unit.address)
    for name in (divisions.ward_name(unit.ward_code), divisions.province_name(unit.province_code)):
        if name and fold(name) not in seen:  # the address text often names them already
            parts.append(name)
    return ", ".join(p for p in parts if p)


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
    """A unit found by the tree search: its name, code, type and place, today or as of the date
    searched, with its path (ancestors, root first) on that day."""

    pk: int
    name: str
    code: str
    type_label: str
    path: list[Crumb]
    place: str = ""
    dissolved_on: dt.date | None = None  # today's tree: when it was dissolved; as of a date:
    # when it was dissolved since
    now_name: str = ""  # as of a date: today's name, when it changed since


def crumbs_for(user: Any, units: Iterable[Unit]) -> dict[int, list[Crumb]]:
    """Ancestors of several units (root first), fetched in one query."""
    units = list(units)
    wanted = {p for u in units for p in ancestor_paths(u.path)}
    by_path = {
        a.path: a
        for a in Unit.objects.filter(path__in=wanted).only("pk", "path", "name", "short_name")
    }
    out: dict[int, list[Crumb]] = {}
    for unit in units:
        crumbs = []
        for p in ancestor_paths(unit.path):
            a = by_path.get(p)
            if a is not None:
                crumbs.append(
                    Crumb(a.pk, str(a), path_in_scope(user, Action.ORGANISATION_VIEW, a.path))
                )
        out[unit.pk] = crumbs
    return out


def _type_label(unit_type: Any) -> str:
    return str(unit_type.short_name or unit_type.name)


def search_with_paths(
    user: Any, text: str, *, include_dissolved: bool = False, limit: int = 30
) -> list[SearchHit]:
    """Units matching `text` (diacritics and case ignored), each with its current path."""
    if not fold(text):
        return []
    units = search(user, text, include_dissolved=include_dissolved, limit=limit)
    paths = crumbs_for(user, units)
    return [
        SearchHit(
            pk=u.pk,
            name=u.name,
            code=u.code,
            type_label=_type_label(u.unit_type),
            path=paths[u.pk],
            place=place_of(u),
            dissolved_on=u.dissolved_on,
        )
        for u in units
    ]


def search_on(user: Any, text: str, day: dt.date, *, limit: int = 30) -> list[SearchHit]:
    """Units that existed on `day` whose name, short name or code of that day match `text`
    (diacritics and case ignored), shallow first, each with its name, type, place and path
    (ancestors named as they were) of that day; units dissolved since are included.

    The scope is today's, as everywhere: a unit is found when the user may see it now."""
    if not fold(text):
        return []
    versions = list(
        UnitVersion.objects.on(day)
        .search(text)
        .visible_to(user, Action.ORGANISATION_VIEW)
        .select_related("unit_type", "unit")
        .order_by("depth", "path")[:limit]
    )
    wanted = {p for v in versions for p in ancestor_paths(v.path)}
    ancestors_then = {
        path: (unit_id, short_name or name, now_path)
        for path, unit_id, name, short_name, now_path in UnitVersion.objects.on(day)
        .filter(path__in=wanted)
        .values_list("path", "unit_id", "name", "short_name", "unit__path")
    }
    hits = []
    for v in versions:
        crumbs = []
        for p in ancestor_paths(v.path):
            if p in ancestors_then:
                unit_id, label, now_path = ancestors_then[p]
                visible = path_in_scope(user, Action.ORGANISATION_VIEW, now_path)
                crumbs.append(Crumb(unit_id, label, visible))
        hits.append(
            SearchHit(
                pk=v.unit_id,
                name=v.name,
                code=v.code,
                type_label=_type_label(v.unit_type),
                path=crumbs,
                place=place_of(v),
                dissolved_on=v.unit.dissolved_on,
                now_name=v.unit.name if v.unit.name != v.name else "",
            )
        )
    return hits


def unit_picker(
    user: Any,
    text: str,
    *,
    action: Action = Action.ORGANISATION_VIEW,
    active_only: bool = False,
    limit: int = 15,
) -> list[Unit]:
    """Units within the user's scope for `action` matching `text` (name, short name or code,
    diacritics and case ignored): the exact code first, then active units, shallow first. The
    navbar's "go to unit" and the unit fields of forms (`UnitPickerInput`)."""
    text = (text or "").strip()
    if not fold(text):
        return []
    qs = Unit.objects.visible_to(user, action)
    if active_only:
        qs = qs.filter(dissolved_on__isnull=True)
    return list(
        qs.search(text)
        .select_related("unit_type")
        .order_by(
            Case(When(code=text.upper(), then=0), default=1, output_field=IntegerField()),
            F("dissolved_on").asc(nulls_first=True),
            "depth",
            "path",
        )[:limit]
    )


def units_with_codes(
    user: Any, codes: Iterable[str], *, action: Action, active_only: bool = True
) -> list[Unit]:
    """The units of these codes within the user's scope for `action`, in the order given
    (codes of no such unit left out): what a unit field names, in words."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if not wanted:
        return []
    qs = Unit.objects.visible_to(user, action).filter(code__in=wanted)
    if active_only:
        qs = qs.filter(dissolved_on__isnull=True)
    by_code = {u.code: u for u in qs.select_related("unit_type")}
    return [by_code[c] for c in dict.fromkeys(wanted) if c in by_code]


# ---------------------------------------------------------------------------------------------
# The unit page


@dataclass
class HistoryRow:
    """A version of the unit with its parent's name on that date (the unit page)."""

    version: UnitVersion
    parent_label: str
    parent_visible: bool

    @property
    def place(self) -> str:
        """Address, commune and province of that period."""
        return place_of(self.version)


@dataclass
class LineageRow:
    """A lineage link seen from the unit: the unit on the other side, linked if visible."""

    link: LineageLink
    other: Unit
    visible: bool


@dataclass
class UnitSection:
    """A section of the unit page that an app above the organisation contributes (the awards
    a unit received, its gradings…): `context(user, unit)` builds what `template` shows, as
    `ctx`, or answers None when the section has nothing to say for this unit (a grading
    section on a district federation). The page has checked that the user may see the unit."""

    key: str
    title: Any
    template: str
    context: Callable[[Any, Unit], dict[str, Any] | None]


UNIT_SECTIONS: list[UnitSection] = []


def register_unit_section(section: UnitSection) -> None:
    """Add a section to the unit page, or replace the one with the same key."""
    for i, existing in enumerate(UNIT_SECTIONS):
        if existing.key == section.key:
            UNIT_SECTIONS[i] = section
            return
    UNIT_SECTIONS.append(section)


@dataclass
class RenderedUnitSection:
    key: str
    title: Any
    template: str
    context: dict[str, Any]


@dataclass
class UnitPage:
    """Everything the unit page shows."""

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
    sections: list[RenderedUnitSection] = field(default_factory=list)


def unit_history(user: Any, unit: Unit) -> list[HistoryRow]:
    """The unit's effective-dated versions, each with its parent's name on that date."""
    versions = history(unit)
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
    """The units this one came from and those it became, each marked visible or not."""
    data = lineage(unit)
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


def _current_committees(term: Term, today: dt.date) -> list[CommitteeBlock]:
    seats = CommitteeSeat.objects.filter(term=term).select_related("position")
    return committee_blocks(s for s in seats if is_current_seat(s, today))


def unit_page(user: Any, unit: Unit, *, today: dt.date | None = None) -> UnitPage:
    """Everything the unit page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    ancestors = crumbs_for(user, [unit])[unit.pk]
    all_children = children(unit, user, include_dissolved=True)
    terms = list(Term.objects.filter(unit=unit).order_by("-start_year", "-number"))
    term = current_term(terms, today)
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
        committees=_current_committees(term, today) if term is not None else [],
        cluster_memberships=memberships,
        organised_clusters=organised,
        history=unit_history(user, unit),
        came_from=came_from,
        became=became,
        sections=[
            RenderedUnitSection(s.key, s.title, s.template, ctx)
            for s in UNIT_SECTIONS
            if (ctx := s.context(user, unit)) is not None
        ],
    )


# ---------------------------------------------------------------------------------------------
# Audit trail (django-simple-history, read through congdoan.core.audit) and counts

# Codes that the unit's history stores, shown by name.
_UNIT_FORMATTERS = {
    "province_code": divisions.province_name,
    "ward_code": divisions.ward_name,
}


def unit_audit(unit: Unit, *, limit: int = 100) -> list[AuditEntry]:
    """Who changed what on this unit, newest first: each change with its value before and after."""
    return audit_trail(unit.history.all(), limit=limit, formatters=_UNIT_FORMATTERS)


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
