"""Plan the people of the demo: members' lives, the federation's leaders, clusters and terms.

Every member is admitted to a grassroots union (about half of them when it is founded); some
transfer to a peer union (teachers between schools, nurses between health units), some leave
(retirement at the legal age, leaving the job, resignation). Members follow their union through
merges and leave with it when it closes or is dissolved in the 2025 reform.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from congdoan.core.formats import roman
from congdoan.demo import names as N
from congdoan.demo.places import DISTRICTS, LAI_CHAU
from congdoan.demo.records import (
    ADMIT,
    BODIES,
    EXIT,
    REFORM,
    TRANSFER,
    MemberPlan,
    Plan,
    Spec,
    between,
    commune_code,
    retirement,
)
from congdoan.organisation import divisions

D = dt.date
STAFF_UNION = "LC-CS0000"


def plan_members(p: Plan) -> None:
    rng = p.rng
    grassroots = [s for s in p.specs.values() if s.grassroots]
    peers: dict[tuple[int | None, str], list[Spec]] = defaultdict(list)
    for s in grassroots:
        if s.kind != "union":
            peers[(s.province, s.family)].append(s)
    _plan_staff(p)
    for spec in grassroots:
        last = p.end if spec.end is None else min(spec.end - dt.timedelta(days=1), p.end)
        for i in range(spec.size):
            founder = i < max(1, spec.size // 2)
            admitted = spec.founded if founder else between(rng, spec.founded, last)
            if admitted == REFORM:
                admitted += dt.timedelta(days=1)
            sex = "F" if rng.random() < spec.female else "M"
            age = rng.randint(23, 50) if founder else rng.randint(21, 40)
            dob = admitted - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            member = _admit(p, spec, admitted, N.person(rng, sex), dob)
            _plan_life(p, member, peers[(spec.province, spec.family)])


def _admit(p: Plan, spec: Spec, admitted: dt.date, name: N.PersonName, dob: dt.date) -> MemberPlan:
    index = len(p.members)
    province = spec.province or LAI_CHAU
    card = f"{province:02d}{admitted.year}{index + 1:06d}"  # unique: the index is
    member = MemberPlan(index, name, dob, spec.code, admitted, card)
    p.members.append(member)
    p.at(admitted, ADMIT, "admit", index)
    return member


def _plan_life(p: Plan, m: MemberPlan, peers: list[Spec]) -> None:
    """A transfer and an exit, where the member's union (after merges) still exists."""
    rng = p.rng
    transfer_day: dt.date | None = None
    if rng.random() < 0.08:
        transfer_day = between(rng, m.admitted + dt.timedelta(days=365), p.end)
    exit_day, reason = retirement(m.dob, m.name.sex), "retired"
    roll = rng.random()
    if roll < 0.09:
        leave = between(rng, m.admitted + dt.timedelta(days=120), p.end)
        if leave < exit_day:
            exit_day, reason = leave, "left_job" if roll < 0.075 else "resigned"
    # Nothing else happens on the day of the reform, which is played as one step.
    if transfer_day == REFORM:
        transfer_day += dt.timedelta(days=1)
    if exit_day == REFORM:
        exit_day += dt.timedelta(days=1)
    current = m.unit
    if transfer_day is not None and transfer_day < min(exit_day, p.end):
        here = p.resolve(current, transfer_day)
        if here is None:
            return  # left with the union (closure or reform) before the transfer
        candidates = [
            s
            for s in peers
            if s.code != here and s.active_on(transfer_day) and p.resolve(s.code, transfer_day)
        ]
        if candidates:
            target = rng.choice(candidates)
            m.transfer = (transfer_day, here, target.code)
            p.at(transfer_day, TRANSFER, "transfer", m.index)
            current = target.code
    if exit_day <= p.end and exit_day > (m.transfer[0] if m.transfer else m.admitted):
        here = p.resolve(current, exit_day)
        if here is not None:
            m.exit = (exit_day, here, reason)
            p.at(exit_day, EXIT, "exit", m.index)


def _plan_staff(p: Plan) -> None:
    """Staff of the provincial federation: members of its staff union, its leaders among them."""
    rng = p.rng
    spec = p.specs[STAFF_UNION]
    for role, title in N.STAFF_TITLES:
        sex = "F" if rng.random() < 0.45 else "M"
        admitted = between(rng, D(2004, 2, 1), D(2012, 12, 31))
        # Old enough to lead, young enough not to retire before the end of the history.
        if sex == "F":
            dob = between(rng, D(1976, 1, 1), D(1984, 12, 31))
        else:
            dob = between(rng, D(1972, 1, 1), D(1980, 12, 31))
        p.leaders.append((_admit(p, spec, admitted, N.person(rng, sex), dob), role, title))
    # The third vice-chair retires on 1/1/2025 (her seats end; a successor is elected).
    retiring = p.leaders[3][0]
    retiring.dob, retiring.name = D(1968, 8, 20), N.person(rng, "F")
    retiring.exit = (D(2025, 1, 1), spec.code, "retired")
    p.at(D(2025, 1, 1), EXIT, "exit", retiring.index)
    for _ in range(6):  # other staff
        sex = "F" if rng.random() < 0.55 else "M"
        admitted = between(rng, D(2008, 1, 1), D(2022, 12, 31))
        _admit(p, spec, admitted, N.person(rng, sex), between(rng, D(1983, 1, 1), D(1996, 12, 31)))


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
