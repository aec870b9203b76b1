"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the organisation pages.

The helpers create, in unit A's subtree, the objects that some pages address (a cluster organised
by unit A, a term of grassroots union A1 with seats); the page tests reuse them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase


def cluster_a(w: Any) -> Any:
    """A cluster organised by unit A: A1 (head) and A2 in 2024. Made once per world."""
    if "page_cluster_a" not in w.extra:
        from congdoan.organisation import services

        cluster = services.cluster_create(
            actor=None,
            organiser=w.unit_a,
            code="cum-thi-dua-alpha",
            name=f"Cụm thi đua huyện {MARKER_A}",
        )
        services.cluster_member_add(
            actor=None, cluster=cluster, unit=w.grass_a1, year=2024, is_head=True
        )
        services.cluster_member_add(actor=None, cluster=cluster, unit=w.grass_a2, year=2024)
        w.extra["page_cluster_a"] = cluster
    return w.extra["page_cluster_a"]


def term_a(w: Any) -> Any:
    """Term XI (2023–2028) of grassroots union A1 with a chair and an inspection chair."""
    if "page_term_a" not in w.extra:
        from congdoan.organisation import services
        from congdoan.organisation.models import Position

        term = services.term_create(
            actor=None,
            unit=w.grass_a1,
            number=11,
            start_year=2023,
            end_year=2028,
            congress_date=dt.date(2023, 5, 10),
        )
        w.extra["page_seat_a"] = services.seat_add(
            actor=None,
            term=term,
            committee="bch",
            position=Position.objects.get(code="chu_tich"),
            full_name=f"Lê Thị {MARKER_A}",
            start_date=dt.date(2023, 5, 10),
        )
        services.seat_add(
            actor=None,
            term=term,
            committee="ubkt",
            position=Position.objects.get(code="chu_nhiem_ubkt"),
            full_name="Phạm Văn Kiểm",
            start_date=dt.date(2023, 5, 10),
        )
        w.extra["page_term_a"] = term
    return w.extra["page_term_a"]


def fresh_membership(w: Any) -> dict[str, int]:
    """A new membership of A2 in cluster A (a new year each call), for the POST actions."""
    from congdoan.organisation.models import ClusterMembership

    cluster = cluster_a(w)
    year = 2000 + ClusterMembership.objects.filter(cluster=cluster).count()
    membership = ClusterMembership.objects.create(cluster=cluster, unit=w.grass_a2, year=year)
    return {"pk": membership.pk}


def _pk(name: str) -> Any:
    return lambda w: {"pk": getattr(w, name).pk}


def _cluster(w: Any) -> dict[str, int]:
    return {"pk": cluster_a(w).pk}


def _term(w: Any) -> dict[str, int]:
    return {"pk": term_a(w).pk}


def _seat(w: Any) -> dict[str, int]:
    term_a(w)
    return {"pk": w.extra["page_seat_a"].pk}


def _with_all(w: Any) -> None:
    cluster_a(w)
    term_a(w)


CASES: dict[str, UrlCase] = {
    "organisation:home": UrlCase("list", expect_marker=True),
    "organisation:tree": UrlCase("list", expect_marker=True),
    "organisation:tree_children": UrlCase(
        "object", kwargs=_pk("unit_a"), query="as_of=2021-01-01", htmx=True
    ),
    "organisation:tree_search": UrlCase("list", query="q=alpha", htmx=True, expect_marker=True),
    "organisation:unit_picker": UrlCase("list", query="q=alpha", htmx=True, expect_marker=True),
    "organisation:unit_field": UrlCase(
        "list",
        query="kind=unit&action=organisation.reorganise&active=1&name=unit_x&id=id_unit_x"
        "&unit_x=alpha",
        htmx=True,
        expect_marker=True,
    ),
    "organisation:unit_detail": UrlCase("object", kwargs=_pk("grass_a1"), setup=_with_all),
    "organisation:unit_audit": UrlCase("object", kwargs=_pk("grass_a1"), htmx=True),
    "organisation:term_create": UrlCase("object", kwargs=_pk("unit_a")),
    "organisation:term_detail": UrlCase("object", kwargs=_term),
    "organisation:seat_add": UrlCase("object", kwargs=_term),
    "organisation:seat_end": UrlCase("object", kwargs=_seat),
    "organisation:cluster_list": UrlCase(
        "list", setup=cluster_a, query="q=alpha&year=2024", expect_marker=True
    ),
    "organisation:cluster_create": UrlCase("list"),
    "organisation:cluster_detail": UrlCase("object", kwargs=_cluster, query="year=2024"),
    "organisation:cluster_edit": UrlCase("object", kwargs=_cluster),
    "organisation:cluster_member_add": UrlCase("object", kwargs=_cluster),
    "organisation:cluster_member_remove": UrlCase(
        "object", kwargs=fresh_membership, method="post", ok=(302,)
    ),
    "organisation:cluster_set_head": UrlCase(
        "object", kwargs=fresh_membership, method="post", ok=(302,)
    ),
    "organisation:cluster_copy_year": UrlCase(
        "object",
        kwargs=_cluster,
        method="post",
        data=lambda w: {"from_year": 2024, "to_year": 2025},
        ok=(302,),
    ),
}

# The organisation API's writes (its reads are in core/tests/url_cases.py).
from congdoan.organisation.tests.url_cases_api import CASES as _API_CASES  # noqa: E402

CASES.update(_API_CASES)
