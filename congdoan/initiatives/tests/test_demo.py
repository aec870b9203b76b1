"""The demo initiatives and contests, on the standard world standing in for the demo province."""

from __future__ import annotations

import datetime as dt

import pytest

from congdoan.activities.models import Keeping
from congdoan.indicators import selectors
from congdoan.initiatives import demo
from congdoan.initiatives.models import Contest, Initiative, Programme
from congdoan.members.services import member_admit

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 11, 20)


def test_load_builds_a_programme_initiatives_and_contests(world):
    for unit in (world.grass_a1, world.grass_a2, world.grass_b1):
        for n in range(3):
            member_admit(
                actor=None, unit=unit, family_name="Lò", middle_name="Văn", given_name=f"Demo{n}",
                sex="M", admitted_on=dt.date(2021, 1, 1), date_of_birth=dt.date(1990, 1, 1),
            )  # fmt: skip
    created = demo.load(today=TODAY, province_code="TN")
    assert created == Initiative.objects.count() > 0
    programme = Programme.objects.get()
    assert [p.name for p in programme.period.parts.order_by("start")] == [
        "Giai đoạn 1",
        "Giai đoạn 2",
    ]
    assert all(i.submitted_on <= TODAY for i in Initiative.objects.all())
    assert Contest.objects.filter(kind="innovation").get().entries.exclude(prize="").exists()
    assert Keeping.objects.filter(register="initiatives", from_year=2025).exists()
    # The figures follow from the records of the units keeping the register.
    fig = selectors.unit_figures(world.province.pk, programme.period)["sang_kien"]
    assert fig.value is not None and fig.value >= created
    assert demo.load(today=TODAY, province_code="TN") == 0
