"""Floors run one way (issue 11): `core` is the ground floor and imports no app; `organisation`
knows nothing of the apps above it (they react to tree changes through its signals and
registries). Imports inside functions count too; tests are not production code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the congdoan package
APPS = ("core", "accounts", "organisation", "members", "reorganisation", "indicators", "demo")
# What each floor may import from the project besides itself.
ALLOWED = {
    "core": set(),
    "organisation": {"core"},
}


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "congdoan" and len(parts) > 1 and parts[1] in APPS:
                apps.add(parts[1])
    return apps


@pytest.mark.parametrize("floor", sorted(ALLOWED))
def test_a_floor_imports_nothing_above_it(floor):
    wrong = {}
    for path in (ROOT / floor).rglob("*.py"):
        if "tests" in path.parts:
            continue
        above = _imported_apps(path) - ALLOWED[floor] - {floor}
        if above:
            wrong[str(path.relative_to(ROOT))] = sorted(above)
    assert not wrong, f"{floor} imports apps above it: {wrong}"
