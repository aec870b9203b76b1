"""Property test: for random gradings (random unions, years, points and statuses), the list's
count per category equals a direct count of the gradings, and the derived indicators of each
unit equal a direct count of the confirmed gradings of its subtree; a parent's figure is the
sum of its children's."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.grading import selectors as grading
from congdoan.grading.models import Grading
from congdoan.grading.tests.helpers import MAXIMA, confirm, grade
from congdoan.indicators import selectors
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open

UNIONS = ("grass_a1", "grass_a2", "grass_b1")
YEARS = (2023, 2024)
SUBTREES = {
    "province": UNIONS,
    "unit_a": ("grass_a1", "grass_a2"),
    "unit_b": ("grass_b1",),
    **{name: (name,) for name in UNIONS},
}
points = st.fixed_dictionaries(
    {
        code: st.integers(0, 2 * limit).map(lambda n: Decimal(n) / 2)
        for code, limit in MAXIMA.items()
    }
)
gradings = st.dictionaries(
    st.tuples(st.sampled_from(UNIONS), st.sampled_from(YEARS)),
    st.tuples(points, st.booleans()),
    max_size=6,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(gradings)
def test_category_counts_and_indicators_are_direct_counts(world, rows):
    with transaction.atomic():
        made = []
        for (name, year), (scores, confirmed) in rows.items():
            g = grade(getattr(world, name), year, scores=scores)
            made.append((name, confirm(g) if confirmed else g))
        for year in YEARS:
            qs = grading.filter_gradings(grading.gradings_visible(world.national), year=year)
            listed = {c.rank: c.count for c in grading.category_counts(qs)}
            direct = Counter(g.category.rank for _, g in made if g.year == year)
            assert listed == {rank: direct.get(rank, 0) for rank in (1, 2, 3, 4)}
        period = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
        names = list(SUBTREES)
        figs = selectors.figures([getattr(world, n).pk for n in names], period)
        for name in names:
            counted = [g for n, g in made if n in SUBTREES[name] and g.year == 2024 and g.confirmed]
            got = figs[getattr(world, name).pk]
            assert (got["cdcs_danh_gia_so"].value or 0) == len(counted)
            good = sum(1 for g in counted if g.category.good_or_better)
            assert (got["cdcs_tot_so"].value or 0) == good
            for rank, code in enumerate(("cdcs_xuat_sac_so", "cdcs_ht_tot_so",
                                         "cdcs_hoan_thanh_so", "cdcs_khong_ht_so"), start=1):  # fmt: skip
                assert (got[code].value or 0) == sum(1 for g in counted if g.category.rank == rank)
        province, a, b = (figs[getattr(world, n).pk] for n in ("province", "unit_a", "unit_b"))
        assert (province["cdcs_danh_gia_so"].value or 0) == (a["cdcs_danh_gia_so"].value or 0) + (
            b["cdcs_danh_gia_so"].value or 0
        )
        assert Grading.objects.count() == len(rows)
        transaction.set_rollback(True)
