"""The standard world (support.build_world), built once per test process and put back for each
test that asks for it.

Building it goes through the services (tree, versions, members, their spells, words and
summaries, users and grants): about 200 queries, a quarter of a second on PostgreSQL, for some
2,000 tests. The first build records which rows it added or changed, table by table; every later
test has those rows written back in bulk (a few dozen statements) and gets a fresh copy of the
Python objects. Each test still runs in its own transaction, rolled back at its end, so the
rows put back disappear with it like rows built by the services would.

The record is valid while the database a test starts from stays the same. A transactional test
(live server, browser, second writer) empties every table and seeds the catalogues again with new
keys, so it drops the record (`forget`), and the next test builds the world again. A test whose
own rows collide with the recorded keys gets a world built for it too.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from congdoan.core.tests.support import World, build_world


@dataclass
class _Change:
    model: Any
    rows: list[Any]  # instances to insert (keys included): rows added, and rows changed
    deleted: list[Any]  # keys of rows removed or changed, deleted before the insert


_record: list[_Change] | None = None
_pristine: World | None = None


def _models() -> list[Any]:
    from django.apps import apps

    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def every_row() -> dict[Any, dict[Any, tuple]]:
    """Every row of every table, by key (a composite key is a tuple)."""
    state = {}
    for model in _models():
        names = [f.attname for f in model._meta.concrete_fields]
        keys = [names.index(f.attname) for f in model._meta.pk_fields]
        state[model] = {
            (row[keys[0]] if len(keys) == 1 else tuple(row[i] for i in keys)): row
            for row in model._base_manager.values_list(*names)
        }
    return state


def _diff(before: dict[Any, dict[Any, tuple]], after: dict[Any, dict[Any, tuple]]) -> list[_Change]:
    changes = []
    for model, rows in after.items():
        old = before[model]
        new = [key for key, row in rows.items() if old.get(key) != row]
        gone = [key for key in old if key not in rows]
        if new or gone:
            names = [f.attname for f in model._meta.concrete_fields]
            changes.append(
                _Change(
                    model=model,
                    rows=[model.from_db("default", names, rows[key]) for key in new],
                    deleted=gone + [key for key in new if key in old],
                )
            )
    return changes


def _write_back(changes: list[_Change]) -> None:
    for change in changes:
        manager = change.model._base_manager
        if change.deleted:
            manager.filter(pk__in=change.deleted)._raw_delete(manager.db)
        if change.rows:
            manager.bulk_create(copy.deepcopy(change.rows))


def world() -> World:
    """The standard world for one test (inside the test's transaction)."""
    global _record, _pristine
    from django.db import IntegrityError, transaction

    if _record is not None and _pristine is not None:
        try:
            with transaction.atomic():
                _write_back(_record)
            return copy.deepcopy(_pristine)
        except IntegrityError:
            pass  # the test's own rows took some of the recorded keys: build it for this test
    before = every_row()
    built = build_world()
    _record = _diff(before, every_row())
    _pristine = copy.deepcopy(built)
    return built


def forget() -> None:
    """The database tests start from has changed (a transactional test emptied it)."""
    global _record, _pristine
    _record = _pristine = None
