"""The demo welfare records, on the standard world standing in for the demo province."""

import datetime as dt

import pytest

from congdoan.activities.models import Keeping
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.services import values_save
from congdoan.welfare import demo
from congdoan.welfare.models import Agreement, BenefitUse

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)


def test_load_builds_agreements_uses_and_keeps_where_nothing_is_entered(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    values_save(actor=None, unit=world.unit_b, period=year, entries={"thoa_thuan_phuc_loi": "1"})
    created = demo.load(
        today=TODAY, province_code="TN", district_code="HA", commune_codes=("HB", "A1")
    )
    assert created == Agreement.objects.count() + BenefitUse.objects.count()
    assert Agreement.objects.filter(unit=world.province).count() == len(demo.PROVINCIAL)
    assert Agreement.objects.filter(unit=world.unit_a).count() == len(demo.DISTRICT_PARTNERS)
    assert BenefitUse.objects.filter(member=world.member_a).exists()
    assert BenefitUse.objects.filter(member__isnull=True, count__gt=1).exists()
    # The province and A1 entered nothing for 2025: they keep the register; B entered a figure.
    kept = set(Keeping.objects.values_list("unit__code", "from_year"))
    assert kept == {("TN", 2025), ("A1", 2025)}
    assert demo.load(today=TODAY, province_code="TN") == 0  # once
