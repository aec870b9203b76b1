"""The demo records, on the standard world standing in for the demo province."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.activities.models import Keeping
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.movements import demo
from congdoan.movements.models import Activity, Agreement

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 15)


def test_load_keeps_the_register_where_nothing_is_entered_and_records_the_year(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2026)
    ind.values_save(actor=world.national, unit=world.grass_b1, period=year,
                    entries={"doi_thoai": "2"})  # fmt: skip
    created = demo.load(today=TODAY, province_code="TN")
    kept = set(Keeping.objects.values_list("unit__code", flat=True))
    assert kept == {"HA", "A1", "A2", "TN"}  # B1 entered a figure: it keeps entering
    assert created == Activity.objects.count() + Agreement.objects.count() + 2  # 2 meetings
    assert not Activity.objects.filter(on__gt=TODAY).exists()
    figs = selectors.unit_figures(world.province.pk, year)
    assert figs["cong_trinh_dai_hoi"].value == 2
    assert figs["doi_thoai"].value == 2 + 2  # two kept dialogues, and B1's entered figure
    assert figs["ty_le_cdcs_tuyen_truyen_so"].value is not None
    assert demo.load(today=TODAY, province_code="TN") == 0


def test_load_without_the_province_does_nothing(world):
    assert demo.load(today=TODAY, province_code="XX") == 0
