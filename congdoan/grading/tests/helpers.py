"""Objects the grading tests (and the scoping cases) build in the standard world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

# Points of the default current scheme (cdcs_2024) by criterion code, and their maxima.
MAXIMA = {
    "1.1": 10, "1.2": 10, "1.3": 15, "2.1": 10, "2.2": 10, "2.3": 5,
    "3.1": 10, "3.2": 10, "3.3": 5, "4.1": 5, "4.2": 5, "4.3": 5,
}  # fmt: skip
CODES = list(MAXIMA)


def marks(share: float) -> dict[str, Decimal]:
    """Every criterion at `share` of its maximum, in steps of 0.5."""
    return {
        code: (Decimal(str(points * share)) * 2).quantize(Decimal(1)) / 2
        for code, points in MAXIMA.items()
    }


def grade(unit: Any, year: int = 2024, scores: dict[str, Any] | None = None, **kw: Any) -> Any:
    from congdoan.grading import services

    return services.grading_create(
        actor=kw.pop("actor", None), unit=unit, year=year, scores=scores or marks(0.8), **kw
    )


def grading_a(w: Any) -> Any:
    """A draft grading of CĐCS ALPHA Một for 2024 (good: 80 points), graded by unit A."""
    if "grading_a" not in w.extra:
        w.extra["grading_a"] = grade(w.grass_a1, 2024, notes=f"Ghi chú {w.grass_a1.name}")
    return w.extra["grading_a"]


def new_grading(w: Any) -> Any:
    """Another draft grading of CĐCS ALPHA Hai, each for a new year (2020, 2021, …)."""
    made = w.extra.setdefault("grading_new", [])
    grading = grade(w.grass_a2, 2020 + len(made))
    made.append(grading)
    return grading


def confirm(grading: Any, day: dt.date = dt.date(2025, 1, 15)) -> Any:
    from congdoan.grading import services

    return services.grading_confirm(
        actor=None, grading=grading, decision_number="15/QĐ-LĐLĐ", decision_date=day
    )
