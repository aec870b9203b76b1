"""One door for every check (issue 11): every page view goes through `core.views.ScopedMixin`,
every API view through a base of `core.api.base`; the scoping helpers are the only ones."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from congdoan.core.api.base import ScopedAPIMixin
from congdoan.core.views import ScopedMixin

ROOT = Path(__file__).resolve().parents[2]
# Views that serve before sign-in or belong to Django itself, each with the reason.
OPEN = {
    "healthz": "liveness check for load balancers: no data",
    "favicon": "the site's icon, a redirect to a static file: no data",
    "set_language": "Django's language switch: the caller's cookie only",
    "accounts:login": "sign-in",
    "accounts:logout": "sign-out",
    "accounts:otp_verify": "the second factor after the password: the caller's own device",
    "accounts:otp_setup": "the second factor's setup: the caller's own device",
    "api-schema": "drf-spectacular, signed-in users only (SERVE_PERMISSIONS)",
    "api-docs": "drf-spectacular's page, behind login_required; it reads the schema only",
}


def _patterns(patterns: list[Any], namespace: str = "") -> list[tuple[str, Any]]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            out += _patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            out.append((f"{namespace}{p.name}", p.callback))
    return out


def _view_class(callback: Any) -> type | None:
    for attr in ("cls", "view_class"):
        cls = getattr(callback, attr, None)
        if cls is not None:
            return cls
    wrapped = getattr(callback, "__wrapped__", None)
    return _view_class(wrapped) if wrapped is not None else None


def test_every_view_goes_through_the_one_door():
    stray = []
    for name, callback in _patterns(get_resolver().url_patterns):
        if name in OPEN:
            continue
        cls = _view_class(callback)
        if cls is None or not issubclass(cls, ScopedMixin | ScopedAPIMixin):
            stray.append(name)
    assert not stray, f"views outside ScopedMixin / core.api.base: {sorted(stray)}"


def _functions_named(name: str) -> list[str]:
    found = []
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text()).body:  # module-level functions
            if isinstance(node, ast.FunctionDef) and node.name == name:
                found.append(str(path.relative_to(ROOT)))
    return found


def test_one_require_and_one_has_any_scope():
    """The private copies are gone: one `require` for services, one `has_any_scope`."""
    assert _functions_named("require") == ["core/scoping.py"]
    assert _functions_named("has_any_scope") == ["core/scoping.py"]
    for copy in ("_require", "require_scope", "_require_scope", "require_reorganise"):
        assert _functions_named(copy) == [], copy


def test_no_hand_written_scope_test():
    """`prefixes is None or bool(prefixes)` is `has_any_scope`."""
    offenders = [
        str(p.relative_to(ROOT))
        for p in ROOT.rglob("*.py")
        if "tests" not in p.parts and "is None or bool(prefixes)" in p.read_text()
    ]
    assert offenders == ["core/scoping.py"], offenders


def test_views_and_api_read_through_selectors():
    """One read layer per app (issue 11): page views, exports and API modules read the
    database through their app's selectors or the door's helpers; a DRF `queryset =` base
    (or a serializer field's `queryset=`) is the only model manager they name."""
    modules = [
        *ROOT.glob("*/views.py"),
        *ROOT.glob("*/views/*.py"),
        *ROOT.glob("*/api/*.py"),
        *ROOT.glob("*/exports.py"),
    ]
    offenders = []
    for path in modules:
        if path.parts[-2] == "core" or path.parts[-3:-1] == ("core", "api"):
            continue  # the doors themselves
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if (".objects" in code or "_default_manager" in code) and "queryset" not in code:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "read through selectors:\n" + "\n".join(offenders)
