"""The care indicators on the figures: one place per unit (records where the register is kept,
entries elsewhere), a house on its handover day, the sheet's read-only figure with its link."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.care.tests.helpers import gift, house_a, keep, tet_gifts_a
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db


def _figures(unit, period, *codes):
    figs = selectors.unit_figures(unit.pk, period)
    return tuple(figs[c].value for c in codes)


def test_records_of_a_keeping_unit_add_to_the_entries_of_the_others(world):
    keep(world.grass_a1, 2024)
    house_a(world)  # A1, handed over 15/06/2024: 80 million, 50 of them from a donor
    gift(world)  # A1, 01/03/2024, 500.000 to member A
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    ind.values_save(actor=None, unit=world.grass_a2, period=year,
                    entries={"nha_macd": "2", "tien_nha_macd": "100000000", "suat_qua": "10"})  # fmt: skip
    assert _figures(world.grass_a1, year, "nha_macd", "tien_nha_macd", "quy_van_dong") == (
        Decimal(1),
        Decimal(80_000_000),
        Decimal(50_000_000),
    )
    assert _figures(world.unit_a, year, "nha_macd", "tien_nha_macd", "suat_qua") == (
        Decimal(3),
        Decimal(180_000_000),
        Decimal(11),
    )
    assert _figures(world.province, year, "dv_duoc_cham_lo")[0] == Decimal(1)
    fig = selectors.unit_figures(world.unit_a.pk, year)["nha_macd"]
    assert fig.from_records == Decimal(1)


def test_records_of_a_unit_not_keeping_the_register_count_for_nothing(world):
    tet_gifts_a(world)  # unit A does not keep the register
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    assert _figures(world.unit_a, year, "suat_qua_cong_dong") == (None,)


def test_a_house_counts_in_the_period_of_its_handover(world):
    keep(world.grass_a1, 2024)
    house_a(world)  # started 01/03/2024 (Q1), handed over 15/06/2024 (Q2)
    q1 = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=1)
    q2 = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=2)
    assert _figures(world.grass_a1, q1, "nha_macd")[0] in (None, Decimal(0))
    assert _figures(world.grass_a1, q2, "nha_macd") == (Decimal(1),)


def test_a_member_given_three_gifts_counts_once_per_unit(world):
    keep(world.grass_a1, 2024)
    keep(world.unit_a, 2024)
    for day in (1, 2, 3):
        gift(world, on=dt.date(2024, 4, day))
    gift(world, unit=world.unit_a)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    assert _figures(world.grass_a1, year, "dv_duoc_cham_lo", "suat_qua") == (Decimal(1), Decimal(3))
    # Over the district: once for A1 and once for the district itself.
    assert _figures(world.unit_a, year, "dv_duoc_cham_lo", "suat_qua") == (Decimal(2), Decimal(4))


def test_the_sheet_shows_the_figure_read_only_with_the_link_to_the_records(world, client_of):
    keep(world.grass_a1, 2024)
    house_a(world)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    url = f"/indicators/units/{world.grass_a1.pk}/periods/{year.pk}/sheet/"
    page = client_of("officer_a").get(url).content.decode()
    records = f"{reverse('care:list')}?unit={world.grass_a1.pk}&amp;period={year.pk}"
    assert records in page
    assert 'name="v-nha_macd"' not in page and 'id="v-nha_macd">1<' in page
    assert 'id="v-tien_nha_macd">80.000.000<' in page
