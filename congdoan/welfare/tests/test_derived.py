"""The derived figures of the welfare register on the standard world: one place per unit."""

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.activities.services import keeping_start
from congdoan.indicators import derived
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.selectors import figures
from congdoan.indicators.services import values_save
from congdoan.welfare import services
from congdoan.welfare.models import REGISTER
from congdoan.welfare.tests.helpers import agreement_a

pytestmark = pytest.mark.django_db
CODES = [
    "thoa_thuan_phuc_loi", "thoa_thuan_phuc_loi_hieu_luc", "dv_huong_phuc_loi",
    "luot_huong_phuc_loi", "gia_tri_phuc_loi",
]  # fmt: skip


def test_the_catalogue_names_the_definitions():
    derivations = dict(Indicator.objects.filter(code__in=CODES).values_list("code", "derivation"))
    assert derivations == {
        "thoa_thuan_phuc_loi": "welfare_agreements_signed",
        "thoa_thuan_phuc_loi_hieu_luc": "welfare_agreements_in_force",
        "dv_huong_phuc_loi": "welfare_beneficiaries",
        "luot_huong_phuc_loi": "welfare_uses",
        "gia_tri_phuc_loi": "welfare_value",
    }
    sources = set(Indicator.objects.filter(code__in=CODES).values_list("code", "source"))
    assert ("dv_huong_phuc_loi", "entered") in sources
    assert ("luot_huong_phuc_loi", "derived") in sources


def _figures(world, period):
    inds = list(Indicator.objects.filter(code__in=CODES))
    return figures([world.unit_a.pk, world.province.pk], period, inds)


def test_records_count_only_where_the_register_is_kept(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    agreement_a(world)
    ids = [world.unit_a.pk]
    assert derived.own_values("welfare_uses", ids, year) == {}  # not kept: nothing counted
    keeping_start(actor=None, unit=world.unit_a, register=REGISTER, from_year=2024)
    services.benefit_use_create(
        actor=None, agreement=agreement_a(world), member=world.member_a,
        used_on=dt.date(2024, 8, 1), value=100_000,
    )  # fmt: skip
    figs = _figures(world, year)[world.province.pk]
    assert figs["thoa_thuan_phuc_loi"].value == 1
    assert figs["thoa_thuan_phuc_loi"].from_records == 1
    assert figs["thoa_thuan_phuc_loi_hieu_luc"].value == 1
    # Member A used it twice: one member, plus 120 counted without names.
    assert figs["dv_huong_phuc_loi"].value == 121
    assert figs["luot_huong_phuc_loi"].value == 122
    assert figs["gia_tri_phuc_loi"].value == Decimal(6_600_000)


def test_a_unit_that_does_not_keep_enters_and_the_total_adds_both(world):
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    keeping_start(actor=None, unit=world.unit_a, register=REGISTER, from_year=2024)
    agreement_a(world)
    values_save(actor=None, unit=world.grass_b1, period=year, entries={"dv_huong_phuc_loi": "30"})
    figs = _figures(world, year)[world.province.pk]
    assert figs["dv_huong_phuc_loi"].value == 151
    assert figs["dv_huong_phuc_loi"].from_records == 121


def test_the_period_boundaries(world):
    keeping_start(actor=None, unit=world.unit_a, register=REGISTER, from_year=2024)
    agreement_a(world)  # uses on 10/05/2024 and 30/06/2024
    first = period_open(actor=None, kind=PeriodKind.HALF, year=2024, number=1)
    second = period_open(actor=None, kind=PeriodKind.HALF, year=2024, number=2)
    ids = [world.unit_a.pk]
    assert derived.own_values("welfare_uses", ids, first) == {world.unit_a.pk: 121}
    assert derived.own_values("welfare_uses", ids, second) == {}
    # Signed 01/03/2024, open-ended: in force at the end of both halves, signed in the first.
    assert derived.own_values("welfare_agreements_in_force", ids, second) == {world.unit_a.pk: 1}
    assert derived.own_values("welfare_agreements_signed", ids, second) == {}
