"""Member figures over subtrees come from the member registry's own subtree totals
(`members.counts`), read through a unit's parent when several units under it are asked for: the
figures must not depend on which other units are read in the same call."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.indicators import selectors
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_get
from congdoan.members import counts
from congdoan.members.models import ExitReason
from congdoan.members.services import member_admit, member_exit

CODES = ["dv_cuoi_ky", "dv_nu_cuoi_ky", "ket_nap_so", "ra_khoi_so", "ty_le_dv_nu"]


def _admit(unit, n: int, day: dt.date, sex: str = "F"):
    return [
        member_admit(
            actor=None,
            unit=unit,
            family_name="Lê",
            given_name=f"Thử{unit.code}{i}{day:%m}",
            sex=sex,
            admitted_on=day,
        )
        for i in range(n)
    ]


def _values(figs, unit_id):
    return {code: figs[unit_id][code].value for code in CODES}


def test_member_figures_do_not_depend_on_the_units_read_together(world):
    year = period_get(PeriodKind.YEAR, 2024)
    _admit(world.grass_a1, 3, dt.date(2024, 3, 1))
    _admit(world.grass_a2, 2, dt.date(2024, 5, 1), sex="M")
    leaving = _admit(world.grass_b1, 2, dt.date(2024, 2, 1))
    member_exit(actor=None, member=leaving[0], day=dt.date(2024, 9, 1), reason=ExitReason.RETIRED)
    inds = list(Indicator.objects.filter(code__in=CODES))
    units = [world.root, world.province, world.unit_a, world.unit_b, world.grass_a1]
    units += [world.grass_a2, world.grass_b1]
    together = selectors.figures([u.pk for u in units], year, inds)
    for unit in units:
        alone = selectors.figures([unit.pk], year, inds)
        assert _values(alone, unit.pk) == _values(together, unit.pk), unit.code
        table = counts.subtree_counts(unit, counts.Period(year.start, year.end)).total
        assert together[unit.pk]["dv_cuoi_ky"].value == table.members
        assert together[unit.pk]["ket_nap_so"].value == table.admissions
    # The units below a unit, without it (the dashboard's table sorted by a member figure).
    kids = selectors.figures([world.unit_a.pk, world.unit_b.pk], year, inds)
    for unit in (world.unit_a, world.unit_b):
        assert _values(kids, unit.pk) == _values(together, unit.pk)
    assert together[world.province.pk]["dv_cuoi_ky"].value == 2 + 3 + 2 + 1
    assert together[world.province.pk]["ket_nap_so"].value == 3 + 2 + 2
    assert together[world.province.pk]["ra_khoi_so"].value == 1
    assert together[world.unit_b.pk]["dv_nu_cuoi_ky"].value == 1
    assert together[world.province.pk]["dv_cuoi_ky"].is_approved


def test_a_unit_and_many_units_below_cost_the_same_member_reads(world):
    year = period_get(PeriodKind.YEAR, 2024)
    inds = list(Indicator.objects.filter(code__in=["dv_cuoi_ky", "dv_nu_cuoi_ky"]))

    def reads(ids):
        with CaptureQueriesContext(connection) as ctx:
            selectors.figures(ids, year, inds)
        return sum("member" in q["sql"].lower() for q in ctx.captured_queries)

    one = reads([world.unit_a.pk, world.grass_a1.pk])
    both = reads([world.unit_a.pk, world.grass_a1.pk, world.grass_a2.pk])
    kids_only = reads([world.grass_a1.pk, world.grass_a2.pk])
    assert one == both == kids_only
