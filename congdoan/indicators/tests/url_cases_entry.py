"""Scoping cases of the figures, workflow and targets pages (see core/tests/test_url_scoping.py).

Writes are posted by national first and officer A next on the same sheet: the second call may
find the sheet already moved on (400). Officer B always gets 404 for A's units.
"""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase


def year(world: Any) -> Any:
    if "year" not in world.extra:
        from congdoan.indicators.models import PeriodKind
        from congdoan.indicators.periods import period_open

        world.extra["year"] = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    return world.extra["year"]


def running_year(world: Any) -> Any:
    """This year's period: its targets are open (those of a past period are closed)."""
    if "running_year" not in world.extra:
        from django.utils import timezone

        from congdoan.indicators.models import PeriodKind
        from congdoan.indicators.periods import period_open

        today = timezone.localdate()
        world.extra["running_year"] = period_open(actor=None, kind=PeriodKind.YEAR, year=today.year)
    return world.extra["running_year"]


def _running_a(world: Any) -> dict[str, int]:
    return {"unit": world.unit_a.pk, "period": running_year(world).pk}


def _a1(world: Any) -> dict[str, int]:
    return {"unit": world.grass_a1.pk, "period": year(world).pk}


def _a(world: Any) -> dict[str, int]:
    return {"unit": world.unit_a.pk, "period": year(world).pk}


def entered(world: Any) -> Any:
    from congdoan.indicators import services

    return services.values_save(
        actor=world.national, unit=world.grass_a1, period=year(world), entries={"suat_qua": 3}
    )


def submitted(world: Any) -> None:
    from congdoan.indicators import services

    services.sheet_submit(actor=world.national, sheet=entered(world))


def approved(world: Any) -> None:
    from congdoan.indicators import services
    from congdoan.indicators.models import Sheet

    submitted(world)
    sheet = Sheet.objects.get(unit=world.grass_a1, period=year(world))
    services.sheet_approve(actor=world.national, sheet=sheet)


def _post(kwargs: Any, data: Any = None, setup: Any = None, **extra: Any) -> UrlCase:
    return UrlCase(
        "object", kwargs=kwargs, method="post", data=data, setup=setup, ok=(302, 400), **extra
    )


CASES: dict[str, UrlCase] = {
    "indicators:home": UrlCase(
        "list", query=lambda w: f"unit={w.unit_a.pk}&period={year(w).pk}", expect_marker=True
    ),
    "indicators:period_open": UrlCase(
        "list", method="post", data=lambda w: {"kind": "year", "year": 2024, "number": 1}, ok=(302,)
    ),
    "indicators:sheet": UrlCase("object", kwargs=_a1, setup=entered, expect_marker=True),
    "indicators:sheet_cell": UrlCase(
        "object",
        kwargs=lambda w: {**_a1(w), "code": "suat_qua"},
        method="post",
        data=lambda w: {"v-suat_qua": "5", "c-suat_qua": "ghi chú"},
        htmx=True,
        setup=year,
    ),
    "indicators:sheet_submit": _post(_a1, setup=entered),
    "indicators:sheet_approve": _post(_a1, setup=submitted),
    "indicators:sheet_return": _post(_a1, data=lambda w: {"reason": "Thiếu số"}, setup=submitted),
    "indicators:sheet_lock": _post(_a1, setup=approved),
    "indicators:sheet_reopen": _post(_a1, data=lambda w: {"reason": "Sai số"}, setup=approved),
    "indicators:children": UrlCase("object", kwargs=_a, setup=entered, expect_marker=True),
    "indicators:targets": UrlCase("object", kwargs=_a, setup=year, expect_marker=True),
    "indicators:target_set": _post(
        _running_a,
        data=lambda w: {"unit": w.grass_a1.pk, "indicator": "phat_trien_dv", "value": "5"},
        setup=running_year,
    ),
    "indicators:targets_allocate": _post(
        _running_a,
        data=lambda w: {
            "alloc-indicator": "phat_trien_dv",
            "alloc-total": "10",
            "alloc-method": "even",
        },
        setup=running_year,
    ),
}
