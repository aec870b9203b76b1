"""Import and export of the inspections and complaints registers through the shared engine:
errors by row and column, all or nothing, a re-import creates nothing, exports mask who sent a
complaint and name no unit outside the exporter's scope, and import back unchanged."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.inspections.imports import COMPLAINT_SPEC, SPEC
from congdoan.inspections.models import Complaint, Inspected, Inspection
from congdoan.inspections.tests.helpers import complaint_a, inspection_a

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã đơn vị tiến hành", "Loại", "Chủ thể", "Phối hợp với", "Nội dung", "Số quyết định",
    "Ngày quyết định", "Từ ngày", "Đến ngày", "Mã đơn vị được kiểm tra", "Đơn vị ngoài hệ thống",
    "Kết luận",
]  # fmt: skip


def xlsx(rows: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    sheet = book.add_worksheet("Kiểm tra")
    for c, header in enumerate(headers):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


ROWS = [
    ["", "Kiểm tra chấp hành Điều lệ", "UBKT", "", f"Kiểm tra {MARKER_A}", "05/QĐ-UBKT",
     "01/03/2025", "10/03/2025", "20/03/2025", "A1; a2", "DN: Công ty A & B; CQ: Sở Y tế", "Tốt"],
    ["A1", "giam sat 217", "BCH", "MTTQ xã", "", "", "", "05/05/2025", "", "A1T1", "", ""],
]  # fmt: skip


def test_import_creates_inspections_with_their_units_and_a_reimport_nothing(world):
    data = xlsx(ROWS)
    result = im.run(SPEC, "kiem-tra.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert result.ok, result.errors
    assert result.new == 2 and Inspection.objects.count() == 2
    first = Inspection.objects.get(unit=world.unit_a)
    labels = sorted(t.label for t in first.targets.select_related("unit"))
    assert labels == sorted([world.grass_a1.name, world.grass_a2.name, "Công ty A & B", "Sở Y tế"])
    assert first.targets.get(name="Sở Y tế").outside_kind == "agency"
    assert "cong ty a & b" in first.search_text
    assert first.history.get().history_user == world.officer_a
    second = Inspection.objects.get(unit=world.grass_a1)
    assert (second.kind, second.body, second.partners) == ("party_217", "bch", "MTTQ xã")
    again = im.run(SPEC, "kiem-tra.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert again.new == 0 and again.unchanged == 2 and Inspection.objects.count() == 2


def test_errors_by_row_and_column_and_nothing_written(world):
    rows = [
        ["", "Kiểm tra chấp hành Điều lệ", "UBKT", "", "", "", "", "10/03/2025", "", "B1", "", ""],
        ["A2", "Kiểm tra tài chính", "UBKT", "", "", "", "", "10/03/2025", "", "A1", "", ""],
        ["", "Kiểm tra tài chính", "UBKT", "", "", "", "20/03/2025", "10/03/2025", "", "", "", ""],
        ["", "Kiểm toán", "UBKT", "", "", "", "", "10/03/2025", "", "A1", "", ""],
    ]  # fmt: skip
    result = im.run(SPEC, "kiem-tra.xlsx", xlsx(rows), actor=world.officer_a, unit=world.unit_a)
    assert not result.ok and Inspection.objects.count() == 0
    found = {(p.row, p.column) for p in result.errors}
    assert (2, "Mã đơn vị được kiểm tra") in found  # B1: outside the officer's scope
    assert (3, "Mã đơn vị được kiểm tra") in found  # A1 is not below A2
    assert (4, "Ngày quyết định") in found
    assert (5, "Loại") in found
    assert "BETA" not in " ".join(p.message for p in result.errors)


def test_export_names_only_what_the_exporter_conducted_and_imports_back(world, client_of):
    inspection_a(world)
    response = client_of("officer_a").get(reverse("inspections:export"))
    assert response.status_code == 200
    data = response.content
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    text = str(sheet)
    assert "A1; A2" in text and "DN: Công ty TNHH Hòa Bình" in text
    again = im.run(SPEC, "xuat.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert again.ok and again.new == 0 and Inspection.objects.count() == 1
    officer_a2 = make_user("officer_a2", "federation_admin", world.grass_a2)
    c = client_of("officer_a")
    c.force_login(officer_a2)
    text = str(c.get(reverse("inspections:export")).content)
    assert "ALPHA" not in text and Inspected.objects.count() == 3


def test_complaints_import_and_export_mask_the_sender(world, client_of):
    headers = ["Loại đơn", "Ngày tiếp nhận", "Người gửi", "Nội dung", "Ngày giải quyết"]
    rows = [["Tố cáo", "01/04/2025", "Trần Thị Gửi", "Tố cáo chi sai", "15/04/2025"],
            ["Khiếu nại", "01/04/2025", "", "Khiếu nại", "15/03/2025"]]  # fmt: skip
    result = im.run(COMPLAINT_SPEC, "don.xlsx", xlsx(rows, headers), actor=world.officer_a,
                    unit=world.unit_a)  # fmt: skip
    assert not result.ok and {(p.row, p.column) for p in result.errors} == {(3, "Ngày giải quyết")}
    result = im.run(COMPLAINT_SPEC, "don.xlsx", xlsx(rows[:1], headers), actor=world.officer_a,
                    unit=world.unit_a)  # fmt: skip
    assert result.ok and Complaint.objects.get().sender == "Trần Thị Gửi"
    complaint_a(world)
    data = client_of("officer_a").get(reverse("inspections:complaint_export")).content
    text = str(CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())
    assert MARKER_A in text and "Trần Thị Gửi" not in text and "Lê Văn Tố" not in text


def test_import_page_and_template(world, client_of):
    c = client_of("officer_a")
    assert c.get(reverse("inspections:import")).status_code == 200
    template = c.get(reverse("inspections:import_template"))
    assert template.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(template.content))
    assert "Mã đơn vị được kiểm tra" in str(book.get_sheet_by_index(0).to_python())
