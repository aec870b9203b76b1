"""The plan of the demo: units and members as plain records, and dated operations on them.

The plan is made in memory (units.py, people.py) and then played in date order through the
services (player.py). Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from congdoan.demo import names as N
from congdoan.demo.places import DISTRICTS, LAI_CHAU, District
from congdoan.members.cccd import century_sex_digit
from congdoan.organisation import divisions

REFORM = dt.date(2025, 7, 1)
BEFORE_REFORM = dt.date(2025, 6, 30)
END = dt.date(2026, 6, 30)  # last day of the simulated history

# Phases of one day, in the order they are played.
CREATE, MOVE, MERGE, UPDATE, ADMIT, TRANSFER, EXIT, CLOSE, REFORM_PHASE, BODIES = range(10)

GRASSROOTS_TYPES = ("cdcs", "nghiep_doan")

# Members admitted over the years per grassroots union at scale 1.0 (min, max) and women's share,
# by kind of employer. Companies come in three sizes (see `member_count`).
KINDS: dict[str, tuple[int, int, float]] = {
    "kindergarten": (28, 60, 0.97),
    "primary": (38, 78, 0.75),
    "secondary": (38, 78, 0.65),
    "high": (75, 135, 0.6),
    "company": (20, 75, 0.35),
    "dnnn": (60, 190, 0.4),
    "fdi": (190, 470, 0.5),
    "htx": (10, 32, 0.4),
    "guild": (30, 90, 0.2),
    "agency": (28, 75, 0.45),
    "dvsn": (30, 95, 0.5),
    "hospital": (650, 800, 0.65),
    "health": (200, 330, 0.6),
}
COMPANY_TIERS = ((0.5, 20, 75), (0.35, 75, 250), (0.15, 250, 560))  # share, min, max

SCHOOLS = {"kindergarten", "primary", "secondary", "high"}
HEALTH = {"hospital", "health"}


@dataclass
class Spec:
    """One unit of the plan."""

    code: str
    name: str
    type: str
    parent: str
    founded: dt.date
    short_name: str = ""
    sector: str | None = None
    ownership: str | None = None
    province: int | None = None
    ward: int | None = None  # commune (post-2025 code) where the unit stands
    address: str = ""
    kind: str = ""  # kind of employer (see KINDS), "union" for the federation's staff union
    size: int = 0  # members admitted over the years
    female: float = 0.5
    end: dt.date | None = None
    end_kind: str = ""  # merge | close | reform_exit | reform_upper
    end_target: str | None = None
    children: list[str] = field(default_factory=list)

    @property
    def grassroots(self) -> bool:
        return self.type in GRASSROOTS_TYPES

    @property
    def family(self) -> str:
        """Peers a member may transfer between."""
        return "school" if self.kind in SCHOOLS else "health" if self.kind in HEALTH else "other"

    def active_on(self, day: dt.date) -> bool:
        return self.founded <= day and (self.end is None or day < self.end)


@dataclass
class MemberPlan:
    """One person of the demo: the record at admission and what happens afterwards.

    `details` holds the other fields of the member record (citizen ID, phone, job title…, named
    as on `members.Member`); `ethnicity` and `religion` are catalogue codes. `timeline` lists
    the planned events after the admission as (day, kind, unit code): transfer, suspend, resume,
    discipline, party_referral, party_admission, exit, readmit; `exit` is the last exit (day,
    unit, reason) when the member has left by the end of the history, or None.
    """

    index: int
    name: N.PersonName
    dob: dt.date
    unit: str
    admitted: dt.date
    ethnicity: str = "01"
    religion: str = "khong"
    details: dict[str, Any] = field(default_factory=dict)
    timeline: list[tuple[dt.date, str, str]] = field(default_factory=list)
    exit: tuple[dt.date, str, str] | None = None  # day, unit, reason
    duplicate_of: int | None = None  # a second record of the same person (duplicate review)

    @property
    def sex(self) -> str:
        return self.name.sex

    @property
    def transfers(self) -> list[tuple[dt.date, str]]:
        return [(day, unit) for day, kind, unit in self.timeline if kind == "transfer"]


# ---------------------------------------------------------------------------------------------
# Dates and places


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def member_count(rng: random.Random, kind: str, factor: float = 1.0) -> int:
    """Members a grassroots union of `kind` admits over the years (at scale `factor`)."""
    lo, hi, _female = KINDS[kind]
    if kind == "company":
        roll = rng.random()
        for share, lo, hi in COMPANY_TIERS:  # noqa: B007
            if roll < share:
                break
            roll -= share
    return max(2, round(rng.randint(lo, hi) * factor))


def between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def retirement(dob: dt.date, sex: str) -> dt.date:
    """Retirement: from the first day of the month after reaching 60 (men) / 55 (women); the age
    rises by 3 / 4 months a year from 2021 (Labour Code 2019)."""
    reached = years_after(dob, 60 if sex == "M" else 55)
    months = 0
    if reached.year >= 2021:
        months = min((3 if sex == "M" else 4) * (reached.year - 2020), 24 if sex == "M" else 60)
    month = reached.month + months  # 1-based month of reaching the age, plus one
    return dt.date(reached.year + month // 12, month % 12 + 1, 1)


def place(ward: int) -> str:
    """ "Xã Bản Bo" → "Bản Bo" (for names of schools and agencies)."""
    name = divisions.ward_name(ward)
    return name.split(" ", 1)[1] if " " in name else name


def ward_kind(ward: int) -> str:
    """ "xã" or "phường"."""
    return divisions.ward_name(ward).split(" ", 1)[0].lower()


def commune_code(prefix: str, ward: int) -> str:
    return f"{prefix}-X{ward:05d}"


class IdentityNumbers:
    """Citizen IDs (CCCD, 12 digits) and old ID cards (CMND, 9 digits), never twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def cccd(self, province: str, sex: str, dob: dt.date) -> str:
        head = f"{province}{century_sex_digit(sex, dob.year)}{dob.year % 100:02d}"
        while True:
            value = f"{head}{self.rng.randint(0, 999_999):06d}"
            if value not in self.used:
                self.used.add(value)
                return value

    def cmnd(self, province: str) -> str:
        # Old ID cards of the north-west mostly began with 04 (Lai Châu, Điện Biên, Sơn La).
        head = "04" if province in ("012", "011", "014") else f"{self.rng.randint(1, 17):02d}"
        while True:
            value = f"{head}{self.rng.randint(0, 9_999_999):07d}"
            if value not in self.used:
                self.used.add(value)
                return value


# ---------------------------------------------------------------------------------------------
# The plan


class Plan:
    """Units, members and the dated operations that create and change them."""

    def __init__(self, *, scale: float, seed: int, end: dt.date) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        # Small demos (tests) keep every feature with smaller unions.
        self.size_factor = min(1.0, max(0.12, scale))
        self.end = end
        self.specs: dict[str, Spec] = {}
        self.events: list[tuple[dt.date, int, int, str, tuple[Any, ...]]] = []
        self.members: list[MemberPlan] = []
        # Exits planned one by one: (day, unit, reason, member index, note); grouped when
        # scheduled (lives.schedule_exits).
        self.exits: list[tuple[dt.date, str, str, int, str]] = []
        self.waves: dict[str, list[dt.date]] = {}  # lay-off days of companies
        self.ids = IdentityNumbers(self.rng)  # citizen IDs and old ID cards given out
        self.phones: set[str] = set()
        self.leaders: list[tuple[MemberPlan, str, str]] = []  # member, role, job title
        self._names: set[str] = set()
        self._counters: Counter[str] = Counter()
        self.district_by_ward = {w: d for d in DISTRICTS for w in d.communes}

    # --- recording ------------------------------------------------------------------------

    def at(self, day: dt.date, phase: int, op: str, *args: Any) -> None:
        """Schedule operation `op` on `day` (played by `Player.op_<op>(day, *args)`)."""
        if day > self.end:  # the services refuse dates in the future
            raise ValueError(f"{op} {args} on {day}, after the end of the history {self.end}")
        self.events.append((day, phase, len(self.events), op, args))

    def sorted_events(self) -> list[tuple[dt.date, int, int, str, tuple[Any, ...]]]:
        return sorted(self.events, key=lambda e: (e[0], e[1], e[2]))

    def add(self, spec: Spec) -> Spec:
        assert spec.code not in self.specs, spec.code
        self.specs[spec.code] = spec
        if spec.parent:
            self.specs[spec.parent].children.append(spec.code)
        self._names.add(self._name_key(spec.name))
        self.at(spec.founded, CREATE, "create", spec.code)
        return spec

    @staticmethod
    def _name_key(name: str) -> str:
        # Units named after "thị xã Lai Châu" are renamed after "thành phố Lai Châu" in 2013.
        return name.replace("thị xã Lai Châu", "thành phố Lai Châu")

    def taken(self, name: str) -> bool:
        return self._name_key(name) in self._names

    def claim(self, name: str) -> None:
        self._names.add(self._name_key(name))

    def next_code(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}{self._counters[prefix]:04d}"

    # --- places ---------------------------------------------------------------------------

    def district(self, key: str) -> District:
        return next(d for d in DISTRICTS if d.key == key)

    def old_address(self, ward: int, day: dt.date) -> str:
        """The address of a place in Lai Châu as written on `day` (districts before 2025)."""
        d = self.district_by_ward.get(ward)
        if d is None:
            return f"{divisions.ward_name(ward)}, tỉnh Lai Châu"
        label = d.label
        if d.parent_key and day < d.founded:
            label = self.district(d.parent_key).label
        if d.renamed_on and d.old_label and day < d.renamed_on:
            label = d.old_label
        return f"{ward_kind(ward)} {place(ward)}, {label}, tỉnh Lai Châu"

    # --- units ----------------------------------------------------------------------------

    def grassroots(
        self,
        *,
        parent: str,
        name: str,
        founded: dt.date,
        kind: str,
        sector: str,
        ownership: str,
        ward: int,
        type_code: str = "cdcs",
        province: int = LAI_CHAU,
        prefix: str = "LC-CS",
    ) -> Spec:
        female = KINDS[kind][2]
        if province == LAI_CHAU:
            address = self.old_address(ward, founded)
        else:
            address = f"{divisions.ward_name(ward)}, tỉnh Điện Biên"
        spec = Spec(self.next_code(prefix), name, type_code, parent, founded, sector=sector)
        spec.ownership, spec.province, spec.ward, spec.address = ownership, province, ward, address
        spec.kind, spec.female = kind, female
        spec.size = member_count(self.rng, kind, self.size_factor)
        return self.add(spec)

    def district_unit(self, ward: int, name: str, founded: dt.date, kind: str, sector: str,
                      ownership: str, type_code: str = "cdcs") -> Spec:  # fmt: skip
        """A grassroots union under the district federation of `ward`.

        Communes of a district split off later (Tân Uyên 2009, Nậm Nhùn 2013) were first under
        the old district; their unions move to the new federation on the day it is founded.
        """
        d = self.district_by_ward[ward]
        moves = bool(d.parent_key) and founded < d.founded
        parent = f"LC-{d.parent_key}" if moves else f"LC-{d.key}"
        spec = self.grassroots(parent=parent, name=name, founded=founded, kind=kind,
                               sector=sector, ownership=ownership, ward=ward,
                               type_code=type_code)  # fmt: skip
        if moves:
            self.at(d.founded, MOVE, "move", spec.code, f"LC-{d.key}")
        if d.old_label and d.renamed_on and founded < d.renamed_on and d.old_label in name:
            self.rename(spec.code, d.renamed_on, name.replace(d.old_label, d.label))
        return spec

    def rename(self, code: str, day: dt.date, name: str, **values: Any) -> None:
        self.at(day, UPDATE, "update", code, {"name": name, **values})

    def merge(self, source: str, target: str, day: dt.date, *, rename: str = "") -> None:
        src = self.specs[source]
        src.end, src.end_kind, src.end_target = day, "merge", target
        self.at(day, MERGE, "merge", source, target)
        if rename:
            self.rename(target, day, rename)

    def close(self, code: str, day: dt.date) -> None:
        spec = self.specs[code]
        spec.end, spec.end_kind = day, "close"
        self.at(day, CLOSE, "close", code)

    def resolve(self, code: str, day: dt.date) -> str | None:
        """The unit a member of `code` belongs to on `day`, following merges; None if gone."""
        while True:
            spec = self.specs[code]
            if spec.end is None or day < spec.end:
                return code
            if spec.end_kind == "merge" and spec.end_target:
                code = spec.end_target
                continue
            return None
