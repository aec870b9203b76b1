"""PostgreSQL restarted while the application runs: the production server (gunicorn, two worker
processes with persistent connections) and the task worker (`congdoan worker`) carry on without
anyone touching them.

The test starts its own PostgreSQL server (scripts/pg.sh) with a copy of the test database,
serves the application from it, restarts the server with a fast shutdown (every session cut, as
in a crash or a failover), and checks that the pages answer again once the server is back — no
error from a stale connection — and that the worker, which lost its connection while polling,
runs a task queued afterwards.
"""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from congdoan.core.tests.servers import (
    PG,
    app_env,
    copy_of_test_database,
    free_port,
    gunicorn,
    status,
    stop,
    task_worker,
    wait,
)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="restarts a PostgreSQL server"),
    pytest.mark.django_db,
]


def test_the_app_and_the_worker_carry_on_after_a_restart(tmp_path: Path):
    with copy_of_test_database(tmp_path) as (url, pg_dir):
        _restart_while_serving(tmp_path, url, pg_dir)


def _restart_while_serving(tmp_path: Path, url: str, pg_dir: Path) -> None:
    port = free_port()
    env = app_env(tmp_path, url)
    logs = tmp_path / "logs"
    logs.mkdir()
    app = gunicorn(env, port, logs / "app.log")
    worker = task_worker(env, logs / "worker.log")
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        assert wait(lambda: status(health) == 200, 60), (logs / "app.log").read_text()
        assert [status(health) for _ in range(10)] == [200] * 10  # both workers connected

        subprocess.run([PG, "restart", str(pg_dir)], check=True, capture_output=True)
        time.sleep(1.0)  # the task worker polls meanwhile and loses its connection

        # Once the server is back, every answer is right: no stale connection is used.
        assert wait(lambda: status(health) == 200, 30)
        assert [status(health) for _ in range(20)] == [200] * 20
        assert worker.poll() is None, (logs / "worker.log").read_text()

        task_id = _enqueue(env)
        assert wait(lambda: _task_status(pg_dir, task_id) == "SUCCESSFUL", 60), (
            _task_status(pg_dir, task_id),
            (logs / "worker.log").read_text(),
        )
    finally:
        stop(app, worker)


def _enqueue(env: dict[str, str]) -> str:
    code = "from congdoan.members.tasks import purge_import_files as t; print(t.enqueue().id)"
    out = subprocess.run(
        [sys.executable, "-m", "congdoan.cli", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return str(uuid.UUID(out.strip().splitlines()[-1]))


def _task_status(pg_dir: Path, task_id: str) -> str:
    with psycopg.connect(host=str(pg_dir), user="postgres", dbname="congdoan") as db:
        row = db.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id]
        ).fetchone()
    return row[0] if row else ""
