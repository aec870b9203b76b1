"""The derived indicators: confirmed gradings counted in the year (and the school year) their
period ends, per category, added up over the tree as it stood at the period's end; the share
graded good or better is a formula over the counted figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.grading import indicator_definitions as defs
from congdoan.grading.tests.helpers import confirm, grade, marks
from congdoan.indicators import derived, selectors
from congdoan.indicators.models import Indicator, PeriodKind, Source
from congdoan.indicators.periods import period_open
from congdoan.organisation import services as org
from congdoan.organisation.models import Sector

pytestmark = pytest.mark.django_db
CODES = ("cdcs_danh_gia_so", "cdcs_xuat_sac_so", "cdcs_ht_tot_so", "cdcs_hoan_thanh_so",
         "cdcs_khong_ht_so", "cdcs_tot_so", "ty_le_cdcs_tot_so")  # fmt: skip


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def figures(unit, period):
    found = selectors.unit_figures(unit.pk, period)
    return {code: found[code].value or 0 for code in CODES}  # a derived count of none is 0


def test_the_catalogue_names_the_definitions():
    rows = dict(Indicator.objects.filter(derivation__startswith="grading_")
                .values_list("code", "derivation"))  # fmt: skip
    assert rows == {
        "cdcs_danh_gia_so": defs.GRADED, "cdcs_xuat_sac_so": defs.RANKS[1],
        "cdcs_ht_tot_so": defs.RANKS[2], "cdcs_hoan_thanh_so": defs.RANKS[3],
        "cdcs_khong_ht_so": defs.RANKS[4], "cdcs_tot_so": defs.GOOD_OR_BETTER,
    }  # fmt: skip
    share = Indicator.objects.get(code="ty_le_cdcs_tot_so")
    assert (
        share.source == Source.FORMULA and share.formula == "100 * cdcs_tot_so / cdcs_danh_gia_so"
    )
    assert all(name in derived.definitions() for name in rows.values())
    assert Indicator.objects.get(code="cdcs_tot").source == Source.ENTERED  # left as it was


def test_confirmed_gradings_are_counted_per_category_over_the_subtree(world, year):
    confirm(grade(world.grass_a1, 2024, scores=marks(0.95)))
    confirm(grade(world.grass_a2, 2024, scores=marks(0.55)))
    confirm(grade(world.grass_b1, 2024, scores=marks(0.8)))
    grade(world.grass_a1, 2023)  # another year
    assert figures(world.unit_a, year) == {
        "cdcs_danh_gia_so": 2, "cdcs_xuat_sac_so": 1, "cdcs_ht_tot_so": 0,
        "cdcs_hoan_thanh_so": 1, "cdcs_khong_ht_so": 0, "cdcs_tot_so": 1,
        "ty_le_cdcs_tot_so": Decimal(50),
    }  # fmt: skip
    province = figures(world.province, year)
    assert province["cdcs_danh_gia_so"] == 3 and province["cdcs_tot_so"] == 2
    assert round(province["ty_le_cdcs_tot_so"], 2) == Decimal("66.67")


def test_drafts_and_other_periods_count_nothing(world, year):
    grade(world.grass_a1, 2024)  # a draft
    assert figures(world.province, year)["cdcs_danh_gia_so"] == 0
    quarter = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=4)
    confirm(grade(world.grass_a2, 2024))
    assert not selectors.unit_figures(world.province.pk, quarter)["cdcs_danh_gia_so"].value
    assert figures(world.province, year)["cdcs_danh_gia_so"] == 1


def test_a_school_year_grading_counts_in_its_school_year_and_in_the_year_it_ends(world):
    world.grass_a2.sector = Sector.objects.get(code="giao_duc")
    world.grass_a2.save(update_fields=["sector"])
    confirm(grade(world.grass_a2, 2025, scores=marks(0.95)), dt.date(2025, 8, 20))
    confirm(grade(world.grass_a1, 2025), dt.date(2025, 8, 20))
    school = period_open(actor=None, kind=PeriodKind.SCHOOL_YEAR, year=2024)
    calendar = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    assert figures(world.unit_a, school)["cdcs_danh_gia_so"] == 1  # the education union only
    assert figures(world.unit_a, calendar)["cdcs_danh_gia_so"] == 2


def test_a_union_moved_later_counts_where_it_stood_at_the_period_end(world, year):
    confirm(grade(world.grass_a1, 2024))
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2025, 2, 1))
    assert figures(world.unit_a, year)["cdcs_danh_gia_so"] == 1
    assert figures(world.unit_b, year)["cdcs_danh_gia_so"] == 0
