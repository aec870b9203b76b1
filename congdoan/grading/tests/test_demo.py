"""The demo gradings, on the standard world standing in for the demo province."""

import datetime as dt

import pytest

from congdoan.grading import demo
from congdoan.grading.models import Grading, Status
from congdoan.organisation import services as org

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


def test_load_grades_last_year_but_not_the_young_unions(world):
    young = org.unit_create(
        actor=None, parent=world.unit_b, code="B2", name="CĐCS Trẻ", short_name="CĐCS Trẻ",
        unit_type=world.grass_b1.unit_type, day=dt.date(2025, 6, 1),
    )  # fmt: skip
    created = demo.load(today=TODAY, province_code="TN")
    assert created == 3
    assert set(Grading.objects.values_list("unit__code", flat=True)) == {"A1", "A2", "B1"}
    assert not Grading.objects.filter(unit=young).exists()
    assert set(Grading.objects.values_list("year", flat=True)) == {2025}
    assert Grading.objects.filter(status=Status.CONFIRMED).count() == 3
    assert all(g.graded_by_id == g.unit.parent_id for g in Grading.objects.select_related("unit"))
    assert demo.load(today=TODAY, province_code="TN") == 0
    assert demo.load(today=TODAY, province_code="XX") == 0
