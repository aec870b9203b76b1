"""Property test of the derived indicators: for random records (random units of the standard
tree, days around the periods' boundaries, random keeping), each figure equals a direct count
over the records of the units keeping the register in the period, added to what the other units
entered, over each unit's subtree; and a parent's figure is the sum of its children's."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.core.exceptions import RuleViolation
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.meetings import services as meetings
from congdoan.movements import services
from congdoan.movements.tests.helpers import keep

DAYS = [
    dt.date(2024, 12, 31), dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1),
    dt.date(2025, 12, 31), dt.date(2026, 1, 1),
]  # fmt: skip
UNITS = ("grass_a1", "grass_a2", "group_a1", "unit_a", "grass_b1")
GRASSROOTS = {"grass_a1", "grass_a2", "grass_b1"}
ACTIVITY = ("work", "work_congress", "model", "model_dvk", "culture", "training", "dialogue",
            "propaganda")  # fmt: skip
MEETING = ("workers", "civil")
# Entered codes each kind of unit may type (its data set).
ENTERED = {
    "grass": ("cong_trinh_thi_dua", "tu_ky_moi", "hn_nld", "dn_co_tu", "luot_tap_huan"),
    "upper": ("cong_trinh_thi_dua", "luot_tap_huan"),
}
CODES = ("cong_trinh_thi_dua", "cong_trinh_dai_hoi", "mo_hinh", "mo_hinh_dvk", "hd_vhtt",
         "lop_tap_huan", "luot_tap_huan", "doi_thoai", "cdcs_tuyen_truyen", "tu_ky_moi",
         "dn_co_tu", "hn_nld", "hn_cbccvc")  # fmt: skip

records = st.lists(
    st.tuples(
        st.sampled_from(UNITS),
        st.sampled_from(("activity", "agreement", "meeting")),
        st.sampled_from(ACTIVITY),
        st.sampled_from(DAYS),
        st.integers(0, 50),  # participants, or an enterprise and a term for an agreement
        st.sampled_from(MEETING),
    ),
    max_size=20,
)
keeping = st.dictionaries(st.sampled_from(UNITS), st.sampled_from((2025, 2026)))
entries = st.lists(
    st.tuples(st.sampled_from(UNITS), st.integers(0, 4), st.integers(0, 30)), max_size=6
)


def _activity(unit: Any, kind: str, day: dt.date, n: int) -> dict[str, int]:
    """Make the record; the figures it gives its unit (per definition code)."""
    base = kind.split("_")[0]
    fields: dict[str, Any] = {"participants": n}
    if kind == "work_congress":
        fields.update(for_congress=True, event="Đại hội")
    if kind == "model_dvk":
        fields["dan_van_kheo"] = True
    services.activity_create(actor=None, unit=unit, kind=base, title="Việc", on=day, **fields)
    gives = {
        "work": {"cong_trinh_thi_dua": 1},
        "work_congress": {"cong_trinh_thi_dua": 1, "cong_trinh_dai_hoi": 1},
        "model": {"mo_hinh": 1},
        "model_dvk": {"mo_hinh": 1, "mo_hinh_dvk": 1},
        "culture": {"hd_vhtt": 1},
        "training": {"lop_tap_huan": 1, "luot_tap_huan": n},
        "dialogue": {"doi_thoai": 1},
        "propaganda": {},  # counted once per grassroots union, below
    }
    return gives[kind]


class Expected:
    """The figures worked out directly from what was recorded and entered."""

    def __init__(self, world: Any, kept: dict[str, int], period: Any) -> None:
        self.world, self.kept, self.period = world, kept, period
        self.own: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        self.propagated: set[str] = set()
        self.enterprises: dict[str, set[int]] = defaultdict(set)
        self.entered: dict[tuple[str, str], Decimal] = {}

    def keeps(self, name: str, year: int) -> bool:
        return name in self.kept and self.kept[name] <= year

    def inside(self, day: dt.date) -> bool:
        return self.period.start <= day <= self.period.end

    def record(self, name: str, kind: str, activity: str, day: dt.date, n: int, meet: str) -> None:
        unit = getattr(self.world, name)
        if kind == "activity":
            gives = _activity(unit, activity, day, n)
            if self.inside(day) and self.keeps(name, day.year):
                for code, amount in gives.items():
                    self.own[name][code] += amount
                if activity == "propaganda" and name in GRASSROOTS:
                    self.propagated.add(name)
        elif kind == "meeting":
            meetings.meeting_create(actor=None, unit=unit, kind=meet, held_on=day)
            if self.inside(day) and self.keeps(name, day.year):
                self.own[name]["hn_nld" if meet == "workers" else "hn_cbccvc"] += 1
        else:
            self._agreement(name, unit, day, n)

    def _agreement(self, name: str, unit: Any, day: dt.date, n: int) -> None:
        enterprise, years, renewed = n % 3, 1 + n % 3, n % 2 == 1
        ends = day.replace(year=day.year + years) - dt.timedelta(days=1)
        try:
            services.agreement_create(
                actor=None, unit=unit, enterprise=f"Doanh nghiệp {enterprise}", signed_on=day,
                expires_on=ends, renewed=renewed,
            )  # fmt: skip
        except RuleViolation:
            return  # the same agreement twice: refused
        if not renewed and self.inside(day) and self.keeps(name, day.year):
            self.own[name]["tu_ky_moi"] += 1
        end = self.period.end
        if day <= end <= ends and self.keeps(name, end.year):
            self.enterprises[name].add(enterprise)

    def own_values(self, name: str) -> dict[str, Decimal]:
        out = dict(self.own[name])
        out["dn_co_tu"] = out.get("dn_co_tu", Decimal(0)) + len(self.enterprises[name])
        if name in self.propagated:
            out["cdcs_tuyen_truyen"] = Decimal(1)
        return out


def _enter(world: Any, period: Any, typed: list, exp: Expected) -> None:
    """Units that do not keep the register in the period enter some figures."""
    for name, pick, amount in typed:
        if exp.keeps(name, period.end.year) or name == "group_a1":
            continue
        codes = ENTERED["grass" if name in GRASSROOTS else "upper"]
        code = codes[pick % len(codes)]
        unit = getattr(world, name)
        ind.values_save(actor=world.national, unit=unit, period=period, entries={code: str(amount)})
        exp.entered[(name, code)] = Decimal(amount)  # a second entry replaces the first


def _subtree(name: str) -> list[str]:
    below = {
        "unit_a": ["grass_a1", "grass_a2", "group_a1"],
        "grass_a1": ["group_a1"],
        "unit_b": ["grass_b1"],
        "province": ["unit_a", "grass_a1", "grass_a2", "group_a1", "unit_b", "grass_b1"],
    }
    return [name, *below.get(name, [])]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records, keeping, entries, st.sampled_from(("year", "half")))
def test_derived_figures_are_direct_counts_over_the_subtree(world, rows, kept, typed, which):
    with transaction.atomic():
        period = (
            period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
            if which == "year"
            else period_open(actor=None, kind=PeriodKind.HALF, year=2025, number=2)
        )
        for name, year in kept.items():
            keep(world, getattr(world, name), year)
        exp = Expected(world, kept, period)
        for row in rows:
            exp.record(*row)
        with contextlib.suppress(ind.EntryErrors):
            _enter(world, period, typed, exp)
        names = ["province", "unit_a", "unit_b", *UNITS]
        figs = selectors.figures([getattr(world, n).pk for n in names], period)
        for name in names:
            got = figs[getattr(world, name).pk]
            for code in CODES:
                want = sum(
                    (exp.own_values(n).get(code, Decimal(0)) + exp.entered.get((n, code), 0)
                     for n in _subtree(name)),
                    Decimal(0),
                )  # fmt: skip
                assert (got[code].value or 0) == want, (name, code, period.label)
        province, a, b = (figs[getattr(world, n).pk] for n in ("province", "unit_a", "unit_b"))
        for code in CODES:
            assert (province[code].value or 0) == (a[code].value or 0) + (b[code].value or 0)
        transaction.set_rollback(True)
