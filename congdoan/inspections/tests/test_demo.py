"""The demo inspections, on the standard world standing in for the demo province."""

import datetime as dt

import pytest

from congdoan.activities.models import Keeping
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.inspections import demo
from congdoan.inspections.models import Complaint, Inspection, Recommendation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


def test_load_builds_last_year_and_this_year_for_the_keepers(world):
    created = demo.load(today=TODAY, province_code="TN")
    # Province: Charter (HA, HB), 217 jointly at two outside bodies, democracy; 3 cases.
    # Districts in the spring: HA of A1 and A2, HB of B1. This year HA and HB keep the register:
    # a Charter and a finance inspection each; HA keeps the complaints too, with one case.
    assert created == 13
    assert Inspection.objects.filter(unit=world.province, started_on__year=2025).count() == 3
    joint = Inspection.objects.get(kind="party_217")
    assert joint.joint and joint.targets.filter(unit__isnull=True).count() == 2
    assert Recommendation.objects.filter(done_on__isnull=False).exists()
    assert Recommendation.objects.filter(done_on__isnull=True).exists()
    assert Complaint.objects.filter(resolved_on__isnull=True).count() == 1
    assert set(Keeping.objects.values_list("unit__code", "register")) == {
        ("HA", "inspections"), ("HB", "inspections"), ("HA", "complaints"),
    }  # fmt: skip
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2026)
    figs = selectors.unit_figures(world.province.pk, year)
    assert figs["kt_dieu_le_cuoc"].value == 2 and figs["kt_dieu_le_dv"].value == 3
    assert figs["kt_tai_chinh_cuoc"].value == 2 and figs["khieu_nai"].value == 1
    assert demo.load(today=TODAY, province_code="TN") == 0


def test_a_unit_with_entered_figures_does_not_keep_the_register(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2026)
    ind.values_save(
        actor=world.national, unit=world.unit_a, period=year, entries={"kt_dieu_le_cuoc": "4"}
    )
    demo.load(today=TODAY, province_code="TN")
    assert set(Keeping.objects.values_list("unit__code", flat=True)) == {"HB"}
    assert selectors.unit_figures(world.unit_a.pk, year)["kt_dieu_le_cuoc"].value == 4
