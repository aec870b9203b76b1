"""Scoping cases of member import and exports (see core/tests/test_url_scoping.py).

Import jobs of unit A are named "ALPHA-….xlsx" and put members in A1; officer B must get 404 for
them and never see their names. Exports are lists: B's files hold B's members only, officer A's
csv holds member A (whose given name contains ALPHA).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase


def import_job_a(world: Any, *, keep_file: bool = False) -> Any:
    """A checked import job of officer A into A1 (status "ready")."""
    key = "import_job_a_file" if keep_file else "import_job_a"
    if key not in world.extra:
        from congdoan.members.imports import jobs
        from congdoan.members.tests.files import member_rows, xlsx_bytes

        rows = member_rows(3, seed=7, earliest_admission=dt.date(2020, 6, 1))
        rows[0]["given_name"] = f"{MARKER_A}an"
        job = jobs.job_create(
            actor=world.officer_a,
            unit=world.grass_a1,
            filename=f"{MARKER_A}-doan-vien.xlsx",
            data=xlsx_bytes(rows),
        )
        job = jobs.job_check(job.pk)
        assert job.status == "ready", job.errors
        if not keep_file:
            jobs._delete_file(job)
            job.save(update_fields=["file"])
        world.extra[key] = job
    return world.extra[key]


def invalid_job_a(world: Any) -> Any:
    """A checked import job of officer A into A1 with errors (status "invalid"), file kept."""
    if "invalid_job_a" not in world.extra:
        from congdoan.members.imports import jobs
        from congdoan.members.tests.files import member_rows, xlsx_bytes

        rows = member_rows(2, seed=8, earliest_admission=dt.date(2020, 6, 1))
        rows[0]["given_name"] = f"{MARKER_A}an"
        rows[1]["date_of_birth"] = "31/02/1990"
        job = jobs.job_create(
            actor=world.officer_a,
            unit=world.grass_a1,
            filename=f"{MARKER_A}-loi.xlsx",
            data=xlsx_bytes(rows),
        )
        job = jobs.job_check(job.pk)
        assert job.status == "invalid", job.status
        world.extra["invalid_job_a"] = job
    return world.extra["invalid_job_a"]


def stalled_job_a(world: Any) -> Any:
    """A's checked job left "importing" by a worker that stopped 20 minutes ago."""
    if "stalled_job_a" not in world.extra:
        from django.utils import timezone

        from congdoan.members.models import ImportJob

        job = import_job_a(world, keep_file=True)
        ago = timezone.now() - dt.timedelta(minutes=20)
        ImportJob.objects.filter(pk=job.pk).update(status="importing", heartbeat_at=ago)
        job.refresh_from_db()
        world.extra["stalled_job_a"] = job
    return world.extra["stalled_job_a"]


def _job(world: Any) -> dict[str, Any]:
    return {"pk": import_job_a(world).pk}


def _job_with_file(world: Any) -> dict[str, Any]:
    return {"pk": import_job_a(world, keep_file=True).pk}


CASES: dict[str, UrlCase] = {
    "members:import_list": UrlCase("list", setup=lambda w: import_job_a(w), expect_marker=True),
    "members:import_upload": UrlCase("list"),
    "members:import_template": UrlCase("list"),
    "members:import_detail": UrlCase("object", kwargs=_job),
    "members:import_status": UrlCase("object", kwargs=_job, htmx=True),
    "members:import_errors": UrlCase("object", kwargs=lambda w: {"pk": invalid_job_a(w).pk}),
    # National commits first (302 to the job page); officer A then finds it done (302 too).
    "members:import_commit": UrlCase(
        "object",
        kwargs=_job_with_file,
        method="post",
        data=lambda w: {"confirm": "1"},
        ok=(302,),
    ),
    # A job whose worker stopped: national runs it again (302); officer A finds it done (302).
    "members:import_retry": UrlCase(
        "object", kwargs=lambda w: {"pk": stalled_job_a(w).pk}, method="post", ok=(302,)
    ),
    "members:export_xlsx": UrlCase("list"),
    "members:export_csv": UrlCase("list", expect_marker=True),
    "members:export_pdf": UrlCase("list"),
}
