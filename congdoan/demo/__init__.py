"""The demo federation (LĐLĐ tỉnh Lai Châu, 2004–2026) and its loader. Not a Django app.

`names`, `places`, `records`, `units`, `people`, `profiles` (member records) and `lives` (what
happens to members) make the plan without touching the database; `player` plays it through the
services; `transfers` adds the demo accounts' transfer requests; `federation` builds, counts and
lists the demo accounts; `loading` is what the `load_demo` and `demo` commands call.
"""

from typing import Any

_EXPORTS = {"DEMO_PASSWORD", "DemoError", "DemoSummary", "build_demo", "make_plan", "summarise"}


def __getattr__(name: str) -> Any:
    # Lazy, so that planning (no database) does not import the models.
    if name in _EXPORTS:
        from congdoan.demo import federation

        return getattr(federation, name)
    raise AttributeError(name)
