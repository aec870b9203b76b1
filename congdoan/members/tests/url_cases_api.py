"""Scoping cases of the member API (see core/tests/test_url_scoping.py).

Lifecycle actions are posted by national first and officer A next, on the same member: the second
call may find the member already changed (400). Officer B always gets 404 for A's objects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase, make_user
from congdoan.members.tests.url_cases_registry import duplicate_a

DAY = "01/03/2024"


def _member(world: Any) -> dict[str, Any]:
    return {"pk": world.member_a.pk}


def _post(data: Any, ok: tuple[int, ...] = (200, 400), setup: Any = None) -> UrlCase:
    return UrlCase("object", kwargs=_member, method="post", data=data, ok=ok, setup=setup)


def _suspended(world: Any) -> None:
    from congdoan.members.services import member_suspend

    member_suspend(actor=None, member=world.member_a, day=dt.date(2023, 1, 1))


def _exited(world: Any) -> None:
    from congdoan.members.services import member_exit

    member_exit(actor=None, member=world.member_a, day=dt.date(2023, 1, 1), reason="left_job")


def transfer_inside_a(world: Any) -> Any:
    """A transfer of member A from A1 to A2, done at once (national covers both units)."""
    if "transfer_inside_a" not in world.extra:
        from congdoan.members.services import transfer_request

        world.extra["transfer_inside_a"] = transfer_request(
            actor=world.national,
            member=world.member_a,
            to_unit=world.grass_a2,
            day=dt.date(2024, 1, 1),
        )
    return world.extra["transfer_inside_a"]


def pending_inside_a(world: Any) -> Any:
    """A transfer from A1 to A2 asked by an officer of A1 only: A2's side must confirm."""
    if "pending_inside_a" not in world.extra:
        from congdoan.members.services import transfer_request

        clerk = make_user("clerk_a1", "data_entry", world.grass_a1)
        world.extra["pending_inside_a"] = transfer_request(
            actor=clerk, member=world.member_a, to_unit=world.grass_a2, day=dt.date(2024, 1, 1)
        )
    return world.extra["pending_inside_a"]


def import_job_a(world: Any) -> Any:
    if "import_job_a" not in world.extra:
        from congdoan.members.models import ImportJob

        world.extra["import_job_a"] = ImportJob.objects.create(
            unit=world.unit_a, filename=f"doan-vien-{MARKER_A}.xlsx", created_by=world.officer_a
        )
    return world.extra["import_job_a"]


def cluster_a(world: Any) -> Any:
    if "cluster_a" not in world.extra:
        from django.utils import timezone

        from congdoan.organisation.models import Cluster, ClusterMembership

        cluster = Cluster.objects.create(
            code="cum-alpha", name=f"Cụm thi đua {MARKER_A}", organiser=world.unit_a
        )
        year = timezone.localdate().year
        for unit in (world.grass_a1, world.grass_a2):
            ClusterMembership.objects.create(cluster=cluster, year=year, unit=unit)
        world.extra["cluster_a"] = cluster
    return world.extra["cluster_a"]


CASES: dict[str, UrlCase] = {
    "api:member-list": UrlCase("list", expect_marker=True),
    "api:member-detail": UrlCase("object", kwargs=_member),
    "api:member-events": UrlCase("object", kwargs=_member),
    "api:member-transfer": _post(lambda w: {"to_unit": "A2", "day": DAY}, ok=(201, 400)),
    "api:member-suspend": _post(lambda w: {"day": DAY}),
    "api:member-resume": _post(lambda w: {"day": DAY}, setup=_suspended),
    "api:member-exit": _post(lambda w: {"day": DAY, "reason": "retired"}),
    "api:member-discipline": _post(lambda w: {"day": DAY, "level": "reprimand"}),
    "api:member-party-referral": _post(lambda w: {"day": DAY}),
    "api:member-party-admission": _post(lambda w: {"day": DAY}),
    "api:member-readmit": _post(lambda w: {"day": DAY, "unit": "A1"}, setup=_exited),
    "api:member-transfer-list": UrlCase("list", setup=transfer_inside_a, expect_marker=True),
    "api:member-transfer-detail": UrlCase(
        "object", kwargs=lambda w: {"pk": transfer_inside_a(w).pk}
    ),
    "api:member-transfer-confirm": UrlCase(
        "object", kwargs=lambda w: {"pk": pending_inside_a(w).pk}, method="post", ok=(200, 400)
    ),
    "api:member-transfer-reject": UrlCase(
        "object", kwargs=lambda w: {"pk": pending_inside_a(w).pk}, method="post", ok=(200, 400)
    ),
    "api:member-transfer-cancel": UrlCase(
        "object", kwargs=lambda w: {"pk": pending_inside_a(w).pk}, method="post", ok=(200, 400)
    ),
    "api:member-import-list": UrlCase("list", setup=import_job_a, expect_marker=True),
    "api:member-import-detail": UrlCase("object", kwargs=lambda w: {"pk": import_job_a(w).pk}),
    # The job is only uploaded, not checked: "not ready" (400) for those who may see it.
    "api:member-import-commit": UrlCase(
        "object", kwargs=lambda w: {"pk": import_job_a(w).pk}, method="post", ok=(200, 400)
    ),
    # The pair of records of A1 and A2 with the same name and date of birth: national decides,
    # officer A then finds it already decided (400).
    "api:member-duplicate-list": UrlCase("list", setup=duplicate_a, expect_marker=True),
    "api:member-duplicate-detail": UrlCase("object", kwargs=lambda w: {"pk": duplicate_a(w).pk}),
    "api:member-duplicate-resolve": UrlCase(
        "object",
        kwargs=lambda w: {"pk": duplicate_a(w).pk},
        method="post",
        data=lambda w: {"status": "distinct"},
        ok=(200, 400),
    ),
    "api:member-counts": UrlCase("object", query="unit=HA&date_from=2020-01-01"),
    "api:member-counts-cluster": UrlCase(
        "object", query=lambda w: f"cluster={cluster_a(w).pk}&date_from=2020-01-01"
    ),
}
