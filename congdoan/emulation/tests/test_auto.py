"""Automatic criteria: the points proposed from the indicator engine's figures equal a direct
computation from the unit's targets and figures, and the scorecard keeps them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from congdoan.emulation import auto, services
from congdoan.emulation.models import Score, Stage
from congdoan.emulation.tests.helpers import YEAR, card, criteria, points
from congdoan.indicators import services as indicator_services
from congdoan.indicators.models import Indicator, PeriodKind, Target
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db

# code: (target, value) for CĐCS A1 in 2024
FIGURES = {"phat_trien_dv": (50, 40), "lop_tap_huan": (2, 3), "doi_thoai": (4, 4)}


def _figures(world):
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=YEAR)
    # Targets of a past year are closed to the services (they would rewrite published
    # achievement): the test writes its targets directly.
    for code, (target, _value) in FIGURES.items():
        Target.objects.create(
            unit=world.grass_a1,
            indicator=Indicator.objects.get(code=code),
            period=period,
            value=target,
            assigned_by=world.unit_a,
        )
    indicator_services.values_save(
        actor=None,
        unit=world.grass_a1,
        period=period,
        entries={code: value for code, (_t, value) in FIGURES.items()},
    )
    return period


def _direct(maximum: int, part: int, whole: int) -> Decimal:
    share = min(Decimal(1), Decimal(part) / Decimal(whole))
    return (Decimal(maximum) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_proposals_equal_a_direct_computation(world):
    _figures(world)
    sc = card(world)
    admissions, targets_met, manual = criteria(world)
    found = auto.proposals(world.grass_a1, YEAR, [admissions, targets_met, manual])
    met = sum(1 for target, value in FIGURES.values() if value >= target)
    assert found[admissions.pk].points == _direct(20, 40, 50) == Decimal("16.00")
    assert found[targets_met.pk].points == _direct(30, met, len(FIGURES)) == Decimal("20.00")
    assert manual.pk not in found
    assert "40" in found[admissions.pk].source and "50" in found[admissions.pk].source
    # The self-score keeps what the figures proposed; a different figure needs a note.
    with pytest.raises(Exception, match=str(admissions.name)):
        services.scorecard_score(
            actor=world.officer_a,
            scorecard=sc,
            stage=Stage.SELF,
            points=points(world, (18, 20, 40)),
        )
    services.scorecard_score(
        actor=world.officer_a,
        scorecard=sc,
        stage=Stage.SELF,
        points=points(world, (18, 20, 40)),
        notes={admissions.pk: "Kết nạp thêm 5 đoàn viên sau ngày chốt số liệu"},
    )
    row = Score.objects.get(scorecard=sc, criterion=admissions, stage=Stage.SELF)
    assert (row.points, row.auto_points) == (Decimal(18), Decimal("16.00"))
    assert row.note.startswith("Kết nạp")


def test_capped_at_the_maximum_and_none_without_a_target(world):
    assert auto.scaled(Decimal(20), Decimal(300), Decimal(50)) == Decimal("20.00")
    assert auto.scaled(Decimal(10), Decimal(1), Decimal(3)) == Decimal("3.33")
    period_open(actor=None, kind=PeriodKind.YEAR, year=YEAR)
    card(world)
    assert auto.proposals(world.grass_a1, YEAR, criteria(world)) == {}


def test_no_year_period_no_proposal(world):
    card(world)
    assert auto.proposals(world.grass_a1, YEAR, criteria(world)) == {}
