"""Fuzzing every register's importer (issue 16, "hypothesis fuzzing of every importer"): whatever
the file holds — any text in any cell under the register's own headers (control characters,
formulas, huge numbers, dates that are not dates, very long text), or bytes that are no table at
all — the check and the import answer with their own errors or a result, never an unexpected
exception, and a file with an error writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.activities import imports as im
from congdoan.activities.tests.import_helpers import csv_bytes, xlsx_bytes
from congdoan.core.exceptions import RuleViolation
from congdoan.members.imports.reading import ImportFileError
from congdoan.members.tests import files as member_files

pytestmark = pytest.mark.django_db


def _specs() -> dict[str, im.Spec]:
    from congdoan.care import imports as care
    from congdoan.grading import imports as grading
    from congdoan.initiatives import imports as initiatives
    from congdoan.inspections import imports as inspections
    from congdoan.movements import imports as movements
    from congdoan.welfare import imports as welfare

    return {
        "care": care.SPEC,
        "grading": grading.SPEC,
        "initiatives": initiatives.SPEC,
        "inspections": inspections.SPEC,
        "complaints": inspections.COMPLAINT_SPEC,
        "movement activities": movements.ACTIVITIES,
        "collective agreements": movements.AGREEMENTS,
        "welfare agreements": welfare.AGREEMENTS,
        "welfare uses": welfare.USES_SPEC,
    }


NASTY = st.sampled_from(
    [
        "", " ", "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "-", "99999999999999999999999",
        "1e400", "NaN", "-0", "31/02/2025", "2025-13-01", "00/00/0000", "A1", "HA", "B1",
        "Có", "không", "x" * 5000, "\x00\x01\x1b", "Nguyễn Thị Hoà", "Nguye\u0302\u0303n",
        "<script>alert(1)</script>", "Công ty & <Sông Đà>", "\u202e", "😀",
    ]
)  # fmt: skip
CELLS = st.one_of(
    NASTY, st.text(max_size=60), st.integers(), st.floats(allow_nan=False, allow_infinity=False)
)


def _clear(call: Any) -> Any:
    """A result, or one of the importer's own errors (said to the user); anything else fails."""
    try:
        return call()
    except (ImportFileError, RuleViolation):
        return None


@pytest.mark.parametrize("name", sorted(_specs()))
def test_any_cells_under_the_headers(name, world):
    spec = _specs()[name]
    headers = [c.header for c in spec.columns]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        rows=st.lists(st.lists(CELLS, min_size=len(headers), max_size=len(headers)), max_size=4),
        kind=st.sampled_from(["csv", "xlsx"]),
    )
    def run(rows: list[list[Any]], kind: str) -> None:
        data = (csv_bytes if kind == "csv" else xlsx_bytes)([headers, *rows])
        model = spec.record_model
        before = model.objects.count()
        checked = _clear(
            lambda: im.check(spec, f"f.{kind}", data, actor=world.officer_a, unit=world.unit_a)
        )
        done = _clear(
            lambda: im.run(spec, f"f.{kind}", data, actor=world.officer_a, unit=world.unit_a)
        )
        if checked is not None and checked.errors_total:
            assert model.objects.count() == before  # all or nothing
        assert done is None or done.errors_total or model.objects.count() >= before

    run()


@pytest.mark.parametrize("name", sorted(_specs()))
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2000), filename=st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f"]))
def test_any_bytes(name, world, data, filename):
    spec = _specs()[name]
    _clear(lambda: im.check(spec, filename, data, actor=world.officer_a, unit=world.unit_a))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.fixed_dictionaries({k: CELLS for k in member_files.DEFAULT_KEYS}), max_size=4),
    kind=st.sampled_from(["csv", "xlsx"]),
)
def test_the_member_importer_too(world, rows, kind):
    """The member file (members/imports): checked and committed through its jobs."""
    from congdoan.members.imports import jobs
    from congdoan.members.models import ImportStatus, Member

    writer = member_files.csv_bytes if kind == "csv" else member_files.xlsx_bytes
    before = Member.objects.count()
    job = _clear(
        lambda: jobs.job_create(
            actor=world.officer_a, unit=world.grass_a1, filename=f"f.{kind}", data=writer(rows)
        )
    )
    if job is None:
        return
    job = jobs.job_check(job.pk)
    assert job.status in (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.FAILED), job.status
    if job.status != ImportStatus.READY:
        assert Member.objects.count() == before
        return
    job = jobs.job_commit(job.pk, world.officer_a)
    assert job.status == ImportStatus.DONE, (job.status, job.message)
