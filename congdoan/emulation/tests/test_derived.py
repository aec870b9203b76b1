"""The derived indicators of emulation through the engine: grassroots unions registered (and
their share), pledges signed in the clusters a unit organises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.emulation import services
from congdoan.emulation.tests.helpers import YEAR, movement_a, pledge_a, registration_a
from congdoan.indicators import selectors
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db
CODES = ["cdcs_dang_ky_thi_dua", "ty_le_cdcs_dang_ky_thi_dua", "giao_uoc_thi_dua", "cdcs_cuoi_ky"]


def _figures(world, unit):
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=YEAR)
    inds = selectors.indicators_in(period, CODES)
    return selectors.unit_figures(unit.pk, period, inds)


def test_registered_grassroots_pledges_and_share(world):
    registration_a(world)
    pledge_a(world)
    # A withdrawn registration and a unit above grassroots do not count.
    withdrawn = services.registration_create(
        actor=None, movement=movement_a(world), unit=world.grass_a2, year=YEAR,
        registered_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    services.registration_withdraw(
        actor=None, registration=withdrawn, withdrawn_on=dt.date(2024, 3, 1)
    )
    services.registration_create(
        actor=None, movement=movement_a(world), unit=world.unit_a, year=YEAR,
        registered_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    figs = _figures(world, world.unit_a)
    assert figs["cdcs_dang_ky_thi_dua"].value == 1
    assert figs["ty_le_cdcs_dang_ky_thi_dua"].value == Decimal(50)
    assert figs["giao_uoc_thi_dua"].value == 1
    assert _figures(world, world.province)["cdcs_dang_ky_thi_dua"].value == 1
    assert _figures(world, world.unit_b)["cdcs_dang_ky_thi_dua"].value == 0
