"""Import and export of the care register through the shared engine: the template, errors by
row and column, all or nothing, a re-import creates nothing, the export masks personal data and
imports back unchanged."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.care.imports import SPEC
from congdoan.care.models import CareRecord, Funding
from congdoan.care.tests.helpers import campaign_a, house_a, person_a
from congdoan.core.tests.support import MARKER_A

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã đơn vị", "Ngày", "Hình thức", "Đợt chăm lo", "Đối tượng nhận", "Số thẻ đoàn viên",
    "Họ tên người nhận / nhóm", "Số suất / số người", "Số CCCD", "Địa chỉ",
    "Xây mới / sửa chữa", "Ngày bàn giao", "Kinh phí CĐCS (đồng)",
    "Kinh phí CĐ cấp trên trực tiếp (đồng)", "Xã hội hóa (đồng)", "Nhà tài trợ", "Nội dung",
]  # fmt: skip


def xlsx(rows: list[list[object]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False})
    sheet = book.add_worksheet("Chăm lo")
    for c, header in enumerate(HEADERS):
        sheet.write_string(0, c, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value not in (None, ""):
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def rows(world) -> list[list[object]]:
    campaign = campaign_a(world)
    return [
        ["A1", "01/02/2024", "Tặng quà", campaign.name, "Đoàn viên", "CDA0001", "", 1, "", "",
         "", "", "500.000", "", "", "", "Quà Tết"],
        ["", "02/02/2024", "Tặng quà", campaign.name, "Trẻ em", "", f"Trẻ em bản {MARKER_A}",
         200, "", "", "", "", "", "20.000.000", "40.000.000", "Công ty Thủy điện & Co", ""],
        ["A1", "01/03/2024", "Nhà Mái ấm Công đoàn", "", "Đoàn viên", "CDA0001", "", 1, "",
         "Bản Nà Khum", "Xây mới", "15/06/2024", "30.000.000", "", "50.000.000",
         "Ngân hàng Nông nghiệp", ""],
        ["A2", "05/03/2024", "Hỗ trợ tiền mặt", "", "Người lao động", "",
         "Lò Văn Thử", 1, "001090012345", "", "", "", "1000000", "", "", "", ""],
    ]  # fmt: skip


def test_import_creates_records_with_their_funding_and_a_reimport_nothing(world):
    data = xlsx(rows(world))
    result = im.run(SPEC, "cham-lo.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert result.ok, result.errors
    assert result.new == 4 and CareRecord.objects.count() == 4
    group = CareRecord.objects.get(beneficiary="group")
    assert (group.unit, group.quantity, group.value, group.mobilised) == (
        world.unit_a,
        200,
        Decimal(60_000_000),
        Decimal(40_000_000),
    )
    assert group.funding.get(source="donor").donor == "Công ty Thủy điện & Co"
    house = CareRecord.objects.get(kind="house")
    assert (house.member, house.counted_on.isoformat(), house.value) == (
        world.member_a,
        "2024-06-15",
        Decimal(80_000_000),
    )
    assert CareRecord.objects.get(beneficiary="person").citizen_id == "001090012345"
    assert house.history.get().history_user == world.officer_a
    again = im.run(SPEC, "cham-lo.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert again.new == 0 and again.unchanged == 4 and CareRecord.objects.count() == 4


def test_errors_by_row_and_column_and_nothing_written(world):
    bad = rows(world)
    bad[0][5] = "KHONGCO"  # no such member
    bad[1][14] = "40.000.000"
    bad[1][15] = ""  # a donor amount without the donor
    bad[2][11] = "01/01/2024"  # handed over before it started
    bad[3][0] = "B1"  # a unit outside the importing unit
    result = im.run(SPEC, "sai.xlsx", xlsx(bad), actor=world.officer_a, unit=world.unit_a)
    assert not result.ok and CareRecord.objects.count() == 0 and Funding.objects.count() == 0
    where = {(p.row, p.column) for p in result.errors}
    assert (2, "Số thẻ đoàn viên") in where
    assert (4, "Ngày bàn giao") in where
    assert any(p.row == 3 for p in result.errors) and any(p.row == 5 for p in result.errors)


def test_officer_b_cannot_reach_a_member_of_a(world):
    data = xlsx([["B1", "01/02/2024", "Tặng quà", "", "Đoàn viên", "CDA0001", "", 1, "", "",
                  "", "", "500.000", "", "", "", ""]])  # fmt: skip
    result = im.run(SPEC, "b.xlsx", data, actor=world.officer_b, unit=world.unit_b)
    assert not result.ok and MARKER_A not in str(result.errors)


def test_template_has_the_columns_and_drop_downs(world, client_of):
    response = client_of("officer_a").get(reverse("care:import_template"))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    sheet = book.get_sheet_by_name("Chăm lo").to_python()
    headers = next(r for r in sheet if "Mã đơn vị" in r)
    assert "Nhà tài trợ" in headers and "Xã hội hóa (đồng)" in headers


def test_export_masks_personal_data_and_imports_back_unchanged(world, client_of):
    house_a(world)
    person_a(world)
    response = client_of("officer_a").get(reverse("care:export"), {"year": 2024})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    cells = [c for row in book.get_sheet_by_index(0).to_python() for c in row]
    text = " ".join(str(c) for c in cells)
    assert "001090012345" not in text and "0912345678" not in text
    assert "Nhà Mái ấm Công đoàn" in text and "Ngân hàng Thử Nghiệm" in text
    result = im.run(SPEC, "xuat.xlsx", content, actor=world.officer_a, unit=world.unit_a)
    assert result.ok, result.errors
    assert result.new == 0 and CareRecord.objects.count() == 2
    other = client_of("officer_b").get(reverse("care:export")).content
    rows_b = CalamineWorkbook.from_filelike(io.BytesIO(other)).get_sheet_by_index(0).to_python()
    assert MARKER_A not in str(rows_b) and "Nhà Mái ấm" not in str(rows_b)
