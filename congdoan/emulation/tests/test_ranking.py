"""The ranking inside a cluster is consistent (hypothesis): ranks follow the totals, equal
totals share a rank, every unit has a row, and a unit's rank is one more than the number of
units with a higher total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congdoan.emulation.selectors import cluster_ranking, competition_ranks
from congdoan.emulation.tests.helpers import YEAR, scored
from congdoan.organisation.tests.url_cases import cluster_a

totals = st.dictionaries(
    st.integers(min_value=1, max_value=60),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
    max_size=30,
)


@given(totals)
def test_competition_ranks_are_consistent(by_unit: dict[int, Decimal | None]) -> None:
    ranks = competition_ranks(by_unit)
    assert set(ranks) == set(by_unit)
    scored_units = [u for u, v in by_unit.items() if v is not None]
    for u in by_unit:
        if by_unit[u] is None:
            assert ranks[u] is None
            continue
        higher = sum(1 for o in scored_units if by_unit[o] > by_unit[u])  # type: ignore[operator]
        assert ranks[u] == higher + 1
    for u in scored_units:
        for o in scored_units:
            if by_unit[u] == by_unit[o]:
                assert ranks[u] == ranks[o]
            elif by_unit[u] > by_unit[o]:  # type: ignore[operator]
                assert ranks[u] < ranks[o]  # type: ignore[operator]


@pytest.mark.django_db
def test_cluster_ranking_uses_the_latest_stage(world):
    scored(world, world.grass_a1, (10, 20, 30), ("self",))  # 60, self only
    scored(world, world.grass_a2, (20, 30, 50), ("self", "cluster", "final"))  # 100 final
    rows = cluster_ranking(cluster_a(world), YEAR)
    assert [(r.unit, r.rank, r.of, r.total, r.stage) for r in rows] == [
        (world.grass_a2, 1, 2, Decimal(100), "final"),
        (world.grass_a1, 2, 2, Decimal(60), "self"),
    ]
    assert len(rows) == 2 and rows[0].is_head is False and rows[1].is_head is True
