"""Scoping cases of the dashboard, its fragment, charts and rankings (see
core/tests/test_url_scoping.py). Everything addresses unit A: officer B gets 404."""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase


def _year(world: Any) -> int:
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024).pk


def _unit_period(world: Any) -> dict[str, int]:
    return {"pk": world.unit_a.pk, "period": _year(world)}


def _entered(world: Any) -> None:
    from congdoan.indicators import services
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    services.values_save(
        actor=world.national, unit=world.grass_a1, period=year, entries={"suat_qua": 10}
    )


CASES: dict[str, UrlCase] = {
    "indicators:dashboard": UrlCase(
        "object", kwargs=_unit_period, setup=_entered, expect_marker=True
    ),
    "indicators:dashboard_children": UrlCase(
        "object", kwargs=_unit_period, query="sort=-suat_qua", htmx=True, setup=_entered
    ),
    "indicators:dashboard_trend": UrlCase("object", kwargs=_unit_period, htmx=True, setup=_entered),
    "indicators:dashboard_chart": UrlCase(
        "object", kwargs=_unit_period, query="indicator=suat_qua&kind=children", setup=_entered
    ),
    "indicators:ranking": UrlCase(
        "object", kwargs=_unit_period, query="by=suat_qua&among=siblings", setup=_entered
    ),
    "indicators:dashboard_xlsx": UrlCase("object", kwargs=_unit_period, setup=_entered),
    "indicators:dashboard_pdf": UrlCase("object", kwargs=_unit_period, setup=_entered),
    "indicators:ranking_xlsx": UrlCase(
        "object", kwargs=_unit_period, query="by=suat_qua&among=siblings", setup=_entered
    ),
}
