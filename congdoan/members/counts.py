"""Member counts as of a date and over a period: per unit, over a subtree, over a cluster.

Figures (`Figures`) for a period [date_from, date_to] (both days included):
- stock: members and women on `date_to` (spells open that day: start ≤ D < end), and members on
  the day before `date_from`;
- flows in the period: admissions (re-admissions included), exits (by reason), transfers in and
  out, moves by reorganisation in and out, Party referrals and admissions.

For a unit, members(date_to) = members(date_from − 1) + admissions + transfers in − transfers out
+ reorganisation in − reorganisation out − exits.

Subtrees follow the tree as it was: the stock on a day counts the units under the root on that
day; a flow counts where its unit stood on the day of the flow (a unit dissolved that day still
counts under its last parent). Transfers between two units of the same subtree are internal:
they are not counted in its totals (nor in a child's row when both units lie under that child).
Clusters total the subtrees of their member units of the year of `date_to`.

Everything reads the per-unit summaries (`summaries.py`); `members_from_spells` and
`flows_from_events` compute the same from the registers, for checks and tests.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q

from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_upper
from congdoan.core.text import sort_key
from congdoan.members.models import EventKind, ExitReason, MemberEvent, Membership
from congdoan.members.summaries import (
    DELTA,
    EVENT,
    EXIT_COLUMNS,
    FLOW_COLUMNS,
    SNAPSHOT,
    exit_column,
    horizon,
)
from congdoan.organisation.models import Cluster, ClusterMembership, Unit, UnitVersion
from congdoan.organisation.selectors import subtree_sums

VERSION = UnitVersion._meta.db_table
UNIT = Unit._meta.db_table
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """From `date_from` to `date_to`, both included; stocks are taken on `date_to`."""

    date_from: dt.date
    date_to: dt.date

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError("date_from after date_to")

    @classmethod
    def year_to_date(cls, day: dt.date) -> Period:
        return cls(dt.date(day.year, 1, 1), day)

    @property
    def start_day(self) -> dt.date:
        """The day of the stock at the start: the day before `date_from`."""
        return self.date_from - dt.timedelta(days=1)


@dataclass
class Figures:
    """The counts of one unit, subtree or cluster for a period (see the module docstring)."""

    members: int = 0
    women: int = 0
    members_at_start: int = 0
    women_at_start: int = 0
    admissions: int = 0
    exits: int = 0
    exits_by_reason: dict[str, int] = field(default_factory=dict)
    transfers_in: int = 0
    transfers_out: int = 0
    reorg_in: int = 0
    reorg_out: int = 0
    party_referrals: int = 0
    party_admissions: int = 0

    @property
    def men(self) -> int:
        return self.members - self.women

    @property
    def women_percent(self) -> float | None:
        return 100.0 * self.women / self.members if self.members else None

    @property
    def net_change(self) -> int:
        return self.members - self.members_at_start

    def add(self, other: Figures) -> None:
        for name in (
            "members",
            "women",
            "members_at_start",
            "women_at_start",
            *[c for c in FLOW_COLUMNS if c not in EXIT_COLUMNS],
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, n in other.exits_by_reason.items():
            self.exits_by_reason[reason] = self.exits_by_reason.get(reason, 0) + n

    def add_flows(self, values: dict[str, int]) -> None:
        for name in FLOW_COLUMNS:
            n = values.get(name, 0)
            if not n:
                continue
            if name in EXIT_COLUMNS:
                reason = name.removeprefix("exits_")
                self.exits_by_reason[reason] = self.exits_by_reason.get(reason, 0) + n
            else:
                setattr(self, name, getattr(self, name) + n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "women": self.women,
            "members_at_start": self.members_at_start,
            "women_at_start": self.women_at_start,
            "admissions": self.admissions,
            "exits": self.exits,
            "exits_by_reason": {r: self.exits_by_reason.get(r, 0) for r in ExitReason.values},
            "transfers_in": self.transfers_in,
            "transfers_out": self.transfers_out,
            "reorg_in": self.reorg_in,
            "reorg_out": self.reorg_out,
            "party_referrals": self.party_referrals,
            "party_admissions": self.party_admissions,
        }


@dataclass
class Row:
    """One line of a table: a unit (with its subtree, or only its own members when `direct`)."""

    unit_id: int
    code: str
    name: str
    figures: Figures
    direct: bool = False
    active: bool = True  # False: no longer in the tree on date_to (dissolved or moved away)


@dataclass
class SubtreeCounts:
    unit_id: int
    code: str
    name: str
    period: Period
    rows: list[Row]
    total: Figures
    existed: bool = True  # False: the unit did not exist during the period


@dataclass
class ClusterCounts:
    cluster_id: int
    code: str
    name: str
    year: int
    period: Period
    rows: list[Row]
    total: Figures
    hidden_units: int = 0  # member units outside the user's scope, not counted


# ---------------------------------------------------------------------------------------------
# SQL pieces


def _on(alias: str, day_sql: str) -> str:
    """Version `alias` valid on the day."""
    return (
        f"{alias}.valid_from <= {day_sql} AND ({alias}.valid_to IS NULL OR "
        f"{alias}.valid_to > {day_sql})"
    )


def _stock(day: dt.date, unit_filter: str, filter_params: list[Any]) -> tuple[str, list]:
    """SQL of (unit_id, m, w): members and women of each unit on `day`, from the last snapshot
    on or before `day` joined with the sum of the deltas after it (no large GROUP BY)."""
    base = horizon().base(day)
    if base is None:
        sql = (
            "SELECT unit_id, SUM(members) AS m, SUM(women) AS w "  # noqa: S608
            f"FROM {DELTA} WHERE day <= %s{unit_filter} GROUP BY unit_id"
        )
        return sql, [day, *filter_params]
    if base == day:
        sql = (
            "SELECT unit_id, members AS m, women AS w "  # noqa: S608
            f"FROM {SNAPSHOT} WHERE day = %s{unit_filter}"
        )
        return sql, [base, *filter_params]
    sql = (
        "SELECT COALESCE(s.unit_id, d.unit_id) AS unit_id, "  # noqa: S608
        "COALESCE(s.members, 0) + COALESCE(d.m, 0) AS m, "
        "COALESCE(s.women, 0) + COALESCE(d.w, 0) AS w "
        f"FROM (SELECT unit_id, members, women FROM {SNAPSHOT} WHERE day = %s{unit_filter}) s "
        "FULL OUTER JOIN (SELECT unit_id, SUM(members) AS m, SUM(women) AS w "
        f"FROM {DELTA} WHERE day > %s AND day <= %s{unit_filter} GROUP BY unit_id) d "
        "ON d.unit_id = s.unit_id"
    )
    return sql, [base, *filter_params, base, day, *filter_params]


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# ---------------------------------------------------------------------------------------------
# Per unit


def members_per_unit(
    day: dt.date, unit_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Members and women of each unit on `day` ({unit id: (members, women)}, units with none
    left out). Without `unit_ids`: every unit of the federation (one query)."""
    unit_filter = ""
    if unit_ids is not None:
        ids = sorted({int(u) for u in unit_ids})
        if not ids:
            return {}
        unit_filter = f" AND unit_id IN ({', '.join(map(str, ids))})"
    stock, params = _stock(day, unit_filter, [])
    rows = _rows(f"SELECT unit_id, m, w FROM ({stock}) t WHERE m <> 0 OR w <> 0", params)  # noqa: S608
    return {u: (int(m), int(w)) for u, m, w in rows}


def unit_figures(unit_ids: Iterable[int], period: Period) -> dict[int, Figures]:
    """Figures of each unit on its own (no units below it)."""
    ids = sorted({int(u) for u in unit_ids})
    out = {u: Figures() for u in ids}
    if not ids:
        return out
    for u, (m, w) in members_per_unit(period.date_to, ids).items():
        out[u].members, out[u].women = m, w
    for u, (m, w) in members_per_unit(period.date_from - ONE_DAY, ids).items():
        out[u].members_at_start, out[u].women_at_start = m, w
    sums = ", ".join(f"SUM({c})" for c in FLOW_COLUMNS)
    rows = _rows(
        f"SELECT unit_id, {sums} FROM {DELTA} WHERE day >= %s AND day <= %s "  # noqa: S608
        f"AND unit_id IN ({', '.join(map(str, ids))}) GROUP BY unit_id",
        [period.date_from, period.date_to],
    )
    for u, *values in rows:
        out[u].add_flows(dict(zip(FLOW_COLUMNS, (int(v) for v in values), strict=True)))
    return out


# ---------------------------------------------------------------------------------------------
# Over a subtree, as the tree was


def subtree_stocks(unit_ids: Iterable[int], day: dt.date) -> dict[int, tuple[int, int]]:
    """Members and women on `day` over each unit's subtree as it stood that day ({unit id:
    (members, women)}; units not in the tree that day left out): one query per subtree read,
    units under the same parent read together (`organisation.selectors.subtree_sums`)."""
    return subtree_sums(unit_ids, day, lambda path: _stock_by_prefix(path, day), (0, 0))


def _versions_of(unit_id: int, period: Period) -> list[tuple[str, dt.date, dt.date | None]]:
    """The root's versions that overlap the period: (path, valid_from, valid_to)."""
    return list(
        UnitVersion.objects.filter(unit_id=unit_id, valid_from__lte=period.date_to)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.date_from))
        .order_by("valid_from")
        .values_list("path", "valid_from", "valid_to")
    )


def _stock_by_prefix(root_path: str, day: dt.date) -> dict[str, tuple[int, int]]:
    """Members and women on `day` under `root_path` (the root's path that day), per child
    prefix (the root's own members under `root_path` itself)."""
    length = len(root_path) + Unit.steplen
    if len(root_path) == Unit.steplen or horizon().base(day) == day:
        # The whole federation, or a snapshot day: the join with the subtree's versions below
        # is filter enough (a second filter inside costs a lookup per unit: 2× on a province).
        # Between snapshots the filter keeps the sum of the deltas to the subtree.
        stock, params = _stock(day, "", [])
    else:
        unit_filter = (
            f" AND unit_id IN (SELECT v.unit_id FROM {VERSION} v WHERE {_on('v', '%s')} "  # noqa: S608
            "AND v.path >= %s AND v.path < %s)"
        )
        stock, params = _stock(day, unit_filter, [day, day, root_path, path_upper(root_path)])
    sql = (
        f"SELECT substr(v.path, 1, {length}) AS prefix, SUM(t.m), SUM(t.w) FROM ({stock}) t "  # noqa: S608
        f"JOIN {VERSION} v ON v.unit_id = t.unit_id AND {_on('v', '%s')} "
        f"WHERE v.path >= %s AND v.path < %s GROUP BY substr(v.path, 1, {length})"
    )
    rows = _rows(sql, [*params, day, day, root_path, path_upper(root_path)])
    return {p: (int(m), int(w)) for p, m, w in rows}


# A unit's place between two days: (path, first day, valid_to, ends on its dissolution day).
Interval = tuple[str, dt.date, "dt.date | None", bool]


def _covering(alias: str) -> str:
    """Version `alias` valid on every day from %s to %s (two parameters)."""
    return f"{alias}.valid_from <= %s AND ({alias}.valid_to IS NULL OR {alias}.valid_to > %s)"


def _place(intervals: list[Interval], day: dt.date) -> str | None:
    """Where a unit stood on `day`: the version valid that day, or the last one of a unit
    dissolved that day."""
    for path, first, valid_to, ends_dissolved in intervals:
        if first <= day and (
            valid_to is None or day < valid_to or (ends_dissolved and day == valid_to)
        ):
            return path
    return None


def _intervals_of(
    unit_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    known: dict[int, list[Interval]] | None = None,
) -> dict[int, list[Interval]]:
    """The versions of these units that overlap [start, end]; a unit founded and dissolved on
    the same day has none and stands where its row stands, on that day. `known`: the intervals
    read before over the same days (added to; units in it are not read again)."""
    out: dict[int, list[Interval]] = defaultdict(list)
    if known is not None:
        out.update(known)
    ids = sorted({int(u) for u in unit_ids} - set(out))
    if not ids:
        return dict(out)
    wanted, params = _any("v.unit_id", ids)
    rows = _rows(
        f"SELECT v.unit_id, v.path, v.valid_from, v.valid_to, u.dissolved_on "  # noqa: S608
        f"FROM {VERSION} v JOIN {UNIT} u ON u.id = v.unit_id WHERE {wanted} "
        "AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to >= %s)",
        [*params, end, start],
    )
    for unit_id, path, first, valid_to, dissolved in rows:
        first, valid_to = _as_day(first), _as_day(valid_to) if valid_to is not None else None
        dissolved = _as_day(dissolved) if dissolved is not None else None
        out[unit_id].append((path, first, valid_to, valid_to is not None and dissolved == valid_to))
    missing = [u for u in ids if u not in out]
    for offset in range(0, len(missing), 5000):
        for unit_id, path, founded, dissolved in Unit.objects.filter(
            pk__in=missing[offset : offset + 5000], founded_on=F("dissolved_on")
        ).values_list("id", "path", "founded_on", "dissolved_on"):
            out[unit_id].append((path, founded, dissolved, True))
    if known is not None:
        known.update(out)
    return dict(out)


def _unstable_sql(root_path: str, start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
    """SQL of the ids of the units under `root_path` at some time between `start` and `end`
    that did not stand there the whole time (moved, founded, dissolved, renamed...)."""
    upper = path_upper(root_path)
    sql = (
        f"SELECT v.unit_id FROM {VERSION} v WHERE v.path >= %s AND v.path < %s "  # noqa: S608
        "AND v.valid_from <= %s AND (v.valid_to IS NULL OR v.valid_to >= %s) "
        f"AND NOT ({_covering('v')}) "
        f"UNION SELECT u.id FROM {UNIT} u WHERE u.path >= %s AND u.path < %s "
        "AND u.founded_on = u.dissolved_on AND u.founded_on >= %s AND u.founded_on <= %s"
    )
    return sql, [root_path, upper, end, start, start, end, root_path, upper, start, end]


def _unstable(root_path: str, start: dt.date, end: dt.date) -> list[int]:
    """The ids of `_unstable_sql`."""
    sql, params = _unstable_sql(root_path, start, end)
    return [int(r[0]) for r in _rows(sql, params)]


def _any(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL (and its parameters) of `column` being one of `ids`: on PostgreSQL one array
    parameter — an index lookup per id, and no placeholder per id to convert (thousands of ids
    for a province in a year of reorganisation) —, elsewhere the ids written out."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN ({', '.join(str(int(i)) for i in ids) or 'NULL'})", []


def _flows_by_prefix(
    root_path: str, start: dt.date, end: dt.date, known: dict[int, list[Interval]] | None = None
) -> dict[str, dict[str, int]]:
    """Flows between `start` and `end` (both included) of the units under `root_path` on the
    day of each flow, per child prefix.

    Units that stood in one place the whole period (all of them in a year without
    reorganisation) are summed per unit in SQL and placed once; the others are placed day by
    day."""
    length = len(root_path) + Unit.steplen
    upper = path_upper(root_path)
    cols = ", ".join(f"SUM({c}) AS {c}" for c in FLOW_COLUMNS)
    sums = ", ".join(f"SUM(x.{c})" for c in FLOW_COLUMNS)
    subtree = ""
    params: list[Any] = []
    if len(root_path) > Unit.steplen:  # below the federation root: only this subtree's units
        subtree = (
            f" AND unit_id IN (SELECT v.unit_id FROM {VERSION} v WHERE v.path >= %s "  # noqa: S608
            f"AND v.path < %s AND {_covering('v')})"
        )
        params = [root_path, upper, start, end]
    sql = (
        f"SELECT substr(v.path, 1, {length}), {sums} FROM {VERSION} v JOIN ("  # noqa: S608
        f"SELECT unit_id, {cols} FROM {DELTA} WHERE day >= %s AND day <= %s{subtree} "
        "GROUP BY unit_id) x ON x.unit_id = v.unit_id "
        f"WHERE v.path >= %s AND v.path < %s AND {_covering('v')} "
        f"GROUP BY substr(v.path, 1, {length})"
    )
    out: dict[str, dict[str, int]] = {}
    for prefix, *values in _rows(sql, [start, end, *params, root_path, upper, start, end]):
        out[prefix] = dict(zip(FLOW_COLUMNS, (int(v or 0) for v in values), strict=True))
    # The others, day by day.
    unstable, uparams = _any("unit_id", _unstable(root_path, start, end))
    flows = ", ".join(FLOW_COLUMNS)
    rows = _rows(
        f"SELECT unit_id, day, {flows} FROM {DELTA} WHERE day >= %s AND day <= %s "  # noqa: S608
        f"AND {unstable}",
        [start, end, *uparams],
    )
    if rows:
        places = _intervals_of({r[0] for r in rows}, start, end, known)
        for unit_id, day, *values in rows:
            path = _place(places.get(unit_id, []), _as_day(day))
            if path is None or not path.startswith(root_path):
                continue
            bucket = out.setdefault(path[:length], dict.fromkeys(FLOW_COLUMNS, 0))
            for c, n in zip(FLOW_COLUMNS, values, strict=True):
                bucket[c] += int(n)
    return out


def _internal_transfers(
    root_path: str, start: dt.date, end: dt.date, known: dict[int, list[Interval]] | None = None
) -> list[tuple[str, str, bool, int]]:
    """Transfers between two units that were both under `root_path` on the day:
    (from prefix, to prefix, by reorganisation, count)."""
    length = len(root_path) + Unit.steplen
    upper = path_upper(root_path)
    reorg = "CASE WHEN e.reorg_event_id IS NULL THEN 0 ELSE 1 END"
    # Both units stood in the subtree the whole period: placed by a join on the unit alone.
    sql = (
        f"SELECT substr(f.path, 1, {length}), substr(t.path, 1, {length}), {reorg}, COUNT(*) "  # noqa: S608
        f"FROM {EVENT} e "
        f"JOIN {VERSION} f ON f.unit_id = e.from_unit_id AND f.path >= %s AND f.path < %s "
        f"AND {_covering('f')} "
        f"JOIN {VERSION} t ON t.unit_id = e.to_unit_id AND t.path >= %s AND t.path < %s "
        f"AND {_covering('t')} "
        "WHERE e.kind = %s AND e.date >= %s AND e.date <= %s "
        f"GROUP BY substr(f.path, 1, {length}), substr(t.path, 1, {length}), {reorg}"
    )
    params = [root_path, upper, start, end, root_path, upper, start, end]
    counts: Counter[tuple[str, str, bool]] = Counter()
    for pf, pt, r, n in _rows(sql, [*params, EventKind.TRANSFER.value, start, end]):
        counts[(pf, pt, bool(r))] += int(n)
    # Transfers from or to a unit that did not stand still: placed day by day.
    ids = _unstable(root_path, start, end)
    if len(ids) <= 2000:
        from_unstable, from_params = _any("e.from_unit_id", ids)
        to_unstable, to_params = _any("e.to_unit_id", ids)
    else:  # two lookups per id in two indexes cost more than a semi-join (HCM 2025: 170/80 ms)
        sql, params = _unstable_sql(root_path, start, end)
        from_unstable, from_params = f"e.from_unit_id IN ({sql})", params
        to_unstable, to_params = f"e.to_unit_id IN ({sql})", params
    rows = _rows(
        f"SELECT e.date, e.from_unit_id, e.to_unit_id, {reorg} FROM {EVENT} e "  # noqa: S608
        "WHERE e.kind = %s AND e.date >= %s AND e.date <= %s "
        f"AND ({from_unstable} OR {to_unstable})",
        [EventKind.TRANSFER.value, start, end, *from_params, *to_params],
    )
    if rows:
        places = _intervals_of({r[1] for r in rows} | {r[2] for r in rows}, start, end, known)
        for day, from_id, to_id, r in rows:
            pf = _place(places.get(from_id, []), _as_day(day))
            pt = _place(places.get(to_id, []), _as_day(day))
            if pf and pt and pf.startswith(root_path) and pt.startswith(root_path):
                counts[(pf[:length], pt[:length], bool(r))] += 1
    return [(pf, pt, r, n) for (pf, pt, r), n in counts.items()]


def _as_day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _children(
    versions: list[tuple[str, dt.date, dt.date | None]], start: dt.date, end: dt.date
) -> dict[str, tuple[int, str, str, dt.date, dt.date | None]]:
    """The units directly under the root (in any of its versions) between `start` and `end`:
    {path: (unit id, code, name, valid_from, valid_to)}, the latest version of each path."""
    q = Q(pk__in=[])
    for path, _f, _t in versions:
        q |= Q(path__gte=path, path__lt=path_upper(path), depth=len(path) // Unit.steplen + 1)
    rows = (
        UnitVersion.objects.filter(q, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("valid_from")
        .values_list("path", "unit_id", "code", "short_name", "name", "valid_from", "valid_to")
    )
    out: dict[str, tuple[int, str, str, dt.date, dt.date | None]] = {}
    for path, unit_id, code, short_name, name, valid_from, valid_to in rows:
        out[path] = (unit_id, code, short_name or name, valid_from, valid_to)
    return out


def _prefix_units(
    prefixes: Iterable[str], start: dt.date, end: dt.date
) -> dict[str, tuple[int, str, str]]:
    """Units founded and dissolved on the same day (they have no version), by path."""
    wanted = set(prefixes)
    if not wanted:
        return {}
    return {
        path: (unit_id, code, short_name or name)
        for path, unit_id, code, short_name, name in Unit.objects.filter(
            path__in=wanted, founded_on__gte=start, founded_on__lte=end
        ).values_list("path", "id", "code", "short_name", "name")
    }


def subtree_counts(unit: Unit, period: Period, *, by_name: bool = True) -> SubtreeCounts:
    """Figures of `unit` and the units below it, as the tree was: one row for the unit's own
    members, one per child (with the units below it), and the total. The rows are in the order
    of the page (the unit, then the units below by Vietnamese name), or, `by_name=False`, in no
    particular order (for figures: a province's 3,000 names cost a fifth of a second)."""
    day = period.date_to
    start_day = period.date_from - ONE_DAY
    versions = _versions_of(unit.pk, period)
    label = unit.short_name or unit.name
    if not versions:
        return SubtreeCounts(unit.pk, unit.code, label, period, [], Figures(), existed=False)

    by_prefix: dict[str, Figures] = defaultdict(Figures)

    def root_path_on(d: dt.date) -> str | None:
        """The root's path on a day: where its subtree was."""
        return next((p for p, f, t in versions if f <= d and (t is None or t > d)), None)

    end_path, start_path = root_path_on(day), root_path_on(start_day)
    if end_path is not None:
        for prefix, (m, w) in _stock_by_prefix(end_path, day).items():
            by_prefix[prefix].members, by_prefix[prefix].women = m, w
    if start_path is not None:
        for prefix, (m, w) in _stock_by_prefix(start_path, start_day).items():
            by_prefix[prefix].members_at_start = m
            by_prefix[prefix].women_at_start = w
    internal: Counter[tuple[str, bool]] = Counter()  # transfers inside a child, per prefix
    internal_total: Counter[bool] = Counter()
    for path, valid_from, valid_to in versions:
        start = max(period.date_from, valid_from)
        end = min(period.date_to, valid_to) if valid_to is not None else period.date_to
        if valid_to is not None and end == valid_to and unit.dissolved_on != valid_to:
            end = valid_to - ONE_DAY  # that day belongs to the next version
        if start > end:
            continue
        known: dict[int, list[Interval]] = {}  # where the units stood, read once for both
        for prefix, values in _flows_by_prefix(path, start, end, known).items():
            by_prefix[prefix].add_flows(values)
        for pf, pt, reorg, n in _internal_transfers(path, start, end, known):
            internal_total[reorg] += n
            if pf == pt:
                internal[(pf, reorg)] += n

    for (prefix, reorg), n in internal.items():
        f = by_prefix[prefix]
        if reorg:
            f.reorg_in -= n
            f.reorg_out -= n
        else:
            f.transfers_in -= n
            f.transfers_out -= n

    children = _children(versions, start_day, day)
    root_paths = {p for p, _f, _t in versions}
    others = _prefix_units(
        [p for p in by_prefix if p not in children and p not in root_paths], start_day, day
    )
    rows: list[Row] = []
    total = Figures()
    for prefix, figures in by_prefix.items():
        total.add(figures)
        if prefix in root_paths:
            rows.append(Row(unit.pk, unit.code, label, figures, direct=True))
            continue
        if prefix in children:
            unit_id, code, name, valid_from, valid_to = children[prefix]
            active = valid_from <= day and (valid_to is None or valid_to > day)
            rows.append(Row(unit_id, code, name, figures, active=active))
            continue
        unit_id, code, name = others.get(prefix, (0, "", prefix))
        rows.append(Row(unit_id, code, name, figures, active=False))
    # Internal transfers of the subtree as a whole: rows counted them gross.
    total.transfers_in -= internal_total[False]
    total.transfers_out -= internal_total[False]
    total.reorg_in -= internal_total[True]
    total.reorg_out -= internal_total[True]
    for (_prefix, reorg), n in internal.items():  # already taken off the child rows
        if reorg:
            total.reorg_in += n
            total.reorg_out += n
        else:
            total.transfers_in += n
            total.transfers_out += n
    merged: dict[int, Row] = {}
    for row in rows:  # a child that moved inside the subtree appears under two paths
        if row.unit_id in merged and not row.direct and not merged[row.unit_id].direct:
            merged[row.unit_id].figures.add(row.figures)
            merged[row.unit_id].active = merged[row.unit_id].active or row.active
        else:
            merged.setdefault(row.unit_id, row)
    ordered = list(merged.values())
    if by_name:
        ordered.sort(key=lambda r: (not r.direct, not r.active, sort_key(r.name)))
    return SubtreeCounts(unit.pk, unit.code, label, period, ordered, total)


# ---------------------------------------------------------------------------------------------
# Over a cluster


def cluster_counts(cluster: Cluster, period: Period, *, user: Any = None) -> ClusterCounts:
    """Figures of each member unit of the cluster (in the year of `date_to`) with the units below
    it, and the total. With `user`: only member units within their "members.view" scope."""
    year = period.date_to.year
    memberships = list(
        ClusterMembership.objects.filter(cluster=cluster, year=year).select_related("unit")
    )
    hidden = 0
    units: list[Unit] = []
    for m in memberships:
        if user is not None and not path_in_scope(user, Action.MEMBERS_VIEW, m.unit.path):
            hidden += 1
            continue
        units.append(m.unit)
    # A member unit inside another member unit's subtree is already counted there.
    units.sort(key=lambda u: u.path)
    tops: list[Unit] = []
    for u in units:
        if not any(u.path.startswith(t.path) for t in tops):
            tops.append(u)
    rows: list[Row] = []
    total = Figures()
    for u in units:
        counts = subtree_counts(u, period)
        rows.append(Row(u.pk, u.code, u.short_name or u.name, counts.total, active=u.is_active))
        if u in tops:
            total.add(counts.total)
    rows.sort(key=lambda r: sort_key(r.name))
    return ClusterCounts(
        cluster.pk, cluster.code, cluster.name, year, period, rows, total, hidden_units=hidden
    )


# ---------------------------------------------------------------------------------------------
# The same from the registers (spells and events), for checks and tests


def members_from_spells(
    day: dt.date, unit_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Members and women per unit on `day`, counted from the spells."""
    qs = Membership.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    rows = qs.values("unit_id").annotate(m=Count("id"), w=Count("id", filter=Q(member__sex="F")))
    return {r["unit_id"]: (r["m"], r["w"]) for r in rows if r["m"] or r["w"]}


def flows_from_events(period: Period, unit_ids: Iterable[int] | None = None) -> dict[int, Figures]:
    """Flows per unit in the period, counted from the member events."""
    qs = MemberEvent.objects.filter(date__gte=period.date_from, date__lte=period.date_to)
    out: dict[int, Figures] = defaultdict(Figures)
    rows = qs.values_list("kind", "from_unit_id", "to_unit_id", "reason", "reorg_event_id")
    wanted = set(unit_ids) if unit_ids is not None else None

    def bump(unit_id: int | None, **values: int) -> None:
        if unit_id is not None and (wanted is None or unit_id in wanted):
            out[unit_id].add_flows(values)

    for kind, from_id, to_id, reason, reorg in rows:
        if kind == EventKind.ADMIT:
            bump(to_id, admissions=1)
        elif kind == EventKind.EXIT:
            bump(from_id, exits=1, **{exit_column(reason): 1})
        elif kind == EventKind.TRANSFER:
            bump(from_id, **{"reorg_out" if reorg else "transfers_out": 1})
            bump(to_id, **{"reorg_in" if reorg else "transfers_in": 1})
        elif kind == EventKind.PARTY_REFERRAL:
            bump(from_id, party_referrals=1)
        elif kind == EventKind.PARTY_ADMISSION:
            bump(from_id, party_admissions=1)
    return dict(out)
