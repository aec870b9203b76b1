"""URL cases of the indicator app, one file per area (see core/tests/test_url_scoping.py)."""

from importlib import import_module

CASES: dict = {}
for _part in ("entry", "excel", "dashboard", "api"):
    try:
        _module = import_module(f"congdoan.indicators.tests.url_cases_{_part}")
    except ModuleNotFoundError as exc:
        if exc.name != f"congdoan.indicators.tests.url_cases_{_part}":
            raise
        continue
    CASES.update(_module.CASES)
