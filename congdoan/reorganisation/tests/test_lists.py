"""Query budgets of the list pages and API lists: the number of queries does not grow with rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.core.tests.support import unit_type
from congdoan.reorganisation.services import NewUnit, reorg_create
from congdoan.reorganisation.tests.helpers import csv_bytes, row


def make_events(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        reorg_create(
            actor=world.officer_a,
            new=NewUnit(
                code=f"N{i}",
                name=f"CĐCS mới {i}",
                unit_type=unit_type("cdcs"),
                parent=world.unit_a,
            ),
            day=dt.date(2025, 7, 1),
        )


def make_plans(world, n: int) -> None:
    from congdoan.reorganisation.plans import plan_upload

    for _ in range(n):
        plan_upload(
            actor=world.officer_a,
            filename="p.csv",
            data=csv_bytes([row("Đổi tên – cập nhật", "A2", name="CĐCS Hai mới")]),
        )


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "reorganisation:event_list",
        "api:reorganisation-event-list",
        "reorganisation:plan_list",
        "api:reorganisation-plan-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(world, client_of, name):
    client = client_of("officer_a")
    url = reverse(name)
    make_events(world, 2, 0)
    make_plans(world, 2)
    few = count(client, url)
    make_events(world, 8, 10)
    make_plans(world, 8)
    assert count(client, url) <= few
    assert few <= 15
