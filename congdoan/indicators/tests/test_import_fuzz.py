"""Fuzzing the figures upload (issue 16, "hypothesis fuzzing of every importer"): whatever a
filled template holds — any text or number in the figure cells, the unit code column or the row of
codes (control characters, formulas, huge numbers, dates, very long text) — or whatever bytes are
sent instead of a workbook, `import_figures` answers with an `ImportResult`, never an unexpected
exception; a result with errors changed no figure, and a file imported without errors changes
nothing when imported again."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import pytest
import xlsxwriter
from django.db import connection
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from congdoan.indicators import excel, services
from congdoan.indicators.models import PeriodKind, Total, Value
from congdoan.indicators.periods import period_open
from congdoan.members.tests.files import damaged_xlsx

pytestmark = pytest.mark.django_db

NASTY = st.sampled_from(
    [
        "", " ", "=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "-", "99999999999999999999999",
        "1e400", "1e1000000", "1e-1000000", "-1e999999999", "NaN", "sNaN", "Infinity", "-0",
        "0,005", "1.234.567", "2.500.000,00", "12,5", "1,2,3", "1..2", "١٢٣", "1_000", "½",
        "31/02/2025", "2025-13-01", "00/00/0000", "A1", "a1", " A2 ", "HA", "B1", "TN",
        "#ma_don_vi", "#ten_don_vi", "Mã đơn vị", "phat_trien_dv", "Có", "x" * 5000,
        "\x00\x01\x1b", "A1\x00", "Nguyễn Thị Hoà", "Nguye\u0302\u0303n",
        "<script>alert(1)</script>", "Công ty & <Sông Đà>", "\u202e", "😀", "\u00a0",
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
    FLOATS | st.sampled_from([60.0, 45000.5, -5.0, 1e15, -1e300]),
    st.sampled_from(["dd/mm/yyyy", "hh:mm", "[h]:mm"]),
)
CELLS = st.one_of(NASTY, st.text(max_size=60), st.integers(), FLOATS, DATED)
KEEP = None  # a unit code cell left as the template has it

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def _grid(data: bytes) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [list(r) for r in book.get_sheet_by_name(excel.DATA_SHEET).to_python()]


def _xlsx(rows: list[list[Any]]) -> bytes:
    """The grid written back as a user's Excel would: numbers as numbers, the rest as text."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(excel.DATA_SHEET)
    formats: dict[str, Any] = {}
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if isinstance(value, Dated):
                shown = formats.setdefault(
                    value.format, book.add_format({"num_format": value.format})
                )
                sheet.write_number(r, c, value.number, shown)
            elif number and math.isfinite(value) and abs(value) < 1e300:
                sheet.write_number(r, c, value)
            elif value not in ("", None):
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def _figures() -> tuple[list[Any], list[Any]]:
    """Every stored figure and total: equal before and after means nothing was written."""
    return (
        sorted(Value.objects.values_list("unit_id", "indicator_id", "value")),
        sorted(Total.objects.values_list("unit_id", "indicator_id", "value")),
    )


def _import(world: Any, year: Any, data: bytes, filename: str = "so-lieu.xlsx") -> Any:
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        data=data,
        filename=filename,
        children=True,
    )
    assert isinstance(result, excel.ImportResult)
    for error in result.errors:
        assert error.text  # every error can be said to the user
    return result


def _template(world: Any, year: Any) -> bytes:
    services.values_save(
        actor=world.national,
        unit=world.grass_a1,
        period=year,
        entries={"phat_trien_dv": 5, "tien_qua": "1.500.000"},
    )
    return excel.template_for(world.officer_a, world.unit_a, year, children=True)


def _mostly(sound: st.SearchStrategy[Any], nasty: st.SearchStrategy[Any]) -> Any:
    """`sound` seven times in ten, so that many files also get past the checks and are saved."""
    return st.integers(0, 9).flatmap(lambda n: sound if n < 7 else nasty)


CODES = _mostly(st.sampled_from([KEEP, KEEP, KEEP, "A1", "A2", "a1", " A2 "]), CELLS)
FIGURES = _mostly(st.integers(0, 10**6) | st.sampled_from(["", "7", "1.234", "12,5"]), CELLS)
ROWS = st.lists(
    st.tuples(CODES, st.dictionaries(st.integers(0, 1000), FIGURES, max_size=4)),
    min_size=1,
    max_size=3,
)
CODE_CELL = _mostly(st.none(), st.tuples(st.integers(0, 1000), CELLS))


def _beyond_sqlite(rows: list[tuple[Any, dict[int, Any]]]) -> bool:
    """On SQLite, Django reads a decimal back through a float of 15 significant digits: a figure
    with more digits (1.000.000.000.000.001) comes back changed, so the same file imported again
    rewrites it (a known limit of the engine, not of the importer; exact on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return False
    for _code, cells in rows:
        for value in cells.values():
            try:
                number = services.parse_number(value)
            except (ValueError, ArithmeticError):
                continue
            if number is not None and len(number.normalize().as_tuple().digits) > 15:
                return True
    return False


def test_any_cells_in_a_real_template(world, year):
    """The examples are what the fuzzing found: exponents beyond what Decimal computes
    (decimal.Overflow), figures of more than 15 digits (SQLite, see `_beyond_sqlite`), numbers
    formatted as durations or dates that calamine cannot convert (OverflowError, a Rust panic)."""
    grid = _grid(_template(world, year))
    codes = grid[excel.CODE_ROW]
    figures = len(codes) - len(excel.FIXED)
    assert figures > 0

    @FUZZ
    @given(rows=ROWS, code_cell=CODE_CELL)
    @example(rows=[(KEEP, {0: "1e1000000"}), ("A1", {1: "-1e999999999"})], code_cell=None)
    @example(rows=[(KEEP, {0: 1000000000000001.0})], code_cell=None)
    @example(rows=[(KEEP, {0: "12345678901234567"})], code_cell=None)
    @example(rows=[(KEEP, {0: Dated(1e15, "[h]:mm")})], code_cell=None)
    @example(rows=[(KEEP, {0: Dated(-1e300, "dd/mm/yyyy")})], code_cell=None)
    def run(rows: list[tuple[Any, dict[int, Any]]], code_cell: tuple[int, Any] | None) -> None:
        body = [list(r) for r in grid]
        if code_cell is not None:  # the hidden row of codes touched too
            col, value = code_cell
            body[excel.CODE_ROW][col % len(codes)] = value
        for i, (code, cells) in enumerate(rows, start=excel.FIRST_ROW):
            if i == len(body):
                body.append([""] * len(codes))
            if code is not KEEP:
                body[i][0] = code
            for col, value in cells.items():
                body[i][len(excel.FIXED) + col % figures] = value
        data = _xlsx(body)
        before = _figures()
        result = _import(world, year, data)
        if result.errors:
            assert _figures() == before  # all or nothing
            return
        if _beyond_sqlite(rows):
            return
        after = _figures()
        again = _import(world, year, data)  # the same file twice: nothing more changes
        assert again.ok and again.figures == 0, [e.text for e in again.errors]
        assert _figures() == after

    run()


@FUZZ
@given(
    data=st.binary(max_size=2000),
    filename=st.sampled_from(["f.xlsx", "f.XLSX", "f.csv", "f.xls", "f"]),
)
def test_any_bytes(world, year, data, filename):
    before = _figures()
    result = _import(world, year, data, filename)
    assert result.errors and _figures() == before


def test_a_damaged_template(world, year):
    """A real workbook with a few bytes changed or cut short (a broken download, a bad disk)."""
    template = _template(world, year)

    @FUZZ
    @given(
        changes=st.lists(
            st.tuples(st.integers(0, len(template) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=8,
        ),
        cut=st.none() | st.integers(0, len(template)),
    )
    def run(changes: list[tuple[int, int]], cut: int | None) -> None:
        data = bytearray(template)
        for at, byte in changes:
            data[at] = byte
        before = _figures()
        result = _import(world, year, bytes(data[:cut]))
        if result.errors:
            assert _figures() == before

    run()


@pytest.mark.parametrize("how", ["deflate", "header", "version", "name"])
@pytest.mark.parametrize("member", ["[Content_Types].xml", "xl/worksheets/sheet1.xml"])
def test_a_damaged_part(world, year, member, how):
    """What the fuzzing found: the file check (members' check_xlsx) let zlib.error, EOFError and
    NotImplementedError of a damaged archive through (and a ValueError of a bad offset)."""
    data = damaged_xlsx(_template(world, year), member, how)
    before = _figures()
    result = _import(world, year, data)
    assert [e.row for e in result.errors] == [None]
    assert "so-lieu.xlsx" in result.errors[0].message and _figures() == before
