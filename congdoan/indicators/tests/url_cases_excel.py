"""Scoping cases of the Excel template and upload (see core/tests/test_url_scoping.py).

Both address unit A (its name contains ALPHA): officer B gets 404 and never sees its name.
"""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase


def _unit_a(world: Any) -> dict[str, Any]:
    from congdoan.indicators.models import PeriodKind
    from congdoan.indicators.periods import period_open

    return {
        "unit_pk": world.unit_a.pk,
        "period_pk": period_open(actor=None, kind=PeriodKind.YEAR, year=2024).pk,
    }


CASES: dict[str, UrlCase] = {
    "indicators:excel_template": UrlCase("object", kwargs=_unit_a, query="children=1"),
    "indicators:excel_upload": UrlCase("object", kwargs=_unit_a, expect_marker=True),
}
