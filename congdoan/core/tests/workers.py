"""A real task worker process on the test database (PostgreSQL), for the tests that kill it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection


def start_worker(tmp_path: Path) -> subprocess.Popen[bytes]:
    """`congdoan worker` on the test database, with `tmp_path` as its var directory; its log in
    tmp_path / "worker.log"."""
    url = urlsplit(os.environ["DATABASE_URL"])  # the same server, the test database
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}")),
        "CONGDOAN_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "db",
        "DJANGO_SETTINGS_MODULE": "congdoan.settings",
    }
    command = ["worker", "--interval", "0.1", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        [sys.executable, "-m", "congdoan", *command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("wb"),
    )
