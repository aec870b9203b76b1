"""The demo care, on the standard world standing in for the demo province."""

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.activities.models import Keeping
from congdoan.care import demo
from congdoan.care.models import Campaign, CareRecord
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind, Value
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def test_load_builds_campaigns_keepers_gifts_and_houses(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2026)
    # B1 entered its gifts of the year: it must not keep the register.
    ind.values_save(actor=None, unit=world.grass_b1, period=year, entries={"suat_qua": "7"})
    created = demo.load(today=TODAY, province_code="TN")
    assert created == CareRecord.objects.count() > 0
    names = list(Campaign.objects.order_by("start").values_list("name", flat=True))
    assert names == ["Tết Bính Ngọ 2026", "Tháng Công nhân 2026"]
    kept = set(Keeping.objects.filter(register="care").values_list("unit__code", flat=True))
    assert "B1" not in kept and {"A1", "HA"} <= kept
    for keeper in Keeping.objects.filter(register="care").select_related("unit"):
        assert not Value.objects.filter(
            unit=keeper.unit, indicator__derivation__startswith="care_"
        ).exists()
    house = CareRecord.objects.get(kind="house", handover_on__isnull=False)
    assert house.member == world.member_a and house.funding.count() == 2
    assert not CareRecord.objects.filter(on__gt=TODAY).exists()
    figs = selectors.unit_figures(world.province.pk, year)
    assert figs["nha_macd"].value == Decimal(1)
    # B1's 7 entered, A1's Tết gift and its cash support to a worker who is not a member
    assert figs["suat_qua"].value == Decimal(9)
    worker = CareRecord.objects.get(person_name="Lò Thị Xuân")
    assert (worker.beneficiary, worker.citizen_id) == ("person", "012192004567")
    assert figs["suat_qua_cong_dong"].value == Decimal(200)
    assert demo.load(today=TODAY, province_code="TN") == 0


def test_records_are_not_dated_after_today(world):
    demo.load(today=dt.date(2026, 2, 3), province_code="TN")
    assert not CareRecord.objects.filter(on__gt=dt.date(2026, 2, 3)).exists()
    assert Campaign.objects.count() == 2
