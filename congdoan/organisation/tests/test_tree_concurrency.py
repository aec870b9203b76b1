"""Changes of the tree at the same moment are serialised (services/tree.py `_tree_lock`): the
second waits for the first and then checks the tree as the first left it. PostgreSQL only: SQLite
runs one writing transaction at a time by itself."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from congdoan.core.tests.support import build_world, unit_type
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]


def _at_once(first: Callable[[], Any], second: Callable[[], Any]) -> dict[str, Any]:
    """Run `first` in a transaction held open until `second` has started and is waiting."""
    inside, go = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def run_first() -> None:
        try:
            with transaction.atomic():
                outcome["first"] = first()
                inside.set()
                go.wait(10)
        except Exception as exc:  # reported by the test
            outcome["first"] = exc
        finally:
            inside.set()
            connection.close()

    def run_second() -> None:
        inside.wait(10)
        try:
            outcome["second"] = second()
        except Exception as exc:  # reported by the test
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for t in threads:
        t.start()
    inside.wait(10)
    threading.Timer(0.5, go.set).start()  # meanwhile the second waits on the lock
    for t in threads:
        t.join(30)
    return outcome


def _sound() -> None:
    """The materialised paths, depths and child counts agree (treebeard's own check)."""
    problems = Unit.objects.find_problems()
    assert all(not p for p in problems), problems


def test_two_officers_moving_the_same_unit():
    world_day = dt.date(2024, 3, 1)
    world = build_world()

    outcome = _at_once(
        lambda: org.unit_move(
            actor=world.national, unit=world.grass_a1, new_parent=world.unit_b, day=world_day
        ),
        lambda: org.unit_move(
            actor=world.national, unit=world.grass_a1, new_parent=world.province, day=world_day
        ),
    )
    assert isinstance(outcome["first"], Unit) and isinstance(outcome["second"], Unit), outcome
    _sound()
    moved = Unit.objects.get(pk=world.grass_a1.pk)
    province = Unit.objects.get(pk=world.province.pk)
    assert moved.parent_id == province.pk and moved.path.startswith(province.path)
    group = Unit.objects.get(pk=world.group_a1.pk)
    assert group.path.startswith(moved.path) and group.depth == moved.depth + 1


def test_a_move_and_a_dissolution_of_its_target():
    world = build_world()
    day = dt.date(2024, 3, 1)
    outcome = _at_once(
        lambda: org.unit_dissolve(
            actor=world.national, unit=world.unit_b, day=day, children_to=world.unit_a
        ),
        lambda: org.unit_move(
            actor=world.national, unit=world.grass_a2, new_parent=world.unit_b, day=day
        ),
    )
    assert isinstance(outcome["first"], Unit), outcome
    # The second checked the tree after the dissolution: its target no longer exists that day.
    assert isinstance(outcome["second"], Exception), outcome
    assert Unit.objects.get(pk=world.grass_a2.pk).parent_id == world.unit_a.pk
    _sound()


def test_units_created_under_one_parent_at_once_get_their_own_places():
    world = build_world()
    day = dt.date(2024, 3, 1)
    cdcs = unit_type("cdcs")

    def create(code: str) -> Callable[[], Any]:
        return lambda: org.unit_create(
            actor=world.national,
            parent=world.unit_a,
            code=code,
            name=f"CĐCS {code}",
            short_name=code,
            unit_type=cdcs,
            day=day,
        )

    outcome = _at_once(create("C1"), create("C2"))
    assert isinstance(outcome["first"], Unit) and isinstance(outcome["second"], Unit), outcome
    _sound()
    assert Unit.objects.get(pk=world.unit_a.pk).numchild == 4
