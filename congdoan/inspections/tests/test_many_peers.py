"""A commune's dashboard ranks it among its province's thousands of communes: their subtrees are
read through the parent's one path range (`selectors.figures._covering`). The registers' figures
must be those of each unit read alone: nothing of the parent itself, of units beside the peers,
or of another parent's units."""

from __future__ import annotations

import datetime as dt

from congdoan.activities import services as activities
from congdoan.core.tests.support import MARKER_A, unit_type
from congdoan.indicators import selectors
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.selectors.figures import MANY_SIBLINGS, _covering
from congdoan.inspections import services
from congdoan.organisation import services as org

CODE = "khieu_nai"  # complaints resolved in the period, from the complaints register


def _complaints(unit, n: int) -> None:
    activities.keeping_start(actor=None, unit=unit, register="complaints", from_year=2025)
    for _ in range(n):
        services.complaint_create(
            actor=None, unit=unit, kind="complaint", received_on=dt.date(2025, 3, 1),
            summary="Đơn", resolved_on=dt.date(2025, 4, 1),
        )  # fmt: skip


def _unit(world, i: int):
    return org.unit_create(
        actor=None,
        parent=world.unit_a,
        code=f"AP{i}",
        name=f"CĐCS {MARKER_A} ngang {i}",
        short_name="",
        unit_type=unit_type("cdcs"),
        day=dt.date(2020, 1, 1),
    )


def test_covering_ranges():
    assert _covering(["0001", "00010002", "0002"]) == ["0001", "0002"]
    many = [f"0001{i:04d}" for i in range(1, MANY_SIBLINGS + 2)]
    assert _covering([*many, "00020001", "000100030001"]) == ["0001", "00020001"]
    few = many[:MANY_SIBLINGS]
    assert _covering(few) == few
    # A cluster's units among a province's thousands of children keep their own ranges.
    sparse = [f"0001{i * 100:04d}" for i in range(1, MANY_SIBLINGS + 2)]
    assert _covering(sparse) == sparse
    # Steps are base 36: "000A" is the 10th child, "0010" the 36th.
    assert _covering(["0001000A", *many]) == ["0001"]
    assert _covering(["00010010", *many]) == sorted([*many, "00010010"])


def test_many_peers_read_together_equal_each_read_alone(world):
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    peers = [_unit(world, i) for i in range(MANY_SIBLINGS + 3)]
    for i, unit in enumerate(peers):
        _complaints(unit, i % 3)
    _complaints(world.unit_a, 5)  # the parent's own records: no peer's
    _complaints(world.grass_a1, 7)  # beside the peers, under the same parent
    _complaints(world.grass_b1, 11)  # under another parent
    inds = list(Indicator.objects.filter(code=CODE))
    assert _covering([u.path for u in peers]) == [world.unit_a.path]  # read through the parent
    together = selectors.figures([u.pk for u in peers], period, inds)
    for i, unit in enumerate(peers):
        alone = selectors.unit_figures(unit.pk, period, inds)[CODE].value or 0
        assert (together[unit.pk][CODE].value or 0) == alone == i % 3, unit.code
