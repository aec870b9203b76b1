"""Scoping cases of the project-level URLs and of the organisation API (/api/v1/, "api:…").

The `make_*` helpers create, in unit A's subtree, the objects some API cases address; the API
tests reuse them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase


def make_cluster_a(w: Any) -> Any:
    """A cluster organised by unit A, with A's two grassroots unions (A1 heads it) in 2024.
    Made once per world."""
    from congdoan.organisation.models import Cluster, ClusterMembership

    if "cluster_a" in w.extra:
        return w.extra["cluster_a"]
    cluster = Cluster.objects.create(
        code="cum-alpha", name=f"Cụm thi đua {MARKER_A}", organiser=w.unit_a
    )
    ClusterMembership.objects.create(cluster=cluster, year=2024, unit=w.grass_a1, is_head=True)
    ClusterMembership.objects.create(cluster=cluster, year=2024, unit=w.grass_a2)
    w.extra["cluster_a"] = cluster
    return cluster


def make_term_a(w: Any) -> Any:
    """Term XI (2023–2028) of grassroots union A1, with its chair. Made once per world."""
    from congdoan.organisation.models import CommitteeSeat, Position, Term

    if "term_a" in w.extra:
        return w.extra["term_a"]
    term = Term.objects.create(
        unit=w.grass_a1,
        number=11,
        start_year=2023,
        end_year=2028,
        congress_date=dt.date(2023, 5, 10),
    )
    CommitteeSeat.objects.create(
        term=term,
        committee="bch",
        position=Position.objects.get(code="chu_tich"),
        full_name="Lê Thị Hồng",
        start_date=dt.date(2023, 5, 10),
    )
    w.extra["term_a"] = term
    return term


def _pk(name: str) -> Any:
    return lambda w: {"pk": getattr(w, name).pk}


def _extra_pk(key: str) -> Any:
    return lambda w: {"pk": w.extra[key].pk}


def _catalogue_pk(model_name: str, code: str) -> Any:
    def kwargs(w: Any) -> dict[str, int]:
        from django.apps import apps

        return {"pk": apps.get_model("organisation", model_name).objects.get(code=code).pk}

    return kwargs


CASES: dict[str, UrlCase] = {
    "healthz": UrlCase("public"),
    # Signed-in users only (docs/security.md); the same for every one of them.
    "api-schema": UrlCase("list"),
    "api-docs": UrlCase("list"),
    # Units: lists are scoped, every object and action of A's units is 404 for officer B.
    "api:unit-list": UrlCase("list", expect_marker=True),
    "api:unit-detail": UrlCase("object", kwargs=_pk("grass_a1")),
    "api:unit-children": UrlCase("object", kwargs=_pk("unit_a")),
    "api:unit-ancestors": UrlCase("object", kwargs=_pk("group_a1")),
    "api:unit-history": UrlCase("object", kwargs=_pk("grass_a1")),
    "api:unit-lineage": UrlCase("object", kwargs=_pk("grass_a1")),
    "api:unit-subtree": UrlCase("object", kwargs=_pk("unit_a"), query="as_of=2021-01-01"),
    # The tree without `root`: each caller's own topmost units.
    "api:tree": UrlCase("list", query="as_of=2021-01-01&depth=3", expect_marker=True),
    "api:cluster-list": UrlCase("list", setup=make_cluster_a, expect_marker=True),
    "api:cluster-detail": UrlCase(
        "object", setup=make_cluster_a, kwargs=_extra_pk("cluster_a"), query="year=2024"
    ),
    "api:term-list": UrlCase("list", setup=make_term_a, expect_marker=True),
    "api:term-detail": UrlCase("object", setup=make_term_a, kwargs=_extra_pk("term_a")),
    # Catalogues: the same for every signed-in user.
    "api:level-list": UrlCase("list"),
    "api:level-detail": UrlCase("list", kwargs=_catalogue_pk("Level", "grassroots")),
    "api:unit-type-list": UrlCase("list"),
    "api:unit-type-detail": UrlCase("list", kwargs=_catalogue_pk("UnitType", "cdcs")),
    "api:sector-list": UrlCase("list"),
    "api:sector-detail": UrlCase("list", kwargs=_catalogue_pk("Sector", "giao_duc")),
    "api:ownership-type-list": UrlCase("list"),
    "api:ownership-type-detail": UrlCase("list", kwargs=_catalogue_pk("OwnershipType", "htx")),
    "api:position-list": UrlCase("list"),
    "api:position-detail": UrlCase("list", kwargs=_catalogue_pk("Position", "chu_tich")),
    # The site's icon, which browsers ask for before anyone signs in: a redirect to the static
    # file, no data.
    "favicon": UrlCase("public", ok=(302,)),
}
