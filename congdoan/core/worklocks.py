"""Locks that say a background task is working on something (a member import, a report).

While a worker runs the task it holds a PostgreSQL session lock on (space, id). The server frees
it when the worker's connection dies (the process killed, the machine restarted), so "nobody
holds the lock and the last beat is old" means the task stopped half-way — seen as stalled by
the pages, which then offer to run it again or start a new one. A second task for the same
thing finds the lock taken and leaves it. SQLite (one machine, one writer) has no such locks:
there the beat alone decides.

Spaces: 7301 member imports (members/imports/jobs.py), 7302 the tree's structure (an
transaction lock, organisation/services/tree.py), 7303 report generations (reports/services.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection, transaction


@contextlib.contextmanager
def held(space: int, key: int) -> Iterator[bool]:
    """Hold (space, key) while the block runs; yields False when another session holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [space, key])
        mine = bool(cursor.fetchone()[0])
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [space, key])


def held_elsewhere(space: int, key: int) -> bool:
    """Whether another session holds (space, key) now (never on SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [space, key])
        return not cursor.fetchone()[0]
