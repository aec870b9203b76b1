"""The production layout beyond one machine, for real: a PostgreSQL primary, a streaming replica
started by the test (pg_basebackup), and two application servers (gunicorn) using both
(core/replicas.py).

What is shown, with the replica's replay paused so that it is visibly behind:
- the statistics page reads from the replica: an officer who wrote nothing sees the data as the
  replica has it, while a page that is not routed (the unit's page) already shows the primary's;
- read your writes: an officer who has just saved something sees the primary's data on the
  routed page, on the *other* app server too, until the replica has replayed their write;
- once replay resumes, everyone sees the new data;
- with the replica stopped, the routed pages still answer (from the primary), and writes never
  went to the replica (a hot standby refuses them).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from congdoan.core.tests.servers import (
    PG,
    app_env,
    copy_of_test_database,
    free_port,
    gunicorn,
    status,
    stop,
    streaming_replica,
    task_worker,
    wait,
)
from congdoan.core.tests.support import PASSWORD

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL replica"),
    pytest.mark.django_db(transaction=True),  # the world is committed, so the copy holds it
]
NEW_NAME = "CĐCS Tên Mới Sau Sáp Nhập"


def _sql(pg_dir: Path, query: str, params: list[object] | None = None) -> object:
    with psycopg.connect(host=str(pg_dir), user="postgres", dbname="congdoan") as db:
        row = db.execute(query, params or []).fetchone()
    return row[0] if row else None


def _caught_up(primary: Path, replica: Path) -> bool:
    position = _sql(primary, "SELECT pg_current_wal_lsn()::text")
    return bool(_sql(replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]))


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    login = f"{base}{reverse('accounts:login')}"
    session.get(login, timeout=30)
    answer = session.post(
        login,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def _page(session: requests.Session, url: str) -> str:
    answer = session.get(url, timeout=30)
    assert answer.status_code == 200, answer.text[:2000]
    return answer.text


def test_reads_go_to_the_replica_and_each_officer_sees_their_own_writes(world, tmp_path: Path):
    grass = world.grass_a1
    old_name = grass.name
    # The tests hash with MD5 for speed; the servers accept only their own hashers.
    world.officer_a.password = PBKDF2PasswordHasher().encode(PASSWORD, "replica-test-salt")
    world.officer_a.save(update_fields=["password"])
    with (
        copy_of_test_database(tmp_path) as (primary_url, primary),
        streaming_replica(primary) as (replica_url, replica),
    ):
        env = app_env(tmp_path, primary_url, DATABASE_REPLICA_URL=replica_url)
        logs = tmp_path / "logs"
        logs.mkdir()
        ports = [free_port(), free_port()]
        apps = [
            gunicorn(env, port, logs / f"app{i}.log", workers=1) for i, port in enumerate(ports)
        ]
        one, two = (f"http://127.0.0.1:{port}" for port in ports)
        try:
            for base in (one, two):
                assert wait(lambda b=base: status(f"{b}/healthz") == 200, 60), [
                    (logs / f"app{i}.log").read_text() for i in range(2)
                ]
            reader = _login(one, "officer_a")  # writes nothing after logging in
            writer = _login(one, "officer_a")
            stats = f"{reverse('members:stats')}?unit={world.unit_a.code}"
            unit_page = reverse("organisation:unit_detail", args=[grass.pk])
            assert old_name in _page(reader, one + stats)
            assert wait(lambda: _caught_up(primary, replica), 30)

            # The replica stops replaying; the unit is renamed on the primary.
            _sql(replica, "SELECT pg_wal_replay_pause()")
            _sql(
                primary,
                "UPDATE organisation_unit SET name = %s, short_name = %s WHERE id = %s"
                " RETURNING id",
                [NEW_NAME, NEW_NAME, grass.pk],
            )
            _sql(
                primary,
                "UPDATE organisation_unitversion SET name = %s, short_name = %s"
                " WHERE unit_id = %s RETURNING id",
                [NEW_NAME, NEW_NAME, grass.pk],
            )

            # The statistics come from the replica, on either server; the unit's page does not.
            for base in (one, two):
                page = _page(reader, base + stats)
                assert old_name in page and NEW_NAME not in page
            assert NEW_NAME in _page(reader, one + unit_page)

            # The writer saves something (here: the language) — a write on the primary, whose
            # position now travels with their browser: their statistics come from the primary,
            # on the other server too, while the replica is behind.
            answer = writer.post(
                f"{one}/i18n/setlang/",
                data={
                    "language": "vi",
                    "next": "/",
                    "csrfmiddlewaretoken": writer.cookies["csrftoken"],
                },
                timeout=30,
                allow_redirects=False,
            )
            assert answer.status_code == 302 and "congdoan_written" in answer.cookies
            for base in (one, two):
                assert NEW_NAME in _page(writer, base + stats)
            assert old_name in _page(reader, two + stats)  # the reader still on the replica

            # Replay resumes: everyone sees the new name.
            _sql(replica, "SELECT pg_wal_replay_resume()")
            assert wait(lambda: _caught_up(primary, replica), 30)
            assert NEW_NAME in _page(reader, two + stats)

            # The replica stops: the routed pages answer from the primary.
            subprocess.run([PG, "stop", str(replica)], check=True, capture_output=True)
            for base in (one, two):
                assert NEW_NAME in _page(reader, base + stats)
                assert NEW_NAME in _page(writer, base + stats)
            app_logs = "".join((logs / f"app{i}.log").read_text() for i in range(2))
            assert "read-only transaction" not in app_logs  # no write ever reached the replica
            assert not re.search(r"Traceback|Internal Server Error", app_logs), app_logs
        finally:
            stop(*apps)


def test_task_workers_on_several_hosts_share_the_queue(tmp_path: Path):
    """Two `congdoan worker` processes on one database queue (as on two hosts): every task runs,
    and runs once."""
    with copy_of_test_database(tmp_path) as (url, pg_dir):
        env = app_env(tmp_path, url)
        workers = [task_worker(env, tmp_path / f"worker{i}.log") for i in range(2)]
        try:
            code = (
                "from congdoan.members.tasks import purge_import_files as t\n"
                "for _ in range(30): print(t.enqueue().id)"
            )
            subprocess.run(
                [sys.executable, "-m", "congdoan.cli", "shell", "-c", code],
                env=env, check=True, capture_output=True,
            )  # fmt: skip

            def done() -> bool:
                return (
                    _sql(
                        pg_dir,
                        "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                        " WHERE status = 'SUCCESSFUL'",
                    )
                    == 30
                )

            assert wait(done, 60), [(tmp_path / f"worker{i}.log").read_text() for i in range(2)]
            runs = _sql(
                pg_dir,
                "SELECT array_agg(jsonb_array_length(worker_ids))"
                " FROM django_tasks_database_dbtaskresult",
            )
            assert runs == [1] * 30  # each task taken by one worker, once
            assert all(worker.poll() is None for worker in workers)
        finally:
            stop(*workers)
