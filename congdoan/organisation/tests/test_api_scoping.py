"""Scoping of the organisation API beyond the generic walk, query budgets, authentication.

- Every detail and action endpoint of a scoped viewset answers 404 (never 403) to officer B for
  an object of unit A, with exactly the body a missing object gets.
- List endpoints run a fixed number of queries, whatever the number of rows.
- Session and knox-token authentication both work; a token is scoped like its user.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from congdoan.core.api.base import ScopedViewSetMixin
from congdoan.core.tests.support import MARKER_A, unit_type
from congdoan.core.tests.url_cases import make_cluster_a, make_term_a
from congdoan.organisation import services as org
from congdoan.organisation.api import urls as api_urls
from congdoan.organisation.api import views
from congdoan.organisation.models import ClusterMembership, CommitteeSeat, Position, Term

# The object of unit A's subtree that each scoped viewset is exercised with.
OBJECT_OF_A = {
    views.UnitViewSet: lambda w: w.grass_a1,
    views.ClusterViewSet: make_cluster_a,
    views.TermViewSet: make_term_a,
}
MISSING_PK = 987654321


# Objects named in the URL besides the viewset's own (a membership of the cluster, a seat of
# the term), for an object of A and for a missing one.
EXTRA_KWARGS = {
    "membership": lambda w: ClusterMembership.objects.filter(cluster=make_cluster_a(w)).first(),
    "seat": lambda w: CommitteeSeat.objects.filter(term=make_term_a(w)).first(),
}


def scoped_object_urls() -> list[tuple[str, type, str]]:
    """(URL name, viewset, method) of every endpoint that addresses one object of a scoped
    viewset; the method is GET where it reads, else the write it offers."""
    found = []
    for pattern in api_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        cls = getattr(pattern.callback, "cls", None)
        if cls is None or not issubclass(cls, ScopedViewSetMixin):
            continue
        if "pk" in pattern.pattern.regex.groupindex:
            methods = pattern.callback.actions  # type: ignore[attr-defined]
            method = next(m for m in ("get", "post", "patch", "delete") if m in methods)
            found.append((f"api:{pattern.name}", cls, method))
    return sorted(found, key=lambda item: item[0])


def test_every_scoped_viewset_has_an_object_of_a():
    assert {cls for _, cls, _ in scoped_object_urls()} == set(OBJECT_OF_A)
    names = {name for name, _, _ in scoped_object_urls()}
    assert {"api:unit-detail", "api:unit-subtree", "api:cluster-detail", "api:term-detail"} <= names
    assert {"api:cluster-member", "api:cluster-copy-year", "api:term-seat-end"} <= names


@pytest.mark.parametrize(
    ("name", "cls", "method"), scoped_object_urls(), ids=lambda v: getattr(v, "__name__", v)
)
def test_object_of_a_is_404_for_officer_b_like_a_missing_one(world, client_of, name, cls, method):
    obj = OBJECT_OF_A[cls](world)
    extra = {key: EXTRA_KWARGS[key](world).pk for key in _extra_names(name)}
    url = _url(name, obj.pk, extra)

    def call(persona, address, **data):
        return getattr(client_of(persona), method)(address, data, content_type="application/json")

    response_b = call("officer_b", url)
    assert response_b.status_code == 404
    assert MARKER_A not in response_b.content.decode()
    missing = call("national", _url(name, MISSING_PK, dict.fromkeys(extra, MISSING_PK)))
    assert missing.status_code == 404
    assert response_b.json() == missing.json()
    # Query parameters do not change the answer (no 400 that would reveal the object exists).
    assert call("officer_b", f"{url}?as_of=bad&depth=x").status_code == 404
    response_a = call("officer_a", url)
    if method == "get":
        assert response_a.status_code == 200
    else:  # an empty body: refused for what it lacks (400), or done
        assert response_a.status_code in (200, 204, 400), response_a.content


def _extra_names(name: str) -> set[str]:
    """What the URL `name` names besides the object (`membership`, `seat`)."""
    pattern = next(p for p in api_urls.urlpatterns if f"api:{p.name}" == name)
    return set(pattern.pattern.regex.groupindex) - {"pk", "format"}


def _url(name: str, pk: int, extra: dict[str, int]) -> str:
    return reverse(name, kwargs={"pk": pk, **extra})


def test_tree_root_of_a_is_404_for_officer_b_like_a_missing_one(world, client_of):
    response_b = client_of("officer_b").get("/api/v1/tree/", {"root": world.unit_a.pk})
    missing = client_of("national").get("/api/v1/tree/", {"root": MISSING_PK})
    assert response_b.status_code == missing.status_code == 404
    assert response_b.json() == missing.json()


def test_a_non_numeric_id_is_404(world, client_of):
    assert client_of("national").get("/api/v1/units/abc/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Query budgets: the number of queries of a list does not grow with its rows.


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx)


def _grow(world, n: int) -> None:
    """n more grassroots unions under A, each in a cluster with a term and a seat."""
    cluster = make_cluster_a(world)
    chair = Position.objects.get(code="chu_tich")
    for i in range(n):
        unit = org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AX{i}",
            name=f"CĐCS {MARKER_A} thêm {i}",
            unit_type=unit_type("cdcs"),
            day=world.unit_a.founded_on,
        )
        ClusterMembership.objects.create(cluster=cluster, year=2024, unit=unit)
        term = Term.objects.create(unit=unit, number=1, start_year=2023, end_year=2028)
        CommitteeSeat.objects.create(
            term=term,
            committee="bch",
            position=chair,
            full_name=f"Người {i}",
            start_date=world.unit_a.founded_on,
        )


# Every request: session, user, the two second-factor checks of the OTP middleware; every scoped
# one: the caller's grants. Then what the endpoint itself reads.
LIST_BUDGETS = {
    "/api/v1/units/": 7,  # + count, rows
    "/api/v1/units/?q=alpha&type=cdcs": 7,
    "/api/v1/units/{unit_a}/children/": 7,  # + unit, children
    "/api/v1/units/{unit_a}/subtree/?as_of=2021-01-01": 8,  # + unit, its version, subtree
    "/api/v1/units/{grass_a1}/ancestors/": 7,  # + unit, ancestors
    "/api/v1/tree/?depth=5": 8,  # + tops, then per top: its version, subtree
    "/api/v1/tree/?root={unit_a}&depth=5": 8,  # + root, its version, subtree
    "/api/v1/clusters/": 8,  # + count, rows, memberships
    "/api/v1/terms/": 7,  # + count, rows
    "/api/v1/unit-types/": 5,  # no grants: catalogues are not scoped
    "/api/v1/levels/": 5,
    "/api/v1/positions/": 5,
}


@pytest.mark.parametrize("template", list(LIST_BUDGETS))
@pytest.mark.parametrize("persona", ["national", "officer_a"])
def test_list_query_budget(world, client_of, django_assert_max_num_queries, template, persona):
    make_cluster_a(world)
    make_term_a(world)
    client = client_of(persona)
    url = template.format(unit_a=world.unit_a.pk, grass_a1=world.grass_a1.pk)
    before = _count(client, url)
    _grow(world, 12)
    with django_assert_max_num_queries(LIST_BUDGETS[template]):
        response = client.get(url)
    assert response.status_code == 200
    assert _count(client, url) == before, f"{url}: queries grow with the number of rows"


def test_cluster_and_term_details_do_not_grow(world, client_of):
    cluster = make_cluster_a(world)
    term = make_term_a(world)
    client = client_of("officer_a")
    urls = [f"/api/v1/clusters/{cluster.pk}/", f"/api/v1/terms/{term.pk}/"]
    before = [_count(client, u) for u in urls]
    _grow(world, 5)
    chair = Position.objects.get(code="uv_bch")
    for i in range(5):
        CommitteeSeat.objects.create(
            term=term,
            committee="bch",
            position=chair,
            full_name=f"Ủy viên {i}",
            start_date=term.congress_date,
        )
    assert [_count(client, u) for u in urls] == before


# ---------------------------------------------------------------------------------------------
# Authentication


def test_anonymous_gets_401(world):
    response = Client().get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_knox_token_is_scoped_like_its_user(world):
    from knox.models import AuthToken

    _, token = AuthToken.objects.create(world.officer_b)
    assert token.startswith("cd_")
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    rows = client.get("/api/v1/units/").json()["results"]
    assert [r["code"] for r in rows] == ["HB", "B1"]
    assert client.get(f"/api/v1/units/{world.grass_a1.pk}/").status_code == 404


def test_bad_token_is_401(world):
    client = Client(HTTP_AUTHORIZATION="Token cd_not-a-real-token")
    assert client.get("/api/v1/units/").status_code == 401


def test_session_authentication(world, client_of):
    assert client_of("officer_a").get("/api/v1/units/").status_code == 200


def test_writes_are_not_allowed(world, client_of):
    c = client_of("national")
    assert c.post("/api/v1/units/", {"code": "X"}).status_code in (403, 405)
    assert c.delete(f"/api/v1/units/{world.grass_a1.pk}/").status_code in (403, 405)
