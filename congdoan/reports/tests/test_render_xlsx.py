"""The XLSX annex of a report, read back with python-calamine."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from congdoan.reports.document import Table
from congdoan.reports.render import render_annex_xlsx
from congdoan.reports.render.common import charts_label
from congdoan.reports.render.xlsx import sheet_name
from congdoan.reports.tests import samples

ANNEX_SHEET = "Phụ lục 1. Kết quả thực hiện ch"  # the title cut to 31 characters


def book(**changes) -> CalamineWorkbook:
    data = render_annex_xlsx(samples.sample_document(**changes))
    return CalamineWorkbook.from_filelike(io.BytesIO(data))


def rows(wb: CalamineWorkbook, name: str) -> list[list]:
    return wb.get_sheet_by_name(name).to_python()


@pytest.fixture(scope="module")
def wb():
    return book()


def test_sheets(wb):
    assert wb.sheet_names == [ANNEX_SHEET, charts_label()]


def test_title_header_and_rows(wb):
    data = rows(wb, ANNEX_SHEET)
    assert data[0][0] == samples.annex_table().title
    assert data[2] == samples.ANNEX_COLUMNS
    first = data[3]
    assert first[0] == samples.TRICKY_UNIT  # "&", "<b>" and quotes kept
    assert first[1:] == [120.0, 10.0, 10.0, 100.0, 0.0, 1_250_000.0, 1.0]
    assert all(isinstance(v, float) for line in data[3:43] for v in line[1:])
    assert len(data[3:43]) == samples.ANNEX_ROWS


def test_total_row_numbers_read_from_its_text(wb):
    total = rows(wb, ANNEX_SHEET)[3 + samples.ANNEX_ROWS]
    assert total[0] == "Tổng cộng"
    assert total[6] == 2_481_650_000.0  # "2.481.650.000"
    assert total[4] == 295.0  # "295,0"


def test_note_under_the_table(wb):
    data = rows(wb, ANNEX_SHEET)
    assert data[-1][0].startswith("Số liệu chưa duyệt: 3 đơn vị.")


def test_layout_of_the_sheet():
    data = render_annex_xlsx(samples.sample_document())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        drawings = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert 'xSplit="1" ySplit="3"' in sheet and 'topLeftCell="B4"' in sheet  # frozen panes
    assert "<cols>" in sheet  # widths set
    assert 'formatCode="#,##0"' in styles
    assert len(drawings) == 2  # a native chart per Document.charts entry


def test_charts_sheet_holds_the_data(wb):
    data = rows(wb, charts_label())
    assert data[0][0] == "Kết nạp đoàn viên theo quý"
    assert data[1][:3] == ["người", "Chỉ tiêu", "Thực hiện"]
    assert data[2][:3] == ["Quý I", 160.0, 150.0]
    assert data[4][:3] == ["Quý III", 166.0, ""]  # no figure is no zero
    care = next(i for i, line in enumerate(data) if line[0].startswith("Kinh phí chăm lo"))
    assert data[care][0] == "Kinh phí chăm lo & hỗ trợ <đoàn viên>"
    assert data[care + 2][:2] == ["LĐLĐ thị xã Sa Pa", 2_481_650_000.0]


def test_text_that_looks_like_a_formula_stays_text():
    table = Table("Bảng", ["Đơn vị", "Số"], [["=SUM(A1:A2)", "1.234"]], values=[[None, None]])
    data = render_annex_xlsx(samples.sample_document(annex=[table], charts=[]))
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert wb.sheet_names == ["Bảng"]
    assert rows(wb, "Bảng")[3] == ["=SUM(A1:A2)", "1.234"]  # None in values: kept as text


def test_table_without_values_parses_its_figures():
    table = Table("Bảng", ["Đơn vị", "Số", "Tỷ lệ"], [["A", "2.481.650.000", "110%"]])
    data = render_annex_xlsx(samples.sample_document(annex=[table], charts=[]))
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert rows(wb, "Bảng")[3] == ["A", 2_481_650_000.0, "110%"]


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_name("Phụ lục [1]: a/b\\c*d?e", taken) for _ in range(3)]
    names.append(sheet_name("x" * 40, taken))
    names.append(sheet_name("x" * 40, taken))
    assert names[0] == "Phụ lục 1 a b c d e"
    assert names[1:3] == ["Phụ lục 1 a b c d e (2)", "Phụ lục 1 a b c d e (3)"]
    assert names[3] == "x" * 31 and names[4] == "x" * 27 + " (2)"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_big_values_and_decimals():
    table = Table(
        "Bảng",
        ["Đơn vị", "Số"],
        [["A", "12,5"], ["B", "x"]],
        values=[[None, Decimal("12.5")], [None, None]],
    )
    data = render_annex_xlsx(samples.sample_document(annex=[table], charts=[]))
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert [r[1] for r in rows(wb, "Bảng")[3:5]] == [12.5, "x"]


def test_same_document_same_values():
    first, second = book(), book()
    assert first.sheet_names == second.sheet_names
    for name in first.sheet_names:
        assert rows(first, name) == rows(second, name)
