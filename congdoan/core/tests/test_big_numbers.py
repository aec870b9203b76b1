"""A number no database column can hold, in any query parameter or path of any page or API
call, answers 400 (or 404 for a path id), never 500 (issue 11)."""

from __future__ import annotations

import importlib
import json
import pkgutil

import django_filters
import pytest
from django.test import Client
from django.urls import resolve, reverse

import congdoan
from congdoan.core.filters import IdFilter, SmallNumberFilter, YearFilter
from congdoan.core.tests.test_url_scoping import CASES

BIG = "99999999999999999999"
# Numbers pages read from the query string by hand, besides the filters of the API.
PAGE_PARAMS = (
    "unit", "period", "year", "parent", "member", "indicator", "page", "organiser", "user",
    "cluster", "term", "children", "under",
)  # fmt: skip
BOUNDED = (IdFilter, YearFilter, SmallNumberFilter)


def _filter_modules() -> None:
    for mod in pkgutil.iter_modules(congdoan.__path__):
        if not mod.ispkg:  # congdoan.__main__ would run the command line
            continue
        for name in ("filters", "api.filters"):
            try:
                importlib.import_module(f"congdoan.{mod.name}.{name}")
            except ModuleNotFoundError as exc:
                if not (exc.name or "").startswith(f"congdoan.{mod.name}"):
                    raise


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


def test_every_number_filter_is_bounded():
    _filter_modules()
    loose = [
        f"{fs.__module__}.{fs.__name__}.{name}"
        for fs in _subclasses(django_filters.FilterSet)
        if fs.__module__.startswith("congdoan.")
        for name, f in fs.base_filters.items()
        if isinstance(f, django_filters.NumberFilter) and not isinstance(f, BOUNDED)
    ]
    assert not loose, f"use IdFilter, YearFilter or SmallNumberFilter: {loose}"


def _number_filters(url: str) -> set[str]:
    view = resolve(url.split("?")[0]).func
    if getattr(view, "initkwargs", {}).get("filter_backends") == []:
        return set()  # an action that applies no filters
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    filterset = getattr(cls, "filterset_class", None)
    if filterset is None:
        return set()
    return {n for n, f in filterset.base_filters.items() if isinstance(f, BOUNDED)}


GET_CASES = sorted(name for name, case in CASES.items() if case.method == "get")


@pytest.mark.parametrize("name", GET_CASES)
def test_big_numbers_answer_400(name, world):
    case = CASES[name]
    if case.setup:
        case.setup(world)
    client = Client()
    client.force_login(world.national)
    headers = {"HTTP_HX_REQUEST": "true"} if case.htmx else {}
    url = reverse(name, kwargs=case.kwargs(world) if case.kwargs else None)
    filters = _number_filters(url)
    for param in sorted(set(PAGE_PARAMS) | filters):
        response = client.get(f"{url}?{param}={BIG}", **headers)
        assert response.status_code < 500, f"{name}?{param}: {response.status_code}"
        if param in filters and url.startswith("/api/"):
            # (a page shows the filter form's message next to the field instead)
            assert response.status_code == 400, f"{name}?{param}: {response.status_code}"
            body = response.json()
            if body.get("field") == param:  # (another required parameter may come first)
                assert body["detail"].startswith(("Không có bản ghi", "Nhập")), body
    if case.kwargs:
        kwargs = {k: BIG if isinstance(v, int) else v for k, v in case.kwargs(world).items()}
        response = client.get(reverse(name, kwargs=kwargs), **headers)
        assert response.status_code in (400, 404), f"{name} with a huge id: {response.status_code}"


def test_the_net_under_unchecked_numbers(rf):
    """A number that escaped every check still answers 400 in Vietnamese, page or API."""
    from django.contrib.auth.models import AnonymousUser

    from congdoan.core.middleware import NumberOutOfRangeMiddleware

    net = NumberOutOfRangeMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    api = rf.get(f"/api/v1/units/?x={BIG}")
    response = net.process_exception(api, OverflowError("Python int too large"))
    assert response.status_code == 400
    assert "quá lớn" in json.loads(response.content)["detail"]
    page = rf.get(f"/organisation/?x={BIG}")
    page.user = AnonymousUser()
    response = net.process_exception(page, OverflowError("Python int too large"))
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert net.process_exception(api, ValueError("other")) is None
