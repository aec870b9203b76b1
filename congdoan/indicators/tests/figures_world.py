"""The figures of the dashboard tests, shared by the dashboard, export and English-mode tests.

Unit A: targets 10 new members and 20 gifts; its two grassroots unions enter 8 + 4 new members
and 15 + 3 gifts; A1's sheet is approved. Unit B reaches both targets. A year earlier A1 gave 9
gifts. Units A and B form a cluster in 2024.
"""

from __future__ import annotations

from typing import Any

from congdoan.indicators import services
from congdoan.indicators.models import Indicator, Period, PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import on
from congdoan.organisation import services as org


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def enter(world: Any, unit: Any, period: Period, **values: Any) -> Any:
    return services.values_save(actor=world.national, unit=unit, period=period, entries=values)


def target(world: Any, actor: Any, unit: Any, period: Period, **values: Any) -> None:
    """Targets are assigned while the period runs (they close once it is over)."""
    with on(period.start):
        for code, value in values.items():
            services.target_set(
                actor=actor, unit=unit, indicator=ind(code), period=period, value=value
            )


def build_figures(world: Any, year: Period) -> Period:
    for unit in (world.unit_a, world.unit_b):
        target(world, world.national, unit, year, phat_trien_dv=10, suat_qua=20)
    target(world, world.officer_a, world.grass_a1, year, phat_trien_dv=4)
    target(world, world.officer_a, world.grass_a2, year, phat_trien_dv=8)
    a1 = enter(world, world.grass_a1, year, phat_trien_dv=8, suat_qua=15)
    enter(world, world.grass_a2, year, phat_trien_dv=4, suat_qua=3)
    enter(world, world.grass_b1, year, phat_trien_dv=10, suat_qua=25)
    services.sheet_submit(actor=world.officer_a, sheet=a1)
    services.sheet_approve(actor=world.officer_a, sheet=a1)
    enter(
        world, world.grass_a1, period_open(actor=None, kind=PeriodKind.YEAR, year=2023), suat_qua=9
    )
    cluster = org.cluster_create(actor=None, organiser=world.province, code="cum1", name="Cụm 1")
    for unit in (world.unit_a, world.unit_b):
        org.cluster_member_add(actor=None, cluster=cluster, unit=unit, year=2024)
    world.extra["cluster"] = cluster
    return year
