"""The background worker killed during a member import (issue 16, faults), on PostgreSQL with a
real worker process (`congdoan worker`): nothing of the import is written, the job shows that
it stopped half-way once its lock is free and its beat old, and running it again imports every
row once.

SQLite runs one writer at a time and has no session locks: there the stall is seen by the beat
alone (test_import_jobs.py).
"""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
from django.db import connection
from django.utils import timezone

from congdoan.core.tests.support import build_world
from congdoan.core.tests.workers import start_worker
from congdoan.members.imports import jobs
from congdoan.members.models import ImportJob, ImportStatus, Member
from congdoan.members.tests.files import csv_bytes, member_rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a worker in another process needs PostgreSQL"
)
ROWS = 20_000
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _wait(condition, seconds: float = 120.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_killed_worker_leaves_nothing_and_the_job_runs_again(
    transactional_db, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    rows = member_rows(ROWS, seed=16, earliest_admission=dt.date(2020, 6, 1))
    job = jobs.job_create(
        actor=world.officer_a, unit=world.grass_a1, filename="lon.csv", data=csv_bytes(rows)
    )
    job = jobs.job_check(job.pk)
    assert job.status == ImportStatus.READY, job.errors[:3]
    before = Member.objects.count()

    # The commit goes to the database queue, and a real worker takes it.
    settings.TASKS = DB_TASKS
    monkeypatch.setattr(jobs, "SMALL_FILE_BYTES", 10)
    jobs.start_commit(job, actor=world.officer_a)
    worker = start_worker(tmp_path)
    try:
        # Kill it once it has started on the rows (progress shown), while it still runs.
        held = _wait(lambda: jobs._held_elsewhere(job.pk))
        log = (tmp_path / "worker.log").read_text(errors="replace")[-600:]
        assert held, f"the worker never took the job: {log}"
        _wait(lambda: ImportJob.objects.get(pk=job.pk).rows_done > 0, seconds=10)
        assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.IMPORTING
        assert worker.poll() is None, "the worker ended before it was killed"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    # Nothing half-written; the job still says "importing" until its lock is free and its beat old.
    assert Member.objects.count() == before
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
    assert _wait(lambda: not jobs._held_elsewhere(job.pk), seconds=30)
    assert not jobs.is_stalled(job)  # it beat a moment ago
    later = timezone.now() + jobs.STALL_AFTER + dt.timedelta(seconds=1)
    assert jobs.is_stalled(job, now=later)

    # Run again (in this process): every row, once.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - 2 * jobs.STALL_AFTER)
    job.refresh_from_db()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = jobs.job_retry(job, actor=world.officer_a)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == ROWS
    assert Member.objects.count() == before + ROWS
