"""Plan the people of the demo: members' records and lives, the federation's leaders, clusters
and terms.

Every member is admitted to a grassroots union (about half of them when it is founded) with the
full record of domain.md §2 (profiles.py); lives.py plans what follows: transfers to peer unions
anywhere in the province (teachers between schools, to the high schools of Công đoàn Giáo dục
tỉnh; nurses between health units), suspensions and resumptions, reprimands, Party referrals and
admissions, exits for every reason, re-admissions. Members follow their union through merges and
leave with it when it closes or is dissolved in the 2025 reform. A few people are registered a
second time in another union (same name and date of birth) for the duplicate review.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from congdoan.core.formats import roman
from congdoan.demo import lives
from congdoan.demo import names as N
from congdoan.demo import profiles as P
from congdoan.demo.places import DISTRICTS, LAI_CHAU
from congdoan.demo.records import (
    ADMIT,
    BODIES,
    REFORM,
    MemberPlan,
    Plan,
    Spec,
    between,
    commune_code,
    years_after,
)
from congdoan.organisation import divisions

D = dt.date
STAFF_UNION = "LC-CS0000"


def plan_members(p: Plan) -> None:
    rng = p.rng
    grassroots = [s for s in p.specs.values() if s.grassroots]
    peers: dict[tuple[int | None, str], list[Spec]] = defaultdict(list)
    for s in grassroots:
        peers[(s.province, lives.family(s))].append(s)
    _plan_staff(p)
    for spec in grassroots:
        if spec.kind == "union":
            continue
        last = p.end if spec.end is None else min(spec.end - dt.timedelta(days=1), p.end)
        for i in range(spec.size):
            founder = i < max(1, spec.size // 2)
            admitted = spec.founded if founder else between(rng, spec.founded, last)
            if admitted == REFORM:
                admitted += dt.timedelta(days=1)
            sex = "F" if rng.random() < spec.female else "M"
            # A young workforce: most were in their twenties or thirties when they joined.
            age = round(rng.triangular(22, 46, 26) if founder else rng.triangular(20, 36, 23))
            dob = admitted - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            ethnicity = P.ethnicity_for(rng, spec)
            name = N.member_name(rng, sex, ethnicity)
            member = _admit(p, spec, admitted, name, dob, ethnicity, rank=i)
            lives.walk(p, member, lives.draw(p, member, spec), peers)
            _settle(p, member, spec)
    _plan_duplicates(p)
    lives.ensure_every_reason(p, skip=STAFF_UNION)
    lives.ensure_readmission(p)
    lives.ensure_suspended(p, skip=STAFF_UNION)
    lives.schedule_exits(p)


def _admit(p: Plan, spec: Spec, admitted: dt.date, name: N.PersonName, dob: dt.date,
           ethnicity: str, *, rank: int) -> MemberPlan:  # fmt: skip
    rng = p.rng
    member = MemberPlan(len(p.members), name, dob, spec.code, admitted, ethnicity=ethnicity)
    member.religion = P.religion_for(rng, ethnicity)
    details = P.record(rng, spec, rank, name.sex, dob, ethnicity, p.ids, p.phones)
    P.finish(rng, details, P.party_joined_at_admission(rng, spec, dob, admitted, details["head"]))
    member.details = details
    p.members.append(member)
    p.at(admitted, ADMIT, "admit", member.index)
    return member


def _settle(p: Plan, m: MemberPlan, spec: Spec) -> None:
    """Details that depend on the life: the workplace and job of the last union; no citizen ID
    (12 digits) for most who left before 2016, when they replaced the old ID cards."""
    rng = p.rng
    final = m.timeline[-1][2] if m.timeline else m.unit
    if final != m.unit and final in p.specs:
        last = p.specs[final]
        m.details["workplace"] = P.workplace(last)
        if last.kind != spec.kind:
            m.details["job_title"], m.details["professional_level"] = P.job(rng, last, 2)
    citizen_id = m.details.get("citizen_id")
    old = m.exit is not None and m.exit[0].year < 2016
    if old and citizen_id and len(citizen_id) == 12 and rng.random() < 0.7:
        # Their record still holds the old card, or nothing.
        p.ids.used.discard(citizen_id)
        m.details["citizen_id"] = p.ids.cmnd(citizen_id[:3]) if rng.random() < 0.7 else None


def _plan_duplicates(p: Plan) -> None:
    """Some people registered a second time in another union, with their old ID card or
    without any: same name and date of birth (the duplicate review finds them)."""
    rng = p.rng
    start = D(2024, 1, 1)
    hosts = [
        s
        for s in p.specs.values()
        if s.grassroots and s.kind != "union" and s.province == LAI_CHAU and s.end is None
        and s.founded < start
    ]  # fmt: skip
    people = [
        m
        for m in p.members
        if m.exit is None and m.admitted < start and m.unit != STAFF_UNION and not m.timeline
        and p.specs[m.unit].province == LAI_CHAU
    ]  # fmt: skip
    for m in rng.sample(people, min(len(people), max(3, round(10 * p.scale)))):
        host = rng.choice([s for s in hosts if s.code != m.unit])
        day = between(rng, start, p.end - dt.timedelta(days=20))
        twin = MemberPlan(len(p.members), m.name, m.dob, host.code, day, ethnicity=m.ethnicity)
        twin.religion = m.religion
        details = P.record(rng, host, 5, m.sex, m.dob, m.ethnicity, p.ids, p.phones)
        P.finish(rng, details, None)
        old_id = m.details.get("citizen_id")
        details["citizen_id"] = (
            p.ids.cmnd(old_id[:3] if old_id else "012") if rng.random() < 0.6 else None
        )
        details["hometown"] = m.details["hometown"]
        twin.details, twin.duplicate_of = details, m.index
        p.members.append(twin)
        p.at(day, ADMIT, "admit_one", twin.index)


def _plan_staff(p: Plan) -> None:
    """Staff of the provincial federation: members of its staff union, its leaders among them."""
    rng = p.rng
    spec = p.specs[STAFF_UNION]

    def staff(admitted: dt.date, sex: str, dob: dt.date, title: str, leader: bool) -> MemberPlan:
        ethnicity = P.ethnicity_for(rng, spec)
        m = _admit(p, spec, admitted, N.member_name(rng, sex, ethnicity), dob, ethnicity, rank=2)
        m.details["job_title"] = title
        if leader:  # leaders of the federation are Party members with advanced political theory
            m.details["party_member"] = True
            m.details["party_joined_on"] = between(rng, years_after(dob, 21),
                                                   admitted - dt.timedelta(days=30))  # fmt: skip
            m.details["political_theory"] = "cao_cap"
            m.details["professional_level"] = rng.choice(["dai_hoc", "thac_si"])
        return m

    for role, title in N.STAFF_TITLES:
        sex = "F" if rng.random() < 0.45 else "M"
        # Old enough to lead, young enough not to retire before the end of the history.
        if sex == "F":
            dob = between(rng, D(1976, 1, 1), D(1984, 12, 31))
        else:
            dob = between(rng, D(1972, 1, 1), D(1980, 12, 31))
        admitted = between(rng, max(D(2004, 2, 1), years_after(dob, 23)), D(2012, 12, 31))
        p.leaders.append((staff(admitted, sex, dob, title, True), role, title))
    # The third vice-chair retires on 1/1/2025 (her seats end; a successor is elected).
    retiring = p.leaders[3][0]
    retiring.dob = D(1968, 8, 20)
    retiring.details["party_joined_on"] = D(1992, 5, 19)
    retiring.name = N.member_name(rng, "F", retiring.ethnicity)
    old = retiring.details["citizen_id"]
    if old and len(old) == 12:
        p.ids.used.discard(old)
        retiring.details["citizen_id"] = p.ids.cccd(old[:3], "F", retiring.dob)
    retiring.exit = (D(2025, 1, 1), spec.code, "retired")
    retiring.timeline.append((D(2025, 1, 1), "exit", spec.code))
    p.exits.append((D(2025, 1, 1), spec.code, "retired", retiring.index, "Nghỉ hưu theo chế độ"))
    for _ in range(6):  # other staff
        sex = "F" if rng.random() < 0.55 else "M"
        dob = between(rng, D(1983, 1, 1), D(1996, 12, 31))
        admitted = between(rng, max(D(2008, 1, 1), years_after(dob, 22)), D(2022, 12, 31))
        staff(admitted, sex, dob, rng.choice(["Chuyên viên", "Chuyên viên", "Kế toán"]), False)


# ---------------------------------------------------------------------------------------------
# Clusters and terms


def plan_bodies(p: Plan) -> None:
    _plan_clusters(p)
    _plan_province_terms(p)
    for i, d in enumerate([d for d in DISTRICTS if d.congress]):
        day = D(2023, 5, 10) + dt.timedelta(days=14 * i)
        number = d.congress or 1
        note = f"Đại hội {roman(number)} Công đoàn {d.label}, nhiệm kỳ 2023–2028"
        _plan_unit_term(p, f"LC-{d.key}", number, 2023, day, day, note)
    for ward in (3408, 3390):
        note = (
            "Ban Chấp hành lâm thời do Ban Thường vụ LĐLĐ tỉnh chỉ định từ 01/07/2025, "
            "đến Đại hội lần thứ nhất."
        )
        _plan_unit_term(p, commune_code("LC", ward), 1, 2025, None, REFORM, note)


def _plan_clusters(p: Plan) -> None:
    sectors = ["LC-VC", "LC-GD", "LC-YT", "LC-KKT"]
    districts = [f"LC-{d.key}" for d in DISTRICTS]
    communes = [commune_code("LC", w) for w, _ in divisions.wards_of(LAI_CHAU)]
    clusters = [
        (
            "lc-cum-3",
            "Cụm thi đua số 3 (Công đoàn ngành)",
            "cluster",
            "Các công đoàn ngành địa phương và Công đoàn Khu kinh tế trực thuộc LĐLĐ tỉnh: "
            "CĐVC tỉnh, CĐGD tỉnh, CĐYT tỉnh, CĐKKT tỉnh.",
            D(2022, 2, 15),
            [(year, sectors, head) for year, head in zip(range(2022, 2026), sectors, strict=True)],
        ),
        (
            "lc-khoi-huyen",
            "Khối thi đua các huyện, thành phố",
            "block",
            "Liên đoàn Lao động các huyện, thành phố trực thuộc LĐLĐ tỉnh (đến 30/06/2025).",
            D(2022, 2, 15),
            [
                (year, districts, head)
                for year, head in zip(
                    range(2022, 2026), ["LC-TP", "LC-TD", "LC-TU", "LC-SH"], strict=True
                )
            ],
        ),
        (
            "lc-khoi-xa",
            "Khối thi đua công đoàn các xã, phường",
            "block",
            "Công đoàn các xã, phường trực thuộc LĐLĐ tỉnh (từ 01/07/2025).",
            D(2025, 7, 15),
            [
                (2025, communes, commune_code("LC", 3408)),
                (2026, communes, commune_code("LC", 3390)),
            ],
        ),
    ]
    for code, name, kind, description, created, years in clusters:
        p.at(created, BODIES, "cluster", code, name, kind, description)
        for year, units, head in years:
            day = max(created, D(year, 2, 20))
            if day <= p.end:
                p.at(day, BODIES, "cluster_year", code, year, units, head)


def _seat(p: Plan, term: str, committee: str, position: str, name: str, day: dt.date,
          title: str, member: int | None = None) -> None:  # fmt: skip
    p.at(day, BODIES, "seat", term, committee, position, name, title, member)


def _outsider(p: Plan) -> str:
    """Someone who is not a member of the demo's registers (chairs of other bodies)."""
    return N.person(p.rng, "F" if p.rng.random() < 0.4 else "M").full


def _plan_province_terms(p: Plan) -> None:
    leaders = p.leaders
    # Term XII (2018–2023): the federation's leadership only.
    day = D(2018, 7, 12)
    note = "Đại hội XII Công đoàn tỉnh Lai Châu, nhiệm kỳ 2018–2023"
    p.at(day, BODIES, "term", "LC-12", "LC", 12, 2018, 2023, day, note)
    for m, role, title in leaders[:3]:
        _seat(p, "LC-12", "bch", role, m.name.full, day, title, m.index)
    # Term XIII (2023–2028): BCH, BTV and UBKT.
    day = D(2023, 7, 20)
    note = "Đại hội XIII Công đoàn tỉnh Lai Châu, nhiệm kỳ 2023–2028"
    p.at(day, BODIES, "term", "LC-13", "LC", 13, 2023, 2028, day, note)
    for m, role, title in leaders[:10]:
        position = role if role in ("chu_tich", "pho_chu_tich") else "uv_bch"
        _seat(p, "LC-13", "bch", position, m.name.full, day, title, m.index)
    chairs: dict[str, str] = {}
    for d in DISTRICTS:
        chairs[d.key] = _outsider(p)
        _seat(p, "LC-13", "bch", "uv_bch", chairs[d.key], day, f"Chủ tịch LĐLĐ {d.label}")
    for key in ("VC", "GD", "YT", "KKT"):
        chairs[key] = _outsider(p)
        title = f"Chủ tịch {p.specs[f'LC-{key}'].name}"
        _seat(p, "LC-13", "bch", "uv_bch", chairs[key], day, title)
    grassroots = sorted(
        s.name
        for s in p.specs.values()
        if s.grassroots and s.province == LAI_CHAU and s.active_on(day) and s.kind != "union"
    )
    for name in p.rng.sample(grassroots, min(5, len(grassroots))):
        _seat(p, "LC-13", "bch", "uv_bch", _outsider(p), day, f"Chủ tịch {name}")
    # Standing Committee: the leaders, two heads of department and two chairs.
    for m, _role, title in [*leaders[:6], leaders[8]]:
        _seat(p, "LC-13", "btv", "uv_btv", m.name.full, day, title, m.index)
    _seat(p, "LC-13", "btv", "uv_btv", chairs["GD"], day, "Chủ tịch Công đoàn Giáo dục tỉnh")
    _seat(p, "LC-13", "btv", "uv_btv", chairs["TP"], day, "Chủ tịch LĐLĐ thành phố Lai Châu")
    # Inspection Committee.
    for (m, _role, title), position in zip(
        [leaders[4], leaders[10], leaders[11]],
        ["chu_nhiem_ubkt", "pho_chu_nhiem_ubkt", "uv_ubkt"],
        strict=True,
    ):
        _seat(p, "LC-13", "ubkt", position, m.name.full, day, title, m.index)
    for d in DISTRICTS[:4]:
        _seat(p, "LC-13", "ubkt", "uv_ubkt", _outsider(p), day, f"Chủ nhiệm UBKT LĐLĐ {d.label}")
    # The retiring vice-chair leaves on 31/12/2024; a head of department is elected in her place.
    retiring, successor = leaders[3][0], leaders[6][0]
    p.at(D(2025, 1, 2), BODIES, "seats_end", "LC-13", retiring.index, D(2024, 12, 31),
         "Nghỉ hưu theo chế độ")  # fmt: skip
    p.at(D(2025, 1, 2), BODIES, "seats_end", "LC-13", successor.index, D(2025, 1, 1),
         "Được bầu bổ sung Phó Chủ tịch LĐLĐ tỉnh")  # fmt: skip
    title = "Phó Chủ tịch LĐLĐ tỉnh"
    for committee, position in (("bch", "pho_chu_tich"), ("btv", "uv_btv")):
        _seat(p, "LC-13", committee, position, successor.name.full, D(2025, 1, 2), title,
              successor.index)  # fmt: skip


def _plan_unit_term(p: Plan, unit: str, number: int, start: int, congress: dt.date | None,
                    day: dt.date, note: str) -> None:  # fmt: skip
    key = f"{unit}-{number}"
    p.at(day, BODIES, "term", key, unit, number, start, 2028, congress, note)
    label = p.specs[unit].short_name
    seats = [
        ("bch", "chu_tich", f"Chủ tịch {label}"),
        ("bch", "pho_chu_tich", f"Phó Chủ tịch {label}"),
        *[("bch", "uv_bch", "Ủy viên Ban Chấp hành")] * 5,
        ("ubkt", "chu_nhiem_ubkt", f"Chủ nhiệm Ủy ban Kiểm tra {label}"),
        ("ubkt", "uv_ubkt", "Ủy viên Ủy ban Kiểm tra"),
    ]
    for committee, position, title in seats:
        _seat(p, key, committee, position, _outsider(p), day, title)
