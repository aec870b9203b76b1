"""Properties of the care indicators, for random trees, random keeping, random records (kinds,
beneficiaries, dates around the period's boundaries and the turn of the year, houses handed
over or not) and random entries:

- each derived definition gives each unit exactly a direct count or sum, written here in plain
  Python over the register's rows: the records counted in the period (houses on their handover
  day) of a unit keeping the register in the record's year;
- a unit's figure over its subtree, as the tree stood at the period's end (a unit moved after
  the period still counts under its old parent), is the sum of its units' own figures — the
  records of those keeping the register and the values entered by the others.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.activities import services as keeping
from congdoan.activities.models import Keeping
from congdoan.care import services
from congdoan.care.apps import DEFINITIONS
from congdoan.care.models import CareRecord
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.indicators import derived, selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, PeriodKind, Value
from congdoan.indicators.periods import period_open
from congdoan.members.services import member_admit
from congdoan.organisation import services as org
from congdoan.organisation.models import UnitVersion

START = dt.date(2020, 1, 1)
CHILD = {"ldld_tinh": "ldld_huyen", "ldld_huyen": "cdcs", "cdcs": "to_cd"}
FIRST, LAST = dt.date(2023, 8, 20), dt.date(2024, 9, 10)  # around a school year 2023–2024
KINDS = ["gift", "cash", "visit", "meal", "economy", "house"]
RECIPIENTS = ["worker", "child", "family", "resident"]

shape = st.lists(st.integers(0, 100), min_size=1, max_size=7)
keeps = st.lists(st.sampled_from([None, 2023, 2024, "2023 only"]), min_size=8, max_size=8)
records = st.lists(
    st.tuples(
        st.integers(0, 100),  # giving unit
        st.sampled_from(KINDS),
        st.sampled_from(["member", "person", "group"]),
        st.sampled_from(RECIPIENTS),
        st.integers(0, (LAST - FIRST).days),  # the day
        st.one_of(st.none(), st.integers(0, 120)),  # a house's handover, days after
        st.integers(1, 300),  # portions of a group
        st.integers(0, 3),  # donor's share, in quarters
        st.integers(0, 100),  # which member
    ),
    max_size=25,
)
entries = st.lists(
    st.tuples(st.integers(0, 100), st.sampled_from(["suat_qua", "nha_macd", "quy_van_dong"]),
              st.integers(1, 1000)),
    max_size=6,
)  # fmt: skip
moved = st.one_of(st.none(), st.tuples(st.integers(0, 100), st.integers(0, 100)))


def _tree(picks: list[int]) -> list:
    province = org.unit_create_root(
        code="P", name="Tỉnh", unit_type=unit_type("ldld_tinh"), day=START
    )
    units = [province]
    for serial, pick in enumerate(picks, start=1):
        parents = [u for u in units if u.unit_type.code in CHILD]
        parent = parents[pick % len(parents)]
        units.append(
            org.unit_create(
                actor=None, parent=parent, code=f"U{serial}", name=f"Đơn vị {serial}",
                unit_type=unit_type(CHILD[parent.unit_type.code]), day=START,
            )
        )  # fmt: skip
    return units


def _keep(units: list, plan: list) -> None:
    for unit, how in zip(units, plan, strict=False):
        if how is None:
            continue
        year = 2023 if how == "2023 only" else how
        keeping.keeping_start(actor=None, unit=unit, register="care", from_year=year)
        if how == "2023 only":
            keeping.keeping_stop(actor=None, unit=unit, register="care", last_year=2023)


def _record(units: list, members: list, row: tuple) -> None:
    pick, kind, who, recipient, offset, handover, portions, donor, mpick = row
    unit = units[pick % len(units)]
    day = FIRST + dt.timedelta(days=offset)
    fields: dict = {"kind": kind, "on": day, "beneficiary": who}
    below = [m for m in members if m.unit.path.startswith(unit.path)]
    if who == "member" and below:
        fields["member"] = below[mpick % len(below)]
    else:
        who = "group" if who == "group" and kind != "house" else "person"
        fields.update(beneficiary=who, recipient_kind=recipient, person_name="Người nhận")
        if who == "group":
            fields["quantity"] = portions
    if kind == "house":
        fields.update(house_work="build", address="Bản Mới")
        if handover is not None:
            fields["handover_on"] = min(day + dt.timedelta(days=handover), LAST)
    if kind == "economy":
        fields["economy_form"] = "given"
    amount = 1000 * (offset + 1)
    lines = [{"source": "grassroots", "amount": amount * (4 - donor)}]
    if donor:
        lines.append({"source": "donor", "donor": "Nhà hảo tâm", "amount": amount * donor})
    services.care_record_create(actor=None, unit=unit, funding=lines, **fields)


# -- the direct computation, in plain Python --------------------------------------------------


def _kept(unit_id: int, year: int, rows: list[Keeping]) -> bool:
    return any(
        k.unit_id == unit_id
        and k.from_year <= year
        and (k.until_year is None or year <= k.until_year)
        for k in rows
    )


def direct(period) -> dict[str, dict[int, Decimal]]:
    """Each definition's value per unit, straight from the rows."""
    kept = list(Keeping.objects.filter(register="care"))
    out: dict[str, dict[int, Decimal]] = {name: defaultdict(Decimal) for name in DEFINITIONS}
    members: dict[int, set[int]] = defaultdict(set)
    for r in CareRecord.objects.all():
        day = r.handover_on if r.kind == "house" else r.on
        if (
            day is None
            or not period.start <= day <= period.end
            or not _kept(r.unit_id, day.year, kept)
        ):
            continue
        u, q, v = r.unit_id, Decimal(r.quantity), Decimal(r.value)
        to_members = r.beneficiary == "member" or r.recipient_kind == "worker"
        if r.kind in ("gift", "cash"):
            name = "care_gift" if to_members else "care_community"
            out[f"{name}_portions"][u] += q
            if to_members:
                out["care_gift_money"][u] += v
        if r.kind == "house":
            out["care_houses"][u] += 1
            out["care_house_money"][u] += v
        if r.kind == "economy":
            out["care_economy_people"][u] += q
            out["care_economy_money"][u] += v
        if r.kind == "visit":
            out["care_visits"][u] += q
        if r.kind == "meal":
            out["care_meals"][u] += 1
            out["care_meal_people"][u] += q
        out["care_mobilised"][u] += sum(
            (Decimal(f.amount) for f in r.funding.all() if f.source == "donor"), Decimal(0)
        )
        if r.member_id:
            members[u].add(r.member_id)
    out["care_members"] = defaultdict(Decimal, {u: Decimal(len(m)) for u, m in members.items()})
    return out


class CareIndicatorProperties(TestCase):
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(shape, keeps, records, entries, moved)
    def test_derived_figures_equal_a_direct_count_and_subtrees_add_up(
        self, picks, plan, recs, values, move
    ):
        units = _tree(picks)
        period = period_open(actor=None, kind=PeriodKind.SCHOOL_YEAR, year=2023)
        assert (period.start, period.end) == (dt.date(2023, 9, 1), dt.date(2024, 8, 31))
        _keep(units, plan)
        members = [
            member_admit(actor=None, unit=u, family_name="Lò", given_name=f"Văn {i}", sex="M",
                         admitted_on=START)
            for i, u in enumerate(units) if u.unit_type.code in ("cdcs", "to_cd")
        ]  # fmt: skip
        for row in recs:
            _record(units, members, row)
        assert CareRecord.objects.count() == len(recs)
        for pick, code, value in values:
            with contextlib.suppress(RuleViolation, ind.EntryErrors):
                ind.values_save(
                    actor=None, unit=units[pick % len(units)], period=period,
                    entries={code: str(value)},
                )  # fmt: skip
        if move is not None:
            _move(units, move)

        ids = [u.pk for u in units]
        expected = direct(period)
        for name in DEFINITIONS:
            got = derived.own_values(name, ids, period)
            want = {u: v for u, v in expected[name].items() if v}
            assert got == want, (name, got, want)

        paths = dict(UnitVersion.objects.on(period.end).values_list("unit_id", "path"))
        inds = list(Indicator.objects.filter(derivation__in=DEFINITIONS))
        figs = selectors.figures(ids, period, inds)
        entered = {
            (v.unit_id, v.indicator.code): v.value
            for v in Value.objects.filter(period=period).select_related("indicator")
        }
        for ind_ in inds:
            own = {u: expected[ind_.derivation].get(u, Decimal(0)) for u in ids}
            for u in ids:
                own[u] += entered.get((u, ind_.code), Decimal(0))
            for unit in units:
                want = sum((own[u] for u, p in paths.items() if p.startswith(paths[unit.pk])),
                           Decimal(0))  # fmt: skip
                got = figs[unit.pk][ind_.code].value or Decimal(0)
                assert got == want, (ind_.code, unit.code, got, want)


def _move(units: list, move: tuple[int, int]) -> None:
    """After the period, move a grassroots union under another district federation."""
    grassroots = [u for u in units if u.unit_type.code == "cdcs"]
    districts = [u for u in units if u.unit_type.code == "ldld_huyen"]
    if not grassroots or len(districts) < 2:
        return
    unit = grassroots[move[0] % len(grassroots)]
    others = [d for d in districts if d.pk != unit.parent_id]
    org.unit_move(
        actor=None, unit=unit, new_parent=others[move[1] % len(others)], day=dt.date(2025, 3, 1)
    )
