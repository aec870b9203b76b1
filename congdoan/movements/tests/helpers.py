"""Objects the movements tests (and the scoping cases) build in the standard world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.core.tests.support import MARKER_A

REGISTER = "movements"


def keep(w: Any, unit: Any, year: int = 2025) -> Any:
    from congdoan.activities import services

    return services.keeping_start(actor=None, unit=unit, register=REGISTER, from_year=year)


def activity_a(w: Any) -> Any:
    """A work of CĐCS Alpha Một dedicated to the congress, with a value."""
    if "movements_activity_a" not in w.extra:
        from congdoan.movements import services

        w.extra["movements_activity_a"] = services.activity_create(
            actor=None,
            unit=w.grass_a1,
            kind="work",
            title=f"Nhà văn hóa công nhân {MARKER_A}",
            on=dt.date(2025, 3, 1),
            value=Decimal(150_000_000),
            event="Đại hội XIII Công đoàn tỉnh",
            for_congress=True,
        )
    return w.extra["movements_activity_a"]


def agreement_a(w: Any) -> Any:
    """The collective agreement of CĐCS Alpha Một (2025–2027), rated A."""
    if "movements_agreement_a" not in w.extra:
        from congdoan.movements import services

        w.extra["movements_agreement_a"] = services.agreement_create(
            actor=None,
            unit=w.grass_a1,
            enterprise=f"Công ty {MARKER_A} & Cộng sự",
            signed_on=dt.date(2025, 2, 1),
            expires_on=dt.date(2027, 1, 31),
            workers=120,
            rating="A",
        )
    return w.extra["movements_agreement_a"]
