"""Real servers for the tests of faults and of the production layout (PostgreSQL only): a
PostgreSQL server of the test's own holding a copy of the test database, a streaming replica of
it, and the application served by gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from congdoan.core.backup import _pg_target, _pg_tool

PG = str(Path(__file__).resolve().parents[3] / "scripts" / "pg.sh")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (loopback)
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


def wait(check: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


def _server_dir() -> Path:
    return Path(f"/tmp/congdoan-pg-{uuid.uuid4().hex[:12]}")  # noqa: S108 (the server's user reaches it)


@contextmanager
def copy_of_test_database(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL server of its own holding a copy of the test database (what is committed):
    its URL and directory; stopped and removed afterwards."""
    pg_dir = _server_dir()
    url = subprocess.run(
        [PG, "start", str(pg_dir)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        source, env = _pg_target()
        dump = tmp_path / "db.dump"
        subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}",
             f"--dbname={source}"],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            [_pg_tool("pg_restore"), "--no-owner",
             f"--dbname=host={pg_dir} user=postgres dbname=congdoan", str(dump)],
            check=True, capture_output=True,
        )  # fmt: skip
        yield url, pg_dir
    finally:
        subprocess.run([PG, "stop", str(pg_dir)], check=False, capture_output=True)


@contextmanager
def streaming_replica(primary_dir: Path) -> Iterator[tuple[str, Path]]:
    """A real streaming replica of the server in `primary_dir` (pg_basebackup, hot standby)."""
    pg_dir = _server_dir()
    url = subprocess.run(
        [PG, "replica", str(primary_dir), str(pg_dir)], check=True, capture_output=True, text=True
    ).stdout.strip()
    try:
        yield url, pg_dir
    finally:
        subprocess.run([PG, "stop", str(pg_dir)], check=False, capture_output=True)


def app_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "congdoan.settings",
        "CONGDOAN_VAR_DIR": str(tmp_path / "var"),
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "db",
        **extra,
    }


def gunicorn(
    env: dict[str, str], port: int, log: Path, workers: int = 2
) -> subprocess.Popen[bytes]:
    """The production server on 127.0.0.1:`port`, its output in `log`."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "congdoan.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--no-control-socket"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def task_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`congdoan worker`, its output in `log`."""
    return subprocess.Popen(
        [sys.executable, "-m", "congdoan.cli", "worker", "--interval", "0.2",
         "--no-startup-delay", "--no-reload"],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
