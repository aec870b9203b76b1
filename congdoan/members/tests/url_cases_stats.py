"""Scoping cases of the member statistics page (see core/tests/test_url_scoping.py)."""

from __future__ import annotations

from congdoan.core.tests.support import UrlCase

# Officer B asking for unit A's figures gets the form back with "not found within your scope".
CASES: dict[str, UrlCase] = {
    "members:stats": UrlCase("list", query="unit=HA&date_from=01/01/2020", expect_marker=True),
    # The workbook of one's own figures (its text is compressed: no marker to look for).
    "members:stats_xlsx": UrlCase("list", query="date_from=01/01/2020"),
}
