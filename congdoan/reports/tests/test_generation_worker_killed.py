"""The background worker killed while it generates a report (issue 16, faults), on PostgreSQL
with a real worker process (`congdoan worker`): no file is written, the page says the generation
stopped half-way once its lock is free and its beat old (and stops polling), and the next
generation records it as failed and produces the files.

SQLite has no session locks and one writer: there the stall is seen by the beat alone
(test_flow.py covers generation itself on both)."""

from __future__ import annotations

import datetime as dt
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congdoan.core import worklocks
from congdoan.core.tests.support import build_world
from congdoan.core.tests.workers import start_worker
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import build_figures
from congdoan.reports import selectors, services
from congdoan.reports.models import Generation, GenerationState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a worker in another process needs PostgreSQL"
)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _wait(condition: Any, seconds: float = 60.0, step: float = 0.01) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return False


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_killed_worker_leaves_no_file_and_the_next_generation_goes_through(
    transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    year = build_figures(world, period_open(actor=None, kind=PeriodKind.YEAR, year=2024))
    services.template_save(actor=world.officer_a, unit=world.unit_a, place="Thử Nghiệm")
    report = services.report_create(actor=world.officer_a, unit=world.unit_a, period=year)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gen = services.generation_start(actor=world.officer_a, report=report)
    worker = start_worker(tmp_path)
    try:
        # Kill it once it is past reading the figures, before the files are saved.
        started = _wait(
            lambda: (
                Generation.objects.get(pk=gen.pk).progress >= 10
                and worklocks.held_elsewhere(selectors.GENERATION_LOCKS, gen.pk)
            )
        )
        log = (tmp_path / "worker.log").read_text(errors="replace")[-600:]
        assert started, f"the worker never took the generation: {log}"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    gen.refresh_from_db()
    assert gen.state == GenerationState.RUNNING, "it finished before it was killed"
    assert not (gen.docx or gen.pdf or gen.xlsx) and _files(tmp_path / "media") == []
    assert _wait(lambda: not worklocks.held_elsewhere(selectors.GENERATION_LOCKS, gen.pk), 30)
    assert not selectors.generation_stalled(gen)  # it beat a moment ago
    later = timezone.now() + selectors.STALL_AFTER + dt.timedelta(seconds=1)
    assert selectors.generation_stalled(gen, now=later)

    # Its page says so and stops polling.
    Generation.objects.filter(pk=gen.pk).update(
        heartbeat_at=timezone.now() - 2 * selectors.STALL_AFTER
    )
    client = Client()
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "dừng giữa chừng" in page
    status = client.get(reverse("reports:generation_status", args=[gen.pk]))
    assert (
        "dừng giữa chừng" in status.content.decode() and "hx-trigger" not in status.content.decode()
    )

    # The next generation records it as failed and goes through.
    settings.TASKS = IMMEDIATE
    again = services.generation_start(actor=world.officer_a, report=report)
    gen.refresh_from_db()
    assert gen.state == GenerationState.FAILED and "dừng giữa chừng" in gen.error
    assert Generation.objects.get(pk=again.pk).state == GenerationState.DONE
    assert len(_files(tmp_path / "media")) == 3  # DOCX, PDF, XLSX of the new version
