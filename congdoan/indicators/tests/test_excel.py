"""The Excel round trip of indicator figures: template, upload, errors, scope, all-or-nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.core.tests.support import MARKER_A
from congdoan.indicators import excel, services
from congdoan.indicators.models import Indicator, PeriodKind, Total, Value
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import assign_target

D = Decimal


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def sheet_rows(data: bytes, name: str = excel.DATA_SHEET) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


class Filled:
    """A template read back as a grid, edited like a user would, and written again."""

    def __init__(self, data: bytes):
        self.rows = [list(r) for r in sheet_rows(data)]
        self.codes = self.rows[excel.CODE_ROW]

    def col(self, code: str) -> int:
        return self.codes.index(code)

    def row(self, unit_code: str) -> int:
        """0-based index of a unit's row (Excel shows index + 1)."""
        return next(i for i, r in enumerate(self.rows) if r[0] == unit_code)

    def set(self, unit_code: str, code: str, value: Any) -> Filled:
        self.rows[self.row(unit_code)][self.col(code)] = value
        return self

    def get(self, unit_code: str, code: str) -> Any:
        return self.rows[self.row(unit_code)][self.col(code)]

    def add_row(self, cells: list[Any]) -> Filled:
        self.rows.append(cells + [""] * (len(self.codes) - len(cells)))
        return self

    def xlsx(self) -> bytes:
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet(excel.DATA_SHEET)
        for r, cells in enumerate(self.rows):
            for c, value in enumerate(cells):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif value not in ("", None):
                    sheet.write_string(r, c, str(value))
        book.close()
        return out.getvalue()


def letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)


def enter(world: Any, unit: Any, period: Any, **values: Any) -> None:
    services.values_save(actor=world.national, unit=unit, period=period, entries=values)


def total(unit: Any, period: Any, code: str) -> Decimal | None:
    row = Total.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return row.value if row else None


def upload(client: Any, unit: Any, period: Any, data: bytes, name: str, children: bool) -> Any:
    url = reverse("indicators:excel_upload", args=[unit.pk, period.pk])
    return client.post(
        url,
        {"file": SimpleUploadedFile(name, data), "children": "1" if children else "0"},
    )


# --- template --------------------------------------------------------------------------------


def test_template_of_the_children_is_prefilled(world, year):
    enter(world, world.grass_a1, year, phat_trien_dv=5, tien_qua="1.500.000")
    assign_target(
        actor=world.officer_a,
        unit=world.grass_a2,
        indicator=ind("phat_trien_dv"),
        period=year,
        value=12,
    )
    enter(world, world.grass_a2, year, phat_trien_dv=2)
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a2, year))

    data = excel.template_for(world.officer_a, world.unit_a, year, children=True)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == [excel.DATA_SHEET, excel.TARGET_SHEET, excel.GUIDE_SHEET]
    grid = Filled(data)
    title = grid.rows[0]
    assert "Năm 2024" in title[0] and world.unit_a.name in title[0]
    assert "01/01/2024" in title[3] and "31/12/2024" in title[3]
    assert grid.codes[:3] == [excel.CODE_UNIT, excel.CODE_NAME, excel.CODE_STATUS]
    assert grid.rows[excel.HEAD_ROW][:3] == ["Mã đơn vị", "Tên đơn vị", "Trạng thái"]
    column = grid.col("phat_trien_dv")
    assert grid.rows[excel.HEAD_ROW][column] == "Kết nạp đoàn viên mới (người)"
    # Every entered indicator, none derived; in catalogue order.
    entered = [i.code for i in services.indicators_for(world.grass_a1, year)]
    assert sorted(grid.codes[3:]) == sorted(entered)
    assert "dv_cuoi_ky" not in grid.codes
    # One row per child (by name), pre-filled; the submitted one says so.
    assert [r[0] for r in grid.rows[excel.FIRST_ROW :]] == ["A2", "A1"]
    assert grid.get("A1", "phat_trien_dv") == 5
    assert grid.get("A1", "tien_qua") == 1_500_000
    assert grid.get("A1", "sang_kien") == ""
    assert grid.get("A1", excel.CODE_STATUS) == "Đang nhập"
    assert grid.get("A2", excel.CODE_STATUS) == "Đã gửi"
    targets = sheet_rows(data, excel.TARGET_SHEET)
    a2 = next(r for r in targets if r[0] == "A2")
    assert a2[column] == 12
    guide = " ".join(r[0] for r in sheet_rows(data, excel.GUIDE_SHEET))
    assert "Để trống một ô là xóa số liệu" in guide


def test_template_of_one_unit_and_scope(world, year):
    data = excel.template_for(world.officer_a, world.grass_a1, year, children=False)
    assert [r[0] for r in Filled(data).rows[excel.FIRST_ROW :]] == ["A1"]
    # Officer B's view of the province's children holds only unit B.
    data = excel.template_for(world.officer_b, world.province, year, children=True)
    assert [r[0] for r in Filled(data).rows[excel.FIRST_ROW :]] == ["HB"]


def test_template_download(world, year, client_of):
    url = reverse("indicators:excel_template", args=[world.unit_a.pk, year.pk])
    response = client_of("officer_a").get(url + "?children=1")
    assert response.status_code == 200
    assert response["Content-Type"] == excel.XLSX
    assert 'filename="so-lieu-truc-thuoc-HA-nam-2024.xlsx"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert [r[0] for r in Filled(body).rows[excel.FIRST_ROW :]] == ["A2", "A1"]
    assert client_of("officer_b").get(url).status_code == 404
    # Officer A may not enter figures of the province itself (outside its subtree): 404 first.
    url = reverse("indicators:excel_template", args=[world.province.pk, year.pk])
    assert client_of("officer_a").get(url).status_code == 404


# --- upload ----------------------------------------------------------------------------------


def test_upload_saves_figures_and_rolls_up(world, year, client_of):
    enter(world, world.grass_a1, year, sang_kien=9, phat_trien_dv=1)
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A1", "phat_trien_dv", 3)
    grid.set("A1", "sang_kien", "")  # empty: removed
    grid.set("A2", "phat_trien_dv", "4")
    grid.set("A2", "tien_qua", "1.234")  # a number stored as text, Vietnamese thousands
    grid.set("A2", "gia_tri_lam_loi", "2.500.000,00")
    client = client_of("officer_a")
    response = upload(client, world.unit_a, year, grid.xlsx(), "so-lieu.xlsx", True)
    assert response.status_code == 200, response.content.decode()
    page = response.content.decode()
    assert 'id="excel-result"' in page and "alert-success" in page
    result = response.context["result"]
    assert (result.units, result.figures) == (2, 5)

    def value(unit: Any, code: str) -> Decimal | None:
        row = Value.objects.filter(unit=unit, period=year, indicator__code=code).first()
        return row.value if row else None

    assert value(world.grass_a1, "phat_trien_dv") == 3
    assert value(world.grass_a1, "sang_kien") is None
    assert value(world.grass_a2, "tien_qua") == D("1234")
    assert value(world.grass_a2, "gia_tri_lam_loi") == D("2500000")
    assert total(world.unit_a, year, "phat_trien_dv") == 7
    assert total(world.province, year, "phat_trien_dv") == 7
    assert total(world.unit_a, year, "sang_kien") is None
    history = Value.objects.get(unit=world.grass_a2, indicator__code="tien_qua").history.first()
    assert history.history_user == world.officer_a
    # The same file again changes nothing.
    response = upload(client, world.unit_a, year, grid.xlsx(), "so-lieu.xlsx", True)
    assert response.status_code == 200
    assert response.context["result"].figures == 0
    assert total(world.unit_a, year, "phat_trien_dv") == 7


def test_columns_are_found_by_their_codes(world, year):
    grid = Filled(excel.template_for(world.officer_a, world.grass_a1, year, children=False))
    grid.set("A1", "phat_trien_dv", 6)
    # Reorder the columns and rename the headers: the codes still place the figures.
    for r in grid.rows:
        r[3], r[4] = r[4], r[3]
    grid.rows[excel.HEAD_ROW] = [f"cột {i}" for i in range(len(grid.codes))]
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.grass_a1,
        period=year,
        data=grid.xlsx(),
        filename="a.xlsx",
        children=False,
    )
    assert result.ok, [e.text for e in result.errors]
    assert Value.objects.get(unit=world.grass_a1, indicator__code="phat_trien_dv").value == 6


def test_every_error_is_listed_and_nothing_is_saved(world, year, client_of):
    enter(world, world.grass_a1, year, phat_trien_dv=1)
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A2", "phat_trien_dv", 8)  # valid, but another cell is wrong
    grid.set("A1", "phat_trien_dv", "12,5")
    grid.set("A1", "suat_qua", -3)
    grid.set("A1", "sang_kien", "nhiều")
    grid.add_row(["A2", "", "", 1])  # the same unit twice
    grid.add_row(["ZZ9", "", "", 1])  # not a child of unit A
    grid.codes[-1] = "khong_co"  # an unknown code in the code row
    response = upload(client_of("officer_a"), world.unit_a, year, grid.xlsx(), "so-lieu.xlsx", True)
    assert response.status_code == 400
    errors = response.context["result"].errors
    a1 = grid.row("A1") + 1
    kn = letter(grid.col("phat_trien_dv"))
    found = {(e.row, e.column): e for e in errors}
    first = found[(a1, kn)]
    assert (first.file, first.field) == ("so-lieu.xlsx", "Kết nạp đoàn viên mới")
    assert "12,5" in first.message
    assert first.text.startswith(
        (
            f"File so-lieu.xlsx, row {a1}, column {kn} (Kết nạp",
            f"Tệp so-lieu.xlsx, dòng {a1}, cột {kn} (Kết nạp",
        )
    )
    assert (a1, letter(grid.col("suat_qua"))) in found
    assert "nhiều" in found[(a1, letter(grid.col("sang_kien")))].message
    last = len(grid.rows)
    assert "ZZ9" in found[(last, "A")].message
    duplicate = found[(last - 1, "A")]
    assert str(grid.row("A2") + 1) in duplicate.message
    unknown = found[(excel.CODE_ROW + 1, letter(len(grid.codes) - 1))]
    assert "khong_co" in unknown.message
    assert len(errors) == 6
    page = response.content.decode()
    assert 'id="excel-errors"' in page and "12,5" in page
    # Nothing changed.
    assert Value.objects.get(unit=world.grass_a1, indicator__code="phat_trien_dv").value == 1
    assert not Value.objects.filter(unit=world.grass_a2).exists()
    assert total(world.unit_a, year, "phat_trien_dv") == 1


def test_officer_b_cannot_upload_for_unit_a(world, year, client_of):
    client = client_of("officer_b")
    url = reverse("indicators:excel_upload", args=[world.unit_a.pk, year.pk])
    assert client.get(url).status_code == 404
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A1", "phat_trien_dv", 3)
    data = grid.xlsx()
    assert upload(client, world.unit_a, year, data, "a.xlsx", True).status_code == 404
    # The same rows sent for unit B: A's units are not below B, and their names do not leak.
    response = upload(client, world.unit_b, year, data, "a.xlsx", True)
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert {e.column for e in errors} == {"A"} and len(errors) == 2
    assert MARKER_A not in response.content.decode()
    assert not Value.objects.filter(unit__in=[world.grass_a1, world.grass_a2]).exists()


def test_officer_a_cannot_enter_for_a_unit_of_b(world, year):
    """A file for the province naming unit B, uploaded by officer A: outside its enter scope."""
    grid = Filled(excel.template_for(world.national, world.province, year, children=True))
    grid.set("HB", "phat_trien_dv", 1)
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.province,
        period=year,
        data=grid.xlsx(),
        filename="p.xlsx",
        children=True,
    )
    assert not result.ok
    assert not Value.objects.filter(unit=world.unit_b).exists()


def test_rows_of_submitted_sheets_are_refused(world, year):
    enter(world, world.grass_a1, year, phat_trien_dv=2)
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A2", "phat_trien_dv", 5)

    def run() -> excel.ImportResult:
        return excel.import_figures(
            actor=world.officer_a,
            unit=world.unit_a,
            period=year,
            data=grid.xlsx(),
            filename="s.xlsx",
            children=True,
        )

    # The submitted row unchanged: only A2 is saved.
    assert run().ok
    assert Value.objects.get(unit=world.grass_a2, indicator__code="phat_trien_dv").value == 5
    # Changed: refused, and nothing of the file is saved.
    grid.set("A1", "phat_trien_dv", 3)
    grid.set("A2", "phat_trien_dv", 6)
    result = run()
    assert [(e.row, e.column) for e in result.errors] == [(grid.row("A1") + 1, "A")]
    assert Value.objects.get(unit=world.grass_a1, indicator__code="phat_trien_dv").value == 2
    assert Value.objects.get(unit=world.grass_a2, indicator__code="phat_trien_dv").value == 5


def test_one_unit_file_takes_only_that_unit(world, year):
    grid = Filled(excel.template_for(world.officer_a, world.unit_a, year, children=True))
    grid.set("A1", "phat_trien_dv", 3)
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        data=grid.xlsx(),
        filename="x.xlsx",
        children=False,
    )
    assert {e.column for e in result.errors} == {"A"} and len(result.errors) == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("so-lieu.xls", b"\xd0\xcf\x11\xe0 old excel"),
        ("so-lieu.xlsx", b"PK\x03\x04 not really a zip"),
        ("so-lieu.csv", b"a;b"),
    ],
)
def test_wrong_files_are_refused(world, year, name, data):
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        data=data,
        filename=name,
        children=True,
    )
    assert len(result.errors) == 1
    assert result.errors[0].row is None and name in result.errors[0].message


def test_a_workbook_without_the_code_row_is_refused(world, year):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet("Sheet1").write_string(0, 0, "Mã đơn vị")
    book.close()
    result = excel.import_figures(
        actor=world.officer_a,
        unit=world.unit_a,
        period=year,
        data=out.getvalue(),
        filename="khac.xlsx",
        children=True,
    )
    assert len(result.errors) == 1 and excel.CODE_UNIT in result.errors[0].message


def test_upload_page(world, year, client_of):
    url = reverse("indicators:excel_upload", args=[world.unit_a.pk, year.pk])
    response = client_of("officer_a").get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "children=1" in page and 'type="file"' in page
    assert "<script" not in page.split("<main", 1)[1] and "style=" not in page.split("<main", 1)[1]
    assert client_of("officer_a").post(url, {"children": "1"}).status_code == 400


def test_a_figure_kept_from_before_the_data_sets_may_come_back_unchanged(world, year):
    """A grassroots union's figure of an indicator it no longer enters (entered before its data
    set said so) is pre-filled in its grey cell: the same figure uploaded is fine, another is
    refused."""
    import datetime as dt

    from congdoan.core.tests.support import unit_type
    from congdoan.organisation import services as org

    # A grassroots union directly under the province, next to its two district federations:
    # the file of the province's units below has the upper levels' columns too.
    grass = org.unit_create(
        actor=None,
        parent=world.province,
        code="PX",
        name="CĐCS trực thuộc tỉnh",
        short_name="",
        unit_type=unit_type("cdcs"),
        day=dt.date(2020, 1, 1),
    )
    enter(world, grass, year, phat_trien_dv=2)
    legacy = ind("thanh_lap_cdcs")
    assert legacy not in services.indicators_for(grass, year)
    Value.objects.create(
        sheet=services.sheet_for(grass, year), unit=grass, period=year, indicator=legacy, value=1
    )
    grid = Filled(excel.template_for(world.national, world.province, year, children=True))
    assert grid.get("PX", "thanh_lap_cdcs") == 1

    def run() -> excel.ImportResult:
        return excel.import_figures(
            actor=world.national,
            unit=world.province,
            period=year,
            data=grid.xlsx(),
            filename="s.xlsx",
            children=True,
        )

    grid.set("PX", "phat_trien_dv", 3)
    assert run().ok
    assert Value.objects.get(unit=grass, indicator=legacy).value == 1
    grid.set("PX", "thanh_lap_cdcs", 2)
    result = run()
    assert [e.column for e in result.errors] == [letter(grid.col("thanh_lap_cdcs"))]
    assert Value.objects.get(unit=grass, indicator=legacy).value == 1
