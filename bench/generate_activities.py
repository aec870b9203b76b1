"""A year of activity records over the tree of `bench.generate` (and the members of
`bench.generate_members`), written by the database itself: INSERT … SELECT over generate_series
and the units table, not the ORM.

    python -m bench.generate_activities   # sizes below; seed BENCH_SEED

For YEAR (2025), spread over the units active at its end (nine records in ten by grassroots
unions, the rest by the levels above; each dated between the unit's founding and 31/12):

- BENCH_CARE_RECORDS care records (default 5,000,000 at 130,000 units, proportionally fewer for
  a smaller BENCH_UNITS) with their funding lines: gifts, cash, visits, meals, household economy
  and Mái ấm houses (handed over 1–5 months after they start, those not finished by 31/12 not
  yet); six in ten to a member of the giving union, the others to named persons or groups
  (meals, gifts to children and poor areas); money by kind, a fifth partly or wholly mobilised
  from donors (houses: seven in ten); gifts and cash of the Tết window and everything of May in
  the national campaigns. `value` and `mobilised` are the sums of the funding lines, `counted_on`
  as `CareRecord.refresh_derived` sets it;
- BENCH_INITIATIVES initiatives (default 1,000,000) in a national programme of YEAR with two
  phases, one author each (a member of the unit when it has members): 12 % still submitted,
  75 % valid (most with a benefit), 13 % rejected;
- BENCH_INSPECTIONS inspections (default 200,000): a grassroots union inspected by the unit
  directly above it (65 %) or by its own committee (35 %), a quarter also covering an
  enterprise outside the tree;
- `Keeping`: each unit active at the year's end keeps each of the three registers with the
  probability BENCH_KEEPING (default 0.8), from YEAR. The units that do not keep a register
  enter its figures: when the year already has figures (the indicators suite's year,
  `python -m bench.reports year`) they are reused and the keeping units' entries of the kept
  registers' indicators are deleted (one place per figure); otherwise sheets and values of
  those indicators are generated for the units that do not keep them.

The secondary indexes of the six record tables are dropped during the load and built again; the
foreign-key triggers are skipped (`session_replication_role = replica`); the check constraints
hold. No history rows are written for the generated records. Records already present (an earlier
run on the same database) are kept and nothing is generated again.

Also the files of the care import benchmark (`import_file`): the care template's columns, rows
like the generated ones (a card number for members, campaigns by name, funding by source).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from typing import Any

from bench.indicators import YEAR, _secondary_indexes

START, END = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
TET = ("Tết Ất Tỵ 2025", dt.date(YEAR, 1, 1), dt.date(YEAR, 2, 15))
MAY = ("Tháng Công nhân 2025", dt.date(YEAR, 5, 1), dt.date(YEAR, 5, 31))
PROGRAMME = "Chương trình “1 triệu sáng kiến” 2025"
REGISTERS = ("care", "initiatives", "inspections")
TABLES = (
    "care_carerecord",
    "care_funding",
    "initiatives_initiative",
    "initiatives_author",
    "inspections_inspection",
    "inspections_inspected",
)
NAMES = [
    "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Đức",
    "Vũ Thị Hà", "Đặng Văn Hùng", "Bùi Thị Lan", "Đỗ Văn Minh", "Hồ Thị Nga",
    "Ngô Văn Phúc", "Dương Thị Quỳnh", "Lý Văn Sơn", "Mai Thị Thảo", "Trương Văn Tùng",
    "Lò Thị Xuân",
]  # fmt: skip
GROUPS = ["Đoàn viên, người lao động", "Trẻ em vùng khó khăn", "Người dân vùng khó khăn"]
DESCRIPTIONS = {  # kind → what the record says
    "gift": "Tặng quà đoàn viên có hoàn cảnh khó khăn",
    "cash": "Hỗ trợ tiền mặt đoàn viên bị tai nạn lao động",
    "visit": "Thăm hỏi đoàn viên ốm đau",
    "meal": "Bữa cơm công đoàn & giao lưu cuối tháng",
    "economy": "Hỗ trợ vốn phát triển kinh tế hộ gia đình",
    "house": "Xây dựng nhà “Mái ấm Công đoàn”",
}
DONORS = ["Ngân hàng TMCP Công Thương", "Công ty CP Sữa Việt Nam", "Tập đoàn Điện lực",
          "Quỹ Xã hội Công đoàn", "Công ty TNHH May Hòa Bình", "Nhà hảo tâm địa phương"]  # fmt: skip
TITLES = [
    ("Cải tiến quy trình tiếp nhận hồ sơ một cửa bằng mã QR", "digital"),
    ("Giải pháp tiết kiệm điện năng cho hệ thống bơm nước", "technical"),
    ("Ứng dụng bảng tính tự động theo dõi đoàn phí công đoàn", "management"),
    ("Thiết kế bài giảng điện tử cho học sinh dân tộc thiểu số", "education"),
    ("Cải tiến khuôn ép gạch không nung giảm hao hụt vật liệu", "production"),
    ("Quy trình sơ cứu ban đầu tai nạn lao động tại công trường", "safety"),
    ("Sổ tay điện tử quản lý thuốc tại trạm y tế", "health"),
    ("Số hóa hồ sơ đoàn viên, cập nhật biến động hằng tháng", "digital"),
]
ENTERPRISES = ["Công ty TNHH May Minh Phát", "Công ty CP Gỗ Hòa Bình", "Công ty TNHH Điện tử Á Châu",
               "Công ty CP Thủy sản Sông Hậu"]  # fmt: skip


def sizes() -> dict[str, Any]:
    """Record counts from the environment; by default proportional to BENCH_UNITS (the
    issue's sizes at 130,000 units)."""
    scale = int(os.environ.get("BENCH_UNITS", "130000")) / 130_000

    def size(name: str, national: int) -> int:
        return int(os.environ.get(name) or max(100, round(national * scale)))

    return {
        "care": size("BENCH_CARE_RECORDS", 5_000_000),
        "initiatives": size("BENCH_INITIATIVES", 1_000_000),
        "inspections": size("BENCH_INSPECTIONS", 200_000),
        "keeping": float(os.environ.get("BENCH_KEEPING", "0.8")),
    }


def fixtures() -> dict[str, Any]:
    """The national campaigns and programme (through the ORM and the services: a few rows)."""
    from congdoan.care.models import Campaign
    from congdoan.indicators import periods
    from congdoan.indicators.models import Period
    from congdoan.initiatives import services
    from congdoan.initiatives.models import Programme
    from congdoan.organisation.models import Unit

    root = Unit.objects.get(depth=1)
    campaigns = {}
    for name, start, end in (TET, MAY):
        c, _ = Campaign.objects.get_or_create(
            unit=root, name=name, defaults={"start": start, "end": end}
        )
        campaigns[name] = c
    programme = Programme.objects.filter(unit=root, period__name=PROGRAMME).first()
    if programme is None:
        mid = dt.date(YEAR, 6, 30)
        programme = services.programme_create(
            actor=None, unit=root, name=PROGRAMME, start=START, end=END,
            phases=[("Giai đoạn 1", START, mid), ("Giai đoạn 2", mid + dt.timedelta(days=1), END)],
        )  # fmt: skip
    phases = list(Period.objects.filter(parent=programme.period).order_by("start"))
    return {
        "root": root,
        "tet": campaigns[TET[0]],
        "may": campaigns[MAY[0]],
        "programme": programme,
        "phases": phases,
        "period": periods.period_open(actor=None, kind="year", year=YEAR),
    }


# ---------------------------------------------------------------------------------------------
# SQL


def _units(cursor: Any) -> dict[str, int]:
    """b_unit: the units that give, numbered per level (grassroots or above) for random picks;
    b_member: their active members numbered per unit."""
    cursor.execute("DROP TABLE IF EXISTS b_unit, b_member")
    cursor.execute(
        "CREATE TEMPORARY TABLE b_unit AS SELECT u.id, u.depth, u.parent_id, u.search_text, "
        "t.is_grassroots AS grassroots, GREATEST(u.founded_on, %(start)s) AS first_day, "
        "(%(end)s - GREATEST(u.founded_on, %(start)s)) + 1 AS days, 0 AS members, "
        "row_number() OVER (PARTITION BY t.is_grassroots ORDER BY u.id)::int AS n "
        "FROM organisation_unit u JOIN organisation_unittype t ON t.id = u.unit_type_id "
        "WHERE u.dissolved_on IS NULL AND u.founded_on <= %(end)s AND u.depth >= 2 "
        "AND t.code NOT IN ('to_cd', 'cd_bo_phan', 'cdcs_tv')",
        {"start": START, "end": END},
    )
    cursor.execute(
        "CREATE TEMPORARY TABLE b_member AS SELECT m.unit_id, m.id, m.full_name, m.name_fold, "
        "row_number() OVER (PARTITION BY m.unit_id ORDER BY m.id)::int AS rn "
        "FROM members_member m JOIN b_unit u ON u.id = m.unit_id "
        "WHERE m.status = 'active' AND m.admitted_on <= %s",
        [END],
    )
    cursor.execute(
        "UPDATE b_unit u SET members = c.n FROM (SELECT unit_id, COUNT(*) AS n FROM b_member "
        "GROUP BY 1) c WHERE c.unit_id = u.id"
    )
    cursor.execute("CREATE INDEX ON b_unit (grassroots, n)")
    cursor.execute("CREATE INDEX ON b_member (unit_id, rn)")
    cursor.execute("ANALYZE b_unit")
    cursor.execute("ANALYZE b_member")
    cursor.execute("SELECT grassroots, COUNT(*) FROM b_unit GROUP BY 1")
    found = dict(cursor.fetchall())
    return {"grassroots": found.get(True, 0), "above": found.get(False, 0)}


def _split(total: int, units: dict[str, int], share: float = 0.9) -> list[tuple[bool, int, int]]:
    """(grassroots?, records, units to pick from): `share` of the records by grassroots unions."""
    down = round(total * share) if units["above"] else total
    out = [(True, down, units["grassroots"]), (False, total - down, units["above"])]
    return [x for x in out if x[1] and x[2]]


PICKS = (
    "WITH p AS MATERIALIZED (SELECT g, 1 + floor(random() * %(units)s)::int AS pick, "
    "random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, "
    "random() AS r6 FROM generate_series(1, %(count)s) g), "
    "x AS (SELECT p.*, u.id AS unit_id, u.depth, u.grassroots, u.members, u.search_text, "
    "u.first_day + floor(p.r1 * u.days)::int AS day FROM p "
    "JOIN b_unit u ON u.grassroots = %(grassroots)s AND u.n = p.pick) "
)
# r1 day, r2 kind, r3 beneficiary, r4 amount, r5 donors, r6 quantity / member
CARE = PICKS + (
    ", k AS (SELECT x.*, CASE WHEN r2 < 0.52 THEN 'gift' WHEN r2 < 0.67 THEN 'cash' "
    "WHEN r2 < 0.82 THEN 'visit' WHEN r2 < 0.93 THEN 'meal' WHEN r2 < 0.985 THEN 'economy' "
    "ELSE 'house' END AS kind FROM x), "
    "b AS (SELECT k.*, m.id AS member_id, m.name_fold, CASE WHEN m.id IS NOT NULL THEN 'member' "
    "WHEN kind = 'meal' OR (kind = 'gift' AND r3 >= 0.85) THEN 'group' ELSE 'person' END AS ben "
    "FROM k LEFT JOIN b_member m ON m.unit_id = k.unit_id "
    "AND m.rn = 1 + floor(k.r6 * k.members)::int AND k.r3 < CASE kind WHEN 'gift' THEN 0.6 "
    "WHEN 'cash' THEN 0.7 WHEN 'visit' THEN 0.9 WHEN 'economy' THEN 0.8 WHEN 'house' THEN 0.7 "
    "ELSE 0 END), "
    "q AS (SELECT b.*, CASE WHEN ben = 'group' THEN 10 + floor(r6 * 190)::int ELSE 1 END AS qty, "
    "CASE WHEN ben = 'person' THEN 1 + g %% 16 WHEN ben = 'group' THEN CASE WHEN kind = 'meal' "
    "THEN 17 WHEN r6 < 0.5 THEN 18 ELSE 19 END END AS who, "
    "CASE WHEN kind = 'house' AND day + 30 + floor(r6 * 150)::int <= %(end)s "
    "THEN day + 30 + floor(r6 * 150)::int END AS handover FROM b), "
    "v AS (SELECT q.*, (CASE kind WHEN 'gift' THEN qty * (300000 + 100000 * floor(r4 * 8)) "
    "WHEN 'cash' THEN 500000 * (1 + floor(r4 * 10)) "
    "WHEN 'visit' THEN CASE WHEN r4 < 0.3 THEN 0 ELSE 200000 + 100000 * floor(r4 * 8) END "
    "WHEN 'meal' THEN qty * 50000 WHEN 'economy' THEN 5000000 * (1 + floor(r4 * 10)) "
    "ELSE 40000000 + 5000000 * floor(r4 * 13) END)::numeric AS value, "
    "CASE WHEN kind = 'house' THEN 0.7 ELSE 0.2 END AS thr FROM q) "
    'INSERT INTO care_carerecord (kind, "on", beneficiary, person_name, recipient_kind, '
    "citizen_id, phone, date_of_birth, address, quantity, value, mobilised, house_work, "
    "handover_on, counted_on, economy_form, description, search_text, created_at, updated_at, "
    "campaign_id, member_id, unit_id) "
    "SELECT kind, day, ben, COALESCE((%(names)s::text[])[who], ''), CASE WHEN ben = 'member' "
    "THEN '' WHEN who = 18 THEN 'child' WHEN who = 19 THEN 'resident' WHEN kind IN ('economy', "
    "'house') THEN 'family' ELSE 'worker' END, '', '', NULL, "
    "CASE WHEN kind = 'house' THEN 'Thôn ' || (1 + g %% 12) ELSE '' END, qty, value, "
    "CASE WHEN r5 < thr / 2 THEN value WHEN r5 < thr THEN value / 2 ELSE 0 END, "
    "CASE WHEN kind <> 'house' THEN '' WHEN g %% 5 < 3 THEN 'build' ELSE 'repair' END, "
    "handover, CASE WHEN kind = 'house' THEN handover ELSE day END, "
    "CASE WHEN kind <> 'economy' THEN '' WHEN r6 < 0.5 THEN 'lent' ELSE 'given' END, "
    "(%(descriptions)s::jsonb) ->> kind, left(COALESCE(name_fold, "
    "(%(folded_names)s::text[])[who], '') || ' ' || "
    "((%(folded)s::jsonb) ->> kind) || CASE WHEN kind = 'house' THEN ' thon ' || (1 + g %% 12) "
    "ELSE '' END, 600), now(), now(), "
    "CASE WHEN kind IN ('gift', 'cash') AND day BETWEEN %(tet_start)s AND %(tet_end)s THEN %(tet)s "
    "WHEN day BETWEEN %(may_start)s AND %(may_end)s THEN %(may)s END, member_id, unit_id FROM v"
)
FUNDING = (
    "INSERT INTO care_funding (source, donor, amount, record_id) "
    "SELECT CASE WHEN u.grassroots THEN 'grassroots' WHEN u.depth = 2 THEN 'province' "
    "ELSE 'district' END, '', r.value - r.mobilised, r.id FROM care_carerecord r "
    "JOIN b_unit u ON u.id = r.unit_id WHERE r.id > %(after)s AND r.value > r.mobilised "
    "UNION ALL SELECT 'donor', (%(donors)s::text[])[1 + r.id %% 6], r.mobilised, r.id "
    "FROM care_carerecord r WHERE r.id > %(after)s AND r.mobilised > 0"
)
INITIATIVES = PICKS + (
    "INSERT INTO initiatives_initiative (title, field, submitted_on, status, decided_on, "
    "decision_note, benefit, summary, search_text, created_at, updated_at, phase_id, unit_id, "
    "programme_id) SELECT (%(titles)s::text[])[1 + g %% 8], (%(fields)s::text[])[1 + g %% 8], day, "
    "CASE WHEN r2 < 0.12 THEN 'submitted' WHEN r2 < 0.87 THEN 'valid' ELSE 'rejected' END, "
    "CASE WHEN r2 >= 0.12 THEN day + 20 + floor(r3 * 40)::int END, "
    "CASE WHEN r2 >= 0.87 THEN 'Trùng với giải pháp đã được công nhận' ELSE '' END, "
    "CASE WHEN r2 >= 0.12 AND r2 < 0.87 AND r4 < 0.8 THEN 10000000 * (1 + floor(r4 * 60)) END, "
    "'', (%(folded_titles)s::text[])[1 + g %% 8], now(), now(), "
    "CASE WHEN day <= %(mid)s THEN %(phase1)s ELSE %(phase2)s END, unit_id, %(programme)s FROM x"
)
AUTHORS = (
    'INSERT INTO initiatives_author (full_name, workplace, "order", member_id, initiative_id) '
    "SELECT COALESCE(m.full_name, (%(names)s::text[])[1 + i.id %% 16]), '', 0, m.id, i.id "
    "FROM initiatives_initiative i JOIN b_unit u ON u.id = i.unit_id LEFT JOIN b_member m "
    "ON m.unit_id = i.unit_id AND m.rn = 1 + (i.id %% GREATEST(u.members, 1))::int "
    "WHERE i.id > %(after)s"
)
INSPECTIONS = (
    "CREATE TEMPORARY TABLE b_insp AS WITH p AS MATERIALIZED (SELECT g, "
    "1 + floor(random() * %(units)s)::int AS pick, random() AS r1, random() AS r2, "
    "random() AS r3, random() AS r4, random() AS r5 FROM generate_series(1, %(count)s) g), "
    "x AS (SELECT p.*, gu.id AS target, gu.search_text, CASE WHEN p.r1 < 0.35 OR pu.id IS NULL "
    "THEN gu.id ELSE pu.id END AS unit_id, CASE WHEN p.r1 < 0.35 OR pu.id IS NULL "
    "THEN gu.first_day ELSE GREATEST(gu.first_day, pu.first_day) END AS first_day FROM p "
    "JOIN b_unit gu ON gu.grassroots AND gu.n = p.pick LEFT JOIN b_unit pu ON pu.id = gu.parent_id) "
    "SELECT nextval(pg_get_serial_sequence('inspections_inspection', 'id')) AS id, x.*, "
    "first_day + floor(r2 * ((%(end)s - first_day) + 1))::int AS day, "
    "CASE WHEN r3 < 0.3 THEN 'charter' WHEN r3 < 0.6 THEN 'finance' WHEN r3 < 0.65 "
    "THEN 'complaints' WHEN r3 < 0.75 THEN 'democracy' WHEN r3 < 0.95 THEN 'policy' "
    "ELSE 'party_217' END AS kind, r4 < 0.25 AS outside FROM x"
)
INSPECTION_ROWS = (
    "INSERT INTO inspections_inspection (id, kind, body, partners, title, decision_number, "
    "decision_date, started_on, ended_on, findings, search_text, created_at, updated_at, unit_id) "
    "SELECT id, kind, CASE WHEN r5 < 0.7 THEN 'ubkt' ELSE 'bch' END, '', '', '', NULL, day, "
    "day + (id %% 15)::int, 'Chấp hành cơ bản tốt; một số hồ sơ, sổ sách chưa đầy đủ.', "
    "search_text || CASE WHEN outside THEN ' ' || (%(folded_enterprises)s::text[])[1 + id %% 4] "
    "|| ' ' || (id %% 1000) ELSE '' END, now(), now(), unit_id FROM b_insp"
)
INSPECTED = (
    "INSERT INTO inspections_inspected (name, outside_kind, key, unit_id, inspection_id) "
    "SELECT '', '', 'u' || target, target, id FROM b_insp UNION ALL "
    "SELECT (%(enterprises)s::text[])[1 + id %% 4] || ' ' || (id %% 1000), 'enterprise', "
    "'n:' || (%(folded_enterprises)s::text[])[1 + id %% 4] || ' ' || (id %% 1000), NULL, id "
    "FROM b_insp WHERE outside"
)
KEEPING = (
    "INSERT INTO activities_keeping (register, from_year, until_year, created_at, unit_id) "
    "SELECT r.register, %(year)s, NULL, now(), u.id FROM b_unit u "
    "CROSS JOIN unnest(%(registers)s::text[]) AS r(register) WHERE random() < %(share)s "
    "ON CONFLICT (unit_id, register) DO NOTHING"
)


def _params() -> dict[str, Any]:
    import json

    from congdoan.core.text import fold

    return {
        "names": [*NAMES, *GROUPS],  # 1–16 persons, 17–19 groups (meals, children, poor areas)
        "folded_names": [fold(n) for n in (*NAMES, *GROUPS)],
        "descriptions": json.dumps(DESCRIPTIONS, ensure_ascii=False),
        "folded": json.dumps({k: fold(v) for k, v in DESCRIPTIONS.items()}),
        "donors": DONORS,
        "titles": [t for t, _f in TITLES],
        "fields": [f for _t, f in TITLES],
        "folded_titles": [fold(t) for t, _f in TITLES],
        "enterprises": ENTERPRISES,
        "folded_enterprises": [fold(e) for e in ENTERPRISES],
        "end": END,
    }


def _max_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    return int(cursor.fetchone()[0])


def _records(cursor: Any, fx: dict[str, Any], n: dict[str, Any], units: dict[str, int]) -> None:
    base = _params()
    tet, may = fx["tet"], fx["may"]
    care = {**base, "tet": tet.pk, "tet_start": tet.start, "tet_end": tet.end, "may": may.pk,
            "may_start": may.start, "may_end": may.end}  # fmt: skip
    after = _max_id(cursor, "care_carerecord")
    for grassroots, count, among in _split(n["care"], units):
        cursor.execute(CARE, {**care, "grassroots": grassroots, "count": count, "units": among})
    cursor.execute(FUNDING, {**base, "after": after})
    ph1, ph2 = fx["phases"]
    ini = {**base, "mid": ph1.end, "phase1": ph1.pk, "phase2": ph2.pk,
           "programme": fx["programme"].pk}  # fmt: skip
    after = _max_id(cursor, "initiatives_initiative")
    for grassroots, count, among in _split(n["initiatives"], units, 0.95):
        cursor.execute(
            INITIATIVES, {**ini, "grassroots": grassroots, "count": count, "units": among}
        )
    cursor.execute(AUTHORS, {**base, "after": after})
    cursor.execute("DROP TABLE IF EXISTS b_insp")
    cursor.execute(INSPECTIONS, {**base, "count": n["inspections"], "units": units["grassroots"]})
    cursor.execute(INSPECTION_ROWS, base)
    cursor.execute(INSPECTED, base)


def entered(cursor: Any, period: Any) -> dict[str, int]:
    """One place per figure: delete the keeping units' entries of their registers' indicators;
    when the year has no figures yet, enter those indicators for the units not keeping them."""
    from congdoan.activities import registers
    from congdoan.indicators import derived
    from congdoan.indicators.models import Indicator, Source, Value

    derived.definitions()
    inds = [
        (i.pk, reg, i.value_type == "money")
        for reg in REGISTERS
        for i in Indicator.objects.filter(
            source=Source.ENTERED, derivation__in=registers.REGISTERS[reg].definitions
        )
    ]
    had = Value.objects.filter(period=period).exists()
    arrays = {
        "ids": [i for i, _r, _m in inds],
        "regs": [r for _i, r, _m in inds],
        "money": [m for _i, _r, m in inds],
        "period": period.pk,
        "year": YEAR,
        "start": period.start,
        "end": period.end,
    }
    kept = (
        "k.register = i.register AND k.from_year <= %(year)s "
        "AND (k.until_year IS NULL OR k.until_year >= %(year)s)"
    )
    cursor.execute(
        "DELETE FROM indicators_value v USING activities_keeping k, "
        "unnest(%(ids)s::bigint[], %(regs)s::text[]) AS i(id, register) "
        f"WHERE v.period_id = %(period)s AND v.indicator_id = i.id AND k.unit_id = v.unit_id AND {kept}",
        arrays,
    )
    out = {"entries_deleted": cursor.rowcount, "entries_added": 0, "reused_year": int(had)}
    if had:
        return out
    cursor.execute(
        "INSERT INTO indicators_sheet (status, submitted_at, first_submitted_at, approved_at, "
        "locked_at, updated_at, period_id, unit_id) SELECT 'approved', now(), now(), now(), NULL, "
        "now(), %(period)s, u.id FROM organisation_unit u WHERE u.founded_on <= %(end)s "
        "AND (u.dissolved_on IS NULL OR u.dissolved_on > %(start)s) "
        "ON CONFLICT (unit_id, period_id) DO NOTHING",
        arrays,
    )
    cursor.execute(
        "INSERT INTO indicators_value (value, comment, updated_at, indicator_id, period_id, "
        "sheet_id, unit_id) SELECT CASE WHEN i.money THEN floor(random() * 401) * 100000 "
        "ELSE floor(random() * 61) END, '', now(), i.id, s.period_id, s.id, s.unit_id "
        "FROM indicators_sheet s CROSS JOIN "
        "unnest(%(ids)s::bigint[], %(regs)s::text[], %(money)s::bool[]) AS i(id, register, money) "
        "WHERE s.period_id = %(period)s AND NOT EXISTS (SELECT 1 FROM activities_keeping k "
        f"WHERE k.unit_id = s.unit_id AND {kept})",
        arrays,
    )
    out["entries_added"] = cursor.rowcount
    return out


# ---------------------------------------------------------------------------------------------
# The import benchmark's files (bench.activities)


KIND_WEIGHTS = [("gift", 52), ("cash", 15), ("visit", 15), ("meal", 11), ("economy", 5),
                ("house", 2)]  # fmt: skip
AMOUNTS = {"gift": 500_000, "cash": 2_000_000, "visit": 300_000, "meal": 50_000,
           "economy": 10_000_000, "house": 60_000_000}  # fmt: skip
FIRST_NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Nam", "Phạm Thị Hòa", "Đỗ Đức Long"]


def import_units(province: Any) -> list[tuple[str, dt.date, list[str]]]:
    """Up to 2,000 grassroots unions of the province (code, first day in the year, cards of
    their active members)."""
    from congdoan.members.models import Member
    from congdoan.organisation.models import Unit

    units = list(
        Unit.objects.filter(
            path__startswith=province.path,
            dissolved_on__isnull=True,
            unit_type__is_grassroots=True,
            founded_on__lte=END,
        )
        .order_by("code")
        .values_list("pk", "code", "founded_on")
    )
    units = random.Random(len(units)).sample(units, min(2000, len(units)))
    cards: dict[int, list[str]] = {}
    for unit_id, card in Member.objects.filter(
        unit_id__in=[u for u, _c, _f in units], status="active", card_number__isnull=False
    ).values_list("unit_id", "card_number"):
        cards.setdefault(unit_id, []).append(str(card))
    return [(code, max(founded, START), cards.get(pk, [])) for pk, code, founded in units]


def care_row(
    i: int, seed: int, unit: tuple[str, dt.date, list[str]], rng: Any, kinds: dict[str, Any]
) -> dict[str, Any]:
    """One row of the care file, by the template's column keys (`kinds`: the file's words)."""
    code, first, cards = unit
    kind = rng.choices([k for k, _w in KIND_WEIGHTS], [w for _k, w in KIND_WEIGHTS])[0]
    on = first + dt.timedelta(days=rng.randrange((END - first).days + 1))
    row: dict[str, Any] = {"unit": code, "on": on, "description": f"Phiếu chăm lo số {seed}-{i}"}
    if kind in ("gift", "cash", "visit", "economy", "house") and cards and rng.random() < 0.7:
        row.update(recipient="Đoàn viên", card=rng.choice(cards))
    elif kind == "meal" or (kind == "gift" and rng.random() < 0.2):
        row.update(
            recipient="Trẻ em" if kind == "gift" else "Người lao động",
            person="Nhóm nhận quà" if kind == "gift" else "Tổ sản xuất",
            quantity=rng.randint(10, 200),
        )
    else:
        family = kind in ("economy", "house")
        row.update(
            recipient="Gia đình" if family else "Người lao động", person=rng.choice(FIRST_NAMES)
        )
    amount = AMOUNTS[kind] * row.get("quantity", 1)
    if kind == "house":
        handover = on + dt.timedelta(days=rng.randint(30, 150))
        row.update(
            house_work=rng.choice(["Xây mới", "Sửa chữa"]),
            address="Thôn 2",
            handover_on=handover if handover <= END else None,
        )
    if kind == "economy":
        row["economy_form"] = rng.choice(["Cho vay", "Hỗ trợ"])
    if kind == "gift" and TET[1] <= on <= TET[2]:
        row["campaign"] = TET[0]
    if kind != "visit" or rng.random() < 0.7:
        row["fund_grassroots"] = amount
        if rng.random() < 0.2:
            row.update(fund_donor=amount // 2, donor="Ngân hàng TMCP Công Thương")
    row["kind"] = kinds[kind][0]
    return row


def import_file(rows: int, seed: int, units: list[tuple[str, dt.date, list[str]]]) -> bytes:
    """The care template's header row and `rows` rows, as an .xlsx."""
    import xlsxwriter

    from congdoan.care.imports import KINDS, SPEC

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(SPEC.sheet)
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    keys = [c.key for c in SPEC.columns]
    for c, col in enumerate(SPEC.columns):
        sheet.write_string(0, c, col.header)
    rng = random.Random(seed)
    for i in range(rows):
        row = care_row(i, seed, units[i % len(units)], rng, KINDS)  # type: ignore[arg-type]
        for c, key in enumerate(keys):
            value = row.get(key)
            if isinstance(value, dt.date):
                sheet.write_datetime(i + 1, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int):
                sheet.write_number(i + 1, c, value)
            elif value is not None:
                sheet.write_string(i + 1, c, value)
    book.close()
    return out.getvalue()


def counts() -> dict[str, int]:
    from django.db import connection

    tables = (*TABLES, "activities_keeping")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {t}" for t in tables))
        return {t: int(n) for t, n in cursor.fetchall()}


def generate(seed: int) -> dict[str, Any]:
    """The records, keepings and entered figures of YEAR; skipped when records exist."""
    from django.db import connection, transaction

    from congdoan.care.models import CareRecord

    n = sizes()
    fx = fixtures()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    fresh = not CareRecord.objects.exists()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 10_000) / 10_000])
        units = _units(cursor)
        if fresh:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            dropped = [ix for t in TABLES for ix in _secondary_indexes(cursor, t)]
            for name, _sql in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            _records(cursor, fx, n, units)
            seconds["records"] = time.perf_counter() - t0
            for _name, sql in dropped:
                cursor.execute(sql)
            seconds["indexes"] = time.perf_counter() - t0 - seconds["records"]
            cursor.execute(
                KEEPING, {"year": YEAR, "registers": list(REGISTERS), "share": n["keeping"]}
            )
        t1 = time.perf_counter()
        figures = entered(cursor, fx["period"])
        seconds["figures"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        tables = ", ".join((*TABLES, "activities_keeping", "indicators_sheet", "indicators_value"))
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    seconds["analyze"] = time.perf_counter() - t2
    return {
        "fresh": fresh,
        "sizes": n,
        "units": units,
        "counts": counts(),
        "figures": figures,
        "seconds": {k: round(v, 1) for k, v in seconds.items()},
        **fx,
    }


def describe(g: dict[str, Any]) -> None:
    c, s, f = g["counts"], g["seconds"], g["figures"]
    state = "generated" if g["fresh"] else "found (generated by an earlier run)"
    print(
        f"  records {state}: {c['care_carerecord']:,} care records with "
        f"{c['care_funding']:,} funding lines, {c['initiatives_initiative']:,} initiatives "
        f"({c['initiatives_author']:,} authors), {c['inspections_inspection']:,} inspections "
        f"({c['inspections_inspected']:,} units inspected); {c['activities_keeping']:,} keepings "
        f"over {g['units']['grassroots']:,} grassroots and {g['units']['above']:,} other units"
    )
    year = "the year's figures reused" if f["reused_year"] else "no figures for the year yet"
    print(
        f"  entered figures: {year}; {f['entries_deleted']:,} entries of keeping units removed, "
        f"{f['entries_added']:,} entries of the others added"
    )
    print("  seconds: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    sys.stdout.flush()


def main() -> None:
    import django

    django.setup()
    t0 = time.perf_counter()
    g = generate(int(os.environ.get("BENCH_SEED", "2025")))
    describe(g)
    print(f"  total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
