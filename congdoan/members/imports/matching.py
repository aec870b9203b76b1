"""Duplicates and matching: within the file, and against every member of the federation.

A row is the member it names when the citizen ID or the card number matches (anywhere in the
federation), or else, for a row without either, when exactly one current member of the same unit
has the same folded name and date of birth. A match in the same unit is an update (only the
cells the file fills are compared; an empty cell never erases data) or unchanged; a match in
another unit, or a former member, is an error that names the unit and suggests a transfer (or
re-admission). Rows without a match are new members.

The database is read in a few set queries, never per row: on PostgreSQL one `= ANY(array)`
query per key, elsewhere chunks of `IN (…)`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.members import cccd
from congdoan.members.imports.rows import FIELD_COLUMN, Context, Row

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
CURRENT = ("active", "suspended")
# Fields an import may change on an existing member (the unit and the admission date are
# lifecycle facts: transfers and corrections go through their own services).
UPDATABLE = (
    "family_name", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id",
    "ethnicity_id", "religion_id", "phone", "email", "hometown", "address", "general_education",
    "professional_level", "political_theory", "job_title", "workplace", "card_number",
    "card_issued_on", "salary_base", "hardship", "disability", "party_member",
    "party_joined_on", "note",
)  # fmt: skip
SQLITE_CHUNK = 900
PG_CHUNK = 50_000


VALUE_COLUMNS = ("admitted_on", *UPDATABLE)


class Existing:
    """A stored member, as much as matching needs (read with raw SQL: fast for 10⁵ rows)."""

    __slots__ = (
        "_unit",
        "exited_on",
        "id",
        "name_fold",
        "status",
        "unit_id",
        "unit_path",
        "values",
    )

    def __init__(self, row: Sequence[Any]):
        self.id: int = row[0]
        self.unit_id: int = row[1]
        self._unit = (row[2], row[3], row[4])
        self.unit_path: str = row[5]
        self.status: str = row[6]
        self.exited_on: dt.date | None = _as_date(row[7])
        self.name_fold: str = row[8]
        self.values: dict[str, Any] = dict(zip(VALUE_COLUMNS, row[9:], strict=True))
        for name in ("admitted_on", "date_of_birth", "card_issued_on", "party_joined_on"):
            self.values[name] = _as_date(self.values[name])

    @property
    def unit_label(self) -> str:
        short, name, code = self._unit
        return f"{short or name} ({code})"

    @property
    def citizen_id(self) -> str | None:
        return self.values["citizen_id"]

    @property
    def card_number(self) -> str | None:
        return self.values["card_number"]

    @property
    def date_of_birth(self) -> dt.date | None:
        return self.values["date_of_birth"]

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT


def _as_date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass
class Planned:
    row: Row
    action: str = CREATE
    member_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    similar: list[int] = field(default_factory=list)  # same name and birth date: flag them
    similar_rows: list[int] = field(default_factory=list)  # … and new rows of this file


_COLUMNS = (
    "m.id, m.unit_id, u.short_name, u.name, u.code, u.path, m.status, m.exited_on, m.name_fold, "
    + ", ".join(f"m.{c}" for c in VALUE_COLUMNS)
)
_EXISTING_SQL = (
    f"SELECT {_COLUMNS} FROM members_member m JOIN organisation_unit u ON u.id = m.unit_id "  # noqa: S608 - constant names
)
# PostgreSQL: one index probe per key (LATERAL with an OFFSET 0 fence, so that the planner does
# not flatten it), about 5 µs a key whatever the size of the table; a plain join or `= ANY` of
# 10⁵ keys makes the planner scan (and sort or hash) the whole member table instead.
# The keys travel as one string split by PostgreSQL: psycopg takes ~10 µs a value to write an
# array parameter (1 s for 10⁵ names and dates).
SEP = "\x1f"
_BY_KEY_PG = (
    f"SELECT {_COLUMNS} FROM unnest(string_to_array(%s, chr(31))) AS k(v) "  # noqa: S608 - constant names
    "CROSS JOIN LATERAL (SELECT * FROM members_member x WHERE x.{column} = k.v OFFSET 0) m "
    "JOIN organisation_unit u ON u.id = m.unit_id"
)
_SAME_PERSON_PG = (
    f"SELECT {_COLUMNS} FROM unnest(string_to_array(%s, chr(31)), "  # noqa: S608 - constant names
    "string_to_array(%s, chr(31))::date[]) AS k(n, d) "
    "CROSS JOIN LATERAL (SELECT * FROM members_member x "
    "WHERE x.name_fold = k.n AND x.date_of_birth = k.d OFFSET 0) m "
    "JOIN organisation_unit u ON u.id = m.unit_id"
)


@contextmanager
def _cursor() -> Iterator[Any]:
    """A cursor; on PostgreSQL without JIT, whose compile time (0.5 s) would exceed the run
    time of these index probes."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            yield cursor
            return
        cursor.execute("SET jit = off")
        try:
            yield cursor
        finally:
            cursor.execute("RESET jit")


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _joined(values: list[str]) -> str:
    if any(SEP in v for v in values):  # never in checked text (no control characters)
        raise ValueError("separator in a key")
    return SEP.join(values)


def fetch_by_ids(citizen_ids: Iterable[str], card_numbers: Iterable[str]) -> list[Existing]:
    """Members holding one of these citizen IDs or card numbers (one query on PostgreSQL)."""
    cids = sorted(set(citizen_ids))
    cards = sorted(set(card_numbers))
    found: dict[int, Existing] = {}
    if not cids and not cards:
        return []
    with _cursor() as cursor:
        for column, values in (("citizen_id", cids), ("card_number", cards)):
            if connection.vendor == "postgresql":
                for chunk in _chunks(values, PG_CHUNK):
                    cursor.execute(_BY_KEY_PG.replace("{column}", column), [_joined(chunk)])
                    for r in cursor.fetchall():
                        if r[0] not in found:
                            found[r[0]] = Existing(r)
                continue
            for chunk in _chunks(values, SQLITE_CHUNK):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(_EXISTING_SQL + f"WHERE m.{column} IN ({marks})", chunk)
                for r in cursor.fetchall():
                    if r[0] not in found:
                        found[r[0]] = Existing(r)
    return list(found.values())


def fetch_same_person(pairs: Iterable[tuple[str, dt.date]]) -> list[Existing]:
    """Members with one of the (folded name, date of birth) pairs."""
    wanted = sorted(set(pairs))
    out: list[Existing] = []
    if not wanted:
        return out
    with _cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in _chunks(wanted, PG_CHUNK):
                joined_names = _joined([n for n, _d in chunk])
                cursor.execute(
                    _SAME_PERSON_PG, [joined_names, _joined([d.isoformat() for _n, d in chunk])]
                )
                out.extend(Existing(r) for r in cursor.fetchall())
        else:
            keys = set(wanted)
            names = sorted({n for n, _d in wanted})
            for chunk in _chunks(names, SQLITE_CHUNK):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    _EXISTING_SQL
                    + f"WHERE m.name_fold IN ({marks}) AND m.date_of_birth IS NOT NULL",
                    chunk,
                )
                for r in cursor.fetchall():
                    e = Existing(r)
                    if (e.name_fold, e.date_of_birth) in keys:
                        out.append(e)
    return out


# ---------------------------------------------------------------------------------------------


def _sees(actor: Any, existing: Existing) -> bool:
    return actor is None or path_in_scope(actor, Action.MEMBERS_VIEW, existing.unit_path)


def _other_unit_message(existing: Existing, what: str, *, visible: bool) -> str:
    """Why a row may not name a member of another unit: that unit only inside the actor's
    scope, otherwise nothing that tells where the person is."""
    if not visible:
        if existing.is_current and what == "citizen_id":
            return _(
                "This citizen ID is already registered to a member of a unit outside your scope. "
                "A person is a member once: request a transfer to your unit from the admission "
                "form; the unit that holds the record decides."
            )
        if existing.is_current:
            return _(
                "This card number belongs to a member of a unit outside your scope. A person is "
                "a member once: request a transfer to your unit from the admission form; the "
                "unit that holds the record decides."
            )
        return _(
            "This belongs to a former member whose record lies outside your scope: re-admit "
            "that record from the admission form instead of creating a new one."
        )
    if existing.is_current:
        if what == "citizen_id":
            return _(
                "This citizen ID is already registered to a member of %(unit)s. A person is a "
                "member once: request a transfer to your unit instead."
            ) % {"unit": existing.unit_label}
        return _(
            "This card number belongs to a member of %(unit)s. A person is a member once: "
            "request a transfer to your unit instead."
        ) % {"unit": existing.unit_label}
    return _(
        "This belongs to a former member (left on %(day)s, last unit %(unit)s): re-admit that "
        "record instead of creating a new one."
    ) % {"day": short_date(existing.exited_on), "unit": existing.unit_label}


def plan_rows(
    rows: list[Row], ctx: Context, *, actor: Any = None, where: str = ""
) -> list[Planned]:
    """Decide create / update / unchanged for every row; add errors and warnings to rows.

    The steps: rows against each other (`WITHIN_FILE`), the database read in a few set
    queries (`_fetch_matches`), each row against what was found (`_plan_row`), the look-ups
    this counts (`_count_lookups`), new rows alike (`_flag_similar_new_rows`), and what an
    update changes (`_finish`).

    Raises `lookups.LookupLimitReached` (for the whole file, naming no row) when the rows that
    name members of other units are more than the actor's look-ups left (`_count_lookups`)."""
    seen = _FileKeys()
    for r in rows:
        for check in WITHIN_FILE:
            check(r, seen)
    found = _fetch_matches(rows, seen)
    matched_by: dict[int, int] = {}  # member id → row
    planned = [_plan_row(r, found, matched_by, actor) for r in rows]
    if actor is not None:
        _count_lookups(planned, actor, where)
    _flag_similar_new_rows(planned)
    for p in planned:
        _finish(p, found.known)
    return planned


# -- 1. Rows against each other ----------------------------------------------------------------


@dataclass
class _FileKeys:
    """The first row of the file with each citizen ID, card number and (name, birth date)."""

    cid: dict[str, int] = field(default_factory=dict)
    card: dict[str, int] = field(default_factory=dict)
    person: dict[tuple[str, dt.date], int] = field(default_factory=dict)


def _repeated_citizen_id(r: Row, seen: _FileKeys) -> None:
    cid = r.values.get("citizen_id")
    if not cid:
        return
    other = seen.cid.setdefault(cid, r.row)
    if other != r.row:
        r.errors.append(
            (
                "citizen_id",
                _("The same citizen ID is on rows %(first)s and %(row)s: one person per row.")
                % {"first": other, "row": r.row},
            )
        )


def _repeated_card(r: Row, seen: _FileKeys) -> None:
    card = r.values.get("card_number")
    if not card:
        return
    other = seen.card.setdefault(card, r.row)
    if other != r.row:
        r.errors.append(
            (
                "card_number",
                _("The same card number is on rows %(first)s and %(row)s.")
                % {"first": other, "row": r.row},
            )
        )


def _repeated_person(r: Row, seen: _FileKeys) -> None:
    """A row without citizen ID or card number is recognised by its name and date of birth:
    it needs the date, and no other such row may have the same two."""
    v = r.values
    if v.get("citizen_id") or v.get("card_number") or not r.name_fold:
        return
    born = v.get("date_of_birth")
    if born is None:
        r.errors.append(
            (
                "date_of_birth",
                _(
                    "Give at least the citizen ID, the card number or the date of birth: "
                    "without them the member cannot be recognised when the file is "
                    "imported again."
                ),
            )
        )
        return
    other = seen.person.setdefault((r.name_fold, born), r.row)
    if other != r.row:
        r.errors.append(
            (
                "date_of_birth",
                _(
                    "Rows %(first)s and %(row)s have the same name and date of birth "
                    "and neither a citizen ID nor a card number: add one to tell "
                    "them apart, or delete the repeated row."
                )
                % {"first": other, "row": r.row},
            )
        )


WITHIN_FILE: tuple[Callable[[Row, _FileKeys], None], ...] = (
    _repeated_citizen_id,
    _repeated_card,
    _repeated_person,
)


# -- 2. The database ---------------------------------------------------------------------------


@dataclass
class _Matches:
    """Stored members that rows of the file may name."""

    by_cid: dict[str, Existing]
    by_card: dict[str, Existing]
    same_person: dict[tuple[str, dt.date], list[Existing]]
    known: dict[int, Existing]


def _fetch_matches(rows: list[Row], seen: _FileKeys) -> _Matches:
    """Members with the file's citizen IDs or card numbers, then those with the name and date
    of birth of the rows that matched neither (a few set queries)."""
    by_cid: dict[str, Existing] = {}
    by_card: dict[str, Existing] = {}
    for e in fetch_by_ids(seen.cid, seen.card):
        if e.citizen_id in seen.cid:
            by_cid[e.citizen_id] = e
        if e.card_number in seen.card:
            by_card[e.card_number] = e
    people = fetch_same_person(
        (r.name_fold, r.values["date_of_birth"])
        for r in rows
        if r.name_fold
        and r.values.get("date_of_birth")
        and r.values.get("citizen_id") not in by_cid
        and r.values.get("card_number") not in by_card
    )
    same_person: dict[tuple[str, dt.date], list[Existing]] = defaultdict(list)
    for e in people:
        if e.date_of_birth is not None:
            same_person[(e.name_fold, e.date_of_birth)].append(e)
    known = {e.id: e for e in (*by_cid.values(), *by_card.values(), *people)}
    return _Matches(by_cid=by_cid, by_card=by_card, same_person=same_person, known=known)


# -- 3. Each row against what was found --------------------------------------------------------


def _person_key(r: Row) -> tuple[str, dt.date] | None:
    born = r.values.get("date_of_birth")
    return (r.name_fold, born) if born and r.name_fold else None


def _plan_row(r: Row, found: _Matches, matched_by: dict[int, int], actor: Any) -> Planned:
    """The member a row names (by citizen ID, card number, or name and birth date within its
    unit), and what follows: an update, an error, or a new member (maybe like another)."""
    p = Planned(row=r)
    cid = r.values.get("citizen_id")
    card = r.values.get("card_number")
    m_cid = found.by_cid.get(cid) if cid else None
    m_card = found.by_card.get(card) if card else None
    if m_cid and m_card and m_cid.id != m_card.id:
        _card_of_another_member(r, m_card, actor)
        return p
    match = m_cid or m_card or _same_person_in_unit(r, found)
    if match is None:
        _warn_similar(p, found, actor)
    elif r.unit is not None and (match.unit_id != r.unit.id or not match.is_current):
        _names_other_unit(r, match, "citizen_id" if match is m_cid else "card_number", actor)
    elif (first := matched_by.setdefault(match.id, r.row)) != r.row:
        r.errors.append(
            (
                "citizen_id" if cid else "card_number" if card else "date_of_birth",
                _("Rows %(first)s and %(row)s are the same member.")
                % {"first": first, "row": r.row},
            )
        )
    else:
        p.action = UPDATE
        p.member_id = match.id
    return p


def _card_of_another_member(r: Row, m_card: Existing, actor: Any) -> None:
    """The citizen ID names one member and the card number another."""
    r.errors.append(
        (
            "card_number",
            _("This card number belongs to another member (of %(unit)s).")
            % {"unit": m_card.unit_label}
            if _sees(actor, m_card)
            else _("This card number belongs to another member."),
        )
    )
    r.other_member = m_card.id


def _same_person_in_unit(r: Row, found: _Matches) -> Existing | None:
    """For a row without a stored citizen ID or card number: the one current member of its
    unit with the same name and date of birth, if there is exactly one."""
    key = _person_key(r)
    if key is None or r.unit is None:
        return None
    cid = r.values.get("citizen_id")
    card = r.values.get("card_number")
    candidates = [
        e
        for e in found.same_person.get(key, ())
        if e.unit_id == r.unit.id
        and e.is_current
        and (not cid or not e.citizen_id)
        and (not card or not e.card_number)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _names_other_unit(r: Row, match: Existing, what: str, actor: Any) -> None:
    """The row names a member of another unit, or a former member: an error, and a look-up."""
    visible = _sees(actor, match)
    r.errors.append((what, _other_unit_message(match, what, visible=visible)))
    r.other_member = match.id
    r.other_visible = visible


def _warn_similar(p: Planned, found: _Matches, actor: Any) -> None:
    """A new member with the name and date of birth of stored members: flagged for review."""
    key = _person_key(p.row)
    others = found.same_person.get(key, []) if key else []
    if not others:
        return
    p.similar = [e.id for e in others]
    e = others[0]
    unit = e.unit_label if _sees(actor, e) else _("another unit")
    p.row.warnings.append(
        (
            "date_of_birth",
            _(
                "A member with the same name and date of birth exists in %(unit)s; "
                "the new record will be flagged as a possible duplicate for review."
            )
            % {"unit": unit},
        )
    )


# -- 4. After the look-ups ----------------------------------------------------------------------


def _flag_similar_new_rows(planned: list[Planned]) -> None:
    """Same name and birth date among new rows with different IDs: flag them too."""
    new_people: dict[tuple[str, dt.date], list[Planned]] = defaultdict(list)
    for p in planned:
        born = p.row.values.get("date_of_birth")
        if p.action == CREATE and not p.row.errors and born and p.row.name_fold:
            new_people[(p.row.name_fold, born)].append(p)
    for group in new_people.values():
        for p in group[1:]:
            p.similar_rows = [group[0].row.row]


def _finish(p: Planned, known: dict[int, Existing]) -> None:
    """A valid new row needs the sex and the admission date; an update is compared with the
    stored values."""
    r = p.row
    if r.errors:
        return
    if p.action == CREATE:
        if "sex" not in r.values:
            r.errors.append(("sex", _("Required for a new member.")))
        if "admitted_on" not in r.values:
            r.errors.append(("admitted_on", _("Required for a new member.")))
        return
    assert p.member_id is not None
    _compare(p, known[p.member_id].values)


def _count_lookups(planned: list[Planned], actor: Any, where: str) -> None:
    """Rows that name members of other units are look-ups by identity number: logged, and
    counted against the actor's limit (`congdoan.members.lookups`). Over the limit the file is
    refused as a whole, so that no row tells anything; while no look-up is left, a file with an
    identity number that is not its unit's member's own is refused too."""
    from congdoan.members import lookups
    from congdoan.members.models import AccessKind

    hits = sorted({p.row.other_member for p in planned if p.row.other_member})
    fresh = any(
        p.row.values.get("citizen_id") and p.member_id is None and not p.row.other_member
        for p in planned
    )
    if not hits and not fresh:
        return
    left, _again = lookups.lookups_left(actor)
    if left == 0 or len(hits) > left:
        lookups.require_lookups(
            actor, kind=AccessKind.DUPLICATE, where=where, count=max(len(hits), 1)
        )
    if hits:
        lookups.record_duplicates(actor, found=hits, where=where)


def _compare(p: Planned, current: dict[str, Any]) -> None:
    r = p.row
    v = r.values
    changes: dict[str, tuple[Any, Any]] = {}
    for name in UPDATABLE:
        if name in v and v[name] != current[name]:
            changes[name] = (current[name], v[name])
    admitted = v.get("admitted_on")
    if admitted and admitted != current["admitted_on"]:
        r.warnings.append(
            (
                "admitted_on",
                _(
                    "The record says admitted on %(day)s; an import does not change the "
                    "admission date (correct it on the member's page)."
                )
                % {"day": short_date(current["admitted_on"])},
            )
        )
    if changes.keys() & {"citizen_id", "sex", "date_of_birth"}:
        cid = v.get("citizen_id", current["citizen_id"])
        sex = v.get("sex", current["sex"])
        born = v.get("date_of_birth", current["date_of_birth"])
        try:
            cccd.validate(cid, sex=sex, birth_year=born.year if born else None)
        except cccd.InvalidCitizenId as exc:
            r.errors.append(("citizen_id" if "citizen_id" in v else "sex", exc.message))
            return
    party_day = v.get("party_joined_on") or current["party_joined_on"]
    if v.get("party_member") is False and party_day:
        r.errors.append(
            ("party_member", _("“Không” here contradicts the date of admission to the Party."))
        )
        return
    p.changes = changes
    p.action = UPDATE if changes else UNCHANGED


def column_of(field_name: str) -> str:
    return FIELD_COLUMN.get(field_name, field_name)
