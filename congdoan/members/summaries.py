"""Per-unit member count summaries, kept up to date by the member services (no nightly rebuild).

Two tables (see the models):

- `MemberCountDelta`: per unit and day, the change in members and women (spells opened minus
  spells closed that day) and the flows of that day (admissions, exits by reason, transfers in and
  out, moves by reorganisation, Party referrals and admissions);
- `MemberCountSnapshot`: per unit, members and women at the end of every snapshot day: every
  31/12, and every month end since `MemberSummaryState.monthly_from` (the January of the year
  before the summaries were built), up to `snapshot_until` (the end of the last complete month).
  A missing row means zero members.

Members of a unit as of D = its row of the last snapshot day on or before D plus its deltas after
that day up to D: one row per unit plus at most a month of deltas (a year for dates before
`monthly_from`), see `counts.py`. The snapshots move on by themselves: the first write of a new
month adds the snapshots of the month just ended (one INSERT … SELECT); reads before that use
the older snapshot and more deltas.

Writes happen in the transaction of the service that changed spells or events:

- `record_admissions(rows)`: members admitted or re-admitted, `(unit_id, day, sex)` each;
- `record_transfers(rows, reorganisation=…)`: `(from_unit_id, to_unit_id, day, sex)` each;
- `record_exits(rows)`: `(unit_id, day, sex, reason)` each;
- `record_party(kind, unit_id, day)`: a Party referral or admission;
- `record_sex_change(member_id, sex)`: a corrected sex moves the member's spells between the
  women and men of every unit and day concerned;
- `refresh_units(unit_ids)`: recompute these units from spells and events (for bulk writes that
  bypass the services, e.g. an import through COPY; call it in the same transaction).

A past-dated change also updates every later snapshot. Large changes (imports) travel to
PostgreSQL through COPY into a temporary table and one INSERT … ON CONFLICT per table.
`rebuild()` recomputes everything and `differences()` compares the tables with spells and events
(`congdoan rebuild_member_summaries [--check]`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from congdoan.members.models import (
    EventKind,
    ExitReason,
    Member,
    MemberCountDelta,
    MemberCountSnapshot,
    MemberEvent,
    Membership,
    MemberSummaryState,
)

EXIT_COLUMNS: tuple[str, ...] = tuple(f"exits_{reason}" for reason in ExitReason.values)
STOCK_COLUMNS = ("members", "women")
FLOW_COLUMNS: tuple[str, ...] = (
    "admissions",
    "exits",
    *EXIT_COLUMNS,
    "transfers_in",
    "transfers_out",
    "reorg_in",
    "reorg_out",
    "party_referrals",
    "party_admissions",
)
COLUMNS: tuple[str, ...] = (*STOCK_COLUMNS, *FLOW_COLUMNS)

DELTA = MemberCountDelta._meta.db_table
SNAPSHOT = MemberCountSnapshot._meta.db_table
STATE = MemberSummaryState._meta.db_table
SPELL = Membership._meta.db_table
EVENT = MemberEvent._meta.db_table
MEMBER = Member._meta.db_table
_CHUNK = 500  # unit ids per IN (…) list


def exit_column(reason: str) -> str:
    """The column that counts exits for `reason` (unknown reasons count as "other")."""
    return f"exits_{reason}" if reason in ExitReason.values else "exits_other"


# ---------------------------------------------------------------------------------------------
# Changes in memory


_INDEX = {c: i for i, c in enumerate(COLUMNS)}


class Changes:
    """Counter changes per (unit id, day), applied to the tables by `apply()`."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, dt.date], list[int]] = {}

    def add(self, unit_id: int | None, day: dt.date, **counters: int) -> None:
        if unit_id is None:
            return
        row = self.rows.get((unit_id, day))
        if row is None:
            row = self.rows[(unit_id, day)] = [0] * len(COLUMNS)
        for name, n in counters.items():
            row[_INDEX[name]] += n

    def spell(self, unit_id: int, day: dt.date, sex: str, sign: int) -> None:
        """A spell opened (sign +1) or closed (−1) in `unit_id` on `day`."""
        self.add(unit_id, day, members=sign, women=sign if sex == "F" else 0)

    def apply(self) -> None:
        apply(self)


def record_admissions(rows: Iterable[tuple[int, dt.date, str]]) -> None:
    """Members admitted (or re-admitted): `(unit_id, day, sex)`; a spell opens, an admission
    counts."""
    changes = Changes()
    table = changes.rows
    m, w, a = _INDEX["members"], _INDEX["women"], _INDEX["admissions"]
    width = len(COLUMNS)
    for unit_id, day, sex in rows:  # the loop of imports: no keyword arguments here
        row = table.get((unit_id, day))
        if row is None:
            row = table[(unit_id, day)] = [0] * width
        row[m] += 1
        row[a] += 1
        if sex == "F":
            row[w] += 1
    apply(changes)


def record_transfers(
    rows: Iterable[tuple[int, int, dt.date, str]], *, reorganisation: bool
) -> None:
    """Members moved `(from_unit_id, to_unit_id, day, sex)`: by a transfer, or by a
    reorganisation (merge, split, dissolution into another unit)."""
    out_col, in_col = (
        ("reorg_out", "reorg_in") if reorganisation else ("transfers_out", "transfers_in")
    )
    changes = Changes()
    for from_id, to_id, day, sex in rows:
        changes.spell(from_id, day, sex, -1)
        changes.spell(to_id, day, sex, +1)
        changes.add(from_id, day, **{out_col: 1})
        changes.add(to_id, day, **{in_col: 1})
    apply(changes)


def record_exits(rows: Iterable[tuple[int, dt.date, str, str]]) -> None:
    """Members who left the union `(unit_id, day, sex, reason)`."""
    changes = Changes()
    for unit_id, day, sex, reason in rows:
        changes.spell(unit_id, day, sex, -1)
        changes.add(unit_id, day, exits=1, **{exit_column(reason): 1})
    apply(changes)


def record_party(kind: str, unit_id: int, day: dt.date) -> None:
    """A Party referral (EventKind.PARTY_REFERRAL) or admission (PARTY_ADMISSION) in a unit."""
    column = {
        EventKind.PARTY_REFERRAL: "party_referrals",
        EventKind.PARTY_ADMISSION: "party_admissions",
    }[EventKind(kind)]
    changes = Changes()
    changes.add(unit_id, day, **{column: 1})
    apply(changes)


def record_sex_change(member_id: int, sex: str) -> None:
    """The member's sex was corrected to `sex`: every spell changes the women it counts."""
    sign = 1 if sex == "F" else -1
    changes = Changes()
    for unit_id, start, end in Membership.objects.filter(member_id=member_id).values_list(
        "unit_id", "start", "end"
    ):
        changes.add(unit_id, start, women=sign)
        if end is not None:
            changes.add(unit_id, end, women=-sign)
    apply(changes)


# ---------------------------------------------------------------------------------------------
# Snapshot days


def month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _previous_month_end(day: dt.date) -> dt.date:
    """The last month end on or before `day`."""
    end = month_end(day)
    return end if end == day else day.replace(day=1) - dt.timedelta(days=1)


def _month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Month ends m with start ≤ m ≤ end."""
    out = []
    m = month_end(start)
    while m <= end:
        out.append(m)
        m = month_end(m + dt.timedelta(days=1))
    return out


@dataclass(frozen=True)
class Horizon:
    """Which snapshot days exist: every 31/12 up to `until`, every month end from
    `monthly_from` to `until`. `until` None: no snapshots yet."""

    until: dt.date | None
    monthly_from: dt.date | None

    def days_from(self, first: dt.date) -> list[dt.date]:
        """The snapshot days on or after `first` (in order)."""
        if self.until is None or first > self.until:
            return []
        days = {dt.date(y, 12, 31) for y in range(first.year, self.until.year + 1)}
        days = {d for d in days if first <= d <= self.until}
        if self.monthly_from is not None:
            days.update(_month_ends(max(first, self.monthly_from), self.until))
        return sorted(days)

    def base(self, day: dt.date) -> dt.date | None:
        """The last snapshot day on or before `day` (None: no snapshot before it)."""
        if self.until is None:
            return None
        d = min(day, self.until)
        m = _previous_month_end(d)
        if self.monthly_from is not None and m >= self.monthly_from:
            return m
        year_end = dt.date(d.year, 12, 31)
        return year_end if d == year_end else dt.date(d.year - 1, 12, 31)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _target() -> dt.date:
    """The snapshots go up to the end of the last complete month."""
    return timezone.localdate().replace(day=1) - dt.timedelta(days=1)


def _state(lock: str = "") -> tuple[bool, Horizon]:
    """(state row exists, horizon); `lock` "share" or "update" locks the row on PostgreSQL."""
    suffix = {"share": " FOR SHARE", "update": " FOR UPDATE"}.get(lock, "") if _pg() else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT snapshot_until, monthly_from FROM {STATE} WHERE id = 1{suffix}"  # noqa: S608
        )
        row = cursor.fetchone()
    if row is None:
        return False, Horizon(None, None)
    return True, Horizon(_as_date(row[0]), _as_date(row[1]))


def horizon() -> Horizon:
    """The snapshots that exist, for reads (no lock)."""
    return _state()[1]


def _create_state() -> None:
    """The state row, once (two first writers at the same time do not collide)."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {STATE} (id) VALUES (1) ON CONFLICT (id) DO NOTHING")  # noqa: S608


def _save_horizon(h: Horizon, *, rebuilt: bool = False) -> None:
    values: dict[str, Any] = {"snapshot_until": h.until, "monthly_from": h.monthly_from}
    if rebuilt:
        values["rebuilt_at"] = timezone.now()
    MemberSummaryState.objects.filter(pk=1).update(**values)


def _horizon_for_write() -> Horizon:
    """Bring the snapshots up to the last complete month if needed; lock the state row (shared)
    so that a roll-forward or rebuild cannot run while this transaction updates them."""
    target = _target()
    _exists, h = _state()
    if h.until is not None and h.until >= target:
        _state("share")
        return h
    exists, h = _state("update")
    if not exists:
        _create_state()
        _state("update")
    if h.until is not None and h.until >= target:  # another transaction did it meanwhile
        return h
    if h.until is None:
        h = Horizon(target, dt.date(target.year - 1, 1, 31))
        _build_snapshots(h)
    else:
        previous = h.until
        for day in _month_ends(previous + dt.timedelta(days=1), target):
            _roll_forward(previous, day)
            previous = day
        h = Horizon(target, h.monthly_from)
    _save_horizon(h)
    return h


def _roll_forward(previous: dt.date, day: dt.date) -> None:
    """Add the snapshots of `day`: those of `previous` plus the deltas in between."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SNAPSHOT} (unit_id, day, members, women)
            SELECT unit_id, %s, SUM(m), SUM(w) FROM (
                SELECT unit_id, members AS m, women AS w FROM {SNAPSHOT} WHERE day = %s
                UNION ALL
                SELECT unit_id, members, women FROM {DELTA} WHERE day > %s AND day <= %s
            ) t GROUP BY unit_id HAVING SUM(m) <> 0 OR SUM(w) <> 0
            """,  # noqa: S608
            [day, previous, previous, day],
        )


def _unit_filter(column: str, unit_ids: Sequence[int] | None) -> str:
    if unit_ids is None:
        return ""
    return f" AND {column} IN ({', '.join(str(int(u)) for u in unit_ids)})"


def _date_sql(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'" if _pg() else f"'{day.isoformat()}'"


def _bucket_sql(h: Horizon) -> str:
    """SQL of the snapshot day that first includes a delta's `day`: its month end from
    `monthly_from` on, its year end before."""
    if _pg():
        month = "CAST(date_trunc('month', day) + interval '1 month - 1 day' AS date)"
        year = "make_date(CAST(EXTRACT(YEAR FROM day) AS integer), 12, 31)"
    else:
        month = "date(day, 'start of month', '+1 month', '-1 day')"
        year = "date(day, 'start of year', '+1 year', '-1 day')"
    if h.monthly_from is None:
        return year
    return f"CASE WHEN {month} >= {_date_sql(h.monthly_from)} THEN {month} ELSE {year} END"


def _build_snapshots(h: Horizon, unit_ids: Sequence[int] | None = None) -> None:
    """Insert the snapshots of every snapshot day of `h` from the deltas (of these units)."""
    if h.until is None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(day) FROM {DELTA} WHERE day <= %s{_unit_filter('unit_id', unit_ids)}",  # noqa: S608
            [h.until],
        )
        first = _as_date(cursor.fetchone()[0])
        if first is None:
            return
        days = h.days_from(first)
        if not days:
            return
        values = ", ".join(f"({_date_sql(d)})" for d in days)
        bucket = _bucket_sql(h)
        per_bucket = (
            f"SELECT unit_id, {bucket} AS bucket, SUM(members) AS m, SUM(women) AS w "  # noqa: S608
            f"FROM {DELTA} WHERE day <= %s{_unit_filter('unit_id', unit_ids)} "
            f"GROUP BY unit_id, {bucket}"
        )
        cursor.execute(
            f"""
            INSERT INTO {SNAPSHOT} (unit_id, day, members, women)
            SELECT unit_id, day, m, w FROM (
                SELECT g.unit_id AS unit_id, g.day AS day,
                    SUM(COALESCE(b.m, 0)) OVER (
                        PARTITION BY g.unit_id ORDER BY g.day ROWS UNBOUNDED PRECEDING) AS m,
                    SUM(COALESCE(b.w, 0)) OVER (
                        PARTITION BY g.unit_id ORDER BY g.day ROWS UNBOUNDED PRECEDING) AS w
                FROM (
                    SELECT f.unit_id AS unit_id, s.column1 AS day
                    FROM (SELECT unit_id, MIN(bucket) AS first FROM ({per_bucket}) a
                          GROUP BY unit_id) f
                    JOIN (VALUES {values}) s ON s.column1 >= f.first
                ) g
                LEFT JOIN ({per_bucket}) b ON b.unit_id = g.unit_id AND b.bucket = g.day
            ) t WHERE m <> 0 OR w <> 0
            """,  # noqa: S608
            [h.until, h.until],
        )


def _upsert_sql(table: str, keys: Sequence[str], columns: Sequence[str], source: str = "") -> str:
    names = ", ".join([*keys, *columns])
    sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    if source:  # from a table: SQLite needs a WHERE before ON CONFLICT
        return (
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {source} WHERE true "  # noqa: S608
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
        )
    marks = ", ".join(["%s"] * (len(keys) + len(columns)))
    return (
        f"INSERT INTO {table} ({names}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )


def _upsert(
    table: str, keys: Sequence[str], key_types: Sequence[str], columns: Sequence[str], rows: list
) -> None:
    """Add `rows` (keys then columns) to `table`. Many rows on PostgreSQL: COPY into a temporary
    table, then one INSERT … ON CONFLICT (sorted, so that row locks are taken in order)."""
    if not rows:
        return
    if not _pg() or len(rows) < 200:
        rows.sort(key=lambda r: tuple(r[: len(keys)]))
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(table, keys, columns), rows)
        return
    temp = f"tmp_{table}"
    names = [*keys, *columns]
    types = [*key_types, *["integer"] * len(columns)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} "
            f"({', '.join(f'{n} {t}' for n, t in zip(names, types, strict=True))}) "
            "ON COMMIT DROP"
        )
        cursor.execute(f"TRUNCATE {temp}")
        with cursor.cursor.copy(f"COPY {temp} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        ordered = f"(SELECT * FROM {temp} ORDER BY {', '.join(keys)}) s"  # noqa: S608
        cursor.execute(_upsert_sql(table, keys, columns, ordered))


def apply(changes: Changes) -> None:
    """Add the changes to the deltas and to every later snapshot."""
    rows = [(key, c) for key, c in changes.rows.items() if any(c)]
    if not rows:
        return
    with transaction.atomic():
        h = _horizon_for_write()
        _upsert(
            DELTA,
            ("unit_id", "day"),
            ("bigint", "date"),
            COLUMNS,
            [(u, d, *c) for (u, d), c in rows],
        )
        if h.until is None:
            return
        # Stock changes per unit, then their running sums on every later snapshot day.
        m_i, w_i = _INDEX["members"], _INDEX["women"]
        per_unit: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
        for (unit_id, day), c in rows:
            if day <= h.until and (c[m_i] or c[w_i]):
                per_unit[unit_id].append((day, c[m_i], c[w_i]))
        if not per_unit:
            return
        first = min(day for changes_ in per_unit.values() for day, _m, _w in changes_)
        snapshot_days = h.days_from(first)
        snapshot_rows = []
        for unit_id, unit_changes in per_unit.items():
            unit_changes.sort()
            i, m, w = 0, 0, 0
            for day in snapshot_days:
                while i < len(unit_changes) and unit_changes[i][0] <= day:
                    m += unit_changes[i][1]
                    w += unit_changes[i][2]
                    i += 1
                if i and (m or w):
                    snapshot_rows.append((unit_id, day, m, w))
        _upsert(SNAPSHOT, ("unit_id", "day"), ("bigint", "date"), STOCK_COLUMNS, snapshot_rows)


# ---------------------------------------------------------------------------------------------
# Recomputing from spells and events


def _branch(unit: str, day: str, source: str, where: str, values: dict[str, str]) -> str:
    cols = ", ".join(f"{values.get(c, '0')} AS {c}" for c in COLUMNS)
    return f"SELECT {unit} AS unit_id, {day} AS day, {cols} FROM {source} WHERE {where}"  # noqa: S608


def expected_sql(unit_ids: Sequence[int] | None = None) -> str:
    """SELECT unit_id, day, <COLUMNS> recomputed from spells and events (of these units)."""
    women_in = "CASE WHEN m.sex = 'F' THEN 1 ELSE 0 END"
    women_out = "CASE WHEN m.sex = 'F' THEN -1 ELSE 0 END"
    spells = f"{SPELL} s JOIN {MEMBER} m ON m.id = s.member_id"
    f_spell = _unit_filter("s.unit_id", unit_ids)
    f_to = _unit_filter("e.to_unit_id", unit_ids)
    f_from = _unit_filter("e.from_unit_id", unit_ids)
    known = ", ".join(f"'{r}'" for r in ExitReason.values if r != ExitReason.OTHER)
    exit_values = {"exits": "1"}
    for reason in ExitReason.values:
        if reason == ExitReason.OTHER:
            exit_values["exits_other"] = f"CASE WHEN e.reason IN ({known}) THEN 0 ELSE 1 END"
        else:
            exit_values[f"exits_{reason}"] = f"CASE WHEN e.reason = '{reason}' THEN 1 ELSE 0 END"
    reorg = "CASE WHEN e.reorg_event_id IS NULL THEN {a} ELSE {b} END"
    events = f"{EVENT} e"
    branches = [
        _branch(
            "s.unit_id", "s.start", spells, f"1 = 1{f_spell}", {"members": "1", "women": women_in}
        ),
        _branch(
            "s.unit_id",
            's."end"',
            spells,
            f's."end" IS NOT NULL{f_spell}',
            {"members": "-1", "women": women_out},
        ),
        _branch(
            "e.to_unit_id",
            "e.date",
            events,
            f"e.kind = 'admit' AND e.to_unit_id IS NOT NULL{f_to}",
            {"admissions": "1"},
        ),
        _branch(
            "e.from_unit_id",
            "e.date",
            events,
            f"e.kind = 'exit' AND e.from_unit_id IS NOT NULL{f_from}",
            exit_values,
        ),
        _branch(
            "e.from_unit_id",
            "e.date",
            events,
            f"e.kind = 'transfer' AND e.from_unit_id IS NOT NULL{f_from}",
            {
                "transfers_out": reorg.format(a=1, b=0),
                "reorg_out": reorg.format(a=0, b=1),
            },
        ),
        _branch(
            "e.to_unit_id",
            "e.date",
            events,
            f"e.kind = 'transfer' AND e.to_unit_id IS NOT NULL{f_to}",
            {
                "transfers_in": reorg.format(a=1, b=0),
                "reorg_in": reorg.format(a=0, b=1),
            },
        ),
        _branch(
            "e.from_unit_id",
            "e.date",
            events,
            f"e.kind = 'party_referral' AND e.from_unit_id IS NOT NULL{f_from}",
            {"party_referrals": "1"},
        ),
        _branch(
            "e.from_unit_id",
            "e.date",
            events,
            f"e.kind = 'party_admission' AND e.from_unit_id IS NOT NULL{f_from}",
            {"party_admissions": "1"},
        ),
    ]
    sums = ", ".join(f"SUM({c}) AS {c}" for c in COLUMNS)
    nonzero = " OR ".join(f"SUM({c}) <> 0" for c in COLUMNS)
    union = "\nUNION ALL\n".join(branches)
    return (
        f"SELECT unit_id, day, {sums} FROM (\n{union}\n) t "  # noqa: S608
        f"GROUP BY unit_id, day HAVING {nonzero}"
    )


def _lock_all() -> Horizon:
    """Lock the state row exclusively (no summary writes meanwhile); returns the horizon."""
    exists, h = _state("update")
    if not exists:
        _create_state()
        _state("update")
    return h


@transaction.atomic
def rebuild() -> None:
    """Recompute every delta and snapshot from spells and events (month ends kept from the
    January of last year)."""
    _lock_all()
    target = _target()
    h = Horizon(target, dt.date(target.year - 1, 1, 31))
    cols = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SNAPSHOT}")  # noqa: S608
        cursor.execute(f"DELETE FROM {DELTA}")  # noqa: S608
        cursor.execute(f"INSERT INTO {DELTA} (unit_id, day, {cols}) {expected_sql()}")
    _build_snapshots(h)
    _save_horizon(h, rebuilt=True)


@transaction.atomic
def refresh_units(unit_ids: Iterable[int]) -> None:
    """Recompute the summaries of these units from their spells and events.

    For writes that bypass the services (bulk loads through COPY): call it in the same
    transaction, with every unit whose spells or events changed (both sides of transfers).
    """
    ids = sorted({int(u) for u in unit_ids})
    if not ids:
        return
    h = _lock_all()
    cols = ", ".join(COLUMNS)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        where = _unit_filter("unit_id", chunk)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {DELTA} WHERE 1 = 1{where}")  # noqa: S608
            cursor.execute(f"DELETE FROM {SNAPSHOT} WHERE 1 = 1{where}")  # noqa: S608
            cursor.execute(f"INSERT INTO {DELTA} (unit_id, day, {cols}) {expected_sql(chunk)}")
        _build_snapshots(h, chunk)
    if h.until is None or h.until < _target():
        _horizon_for_write()  # first write ever, or a new month: bring every unit up to it


# ---------------------------------------------------------------------------------------------
# Checking


@dataclass(frozen=True)
class Difference:
    table: str  # "delta" or "snapshot"
    unit_id: int
    key: str  # the day
    column: str
    stored: int
    expected: int


def _as_date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def differences(limit: int = 1000) -> list[Difference]:
    """Where the stored summaries disagree with a recomputation from spells and events."""
    out: list[Difference] = []
    with connection.cursor() as cursor:
        cursor.execute(expected_sql())
        expected = {(r[0], _as_date(r[1])): r[2:] for r in cursor.fetchall()}
        cursor.execute(f"SELECT unit_id, day, {', '.join(COLUMNS)} FROM {DELTA}")  # noqa: S608
        stored = {(r[0], _as_date(r[1])): r[2:] for r in cursor.fetchall()}
    zero = (0,) * len(COLUMNS)
    for key in sorted(set(expected) | set(stored)):
        a, b = stored.get(key, zero), expected.get(key, zero)
        if a == b:
            continue
        for col, x, y in zip(COLUMNS, a, b, strict=True):
            if x != y:
                out.append(Difference("delta", key[0], key[1].isoformat(), col, x, y))
        if len(out) >= limit:
            return out
    h = horizon()
    if h.until is None:
        return out
    # Snapshots: the running sum of the expected deltas on every snapshot day.
    per_unit: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for (unit_id, day), values in expected.items():
        if day <= h.until:
            per_unit[unit_id].append((day, values[0], values[1]))
    expected_snap: dict[tuple[int, dt.date], tuple[int, int]] = {}
    if per_unit:
        days = h.days_from(min(d for rows in per_unit.values() for d, _m, _w in rows))
        for unit_id, rows in per_unit.items():
            rows.sort()
            i, m, w = 0, 0, 0
            for day in days:
                while i < len(rows) and rows[i][0] <= day:
                    m, w, i = m + rows[i][1], w + rows[i][2], i + 1
                if m or w:
                    expected_snap[(unit_id, day)] = (m, w)
    stored_snap = {
        (u, y): (m, w)
        for u, y, m, w in MemberCountSnapshot.objects.values_list(
            "unit_id", "day", "members", "women"
        )
    }
    for snap_key in sorted(set(expected_snap) | set(stored_snap)):
        a, b = stored_snap.get(snap_key, (0, 0)), expected_snap.get(snap_key, (0, 0))
        for col, x, y in zip(STOCK_COLUMNS, a, b, strict=True):
            if x != y:
                out.append(Difference("snapshot", snap_key[0], str(snap_key[1]), col, x, y))
        if len(out) >= limit:
            break
    return out
