"""Property: for random agreements and uses (random units of a small tree, random dates around
the period's boundaries, random keeping, a unit moved inside or after the period), every derived
definition gives each unit a direct count or sum over its own records of the years it keeps the
register, and every unit's figure adds up its subtree as it stood at the period's end: the
records of the units keeping the register, the entered values of the others."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.activities.services import keeping_start
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.indicators import derived
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, PeriodKind, Value
from congdoan.indicators.periods import period_open
from congdoan.indicators.selectors import figures
from congdoan.members.services import member_admit
from congdoan.organisation import services as org
from congdoan.organisation.models import UnitVersion
from congdoan.welfare import services
from congdoan.welfare.models import REGISTER, Agreement, BenefitUse

START = dt.date(2020, 1, 1)
FIRST, LAST = dt.date(2023, 12, 1), dt.date(2025, 1, 31)
DAYS = (LAST - FIRST).days
# name, parent index, type; members are admitted in the grassroots unions
TREE = [
    ("P", None, "ldld_tinh"),
    ("D1", 0, "ldld_huyen"),
    ("D2", 0, "ldld_huyen"),
    ("G1", 1, "cdcs"),
    ("G2", 1, "cdcs"),
    ("G3", 2, "cdcs"),
]
MEMBERS_IN = [3, 3, 4, 5]  # units of the members
ENTERED = {
    "thoa_thuan_phuc_loi": "welfare_agreements_signed",
    "dv_huong_phuc_loi": "welfare_beneficiaries",
    "gia_tri_phuc_loi": "welfare_value",
}
DERIVED = {
    "thoa_thuan_phuc_loi_hieu_luc": "welfare_agreements_in_force",
    "luot_huong_phuc_loi": "welfare_uses",
}

periods = st.sampled_from(
    [(PeriodKind.YEAR, 1), (PeriodKind.HALF, 1), (PeriodKind.HALF, 2), (PeriodKind.QUARTER, 4)]
)
keeps = st.lists(st.sampled_from([None, 2023, 2024, 2025]), min_size=6, max_size=6)
agreements = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, DAYS), st.one_of(st.none(), st.integers(0, 400))),
    min_size=1,
    max_size=8,
)
uses = st.lists(
    st.tuples(
        st.integers(0, 7),
        st.integers(0, DAYS),
        st.one_of(st.none(), st.integers(0, 3)),
        st.integers(1, 50),
        st.integers(0, 2_000_000),
    ),
    max_size=20,
)
entries = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 1000)), max_size=8)
moves = st.sampled_from([None, "inside", "after"])


def _tree() -> list[Any]:
    units: list[Any] = []
    for code, parent, kind in TREE:
        if parent is None:
            units.append(
                org.unit_create_root(code=code, name=code, unit_type=unit_type(kind), day=START)
            )
        else:
            units.append(
                org.unit_create(
                    actor=None,
                    parent=units[parent],
                    code=code,
                    name=f"Đơn vị {code}",
                    unit_type=unit_type(kind),
                    day=START,
                )
            )
    return units


def _members(units: list[Any]) -> list[Any]:
    return [
        member_admit(
            actor=None,
            unit=units[u],
            family_name="Lò",
            middle_name="Văn",
            given_name=f"Số{i}",
            sex="M",
            admitted_on=START,
            date_of_birth=dt.date(1990, 1, 1),
        )
        for i, u in enumerate(MEMBERS_IN)
    ]


def _records(units: list[Any], members: list[Any], agrs: list[Any], rows: list[Any]) -> None:
    made = []
    for n, (u, offset, length) in enumerate(agrs):
        signed = FIRST + dt.timedelta(days=offset)
        made.append(
            services.agreement_create(
                actor=None,
                unit=units[u],
                partner_name=f"Đối tác {n}",
                partner_kind="bank",
                signed_on=signed,
                benefits="Ưu đãi",
                valid_until=None if length is None else signed + dt.timedelta(days=length),
            )
        )
    for pick, offset, who, count, value in rows:
        agreement = made[pick % len(made)]
        last = agreement.valid_until or LAST
        day = agreement.valid_from + dt.timedelta(
            days=offset % ((last - agreement.valid_from).days + 1)
        )
        member = members[who] if who is not None else None
        if member is not None and not member.unit.path.startswith(agreement.unit.path):
            member = None
        services.benefit_use_create(
            actor=None, agreement=agreement, used_on=day, member=member,
            count=1 if member else count, value=value,
        )  # fmt: skip


def _kept(keeps: list[int | None], index: int, year: int) -> bool:
    return keeps[index] is not None and keeps[index] <= year  # type: ignore[operator]


def _expected(units: list[Any], keeps: list[Any], period: Any) -> dict[str, dict[int, Decimal]]:
    """Each unit's own values, counted directly from the records."""
    index = {u.pk: i for i, u in enumerate(units)}
    out: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    start, end = period.start, period.end
    for a in Agreement.objects.all():
        i = index[a.unit_id]
        if start <= a.signed_on <= end and _kept(keeps, i, a.signed_on.year):
            out["welfare_agreements_signed"][a.unit_id] += 1
        in_force = a.valid_from <= end and (a.valid_until is None or a.valid_until >= end)
        if in_force and _kept(keeps, i, end.year):
            out["welfare_agreements_in_force"][a.unit_id] += 1
    named: dict[int, set[int]] = defaultdict(set)
    for use in BenefitUse.objects.all():
        if not (start <= use.used_on <= end and _kept(keeps, index[use.unit_id], use.used_on.year)):
            continue
        out["welfare_uses"][use.unit_id] += use.count
        out["welfare_value"][use.unit_id] += use.value
        if use.member_id is None:
            out["welfare_beneficiaries"][use.unit_id] += use.count
        else:
            named[use.unit_id].add(use.member_id)
    for unit_id, people in named.items():
        out["welfare_beneficiaries"][unit_id] += len(people)
    return out


class DerivedProperties(TestCase):
    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(periods, keeps, agreements, uses, entries, moves)
    def test_each_definition_counts_the_register_and_subtrees_add_up(
        self, kind_number, keep, agrs, rows, values, move
    ):
        kind, number = kind_number
        period = period_open(actor=None, kind=kind, year=2024, number=number)
        units = _tree()
        members = _members(units)
        for unit, year in zip(units, keep, strict=True):
            if year is not None:
                keeping_start(actor=None, unit=unit, register=REGISTER, from_year=year)
        _records(units, members, agrs, rows)
        for pick, value in values:
            if not _kept(keep, pick, period.end.year):
                allowed = {i.code for i in ind.indicators_for(units[pick], period)}
                with contextlib.suppress(RuleViolation, ind.EntryErrors):
                    ind.values_save(
                        actor=None, unit=units[pick], period=period,
                        entries={c: str(value) for c in ENTERED if c in allowed},
                    )  # fmt: skip
        if move is not None:
            day = period.end if move == "inside" else period.end + dt.timedelta(days=1)
            org.unit_move(actor=None, unit=units[4], new_parent=units[2], day=day)

        expected = _expected(units, keep, period)
        ids = [u.pk for u in units]
        for name in (*ENTERED.values(), *DERIVED.values()):
            got = derived.own_values(name, ids, period)
            want = {u: v for u, v in expected[name].items() if v}
            assert got == want, (name, got, want)

        own: dict[str, dict[int, Decimal]] = {}
        for code, name in {**ENTERED, **DERIVED}.items():
            own[code] = {}
            for i, unit in enumerate(units):
                if code in DERIVED or _kept(keep, i, period.end.year):
                    own[code][unit.pk] = expected[name].get(unit.pk, Decimal(0))
                else:
                    row = Value.objects.filter(
                        unit=unit, period=period, indicator__code=code
                    ).first()
                    own[code][unit.pk] = row.value if row else Decimal(0)
        paths = dict(UnitVersion.objects.on(period.end).values_list("unit_id", "path"))
        inds = list(Indicator.objects.filter(code__in=[*ENTERED, *DERIVED]))
        figs = figures(ids, period, inds)
        for unit in units:
            for code in own:
                total = sum(
                    (own[code][u] for u, p in paths.items() if p.startswith(paths[unit.pk])),
                    Decimal(0),
                )
                got = figs[unit.pk][code].value or Decimal(0)
                assert got == total, (unit.code, code, got, total)
