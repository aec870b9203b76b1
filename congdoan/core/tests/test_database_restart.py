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

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from congdoan.core.backup import _pg_target, _pg_tool

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="restarts a PostgreSQL server"),
    pytest.mark.django_db,
]
PG = str(Path(__file__).resolve().parents[3] / "scripts" / "pg.sh")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def _wait(check, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def server(tmp_path: Path):
    """A PostgreSQL server of its own holding a copy of the test database; its URL and dir."""
    pg_dir = Path(f"/tmp/congdoan-pg-{uuid.uuid4().hex[:12]}")  # noqa: S108 (the server's user reaches it)
    url = subprocess.run(
        [PG, "start", str(pg_dir)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        source, env = _pg_target()
        dump = tmp_path / "db.dump"
        subprocess.run(
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                f"--dbname={source}",
            ],
            check=True,
            env=env,
            capture_output=True,
        )
        subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                f"--dbname=host={pg_dir} user=postgres dbname=congdoan",
                str(dump),
            ],
            check=True,
            capture_output=True,
        )
        yield url, pg_dir
    finally:
        subprocess.run([PG, "stop", str(pg_dir)], check=False, capture_output=True)


def test_the_app_and_the_worker_carry_on_after_a_restart(server, tmp_path: Path):
    url, pg_dir = server
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "congdoan.settings",
        "CONGDOAN_VAR_DIR": str(tmp_path / "var"),
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "db",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "congdoan.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        env=env,
        stdout=(logs / "app.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "congdoan.cli",
            "worker",
            "--interval",
            "0.2",
            "--no-startup-delay",
            "--no-reload",
        ],
        env=env,
        stdout=(logs / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        assert _wait(lambda: _status(health) == 200, 60), (logs / "app.log").read_text()
        assert [_status(health) for _ in range(10)] == [200] * 10  # both workers connected

        subprocess.run([PG, "restart", str(pg_dir)], check=True, capture_output=True)
        time.sleep(1.0)  # the task worker polls meanwhile and loses its connection

        # Once the server is back, every answer is right: no stale connection is used.
        assert _wait(lambda: _status(health) == 200, 30)
        assert [_status(health) for _ in range(20)] == [200] * 20
        assert worker.poll() is None, (logs / "worker.log").read_text()

        task_id = _enqueue(env)
        assert _wait(lambda: _task_status(pg_dir, task_id) == "SUCCESSFUL", 60), (
            _task_status(pg_dir, task_id),
            (logs / "worker.log").read_text(),
        )
    finally:
        for process in (app, worker):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


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
