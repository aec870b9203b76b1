"""`congdoan worker`: the background task worker (django-tasks' `db_worker`, same options) that
outlives a database restart.

`db_worker` exits on the first database error while it polls the queue; when PostgreSQL
restarts (an upgrade, a failover) every worker would be gone until someone starts them again.
This command runs it again after a pause that doubles up to 30 s, and says so in the log, so
the queue is worked again as soon as the database answers. A task that was running when the
database went away fails as it would anyway; its job pages say so (member imports can be run
again, see members/imports/jobs.py).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("congdoan.worker")
LONGEST_PAUSE = 30.0


class Command(db_worker.Command):
    help = "Run the background task worker; it waits for the database when it is unavailable."

    def handle(self, *args: Any, **options: Any) -> None:
        pause = 1.0
        while True:
            started = time.monotonic()
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as exc:
                if time.monotonic() - started > 60:
                    pause = 1.0  # it had been working: start the back-off again
                logger.warning("Database unavailable (%s); trying again in %.0f s.", exc, pause)
                with contextlib.suppress(Exception):  # a dead connection may refuse to close
                    connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
