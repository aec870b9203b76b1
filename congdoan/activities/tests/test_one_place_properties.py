"""Property: for random trees, random keeping, random records and random entries, every unit's
figure of a register-backed indicator is the sum, over its subtree as it stood at the period's
end, of each unit's own figure — the records of the period if the unit keeps the register that
year, its entered value otherwise — and records outside the period or of years not kept count
for nothing. Checked for the additive measure (totalled over subtrees in SQL) and through
`combine` (clusters)."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.activities import services
from congdoan.activities.tests import helpers
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import unit_type
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind, Value
from congdoan.indicators.periods import period_open
from congdoan.meetings.models import Meeting
from congdoan.organisation import services as org
from congdoan.organisation.models import UnitVersion

START = dt.date(2020, 1, 1)
CHILD = {"ldld_tinh": "ldld_huyen", "ldld_huyen": "cdcs", "cdcs": "to_cd"}
FIRST, LAST = dt.date(2022, 12, 20), dt.date(2024, 1, 10)

shape = st.lists(st.integers(0, 100), min_size=1, max_size=10)
keeping = st.lists(st.sampled_from([None, 2022, 2023, 2024]), min_size=11, max_size=11)
records = st.lists(st.tuples(st.integers(0, 100), st.integers(0, (LAST - FIRST).days)), max_size=30)
entries = st.lists(st.tuples(st.integers(0, 100), st.integers(0, 1000)), max_size=12)


class OnePlaceProperties(TestCase):
    def setUp(self) -> None:
        helpers.install()

    def tearDown(self) -> None:
        helpers.uninstall()

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(shape, keeping, records, entries)
    def test_a_subtree_adds_its_units_whichever_way_they_keep_figures(
        self, tree, keeps, recs, values
    ):
        province = org.unit_create_root(
            code="P", name="Tỉnh", unit_type=unit_type("ldld_tinh"), day=START
        )
        units = [province]
        for serial, pick in enumerate(tree, start=1):
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
        year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
        for unit, from_year in zip(units, keeps, strict=False):
            if from_year is not None:
                services.keeping_start(
                    actor=None, unit=unit, register=helpers.CODE, from_year=from_year
                )
        for pick, offset in recs:
            helpers.meetings(units[pick % len(units)], FIRST + dt.timedelta(days=offset))
        for pick, value in values:
            with contextlib.suppress(RuleViolation, ind.EntryErrors):
                ind.values_save(
                    actor=None,
                    unit=units[pick % len(units)],
                    period=year,
                    entries={helpers.INDICATOR: str(value)},
                )

        own = {}
        for unit, from_year in zip(units, [*keeps, *[None] * len(units)], strict=False):
            if from_year is not None and from_year <= 2023:
                own[unit.pk] = Decimal(
                    Meeting.objects.filter(
                        unit=unit, held_on__gte=year.start, held_on__lte=year.end
                    ).count()
                )
                assert not Value.objects.filter(unit=unit, period=year).exists()
            else:
                row = Value.objects.filter(unit=unit, period=year).first()
                own[unit.pk] = row.value if row else Decimal(0)
        paths = dict(UnitVersion.objects.on(year.end).values_list("unit_id", "path"))
        figs = selectors.figures([u.pk for u in units], year)
        for unit in units:
            expected = sum(
                (own[u] for u, p in paths.items() if p.startswith(paths[unit.pk])), Decimal(0)
            )
            got = figs[unit.pk][helpers.INDICATOR].value or Decimal(0)
            assert got == expected, (unit.code, got, expected)
        children = [u for u in units if u.parent_id == province.pk]
        if children:
            total = selectors.combine([figs[u.pk] for u in children], selectors.indicators_in(year))
            expected = sum(
                (figs[u.pk][helpers.INDICATOR].value or Decimal(0) for u in children), Decimal(0)
            )
            assert (total[helpers.INDICATOR].value or Decimal(0)) == expected
