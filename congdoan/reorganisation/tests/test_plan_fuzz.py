"""Fuzzing the reorganisation plan file (issue 16, "hypothesis fuzzing of every importer"): whatever
the file holds — any text or number in any cell under the plan's own headers, on the plan sheet
and the "Phân bổ" sheet (control characters, formulas, huge numbers, dates out of range, very long
text), or bytes that are no table at all — `plan_upload` stores a plan (INVALID with its errors,
or VALID with none) or refuses with a `RuleViolation`, never an unexpected exception; and it
changes no unit, member or event."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from typing import Any

import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congdoan.members.tests.files import damaged_xlsx
from congdoan.organisation.models import PlanStatus, ReorgPlan
from congdoan.reorganisation import plans
from congdoan.reorganisation.tests.helpers import HEADERS, row, snapshot, xlsx_bytes

pytestmark = pytest.mark.django_db

ASSIGN_HEADERS = [label for label, _aliases in plans.ASSIGN_COLUMNS.values()]

NASTY = st.sampled_from(
    [
        "", " ", "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "-", "99999999999999999999999",
        "1e400", "NaN", "-0", "0", "31/02/2025", "2025-13-01", "00/00/0000", "01/01/0001",
        "31/12/9999", "01/01/1900", "1/7/25", "A1", "a1", "HA", "B1", "A1;A2", "A1,,;", "TLD",
        "CĐCS", "cdcs", "to_cd", "Có", "x" * 5000, "Z" * 40, "\x00\x01\x1b", "A1\x00",
        "Nguyễn Thị Hoà", "Nguye\u0302\u0303n", "<script>alert(1)</script>",
        "Công ty & <Sông Đà>", "\u202e", "😀", "\u00a0", "a\nb", "a;b", "\"", "Thành lập",
    ]
)  # fmt: skip


@dataclass(frozen=True)
class Dated:
    """A number in a cell formatted as a date, a time or a duration."""

    number: float
    format: str

    def __str__(self) -> str:
        return repr(self.number)


FLOATS = st.floats(allow_nan=False, allow_infinity=False)
DATED = st.builds(
    Dated,
    FLOATS | st.sampled_from([60.0, 45839.0, 45000.5, -5.0, 1e15, -1e300]),
    st.sampled_from(["dd/mm/yyyy", "hh:mm", "[h]:mm"]),
)
CELLS = st.one_of(NASTY, st.text(max_size=60), st.integers(), FLOATS, DATED)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _mostly(sound: st.SearchStrategy[Any], nasty: st.SearchStrategy[Any] = CELLS) -> Any:
    """`sound` seven times in ten, so that many plans also get past the file checks."""
    return st.integers(0, 9).flatmap(lambda n: sound if n < 7 else nasty)


CODES = ["A1", "A2", "HA", "HB", "B1", "A1T1", "TN", "MOI1", "MOI2", "a1", "A1;A2", "MOI1; MOI2"]
OPERATIONS = [label for label, _aliases in plans.OPERATIONS.values()] + ["chuyen", "GIẢI THỂ"]
COLUMN_CELLS: dict[str, Any] = {
    "STT": CELLS,
    "Thao tác": _mostly(st.sampled_from(OPERATIONS)),
    "Mã đơn vị": _mostly(st.sampled_from(CODES)),
    "Tên đơn vị": _mostly(st.sampled_from(["", "CĐCS Mới", "LĐLĐ huyện Mới"])),
    "Tên viết tắt": _mostly(st.just("")),
    "Loại đơn vị": _mostly(st.sampled_from(["", "cdcs", "to_cd", "ldld_huyen", "CĐCS"])),
    "Mã đơn vị cấp trên / đơn vị nhận": _mostly(st.sampled_from(["", *CODES])),
    "Ngành": _mostly(st.just("")),
    "Loại hình": _mostly(st.just("")),
    "Ngày hiệu lực": _mostly(st.sampled_from(["01/07/2025", "", dt.date(2025, 7, 1)])),
    "Ghi chú": CELLS,
}
assert list(COLUMN_CELLS) == HEADERS
ROWS = st.lists(st.tuples(*COLUMN_CELLS.values()).map(list), min_size=1, max_size=4)
ASSIGN_ROWS = st.lists(
    st.lists(_mostly(st.sampled_from(["", "A1", "A2", "CDA0001", "A1T1"])), min_size=5, max_size=5),
    max_size=3,
)


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for cells in rows:
        writer.writerow(["" if c is None else str(c) for c in cells])
    return out.getvalue().encode("utf-8-sig")


def _write(book: Any, sheet: Any, rows: list[list[Any]]) -> None:
    formats: dict[str, Any] = {}

    def shown(number_format: str) -> Any:
        return formats.setdefault(number_format, book.add_format({"num_format": number_format}))

    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if isinstance(value, Dated):
                sheet.write_number(r, c, value.number, shown(value.format))
            elif isinstance(value, dt.date):
                moment = dt.datetime.combine(value, dt.time())
                sheet.write_datetime(r, c, moment, shown("dd/mm/yyyy"))
            elif number and math.isfinite(value) and abs(value) < 1e300:
                sheet.write_number(r, c, value)
            elif value not in ("", None):
                sheet.write_string(r, c, str(value))


def _xlsx(rows: list[list[Any]], assignments: list[list[Any]] | None) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    _write(book, book.add_worksheet(plans.MAIN_SHEET), rows)
    if assignments is not None:
        _write(book, book.add_worksheet(plans.ASSIGN_SHEET), assignments)
    book.close()
    return out.getvalue()


def _upload(
    world: Any, filename: str, data: bytes, *, actor: Any = None, **kwargs: Any
) -> ReorgPlan | None:
    """The stored plan, or None when refused with the service's own error; nothing changed."""
    before = snapshot()
    try:
        plan = plans.plan_upload(
            actor=actor or world.national, filename=filename, data=data, **kwargs
        )
    except plans.RuleViolation:
        plan = None
    assert snapshot() == before  # plan_upload changes no unit
    if plan is None:
        return None
    plan.refresh_from_db()  # what was stored reads back
    if plan.status == PlanStatus.VALID:
        assert not plan.errors and plan.effective_date is not None
    else:
        assert plan.status == PlanStatus.INVALID and plan.errors
        assert all(e["message"] for e in plan.errors)
    return plan


@FUZZ
@given(
    rows=ROWS,
    assignments=st.none() | ASSIGN_ROWS,
    kind=st.sampled_from(["csv", "xlsx"]),
    who=st.sampled_from(["national", "officer_a"]),
    effective_date=st.sampled_from([None, None, dt.date(2025, 7, 1), dt.date(1, 1, 1)]),
)
def test_any_cells_under_the_headers(world, rows, assignments, kind, who, effective_date):
    if kind == "csv":
        data = _csv([HEADERS, *rows])
    else:
        assign = None if assignments is None else [ASSIGN_HEADERS, *assignments]
        data = _xlsx([HEADERS, *rows], assign)
    _upload(
        world, f"ke-hoach.{kind}", data, actor=world.persona(who), effective_date=effective_date
    )


# A sound plan (each row passes on its own in the test world), of which hypothesis keeps some
# rows and spoils a few cells: the nasty values then reach the checks and the simulation.
SOUND = [
    ["1", "Thành lập", "MOI1", "CĐCS Mới", "CĐCS M", "cdcs", "HA", "", "", "01/07/2025", ""],
    ["2", "Đổi tên – cập nhật", "A2", "CĐCS Hai mới", "", "", "", "", "", "01/07/2025", ""],
    ["3", "Chuyển", "A1T1", "", "", "", "A2", "", "", "01/07/2025", "ghi chú"],
    ["4", "Giải thể", "B1", "", "", "", "", "", "", "01/07/2025", ""],
    ["5", "Sáp nhập", "A1", "", "", "", "A2", "", "", "01/07/2025", ""],
    ["6", "Chia tách", "A1", "", "", "", "MOI1;A2", "", "", "01/07/2025", ""],
]
LONG = st.sampled_from(["x" * 5000, "Z" * 33, "y" * 121, "q" * 301])
SPOILS = st.lists(
    st.tuples(st.integers(0, len(SOUND) - 1), st.integers(0, len(HEADERS) - 1), CELLS | LONG),
    max_size=3,
)


@FUZZ
@given(
    keep=st.lists(st.sampled_from(range(len(SOUND))), min_size=1, max_size=4, unique=True),
    spoils=SPOILS,
    kind=st.sampled_from(["csv", "xlsx"]),
)
@example(keep=[0, 1], spoils=[(1, 3, "x" * 5000), (0, 4, "y" * 121)], kind="csv")
@example(keep=[0], spoils=[(0, 2, "Z" * 33)], kind="xlsx")
@example(keep=[0, 5], spoils=[(0, 2, "MOI1; MOI2")], kind="csv")
@example(keep=[3], spoils=[(0, 9, Dated(1e15, "[h]:mm"))], kind="xlsx")
@example(keep=[3], spoils=[(0, 10, Dated(-1e300, "dd/mm/yyyy"))], kind="xlsx")
def test_a_sound_plan_with_a_few_cells_spoiled(world, keep, spoils, kind):
    """The examples are what the fuzzing found: names and codes longer than their columns
    (PostgreSQL refused them in the simulation), a second code on a "Thành lập" row (KeyError),
    numbers formatted as dates or durations that calamine cannot convert."""
    rows = [list(SOUND[i]) for i in sorted(keep)]
    for r, c, value in spoils:
        rows[r % len(rows)][c] = value
    data = _csv([HEADERS, *rows]) if kind == "csv" else _xlsx([HEADERS, *rows], None)
    _upload(world, f"ke-hoach.{kind}", data)


def test_a_csv_cell_beyond_the_csv_module_limit(world):
    """What the fuzzing of long cells led to: a cell of more than 128 KB (csv.field_size_limit)
    made the csv module raise csv.Error."""
    data = _csv(
        [HEADERS, ["1", "Giải thể", "B1", "", "", "", "", "", "", "01/07/2025", "x" * 200_000]]
    )
    plan = _upload(world, "p.csv", data)
    assert plan is not None and [e["row"] for e in plan.errors] == [None]
    assert "p.csv" in plan.errors[0]["message"]


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(str.encode)),
    filename=st.sampled_from(["p.csv", "p.txt", "p.xlsx", "p.XLSX", "p.xlsm", "p.xls", "p"]),
)
def test_any_bytes(world, data, filename):
    _upload(world, filename, data)


def test_a_damaged_workbook(world):
    """A real plan workbook with a few bytes changed or cut short."""
    workbook = xlsx_bytes([row("Chuyển", "A1", "A2")], [{"Mã đơn vị": "A1T1"}])

    @FUZZ
    @given(
        changes=st.lists(
            st.tuples(st.integers(0, len(workbook) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        ),
        cut=st.none() | st.integers(0, len(workbook)),
    )
    def run(changes: list[tuple[int, int]], cut: int | None) -> None:
        data = bytearray(workbook)
        for at, byte in changes:
            data[at] = byte
        _upload(world, "p.xlsx", bytes(data[:cut]))

    run()


@pytest.mark.parametrize("how", ["deflate", "header", "version", "name"])
@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_a_damaged_part(world, member, how):
    """What the fuzzing found: an unknown zip version (NotImplementedError) or a name that is not
    UTF-8 (UnicodeDecodeError) in the directory got past the file check."""
    data = damaged_xlsx(xlsx_bytes([row("Giải thể", "B1")]), member, how)
    plan = _upload(world, "p.xlsx", data)
    assert plan is not None and [e["row"] for e in plan.errors] == [None]
