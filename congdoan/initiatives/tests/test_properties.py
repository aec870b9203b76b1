"""Property: for random trees, random keeping, random initiatives, contests, entries and
participants dated around the period's boundaries, and random entered figures, each derived
indicator of a unit equals a direct count or sum over the register of its own records in the
period (if it keeps the register that year; else its entered figure, for the entered ones), and
each unit's figure is the sum of those over its subtree as it stood at the period's end."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.activities import services as keeping
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind, Value
from congdoan.indicators.periods import period_create, period_open
from congdoan.initiatives.models import Contest, Entry, Initiative, Participant, Programme
from congdoan.organisation import services as org
from congdoan.organisation.models import UnitVersion

START = dt.date(2020, 1, 1)
CHILD = {"ldld_tinh": "ldld_huyen", "ldld_huyen": "cdcs", "cdcs": "to_cd"}
FIRST, LAST = dt.date(2022, 12, 25), dt.date(2024, 1, 6)
DAYS = (LAST - FIRST).days
STATUSES = ["submitted", "valid", "rejected"]
PRIZES = ["", "first", "second", "third", "consolation"]

shape = st.lists(st.integers(0, 100), min_size=1, max_size=8)
keeps = st.lists(st.sampled_from([None, 2022, 2023, 2024]), min_size=9, max_size=9)
initiatives = st.lists(
    st.tuples(st.integers(0, 100), st.integers(0, DAYS), st.sampled_from(STATUSES),
              st.integers(0, 10**9)),
    max_size=25,
)  # fmt: skip
contests = st.lists(
    st.tuples(st.integers(0, 100), st.integers(0, DAYS), st.booleans(),
              st.lists(st.tuples(st.integers(0, 100), st.sampled_from(PRIZES), st.integers(1, 50)),
                       max_size=4)),
    max_size=5,
)  # fmt: skip
entered = st.lists(
    st.tuples(st.integers(0, 100), st.sampled_from(["sang_kien", "luot_du_thi", "cuoc_thi"]),
              st.integers(0, 500)),
    max_size=10,
)  # fmt: skip

# indicator code → (register, own value of a keeping unit from the records of the period)
DERIVED = {
    "sang_kien": ("initiatives", lambda i, c, e, p: len(i)),
    "sang_kien_hop_le": ("initiatives", lambda i, c, e, p: sum(r.status == "valid" for r in i)),
    "sang_kien_bi_loai": (
        "initiatives",
        lambda i, c, e, p: sum(r.status == "rejected" for r in i),
    ),
    "gia_tri_lam_loi": (
        "initiatives",
        lambda i, c, e, p: sum(r.benefit for r in i if r.status == "valid"),
    ),
    "cuoc_thi": ("contests", lambda i, c, e, p: sum(r.kind == "quiz" for r in c)),
    "luot_du_thi": ("contests", lambda i, c, e, p: sum(r.count for r in p)),
    "de_tai_du_thi": (
        "contests",
        lambda i, c, e, p: sum(r.contest.kind == "innovation" for r in e),
    ),
    "giai_nhi": (
        "contests",
        lambda i, c, e, p: sum(r.contest.kind == "innovation" and r.prize == "second" for r in e),
    ),
}
ENTERED = {"sang_kien", "gia_tri_lam_loi", "cuoc_thi", "luot_du_thi"}


class RegisterProperties(TestCase):
    def _tree(self, picks: list[int]) -> list:
        province = org.unit_create_root(
            code="P", name="Tỉnh", unit_type=unit_type("ldld_tinh"), day=START
        )
        units = [province]
        for serial, pick in enumerate(picks, start=1):
            parents = [u for u in units if u.unit_type.code in CHILD]
            parent = parents[pick % len(parents)]
            units.append(
                org.unit_create(
                    actor=None,
                    parent=parent,
                    code=f"U{serial}",
                    name=f"Đơn vị {serial}",
                    unit_type=unit_type(CHILD[parent.unit_type.code]),
                    day=START,
                )
            )
        return units

    def _records(self, units: list, inits: list, cons: list) -> None:
        period = period_create(
            actor=None, kind=PeriodKind.PROGRAMME, name="CT", start=FIRST, end=LAST
        )
        programme = Programme.objects.create(period=period, unit=units[0])
        for pick, offset, status, benefit in inits:
            day = FIRST + dt.timedelta(days=offset)
            Initiative.objects.create(
                unit=units[pick % len(units)], programme=programme, title="SK", submitted_on=day,
                status=status, decided_on=None if status == "submitted" else day,
                benefit=benefit,
            )  # fmt: skip
        for pick, offset, quiz, rows in cons:
            day = FIRST + dt.timedelta(days=offset)
            contest = Contest.objects.create(
                unit=units[pick % len(units)], kind="quiz" if quiz else "innovation", title="HT",
                starts_on=day - dt.timedelta(days=10), ends_on=day,
            )  # fmt: skip
            for who, prize, count in rows:
                unit = units[who % len(units)]
                if quiz:
                    Participant.objects.create(contest=contest, unit=unit, count=count)
                else:
                    Entry.objects.create(contest=contest, unit=unit, title="ĐT", prize=prize)

    def _own(self, unit, register: str, kept: int | None, year) -> dict[str, Decimal]:
        inside = {"unit": unit}
        i = list(Initiative.objects.filter(submitted_on__range=(year.start, year.end), **inside))
        c = list(Contest.objects.filter(ends_on__range=(year.start, year.end), **inside))
        e = list(
            Entry.objects.filter(contest__ends_on__range=(year.start, year.end), **inside)
            .select_related("contest")
        )  # fmt: skip
        p = list(
            Participant.objects.filter(contest__ends_on__range=(year.start, year.end), **inside)
        )
        values = dict(
            Value.objects.filter(unit=unit, period=year).values_list("indicator__code", "value")
        )
        out = {}
        for code, (of, count) in DERIVED.items():
            if of != register:
                continue
            if kept is not None and kept <= year.year:
                out[code] = Decimal(count(i, c, e, p))
                assert code not in values
            elif code in ENTERED:
                out[code] = values.get(code, Decimal(0))
            else:
                out[code] = Decimal(0)
        return out

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(shape, keeps, keeps, initiatives, contests, entered)
    def test_derived_figures_are_the_records_and_subtrees_add_up(
        self, tree, keep_i, keep_c, inits, cons, values
    ):
        units = self._tree(tree)
        year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
        kept: dict[str, dict[int, int | None]] = {"initiatives": {}, "contests": {}}
        for register, years in (("initiatives", keep_i), ("contests", keep_c)):
            for unit, from_year in zip(units, years, strict=False):
                kept[register][unit.pk] = from_year
                if from_year is not None:
                    keeping.keeping_start(
                        actor=None, unit=unit, register=register, from_year=from_year
                    )
        self._records(units, inits, cons)
        for pick, code, value in values:
            with contextlib.suppress(RuleViolation, ind.EntryErrors):
                ind.values_save(
                    actor=None, unit=units[pick % len(units)], period=year,
                    entries={code: str(value)},
                )  # fmt: skip

        own = {}
        for unit in units:
            own[unit.pk] = {
                code: value
                for reg in kept
                for code, value in self._own(unit, reg, kept[reg].get(unit.pk), year).items()
            }
        paths = dict(UnitVersion.objects.on(year.end).values_list("unit_id", "path"))
        figs = selectors.figures(
            [u.pk for u in units], year, selectors.indicators_in(year, DERIVED)
        )
        for unit in units:
            for code in DERIVED:
                expected = sum(
                    (own[u][code] for u, p in paths.items() if p.startswith(paths[unit.pk])),
                    Decimal(0),
                )
                got = figs[unit.pk][code].value or Decimal(0)
                assert got == expected, (unit.code, code, got, expected)
