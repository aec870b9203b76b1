"""Scoping cases of the organisation API's writes (see core/tests/test_url_scoping.py); the
reads of the organisation API are in core/tests/url_cases.py.

National posts first and officer A next; objects a write removes or ends are made anew for each
call. Officer B always gets 404 for A's cluster and term.
"""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.core.tests.url_cases import make_cluster_a, make_term_a


def _cluster(w: Any) -> dict[str, int]:
    return {"pk": make_cluster_a(w).pk}


def _new_membership(w: Any) -> dict[str, int]:
    """A new membership of A2 in cluster A (a new year each call)."""
    from congdoan.organisation.models import ClusterMembership

    cluster = make_cluster_a(w)
    year = 2000 + ClusterMembership.objects.filter(cluster=cluster).count()
    membership = ClusterMembership.objects.create(cluster=cluster, unit=w.grass_a2, year=year)
    return {"pk": cluster.pk, "membership": membership.pk}


def _term(w: Any) -> dict[str, int]:
    return {"pk": make_term_a(w).pk}


def _new_seat(w: Any) -> dict[str, int]:
    """A new seat in term A (one per call), for ending."""
    import datetime as dt

    from congdoan.organisation.models import CommitteeSeat, Position

    term = make_term_a(w)
    seat = CommitteeSeat.objects.create(
        term=term,
        committee="bch",
        position=Position.objects.get(code="uv_bch"),
        full_name="Ủy viên mới",
        start_date=dt.date(2023, 6, 1),
    )
    return {"pk": term.pk, "seat": seat.pk}


CASES: dict[str, UrlCase] = {
    "api:cluster-members": UrlCase("object", kwargs=_cluster, query="year=2024"),
    "api:cluster-member": UrlCase("object", kwargs=_new_membership, method="delete", ok=(204,)),
    "api:cluster-member-head": UrlCase("object", kwargs=_new_membership, method="post"),
    "api:cluster-copy-year": UrlCase(
        "object",
        kwargs=_cluster,
        method="post",
        data=lambda w: {"from_year": 2024, "to_year": 2025},
    ),
    "api:term-seats": UrlCase(
        "object",
        kwargs=_term,
        method="post",
        data=lambda w: {
            "committee": "bch",
            "position": "uv_bch",
            "full_name": "Ủy viên",
            "start_date": "2023-05-10",
        },
        ok=(201,),
    ),
    "api:term-seat-end": UrlCase(
        "object", kwargs=_new_seat, method="post", data=lambda w: {"end_date": "2024-01-01"}
    ),
}
