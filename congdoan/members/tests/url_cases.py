"""URL cases of the member app, one file per area (see core/tests/test_url_scoping.py)."""

from importlib import import_module

CASES: dict = {}
for _part in ("registry", "imports", "stats", "api"):
    try:
        _module = import_module(f"congdoan.members.tests.url_cases_{_part}")
    except ModuleNotFoundError as exc:
        if exc.name != f"congdoan.members.tests.url_cases_{_part}":
            raise
        continue
    CASES.update(_module.CASES)
