"""Derived indicators of the initiatives and contests registers, through the engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from congdoan.indicators import selectors, wording
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.initiatives.tests.helpers import (
    contest_a,
    initiative,
    keep,
    phases,
    programme,
    quiz_a,
    target,
)

pytestmark = pytest.mark.django_db


def figs(unit, period, *codes):
    return selectors.figures([unit.pk], period, selectors.indicators_in(period, codes))[unit.pk]


def test_the_catalogue_names_the_definitions():
    got = dict(
        Indicator.objects.filter(
            code__in=["sang_kien", "gia_tri_lam_loi", "cuoc_thi", "luot_du_thi", "giai_nhi"]
        ).values_list("code", "derivation")
    )
    assert got == {
        "sang_kien": "initiatives_submitted",
        "gia_tri_lam_loi": "initiatives_benefit",
        "cuoc_thi": "quizzes_held",
        "luot_du_thi": "quiz_participants",
        "giai_nhi": "contest_prizes_second",
    }
    assert Indicator.objects.get(code="sang_kien_hop_le").source == "derived"


def test_initiatives_of_a_keeping_unit_count_by_submission_day(world):
    keep(world, world.grass_a1)
    initiative(world)  # 10/03/2024, valid, 120 million
    initiative(world, submitted_on=dt.date(2024, 12, 31), status="rejected",
               decision_note="Trùng", decided_on=dt.date(2025, 1, 5))  # fmt: skip
    initiative(world, submitted_on=dt.date(2025, 1, 1), status="submitted", decided_on=None)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    got = figs(world.unit_a, year, "sang_kien", "sang_kien_hop_le", "sang_kien_bi_loai",
               "gia_tri_lam_loi")  # fmt: skip
    assert got["sang_kien"].value == 2 and got["sang_kien"].from_records == 2
    assert got["sang_kien_hop_le"].value == 1 and got["sang_kien_bi_loai"].value == 1
    assert got["gia_tri_lam_loi"].value == Decimal(120_000_000)


def test_records_of_a_unit_not_keeping_the_register_do_not_count(world):
    initiative(world)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    got = figs(world.grass_a1, year, "sang_kien", "sang_kien_hop_le")
    assert got["sang_kien"].value is None
    assert got["sang_kien_hop_le"].value == 0


def test_phases_programme_and_rank(world):
    prog = programme(world, organiser=world.province)
    one, two = phases(prog)
    keep(world, world.grass_a1)
    for day in (dt.date(2024, 2, 1), dt.date(2024, 6, 1), dt.date(2025, 3, 1)):
        initiative(world, programme=prog, submitted_on=day, decided_on=day)
    # Unit B does not keep the register: its union enters the phases' figures.
    ind.values_save(actor=None, unit=world.grass_b1, period=one, entries={"sang_kien": "5"})
    ind.values_save(actor=None, unit=world.grass_b1, period=two, entries={"sang_kien": "1"})
    for unit in (world.unit_a, world.unit_b):
        target(unit, "sang_kien", one, 2)
        target(unit, "sang_kien", two, 2)
    target(world.province, "sang_kien", prog.period, 8)
    assert figs(world.unit_a, one, "sang_kien")["sang_kien"].value == 2
    whole = figs(world.province, prog.period, "sang_kien")["sang_kien"]
    assert whole.value == 9 and whole.target == 8
    with translation.override("vi"):
        assert wording.fraction(whole.value, whole.target) == "9/8"
        assert wording.percent(whole.percent) == "113%"
        ranks = selectors.ranking([world.unit_a.pk, world.unit_b.pk], one, "pct:sang_kien")
        assert ranks[world.unit_b.pk].text == "thứ nhất/2"
        ranks = selectors.ranking([world.unit_a.pk, world.unit_b.pk], two, "pct:sang_kien")
        assert ranks[world.unit_a.pk].text == "thứ nhất/2"


def test_contests_count_on_their_last_day(world):
    keep(world, world.unit_a, "contests")
    keep(world, world.grass_a1, "contests")
    keep(world, world.grass_a2, "contests")
    contest_a(world)  # ends 30/09/2024: A1 second prize, A2 consolation
    quiz_a(world)  # ends 30/04/2024: A1 120 + 1 participants
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    got = figs(world.unit_a, year, "cuoc_thi", "luot_du_thi", "de_tai_du_thi", "giai_nhi",
               "giai_kk", "giai_nhat")  # fmt: skip
    assert got["cuoc_thi"].value == 1 and got["luot_du_thi"].value == 121
    assert got["de_tai_du_thi"].value == 2
    assert (got["giai_nhi"].value, got["giai_kk"].value, got["giai_nhat"].value) == (1, 1, 0)
    half = period_open(actor=None, kind=PeriodKind.HALF, year=2024, number=1)
    got = figs(world.unit_a, half, "cuoc_thi", "de_tai_du_thi")
    assert got["cuoc_thi"].value == 1 and got["de_tai_du_thi"].value == 0


def test_a_keeping_unit_cannot_enter_the_figure(world):
    keep(world, world.grass_a1)
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    with pytest.raises(ind.EntryErrors):
        ind.values_save(
            actor=world.officer_a, unit=world.grass_a1, period=year, entries={"sang_kien": "3"}
        )
