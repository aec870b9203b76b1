"""The initiatives file: imported all or nothing, errors by row and column, a second import
creates nothing; the template and the export read back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.activities.tests.import_helpers import csv_bytes, xlsx_bytes
from congdoan.core.tests.support import MARKER_A
from congdoan.initiatives.imports import SPEC
from congdoan.initiatives.models import Author, Initiative
from congdoan.initiatives.tests.helpers import initiative_a, phases, programme

pytestmark = pytest.mark.django_db
HEADER = [
    "Mã đơn vị", "Chương trình", "Tên sáng kiến", "Lĩnh vực", "Ngày đăng ký", "Kết quả",
    "Ngày quyết định", "Lý do", "Giá trị làm lợi (đồng)", "Số thẻ tác giả là đoàn viên",
    "Tác giả khác",
]  # fmt: skip


def _run(world, data: bytes, name: str = "sang-kien.csv") -> im.Result:
    return im.run(SPEC, name, data, actor=world.officer_a, unit=world.unit_a)


def _problems(result: im.Result) -> set[tuple[int | None, str]]:
    return {(p.row, p.column) for p in result.errors}


def test_initiatives_are_imported_once(world):
    prog = programme(world)
    data = csv_bytes(
        [
            HEADER,
            ["A1", "chuong trinh 1 trieu sang kien (thu nghiem)", "Băng chuyền & <tự động>",
             "ky thuat", "10/03/2024", "Hợp lệ", "02/05/2024", "", "120.000.000", "CDA0001",
             "Lò Văn Khách, Công ty X"],
            ["A2", "", "Sổ tay số", "chuyển đổi số", "05/02/2025", "", "", "", "", "",
             "Hà Thị Lan"],
        ]
    )  # fmt: skip
    result = _run(world, data)
    assert result.ok and result.committed and result.new == 2, result.errors
    first = Initiative.objects.get(title="Băng chuyền & <tự động>")
    assert (first.unit, first.status, first.benefit) == (
        world.grass_a1,
        "valid",
        Decimal(120_000_000),
    )
    assert first.phase == phases(prog)[0] and first.search_text == "bang chuyen & <tu dong>"
    assert [a.full_name for a in first.authors.all()] == [world.member_a.full_name, "Lò Văn Khách"]
    second = Initiative.objects.get(title="Sổ tay số")
    assert (second.programme, second.phase, second.status) == (prog, phases(prog)[1], "submitted")
    assert first.history.get().history_change_reason == "record_import"
    again = _run(world, data)
    assert (again.new, again.unchanged) == (0, 2) and Initiative.objects.count() == 2
    assert Author.objects.count() == 3


def test_a_file_with_errors_imports_nothing(world):
    programme(world)
    future = dt.date.today() + dt.timedelta(days=30)
    data = xlsx_bytes(
        [
            HEADER,
            ["A1", "", "Đúng", "khác", dt.date(2024, 3, 1), "", None, "", None, "", "Lò Văn A"],
            ["B1", "", "Ngoài", "khác", dt.date(2024, 3, 1), "", None, "", None, "", "Lò Văn B"],
            ["A1", "", "Tương lai", "khác", future, "", None, "", None, "", "Lò Văn C"],
            ["A1", "", "Loại", "khác", dt.date(2024, 3, 1), "bị loại", dt.date(2024, 4, 1), "",
             None, "", "Lò Văn D"],
            ["A1", "", "Thẻ lạ", "khác", dt.date(2024, 3, 1), "", None, "", None, "CDB0001", ""],
            ["A1", "", "Không tác giả", "khác", dt.date(2024, 3, 1), "", None, "", None, "", ""],
        ],
        sheet="Sáng kiến",
    )  # fmt: skip
    result = _run(world, data, "sk.xlsx")
    assert not result.committed and not Initiative.objects.exists()
    problems = _problems(result)
    assert (3, "Mã đơn vị") in problems
    assert (5, "Lý do") in problems
    assert (6, "Số thẻ tác giả là đoàn viên") in problems
    assert (7, "Số thẻ tác giả là đoàn viên") in problems
    assert any(r == 4 for r, _c in problems)
    assert not any(r == 2 for r, _c in problems)
    assert "BETA" not in " ".join(p.message for p in result.errors)


def test_template_and_export_read_back(world, client_of):
    initiative_a(world)
    c = client_of("officer_a")
    template = c.get(reverse("initiatives:import_template"))
    assert template.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert "Tên sáng kiến" in book.get_sheet_by_index(0).to_python()[0]
    export = c.get(reverse("initiatives:export"), {"status": "valid"})
    rows = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    text = " ".join(str(cell) for row in rows for cell in row)
    assert f"Sáng kiến {MARKER_A} cải tiến băng chuyền" in text and "CDA0001" in text
    assert MARKER_A not in " ".join(
        str(cell)
        for row in CalamineWorkbook.from_filelike(
            io.BytesIO(client_of("officer_b").get(reverse("initiatives:export")).content)
        )
        .get_sheet_by_index(0)
        .to_python()
        for cell in row
    )
