"""Walk every URL pattern with the three personas and prove that B sees nothing of A.

Each app lists its URLs in `congdoan/<app>/tests/url_cases.py` (see `UrlCase`); a URL pattern
without a case fails `test_every_url_pattern_has_a_case`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import congdoan
from congdoan.core.tests.support import MARKER_A, UrlCase

# URL names that the walk does not cover, each with the reason and where it is tested instead.
EXEMPT_PREFIXES = {
    "admin:": "Django admin, for system administrators only: test_admin_requires_superuser",
}
EXEMPT = {
    "set_language": "switches the interface language of the caller only; no data",
}


def _names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def all_url_names() -> set[str]:
    return {
        n
        for n in _names(get_resolver().url_patterns)
        if n not in EXEMPT and not n.startswith(tuple(EXEMPT_PREFIXES))
    }


def all_cases() -> dict[str, UrlCase]:
    cases: dict[str, UrlCase] = {}
    for mod in pkgutil.iter_modules(congdoan.__path__):
        if not mod.ispkg:
            continue
        try:
            module = importlib.import_module(f"congdoan.{mod.name}.tests.url_cases")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"congdoan.{mod.name}"):
                continue
            raise
        for name, case in module.CASES.items():
            assert name not in cases, f"{name} has two cases"
            cases[name] = case
    return cases


CASES = all_cases()


def test_every_url_pattern_has_a_case():
    missing = sorted(all_url_names() - set(CASES))
    assert not missing, (
        "URL patterns without a scoping case (add them to <app>/tests/url_cases.py): "
        + ", ".join(missing)
    )
    stale = sorted(set(CASES) - all_url_names())
    assert not stale, "cases for URL names that no longer exist: " + ", ".join(stale)


def _probe_query(world: Any) -> str:
    """Parameters that point at unit A's objects, added to every request officer B makes: no
    answer, error messages included, may name what they point at."""
    a, a1 = world.unit_a.pk, world.grass_a1.pk
    return (
        f"unit={a1}&parent={a}&under={a}&organiser={a}&assigned_by={a}&member={world.member_a.pk}"
    )


def _request(client: Client, case: UrlCase, world: Any, name: str, probe: bool = False):
    url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None)
    query = case.query(world) if callable(case.query) else case.query
    if probe:
        query = f"{query}&{_probe_query(world)}" if query else _probe_query(world)
    if query:
        url = f"{url}?{query}"
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    if case.method == "get":
        return client.get(url, **headers)
    data = case.data(world) if case.data else {}
    return getattr(client, case.method)(url, data=data, **headers)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _login(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.persona(persona))
    return client


@pytest.mark.parametrize("name", sorted(CASES))
def test_url_scoping(name, world):
    case = CASES[name]
    if case.setup:
        case.setup(world)

    anonymous = _request(Client(), case, world, name)
    if case.kind == "public":
        assert anonymous.status_code in case.ok, f"{name}: anonymous got {anonymous.status_code}"
        return
    assert anonymous.status_code in (302, 401, 403), (
        f"{name}: anonymous got {anonymous.status_code}"
    )
    if anonymous.status_code == 302:
        assert "/accounts/login" in anonymous["Location"], (
            f"{name}: redirected to {anonymous['Location']}"
        )

    # Officer B first: the request must not leak, and (for writes) must not change A's data.
    response_b = _request(_login(world, "officer_b"), case, world, name)
    if case.kind == "object":
        assert response_b.status_code in case.denied, (
            f"{name}: officer B got {response_b.status_code}"
        )
    else:
        assert response_b.status_code in case.ok, f"{name}: officer B got {response_b.status_code}"
    assert MARKER_A not in _body(response_b), f"{name}: officer B received data of unit A"
    # The same with parameters that name A's units and member: nothing of A, errors included.
    probed = _request(_login(world, "officer_b"), case, world, name, probe=True)
    assert probed.status_code < 500, f"{name}: officer B's probe got {probed.status_code}"
    assert MARKER_A not in _body(probed), f"{name}: a probe by officer B received data of unit A"

    for persona in case.allowed if case.kind == "object" else ("national", "officer_a"):
        response = _request(_login(world, persona), case, world, name)
        assert response.status_code in case.ok, f"{name}: {persona} got {response.status_code}"
        if case.expect_marker and persona == "officer_a":
            assert MARKER_A in _body(response), f"{name}: officer A does not see unit A's data"


def test_admin_requires_superuser(world):
    client = _login(world, "national")
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login" in response["Location"]
