"""Run services as if it were another day: targets close once their period is over
(`services.require_targets_open`), so tests that assign the targets of a past period assign them
while it ran, as officers do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock


@contextmanager
def on(day: dt.date, hour: int = 9) -> Iterator[None]:
    """`django.utils.timezone.now` (and so `localdate`) answers `day` at `hour` UTC."""
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def assign_target(**kwargs: Any) -> Any:
    """`services.target_set` on the first day of the target's period (while it runs)."""
    from congdoan.indicators import services

    with on(kwargs["period"].start):
        return services.target_set(**kwargs)
