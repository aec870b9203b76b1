"""Member figures over subtrees come from the member registry's own subtree totals
(`members.counts`), read through a unit's parent when several units under it are asked for: the
figures must not depend on which other units are read in the same call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congdoan.indicators import derived, selectors
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_open
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
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
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
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    inds = list(Indicator.objects.filter(code__in=["dv_cuoi_ky", "dv_nu_cuoi_ky"]))

    def reads(ids):
        with CaptureQueriesContext(connection) as ctx:
            selectors.figures(ids, year, inds)
        return sum("member" in q["sql"].lower() for q in ctx.captured_queries)

    one = reads([world.unit_a.pk, world.grass_a1.pk])
    both = reads([world.unit_a.pk, world.grass_a1.pk, world.grass_a2.pk])
    kids_only = reads([world.grass_a1.pk, world.grass_a2.pk])
    assert one == both == kids_only


def test_grassroots_counts_over_subtrees(world):
    """The tree's own figures (grassroots unions founded, of them in non-state enterprises, at
    the end) over each unit's subtree on the period's last day: the same whichever units are
    read together, the same as adding up each unit's own counts, and as counted by hand."""
    from congdoan.core.tests.support import unit_type
    from congdoan.organisation import services as org
    from congdoan.organisation.models import OwnershipType, UnitVersion

    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    private = OwnershipType.objects.filter(is_enterprise=True, is_state=False).first()
    assert private is not None

    def found(parent, code, day, ownership=None):
        return org.unit_create(
            actor=None,
            parent=parent,
            code=code,
            name=f"CĐCS {code}",
            unit_type=unit_type("cdcs"),
            day=day,
            ownership=ownership,
        )

    found(world.unit_b, "N1", dt.date(2024, 4, 1), private)
    found(world.unit_a, "N2", dt.date(2024, 2, 1))
    gone = found(world.unit_a, "N3", dt.date(2024, 6, 1))
    org.unit_dissolve(actor=None, unit=gone, day=dt.date(2024, 10, 1))
    found(world.unit_b, "N4", dt.date(2025, 1, 1))  # after the year
    moved = found(world.unit_a, "N5", dt.date(2024, 3, 1), private)
    org.unit_move(actor=None, unit=moved, new_parent=world.unit_b, day=dt.date(2024, 11, 1))
    codes = ["cdcs_moi_so", "cdcs_moi_ngoai_nn_so", "cdcs_cuoi_ky"]
    inds = list(Indicator.objects.filter(code__in=codes))
    units = [world.root, world.province, world.unit_a, world.unit_b, world.grass_a1]
    together = selectors.figures([u.pk for u in units], year, inds)

    def got(figs, unit):
        return tuple(figs[unit.pk][c].value for c in codes)

    for unit in units:
        assert got(selectors.figures([unit.pk], year, inds), unit) == got(together, unit)
        # The same as each unit's own counts added up over the subtree (`derived.own_values`).
        path = UnitVersion.objects.on(year.end).get(unit=unit).path
        below = list(
            UnitVersion.objects.on(year.end)
            .filter(path__startswith=path)
            .values_list("unit_id", flat=True)
        )
        by_hand = tuple(
            sum(derived.own_values(d, below, year).values(), start=D(0))
            for d in ("new_grassroots", "new_grassroots_non_state", "grassroots_end")
        )
        assert got(together, unit) == by_hand, unit.code
    # N3 was dissolved in the year (not in the tree at its end); N4 came after it; N5 counts
    # where it stood on 31/12.
    assert got(together, world.unit_a) == (1, 0, 3)  # N2; A1, A2, N2
    assert got(together, world.unit_b) == (2, 2, 3)  # N1, N5; B1, N1, N5
    assert got(together, world.province) == (3, 2, 6)
    kids = selectors.figures([world.unit_a.pk, world.unit_b.pk], year, inds)
    assert got(kids, world.unit_a) == (1, 0, 3) and got(kids, world.unit_b) == (2, 2, 3)
