"""Plan what happens to each member after the admission, as a union officer would record it.

A life is drawn first (a transfer or two, a suspension and what follows it, a reprimand, a Party
referral and admission, an exit for one of the reasons of `ExitReason`, sometimes a re-admission)
and then walked in date order against the plan's units: a member follows their union through
merges and leaves with it when it closes or is dissolved, and nothing is planned after that.

Dates follow the habits of the field: retirement on the first day of a month, teachers moved at
the start of the school year, companies shedding staff in waves, non-payment reviewed at the end
of the year. Exits of the same union, day and reason are recorded together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from congdoan.demo.records import (
    ADMIT,
    EXIT,
    REFORM,
    TRANSFER,
    MemberPlan,
    Plan,
    Spec,
    between,
    retirement,
    years_after,
)

DAY = dt.timedelta(days=1)
FIRST_REFERRALS = dt.date(2005, 1, 1)

SCHOOL_KINDS = {"kindergarten", "primary", "secondary", "high"}
HEALTH_KINDS = {"hospital", "health"}
PUBLIC_KINDS = {"agency", "dvsn"}
BUSINESS_KINDS = {"company", "dnnn", "fdi"}


def family(spec: Spec) -> str:
    """Peers a member may be transferred between (teachers between schools, nurses between
    health units, officials between agencies, workers between companies)."""
    kind = spec.kind
    if kind in ("secondary", "high"):
        return "school"  # teachers of lower and upper secondary schools
    if kind in SCHOOL_KINDS:
        return kind  # kindergarten, primary
    if kind in HEALTH_KINDS:
        return "health"
    if kind in PUBLIC_KINDS:
        return "public"
    if kind in BUSINESS_KINDS:
        return "business"
    return kind or "other"  # htx, guild, union: no transfers


# Chance over a working life of: a transfer, leaving the job, resigning, non-payment, a
# suspension, a Party referral (for members not yet in the Party).
RATES: dict[str, tuple[float, float, float, float, float, float]] = {
    "school": (0.04, 0.025, 0.005, 0.002, 0.003, 0.045),
    "health": (0.035, 0.03, 0.006, 0.002, 0.003, 0.045),
    "public": (0.03, 0.025, 0.005, 0.002, 0.003, 0.045),
    "business": (0.008, 0.12, 0.015, 0.025, 0.012, 0.01),
    "htx": (0.0, 0.1, 0.02, 0.04, 0.012, 0.008),
    "guild": (0.0, 0.08, 0.03, 0.05, 0.012, 0.004),
    "union": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
}
DECEASED, OTHER, DISCIPLINE = 0.005, 0.003, 0.002
TRANSFERRED_BY_REQUEST = dt.date(2025, 7, 1)  # recorded as transfer requests from then on

OTHER_NOTES = [
    "Nhập ngũ, phục vụ trong Quân đội nhân dân",
    "Đi lao động có thời hạn ở nước ngoài",
    "Chuyển sang công tác tại cơ quan không có tổ chức công đoàn",
]
SUSPEND_NOTES = [
    "Nghỉ việc không hưởng lương",
    "Tạm thời không có việc làm",
    "Tạm hoãn hợp đồng lao động",
    "Đi học tập trung dài hạn",
]
EXIT_NOTES = {
    "retired": "Nghỉ hưu theo chế độ",
    "left_job": "Chấm dứt hợp đồng lao động, thôi việc",
    "resigned": "Tự nguyện xin ra khỏi tổ chức công đoàn",
    "non_payment": "Không đóng đoàn phí liên tục 6 tháng",
    "deceased": "Từ trần",
}


def _rates_key(spec: Spec) -> str:
    fam = family(spec)
    if fam in ("kindergarten", "primary"):
        return "school"
    return fam if fam in RATES else "union"


@dataclass(frozen=True)
class Step:
    day: dt.date
    order: int  # events of one member on one day keep this order
    kind: str
    arg: str = ""


def _waves(p: Plan, spec: Spec) -> list[dt.date]:
    """Days on which a company laid off staff (a few over its life)."""
    waves = p.waves
    if spec.code not in waves:
        rng = p.rng
        last = (spec.end or p.end) - dt.timedelta(days=30)
        days = {
            between(rng, years_after(spec.founded, 2), last)
            for _ in range(rng.choice([0, 1, 1, 2, 3]))
            if years_after(spec.founded, 2) < last
        }
        waves[spec.code] = sorted(d for d in days if d != REFORM)
    return waves[spec.code]


def _leave(p: Plan, spec: Spec, m: MemberPlan, horizon: dt.date) -> tuple[dt.date, str, str] | None:
    """An exit before retirement, if one happens: (day, reason, note)."""
    rng = p.rng
    fam = _rates_key(spec)
    _transfer, left_job, resigned, non_payment, _suspend, _party = RATES[fam]
    lo = m.admitted + dt.timedelta(days=120)
    if horizon <= lo:
        return None
    roll = rng.random()
    for share, reason in (
        (left_job, "left_job"),
        (resigned, "resigned"),
        (non_payment, "non_payment"),
        (DECEASED, "deceased"),
        (OTHER, "other"),
    ):
        if roll >= share:
            roll -= share
            continue
        day = between(rng, lo, horizon)
        note = EXIT_NOTES.get(reason, "")
        if reason == "left_job" and fam == "business":
            waves = [w for w in _waves(p, spec) if lo <= w < horizon]
            if waves and rng.random() < 0.85:
                day = rng.choice(waves)
                note = "Doanh nghiệp cắt giảm lao động"
        elif reason == "left_job" and fam == "school":
            day = dt.date(day.year, 9, 1)  # moved out of the province for the new school year
            note = "Chuyển công tác ra ngoài tỉnh"
        elif reason == "non_payment":
            day = dt.date(day.year, 12, 31)  # reviewed by the union committee at year end
        elif reason == "other":
            note = rng.choice(OTHER_NOTES)
        return (day, reason, note) if lo <= day < horizon else None
    return None


def draw(p: Plan, m: MemberPlan, spec: Spec) -> list[Step]:
    """The events a member's life may hold, before checking them against the units."""
    rng = p.rng
    fam = _rates_key(spec)
    transfer, _l, _r, _n, suspend, party = RATES[fam]
    retire = retirement(m.dob, m.sex)
    horizon = min(retire, years_after(m.admitted, 32))
    steps = [Step(retire, 9, "exit", "retired")]
    leave = _leave(p, spec, m, horizon)
    end = retire
    if leave is not None:
        steps.append(Step(leave[0], 9, "exit", f"{leave[1]}|{leave[2]}"))
        end = leave[0]
    last = min(end, p.end) - dt.timedelta(days=30)
    first = years_after(m.admitted, 1)
    if rng.random() < transfer and first < last:
        day = between(rng, first, last)
        if fam == "school":
            day = dt.date(day.year, 8, 15)  # teachers are moved for the new school year
        steps.append(Step(day, 3, "transfer"))
        if rng.random() < 0.2:
            steps.append(
                Step(between(rng, years_after(day, 2), years_after(day, 8)), 3, "transfer")
            )
    if rng.random() < suspend and m.admitted + dt.timedelta(days=180) < last:
        day = between(rng, m.admitted + dt.timedelta(days=180), last)
        steps.append(Step(day, 2, "suspend", rng.choice(SUSPEND_NOTES)))
        roll = rng.random()
        if roll < 0.68:
            steps.append(Step(day + dt.timedelta(days=rng.randint(90, 400)), 4, "resume"))
        else:
            reason = "non_payment" if roll < 0.8 else "left_job"
            later = day + dt.timedelta(days=rng.randint(180, 500))
            note = "Không trở lại sinh hoạt sau thời gian tạm dừng"
            steps.append(Step(later, 9, "exit", f"{reason}|{note}"))
    if rng.random() < DISCIPLINE and m.admitted + dt.timedelta(days=200) < last:
        level = "reprimand" if rng.random() < 0.65 else "warning"
        steps.append(Step(between(rng, m.admitted + dt.timedelta(days=200), last), 5, level))
    if not m.details.get("party_member") and rng.random() < party:
        lo = max(first, years_after(m.dob, 20), FIRST_REFERRALS)
        if lo < last:
            day = between(rng, lo, last)
            steps.append(Step(day, 6, "party_referral"))
            if rng.random() < 0.72:
                steps.append(
                    Step(day + dt.timedelta(days=rng.randint(180, 420)), 7, "party_admission")
                )
    if (
        leave is not None
        and leave[1] in ("left_job", "resigned", "non_payment")
        and rng.random() < 0.05
    ):
        back = leave[0] + dt.timedelta(days=rng.randint(365, 1100))
        if back < retire:
            steps.append(Step(back, 1, "readmit"))  # then the retirement above applies again
    steps.sort(key=lambda s: (s.day, s.order))
    return steps


def walk(
    p: Plan, m: MemberPlan, steps: list[Step], peers: dict[tuple[int | None, str], list[Spec]]
) -> None:
    """Check the drawn events against the units, day by day, and schedule those that can happen."""
    rng = p.rng
    unit, status, referred = m.unit, "active", False
    party = bool(m.details.get("party_member"))
    last = m.admitted
    for step in steps:
        kind = step.kind
        if (status == "exited") != (kind == "readmit"):
            continue  # after an exit only a re-admission; a re-admission only after an exit
        day = max(step.day, last + DAY)
        if day == REFORM:  # nothing else happens on the day of the reform, played as one step
            day += DAY
        if day > p.end:
            break
        if kind == "readmit":
            target = _readmit_unit(p, p.specs[unit], day)
            if target is None:
                continue
            unit, status, last = target, "active", day
            p.at(day, ADMIT, "readmit", m.index, target)
            m.timeline.append((day, "readmit", target))
            m.exit = None
            continue
        here = p.resolve(unit, day)
        if here is None:
            _gone(p, m, unit)
            return
        unit = here
        if kind == "exit":
            reason, _sep, note = step.arg.partition("|")
            p.exits.append((day, here, reason, m.index, note or EXIT_NOTES.get(reason, "")))
            m.timeline.append((day, "exit", here))
            m.exit = (day, here, reason)
            status, last = "exited", day
            continue
        if kind == "suspend":
            if status != "active":
                continue
            p.at(day, TRANSFER, "suspend", m.index, step.arg)
            status = "suspended"
        elif kind == "resume":
            if status != "suspended":
                continue
            p.at(day, TRANSFER, "resume", m.index)
            status = "active"
        elif kind == "transfer":
            if status != "active":
                continue
            spec = p.specs[here]
            candidates = [
                s.code
                for s in peers.get((spec.province, family(spec)), [])
                if s.code != here and s.active_on(day) and p.resolve(s.code, day) == s.code
            ]
            if not candidates:
                continue
            target = rng.choice(candidates)
            op = "transfer_request" if day >= TRANSFERRED_BY_REQUEST else "transfer"
            p.at(day, TRANSFER, op, m.index, here, target)
            unit = target
        elif kind in ("reprimand", "warning"):
            if status == "exited":
                continue
            p.at(day, TRANSFER, "discipline", m.index, kind)
        elif kind == "party_referral":
            if status != "active" or party:
                continue
            p.at(day, TRANSFER, "party_referral", m.index)
            referred = True
        elif kind == "party_admission":
            if status != "active" or party or not referred:
                continue
            p.at(day, TRANSFER, "party_admission", m.index)
            party = True
        else:
            continue
        m.timeline.append((day, kind, unit))
        last = day
    if status != "exited" and p.resolve(unit, p.end) is None:
        _gone(p, m, unit)


def _gone(p: Plan, m: MemberPlan, unit: str) -> None:
    """The member left with their union (closed, or dissolved on 1/7/2025)."""
    code = unit
    while True:
        spec = p.specs[code]
        if spec.end_kind == "merge" and spec.end_target:
            code = spec.end_target
            continue
        break
    assert spec.end is not None
    reason = "unit_dissolved" if spec.end_kind == "reform_exit" else "left_job"
    m.exit = (spec.end, code, reason)
    m.timeline.append((spec.end, "exit", code))


def _readmit_unit(p: Plan, spec: Spec, day: dt.date) -> str | None:
    """A grassroots union of the same province, active on `day`, preferably of the same kind."""
    rng = p.rng
    units = [
        s
        for s in p.specs.values()
        if s.grassroots
        and s.kind != "union"
        and s.province == spec.province
        and s.active_on(day)
        and p.resolve(s.code, day) == s.code
    ]
    same = [s for s in units if family(s) == family(spec)]
    pool = same or units
    return rng.choice(pool).code if pool else None


def schedule_exits(p: Plan) -> None:
    """Exits of the same union, day and reason are decided together."""
    groups: dict[tuple[dt.date, str, str], list[tuple[int, str]]] = defaultdict(list)
    for day, unit, reason, index, note in p.exits:
        groups[(day, unit, reason)].append((index, note))
    for (day, unit, reason), rows in groups.items():
        note = rows[0][1] if len({n for _, n in rows}) == 1 else EXIT_NOTES.get(reason, "")
        p.at(day, EXIT, "exit", unit, reason, [i for i, _ in rows], note)


def ensure_every_reason(p: Plan, skip: str) -> None:
    """Every reason for leaving appears at least once, and one member is expelled (never
    someone of the union `skip`, whose leaders sit on committees)."""
    rng = p.rng
    present = {reason for _d, _u, reason, _i, _n in p.exits}
    convertible = [
        i for i, e in enumerate(p.exits) if e[2] in ("left_job", "retired") and e[1] != skip
    ]
    rng.shuffle(convertible)
    for reason in ("resigned", "non_payment", "deceased", "other", "left_job"):
        if reason not in present and convertible:
            k = convertible.pop()
            day, unit, _old, index, _note = p.exits[k]
            note = rng.choice(OTHER_NOTES) if reason == "other" else EXIT_NOTES.get(reason, "")
            p.exits[k] = (day, unit, reason, index, note)
            p.members[index].exit = (day, unit, reason)
    if convertible:  # the one expulsion: a decision of the union committee, then the exit
        k = convertible.pop()
        day, unit, _old, index, _note = p.exits.pop(k)
        p.at(day, EXIT, "discipline", index, "expulsion")
        p.members[index].exit = (day, unit, "expelled")


def ensure_readmission(p: Plan) -> None:
    """At least one former member joins again (at every scale): someone who left their job
    finds another one in a union that still exists, a year later."""
    if any(e[3] == "readmit" for e in p.events):
        return
    rng = p.rng
    for day, unit, reason, index, _note in sorted(p.exits, key=lambda e: (e[0], e[3])):
        m = p.members[index]
        back = day + dt.timedelta(days=365)
        if reason not in ("left_job", "resigned") or back > p.end - dt.timedelta(days=60):
            continue
        if retirement(m.dob, m.sex) <= p.end or m.exit != (day, unit, reason):
            continue
        hosts = [
            s.code
            for s in p.specs.values()
            if s.grassroots and s.kind not in ("union", "") and s.end is None
            and s.province == p.specs[unit].province and s.founded < back and s.code != unit
        ]  # fmt: skip
        if back == REFORM or not hosts:
            continue
        target = rng.choice(hosts)
        p.at(back, ADMIT, "readmit", index, target)
        m.timeline.append((back, "readmit", target))
        m.exit = None
        return


def ensure_suspended(p: Plan, skip: str) -> None:
    """At least one member is suspended at the end of the history (at every scale)."""
    if any(m.timeline and m.timeline[-1][1] == "suspend" for m in p.members):
        return
    day = p.end - dt.timedelta(days=90)
    for m in p.members:
        unit = m.timeline[-1][2] if m.timeline else m.unit
        if m.exit is not None or unit == skip or m.admitted >= day:
            continue
        if (m.timeline and m.timeline[-1][0] >= day) or p.resolve(unit, p.end) != unit:
            continue
        p.at(day, TRANSFER, "suspend", m.index, SUSPEND_NOTES[0])
        m.timeline.append((day, "suspend", unit))
        return
