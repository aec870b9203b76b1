"""Generate members with years of history over the tree of `bench.generate`, fast (COPY).

    python -m bench.generate_members     # BENCH_MEMBERS members (default 1,000,000), seed BENCH_SEED

Members belong to grassroots unions (weighted: a few large enterprises, many small unions). Each
member is admitted between the union's founding (at the earliest 1990) and today, with history
as the services would record it:

- spells (`Membership`) and events (`MemberEvent`): admission; for about 12 % one transfer (and a
  quarter of those a second) to another union active that day, anywhere in the federation; for
  about 18 % an exit with a reason; members of the unions of district-level state agencies
  dissolved on 1/7/2025 leave the union that day ("unit dissolved"), as `unit_dissolve` records;
  suspensions (1.5 % of current members); Party referrals (3 %, half of them admitted later);
- the record: Vietnamese names with their real frequencies (derived search and sort keys as
  `Member.refresh_derived` computes them), sex, date of birth, a citizen ID for 75 % (CCCD that
  agrees with sex and year of birth, unique; 5 % an old 9-digit CMND), a card number for 90 %,
  a phone for 70 %, ethnicity, religion, hardship flags;
- one history row ("+") per member, as `bulk_create_with_history` writes.

Rows are streamed with COPY in chunks; non-unique indexes of the member tables are dropped first
and built again at the end (the usual way to bulk-load). The per-unit count summaries are then
rebuilt (`summaries.rebuild()`, as `congdoan rebuild_member_summaries` does) and the tables
analysed. Citizen IDs use serial numbers from 600000 up, so that the import benchmark's files
(`members.imports.testing.member_rows`, serials below 600000 for small seeds) never collide.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

FIRST = dt.date(1990, 1, 1)
CCCD_SERIAL_START = 600_000

FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 3),
    ("Phan", 4.5), ("Vũ", 3.9), ("Võ", 3), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.7), ("Lò", 0.3), ("Hà", 0.6),
    ("Trương", 0.8), ("Cao", 0.5), ("Lương", 0.5), ("Mai", 0.4), ("Tạ", 0.3), ("Quàng", 0.1),
]  # fmt: skip
MIDDLE = {
    "M": [("Văn", 30), ("Đức", 8), ("Minh", 8), ("Hữu", 6), ("Quang", 6), ("Công", 5),
          ("Thành", 4), ("Xuân", 3), ("Ngọc", 3), ("Tiến", 2), ("Quốc", 4), ("", 3)],
    "F": [("Thị", 45), ("Thị Thanh", 4), ("Ngọc", 6), ("Thu", 5), ("Thị Hồng", 3), ("Minh", 3),
          ("Kim", 3), ("Thanh", 4), ("Thúy", 2), ("Hồng", 3), ("", 2)],
}  # fmt: skip
GIVEN = {
    "M": ["Hùng", "Dũng", "Nam", "Quý", "Toàn", "Đạt", "Cường", "Khoa", "Bình", "Tuấn", "Hòa",
          "Việt", "Long", "Sơn", "Đức", "Hải", "Thắng", "Trung", "Phong", "Huy", "Khánh", "Lâm",
          "Quân", "Thành", "Vinh", "Tùng", "An", "Phúc", "Hiếu", "Thủy", "Tâm", "Kiên", "Nghĩa",
          "Chiến", "Hưng", "Lộc", "Mạnh", "Quyết", "Tài", "Thịnh"],
    "F": ["Hòa", "Thủy", "Lan", "Hương", "Mai", "Ngọc", "Trang", "Hạnh", "Oanh", "Yến", "Thúy",
          "Loan", "Nhung", "Uyên", "Ánh", "Dung", "Hà", "Linh", "Phương", "Thảo", "Hằng", "Huyền",
          "Nga", "Vân", "Quỳnh", "Trâm", "Giang", "Liên", "Nhàn", "Thoa", "Xuân", "Hiền", "Diệp",
          "Khuê", "Tuyết", "Chi", "Ngân", "Thư", "My", "Tâm"],
}  # fmt: skip
JOBS = ["Công nhân", "Giáo viên", "Nhân viên", "Kế toán", "Kỹ sư", "Y sĩ", "Điều dưỡng",
        "Lái xe", "Chuyên viên", "Bảo vệ", "Thợ may", "Thợ điện"]  # fmt: skip
EXIT_REASONS = [("left_job", 45), ("retired", 25), ("resigned", 15), ("non_payment", 8),
                ("deceased", 3), ("other", 4)]  # fmt: skip


@dataclass
class UnitRow:
    id: int
    founded_on: dt.date
    dissolved_on: dt.date | None
    province: int
    weight: float

    def active_on(self, day: dt.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or day < self.dissolved_on)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> Any:
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


def _between(rng: random.Random, start: dt.date, end: dt.date, skew: float = 1.0) -> dt.date:
    """A day in [start, end]; skew < 1 favours later days."""
    span = (end - start).days
    if span <= 0:
        return start
    return start + dt.timedelta(days=int(span * rng.random() ** skew))


class Generator:
    def __init__(self, count: int, seed: int, today: dt.date) -> None:
        from django.utils import timezone

        from congdoan.core.text import fold, sort_string
        from congdoan.members.cccd import PROVINCES, century_sex_digit
        from congdoan.members.models import Ethnicity, Religion
        from congdoan.members.search import name_form
        from congdoan.organisation.models import Unit

        self.count = count
        self.rng = random.Random(seed)
        self.today = today
        self.now = timezone.now()
        self.fold, self.sort_string, self.century_sex_digit = fold, sort_string, century_sex_digit
        self.name_form = name_form
        self.provinces = sorted(PROVINCES)
        rows = Unit.objects.filter(unit_type__is_grassroots=True).values_list(
            "id", "founded_on", "dissolved_on", "province_code", "ownership__code"
        )
        factor = {"dn_fdi": 6.0, "dnnn": 3.0, "dvsn": 1.5}
        self.units = [
            UnitRow(
                uid,
                max(founded, FIRST),
                dissolved,
                province or 0,
                self.rng.lognormvariate(0, 1.1) * factor.get(ownership or "", 1.0),
            )
            for uid, founded, dissolved, province, ownership in rows
            if founded < today
        ]
        self.cum = list(itertools.accumulate(u.weight for u in self.units))
        kinh = Ethnicity.objects.get(code="01").pk
        self.ethnicities = [kinh] * 86 + list(
            Ethnicity.objects.exclude(code="01").values_list("pk", flat=True)
        )[:14]
        none = Religion.objects.get(code="khong").pk
        self.religions = [none] * 82 + list(
            Religion.objects.exclude(code="khong").values_list("pk", flat=True)
        )[:18]
        self.cccd_serial: dict[str, int] = {}
        self.keys: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.sorts: dict[str, str] = {}

    def unit(self) -> UnitRow:
        x = self.rng.random() * self.cum[-1]
        return self.units[bisect.bisect_left(self.cum, x)]

    def unit_on(self, day: dt.date, exclude: int) -> UnitRow | None:
        for _ in range(8):
            u = self.unit()
            if u.id != exclude and u.active_on(day):
                return u
        return None

    def sort(self, text: str) -> str:
        s = self.sorts.get(text)
        if s is None:
            s = self.sorts[text] = self.sort_string(text)
        return s

    def name_keys(self, family: str, middle: str, given: str) -> tuple[str, str, str]:
        """(full name, folded, normal form) of a name."""
        key = (family, middle, given)
        out = self.keys.get(key)
        if out is None:
            full = " ".join(p for p in key if p)
            out = self.keys[key] = (full, self.fold(full), self.name_form(full))
        return out

    def citizen_id(self, sex: str, born: dt.date) -> str:
        prefix = f"{self.rng.choice(self.provinces)}{self.century_sex_digit(sex, born.year)}"
        prefix += f"{born.year % 100:02d}"
        serial = self.cccd_serial.get(prefix, CCCD_SERIAL_START)
        self.cccd_serial[prefix] = serial + 1
        return f"{prefix}{serial:06d}"

    # one member -------------------------------------------------------------------------------

    def member(self, i: int, member_id: int) -> tuple[dict[str, Any], list[tuple], list[tuple]]:
        """(member values, spells (unit, start, end), events (kind, date, from, to, reason))."""
        rng, today = self.rng, self.today
        u0 = self.unit()
        last_day = u0.dissolved_on - dt.timedelta(days=1) if u0.dissolved_on else today
        admitted = _between(rng, u0.founded_on, last_day, 0.8)
        sex = "F" if rng.random() < 0.5 else "M"
        age = rng.randint(18, 45)
        born = dt.date(max(admitted.year - age, 1955), rng.randint(1, 12), rng.randint(1, 28))
        if born >= admitted:
            born = dt.date(admitted.year - 18, 1, 1)
        events: list[tuple] = [("admit", admitted, None, u0.id, "")]
        spells: list[list[Any]] = [[u0.id, admitted, None]]
        cur, since = u0, admitted

        # transfers
        n_transfers = 0 if rng.random() >= 0.12 else (2 if rng.random() < 0.25 else 1)
        for _ in range(n_transfers):
            end = cur.dissolved_on - dt.timedelta(days=1) if cur.dissolved_on else today
            start = since + dt.timedelta(days=60)
            if start >= end:
                break
            day = _between(rng, start, end)
            target = self.unit_on(day, cur.id)
            if target is None:
                continue
            spells[-1][2] = day
            spells.append([target.id, day, None])
            events.append(("transfer", day, cur.id, target.id, ""))
            cur, since = target, day

        status, exited_on, exit_reason, suspended_on = "active", None, "", None
        if cur.dissolved_on is not None:  # the union was dissolved with its members in it
            exited_on, exit_reason = cur.dissolved_on, "unit_dissolved"
        elif rng.random() < 0.18 and since < today:
            exited_on = _between(rng, since + dt.timedelta(days=1), today)
            exit_reason = _weighted(rng, EXIT_REASONS)
        if exited_on is not None:
            spells[-1][2] = exited_on
            events.append(("exit", exited_on, cur.id, None, exit_reason))
            status = "exited"
        elif rng.random() < 0.015:
            suspended_on = _between(rng, since, today)
            events.append(("suspend", suspended_on, cur.id, None, ""))
            status = "suspended"

        party_member, party_joined_on, party_referred_on = False, None, None
        if rng.random() < 0.05:
            party_member = True
            party_joined_on = _between(rng, dt.date(born.year + 18, born.month, born.day), admitted)
        elif rng.random() < 0.03:
            end = (exited_on - dt.timedelta(days=1)) if exited_on else today
            if end > admitted:
                party_referred_on = _between(rng, admitted, end)
                unit_then = next(s[0] for s in reversed(spells) if s[1] <= party_referred_on)
                events.append(("party_referral", party_referred_on, unit_then, None, ""))
                if rng.random() < 0.5 and party_referred_on + dt.timedelta(days=180) < end:
                    party_joined_on = _between(rng, party_referred_on + dt.timedelta(days=180), end)
                    party_member = True
                    unit_then = next(s[0] for s in reversed(spells) if s[1] <= party_joined_on)
                    events.append(("party_admission", party_joined_on, unit_then, None, ""))

        family = _weighted(rng, FAMILY)
        middle = _weighted(rng, MIDDLE[sex])
        given = rng.choice(GIVEN[sex])
        full, folded, form = self.name_keys(family, middle, given)
        r = rng.random()
        if r < 0.75:
            citizen_id: str | None = self.citizen_id(sex, born)
        elif r < 0.80:
            citizen_id = f"{100_000_000 + i:09d}"
        else:
            citizen_id = None
        card = None
        if rng.random() < 0.9:
            card = f"{cur.province % 100:02d}{admitted.year % 100:02d}{i + 1:08d}"
        phone = f"0{rng.choice('3597')}{rng.randrange(10**8):08d}" if rng.random() < 0.7 else ""
        search_text = " ".join(p for p in (folded, (card or "").lower(), phone) if p)
        values = {
            "id": member_id,
            "unit_id": cur.id,
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "full_name": full,
            "search_text": search_text,
            "name_fold": folded,
            "name_form": form,
            "given_sort": self.sort(given),
            "family_sort": self.sort(family),
            "middle_sort": self.sort(middle),
            "sex": sex,
            "date_of_birth": born,
            "citizen_id": citizen_id,
            "ethnicity_id": rng.choice(self.ethnicities),
            "religion_id": rng.choice(self.religions),
            "phone": phone,
            "job_title": rng.choice(JOBS),
            "card_number": card,
            "card_issued_on": admitted if card else None,
            "status": status,
            "admitted_on": admitted,
            "suspended_on": suspended_on,
            "exited_on": exited_on,
            "exit_reason": exit_reason,
            "party_member": party_member,
            "party_joined_on": party_joined_on,
            "party_referred_on": party_referred_on,
            "hardship": rng.random() < 0.03,
            "disability": rng.random() < 0.01,
        }
        return values, [tuple(s) for s in spells], events


# ---------------------------------------------------------------------------------------------
# Loading


def _defaults(model: Any, now: dt.datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = now
        elif f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif f.empty_strings_allowed:
            out[f.attname] = ""
        else:
            out[f.attname] = None
    return out


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    cols = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


TABLES = (
    "members_member",
    "members_historicalmember",
    "members_membership",
    "members_memberevent",
    "members_memberword",
)


def _secondary_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the non-unique indexes of the member tables."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary",
        [list(TABLES)],
    )
    return list(cursor.fetchall())


def generate(count: int, seed: int, *, chunk: int = 100_000) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    from congdoan.members import summaries, words
    from congdoan.members.models import Member, MemberEvent, Membership

    t0 = time.perf_counter()
    today = timezone.localdate()
    gen = Generator(count, seed, today)
    member_cols = [f.attname for f in Member._meta.concrete_fields]
    member_defaults = _defaults(Member, gen.now)
    History = Member.history.model  # type: ignore[attr-defined]
    history_cols = [f.attname for f in History._meta.concrete_fields]
    history_defaults = _defaults(History, gen.now)
    history_defaults.update(
        history_date=gen.now, history_type="+", history_change_reason="bench: generated"
    )
    spell_cols = ["member_id", "unit_id", "start", "end"]
    event_cols = ["member_id", "kind", "date", "from_unit_id", "to_unit_id", "reason", "note",
                  "decision_ref", "recorded_at"]  # fmt: skip
    word_cols = list(words.COLUMNS)
    vocabulary: set[str] = set()
    counts = {"members": 0, "history": 0, "spells": 0, "events": 0, "words": 0}
    seconds = {"generate": 0.0, "copy": 0.0}
    with connection.cursor() as cursor:
        raw = cursor.cursor
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM members_member")
        first_id = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(history_id), 0) FROM members_historicalmember")
        first_history = cursor.fetchone()[0] + 1
        indexes = _secondary_indexes(cursor)
        t_drop = time.perf_counter()
        for name, _sql in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for start in range(0, count, chunk):
            n = min(chunk, count - start)
            g0 = time.perf_counter()
            members, history, spells, events, word_rows = [], [], [], [], []
            for i in range(start, start + n):
                member_id = first_id + i
                values, member_spells, member_events = gen.member(i, member_id)
                row = {**member_defaults, **values}
                members.append([row[c] for c in member_cols])
                hrow = {**history_defaults, **row, "history_id": first_history + i}
                history.append([hrow[c] for c in history_cols])
                spells.extend((member_id, *s) for s in member_spells)
                word_rows.extend(words.rows_of(member_id, *(values[f] for f in words.FIELDS)))
                events.extend(
                    (member_id, kind, day, from_id, to_id, reason, "", "", gen.now)
                    for kind, day, from_id, to_id, reason in member_events
                )
            g1 = time.perf_counter()
            with transaction.atomic():
                counts["members"] += _copy(raw, "members_member", member_cols, members)
                counts["history"] += _copy(raw, "members_historicalmember", history_cols, history)
                counts["spells"] += _copy(raw, "members_membership", spell_cols, spells)
                counts["events"] += _copy(raw, "members_memberevent", event_cols, events)
                counts["words"] += _copy(raw, "members_memberword", word_cols, word_rows)
            vocabulary.update(r[1] for r in word_rows)
            g2 = time.perf_counter()
            seconds["generate"] += g1 - g0
            seconds["copy"] += g2 - g1
            print(
                f"  {start + n:,} members ({g1 - g0:.1f} s generating, {g2 - g1:.1f} s COPY)",
                flush=True,
            )
        cursor.execute(
            "INSERT INTO members_searchword (word) SELECT unnest(%s::text[]) "
            "ON CONFLICT DO NOTHING",
            [sorted(vocabulary)],
        )
        t_index = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in indexes:
            cursor.execute(sql)
        seconds["indexes"] = time.perf_counter() - t_index
        del t_drop
        for table, column in (
            ("members_member", "id"),
            ("members_historicalmember", "history_id"),
            ("members_membership", "id"),
            ("members_memberevent", "id"),
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"(SELECT MAX({column}) FROM {table}))"
            )
    t_sum = time.perf_counter()
    summaries.rebuild()
    seconds["summaries"] = time.perf_counter() - t_sum
    t_an = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) members_member, members_historicalmember, members_membership, "
            "members_memberevent, members_membercountdelta, members_membercountsnapshot, "
            "members_memberword, members_searchword"
        )
    seconds["analyze"] = time.perf_counter() - t_an
    seconds["total"] = time.perf_counter() - t0
    from congdoan.members.models import MemberCountDelta, MemberCountSnapshot

    counts["summary_deltas"] = MemberCountDelta.objects.count()
    counts["summary_snapshots"] = MemberCountSnapshot.objects.count()
    counts["current"] = Member.objects.filter(status__in=["active", "suspended"]).count()
    counts["units_with_members"] = len(gen.units)
    del Membership, MemberEvent
    return {"count": count, "seed": seed, "counts": counts, "seconds": seconds}


def main() -> None:
    import django

    django.setup()
    count = int(os.environ.get("BENCH_MEMBERS", "1000000"))
    seed = int(os.environ.get("BENCH_SEED", "2025"))
    print(f"generating {count:,} members (seed {seed})", flush=True)
    stats = generate(count, seed)
    c, s = stats["counts"], stats["seconds"]
    print(
        f"generated {c['members']:,} members ({c['current']:,} current), {c['history']:,} "
        f"history rows, {c['spells']:,} spells, {c['events']:,} events; summaries: "
        f"{c['summary_deltas']:,} daily changes, {c['summary_snapshots']:,} snapshot rows"
    )
    print(
        "  time: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in s.items())
        + " (generate = building rows in Python, copy = COPY with unique indexes, "
        "indexes = building the other indexes again)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
