"""An entry and a tree change at the same moment (PostgreSQL: SQLite runs one writer at a time).

The entry creates a total row that the tree change's refresh also creates. Without the period's
totals lock (`rollup.lock_totals`) the refresh, which read before the entry committed, fails on
the unique key or loses the entry; with it the refresh waits for the entry and both land.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from congdoan.core.tests.support import build_world
from congdoan.indicators import rollup, selectors, services
from congdoan.indicators.models import Indicator, PeriodKind, Value
from congdoan.indicators.periods import period_open
from congdoan.organisation import services as org

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


def in_thread(work: Callable[[], Any], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_entry_and_move_at_the_same_time():
    world = build_world()
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=timezone.localdate().year)
    # Only A1's subtree has the figure: moving A1 under B creates B's total row for it.
    services.values_save(
        actor=world.national, unit=world.grass_a1, period=period, entries={"suat_qua": 5}
    )
    entered, go = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def enter() -> None:
        with transaction.atomic():
            # B1's first figure creates B's total row too, not committed until `go`.
            services.values_save(
                actor=world.national, unit=world.grass_b1, period=period, entries={"suat_qua": 7}
            )
            entered.set()
            assert go.wait(30)

    def move() -> None:
        org.unit_move(
            actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=timezone.localdate()
        )

    entry = in_thread(enter, errors)
    assert entered.wait(30)
    mover = in_thread(move, errors)
    mover.join(1)
    assert mover.is_alive(), "the refresh waits for the entry's transaction"
    go.set()
    entry.join(30)
    mover.join(30)
    assert not entry.is_alive() and not mover.is_alive()
    assert errors == []

    assert rollup.differences(period) == []
    assert Value.objects.filter(period=period, indicator__code="suat_qua").count() == 2
    inds = list(Indicator.objects.filter(code="suat_qua"))
    figures = selectors.figures([world.unit_b.pk, world.unit_a.pk], period, inds)
    assert figures[world.unit_b.pk]["suat_qua"].value == 12
    assert figures[world.unit_a.pk]["suat_qua"].value in (None, 0)
