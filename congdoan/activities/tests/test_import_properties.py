"""Property tests of the import engine (issue 14, "re-import creates no duplicates"):

- all or nothing: a file with at least one bad cell writes nothing (records, keys, history);
  a file without one writes one record per distinct key;
- idempotent: importing the same file again creates nothing, every row counted unchanged.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.activities import imports as im
from congdoan.activities.models import ImportKey, Keeping
from congdoan.activities.tests.import_helpers import HEADER, csv_bytes, xlsx_bytes
from congdoan.activities.tests.import_spec import REGISTER_WORDS, SPEC

HistoricalKeeping = Keeping.history.model
UNITS = {"A1": "A1", "a2": "A2", "HA": "HA", "": "HA", "A1T1": "A1T1"}  # code → unit
WORDS = [(code, word) for code, words in REGISTER_WORDS.items() for word in words]
BAD_CELLS = [
    (0, "B1"),  # a unit outside the importing unit's subtree
    (0, "KHONGCO"),  # no such unit
    (1, "Thi đua"),  # not in the list
    (1, ""),  # required
    (2, "hai nghìn"),  # not a number
    (2, 1999),  # below the minimum
    (3, 1800),  # below the minimum
    (4, "x" * 41),  # too long
]


@st.composite
def files(draw: Any, *, allow_bad: bool = True) -> tuple[str, bytes, list[list[Any]], set[int]]:
    n = draw(st.integers(min_value=1, max_value=8))
    rows: list[list[Any]] = []
    for _ in range(n):
        code = draw(st.sampled_from(sorted(UNITS)))
        _register, word = draw(st.sampled_from(WORDS))
        year = draw(st.integers(min_value=2000, max_value=2030))
        rows.append([code, word, year, "", draw(st.sampled_from(["", "Ghi chú & <b>"]))])
    bad: set[int] = set()
    if allow_bad:
        for i in draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True)):
            col, value = draw(st.sampled_from(BAD_CELLS))
            rows[i][col] = value
            bad.add(i)
    kind = draw(st.sampled_from(["xlsx", "csv", "csv;"]))
    table = [HEADER, *rows]
    if kind == "xlsx":
        return "so.xlsx", xlsx_bytes(table), rows, bad
    return "so.csv", csv_bytes(table, sep=";" if kind == "csv;" else ","), rows, bad


def _counts() -> tuple[int, int, int]:
    return Keeping.objects.count(), ImportKey.objects.count(), HistoricalKeeping.objects.count()


def _keys(rows: list[list[Any]]) -> set[tuple[str, str]]:
    lookup = {w.casefold(): code for code, w in WORDS}
    return {(UNITS[r[0]], lookup[str(r[1]).casefold()]) for r in rows}


PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@PROPERTY
@given(file=files())
def test_import_is_all_or_nothing(world, file):
    name, data, rows, bad = file
    with transaction.atomic():
        before = _counts()
        result = im.run(SPEC, name, data, actor=world.officer_a, unit=world.unit_a)
        after = _counts()
        if bad:
            assert not result.committed and not result.ok
            assert after == before, "a refused file changed the register"
            assert {p.row for p in result.errors} == {i + 2 for i in bad}
        else:
            assert result.committed, result.errors[:3]
            created = len(_keys(rows))
            assert result.new == created and result.unchanged == len(rows) - created
            assert after == tuple(b + created for b in before)
        transaction.set_rollback(True)


@pytest.mark.django_db
@PROPERTY
@given(file=files(allow_bad=False))
def test_import_is_idempotent(world, file):
    name, data, rows, _bad = file
    with transaction.atomic():
        first = im.run(SPEC, name, data, actor=world.officer_a, unit=world.unit_a)
        assert first.committed
        kept = set(Keeping.objects.values_list("unit__code", "register"))
        assert kept == _keys(rows)
        before = _counts()
        again = im.run(SPEC, name, data, actor=world.officer_a, unit=world.unit_a)
        assert again.committed and again.new == 0 and again.unchanged == len(rows)
        assert _counts() == before
        transaction.set_rollback(True)
