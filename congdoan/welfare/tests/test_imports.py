"""The welfare files: agreements and uses imported (all or nothing, errors by row and column,
re-import creates nothing), the template, and the exports read back."""

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
from congdoan.welfare.imports import AGREEMENTS, USES_SPEC
from congdoan.welfare.models import Agreement, BenefitUse
from congdoan.welfare.tests.helpers import agreement_a

pytestmark = pytest.mark.django_db
AGREEMENT_HEADER = [
    "Mã đơn vị ký", "Đối tác", "Loại đối tác", "Ngày ký", "Hiệu lực đến ngày", "Nội dung ưu đãi",
    "Mức giảm (%)",
]  # fmt: skip
USE_HEADER = ["Mã đơn vị ký", "Đối tác", "Ngày sử dụng", "Số thẻ đoàn viên", "Số lượt", "Giá trị"]


def _run(world, spec, data: bytes, name: str = "phuc-loi.csv") -> im.Result:
    return im.run(spec, name, data, actor=world.officer_a, unit=world.unit_a)


def _problems(result: im.Result) -> set[tuple[int | None, str]]:
    return {(p.row, p.column) for p in result.errors}


def test_agreements_are_imported_once(world):
    data = csv_bytes(
        [
            AGREEMENT_HEADER,
            ["A1", "Siêu thị Hòa Bình", "sieu thi", "05/01/2025", "", "Giảm 5% & tặng quà", "5"],
            ["", "Ngân hàng Thử", "Ngân hàng", "10/02/2025", "31/12/2026", "Vay ưu đãi", "0,5"],
        ]
    )
    result = _run(world, AGREEMENTS, data)
    assert result.ok and result.committed and result.new == 2, result.errors
    shop = Agreement.objects.get(partner_name="Siêu thị Hòa Bình")
    assert (shop.unit, shop.partner_kind, shop.valid_from) == (
        world.grass_a1, "retail", dt.date(2025, 1, 5),
    )  # fmt: skip
    assert shop.search_text == "sieu thi hoa binh giam 5% & tang qua"
    bank = Agreement.objects.get(partner_name="Ngân hàng Thử")
    assert (bank.unit, bank.discount_percent) == (world.unit_a, Decimal("0.5"))
    assert shop.history.get().history_change_reason == "record_import"
    again = _run(world, AGREEMENTS, data)
    assert (again.new, again.unchanged) == (0, 2) and Agreement.objects.count() == 2


def test_an_agreement_file_with_errors_imports_nothing(world):
    agreement_a(world)
    data = xlsx_bytes(
        [
            AGREEMENT_HEADER,
            ["A2", "Phòng khám", "y te", dt.date(2025, 3, 1), dt.date(2025, 1, 1), "Khám", ""],
            ["HB", "Ngân hàng Beta", "ngan hang", dt.date(2025, 3, 1), None, "Vay", ""],
            ["A2", "Cửa hàng", "casino", dt.date(2025, 3, 1), None, "Giảm giá", "150"],
            ["HA", f"ngân hàng {MARKER_A.lower()} – chi nhánh lai châu", "Ngân hàng",
             dt.date(2024, 3, 1), None, "Trùng", ""],
            ["A2", "Nhà sách", "khác", dt.date(2025, 3, 1), None, "Giảm 10%", ""],
        ],
        sheet="Thỏa thuận phúc lợi",
    )  # fmt: skip
    result = _run(world, AGREEMENTS, data, "tt.xlsx")
    assert not result.committed and Agreement.objects.count() == 1
    assert {(2, "Hiệu lực đến ngày"), (3, "Mã đơn vị ký"), (4, "Loại đối tác")} <= _problems(result)
    assert (4, "Mức giảm (%)") in _problems(result)
    assert (5, "Đối tác") in _problems(result)  # the same partner on the same day: a duplicate
    assert not any(r == 6 for r, _c in _problems(result))


def test_uses_find_their_agreement_and_member(world):
    agreement = agreement_a(world)
    data = csv_bytes(
        [
            USE_HEADER,
            ["HA", f"Ngân hàng {MARKER_A} – Chi nhánh Lai Châu", "15/07/2024", "CDA0001", "", "200000"],
            ["", f"ngan hang {MARKER_A.lower()} - chi nhanh lai chau", "31/07/2024", "", "1250", "62.500.000"],
        ]
    )  # fmt: skip
    result = _run(world, USES_SPEC, data)
    assert result.ok and result.new == 2, result.errors
    named = BenefitUse.objects.get(used_on=dt.date(2024, 7, 15))
    assert (named.agreement, named.member, named.count, named.value) == (
        agreement, world.member_a, 1, Decimal(200_000),
    )  # fmt: skip
    counted = BenefitUse.objects.get(used_on=dt.date(2024, 7, 31))
    assert (counted.member, counted.count, counted.unit) == (None, 1250, world.unit_a)
    assert _run(world, USES_SPEC, data).new == 0


def test_use_rows_outside_reach_are_refused(world):
    agreement_a(world)
    partner = f"Ngân hàng {MARKER_A} – Chi nhánh Lai Châu"
    data = csv_bytes(
        [
            USE_HEADER,
            ["HA", partner, "15/07/2024", "CDB0001", "", ""],  # B's member: not found
            ["HA", "Đối tác lạ", "15/07/2024", "", "3", ""],  # no such agreement
            ["HA", partner, "15/01/2024", "", "3", ""],  # before the agreement
            ["HA", partner, "15/07/2024", "", "0", ""],  # no uses
        ]
    )
    result = _run(world, USES_SPEC, data)
    assert not result.committed
    assert _problems(result) == {
        (2, "Số thẻ đoàn viên"), (3, "Đối tác"), (4, "Ngày sử dụng"), (5, "Số lượt"),
    }  # fmt: skip
    assert all("BETA" not in p.message for p in result.errors)
    assert BenefitUse.objects.count() == 2  # those of agreement_a only


def test_template_and_exports_read_back(world, client_of):
    agreement_a(world)
    c = client_of("officer_a")
    template = c.get(reverse("welfare:use_import_template"))
    assert template.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(template.content)).get_sheet_by_name(
        "Lượt hưởng phúc lợi"
    )
    assert "Số thẻ đoàn viên" in [str(v) for row in sheet.to_python() for v in row]

    response = c.get(reverse("welfare:use_export"), {"year": 2024})
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("Lượt hưởng phúc lợi").to_python()
    header = [str(v) for v in rows[0]]
    named = next(r for r in rows[1:] if r[header.index("Số thẻ đoàn viên")] == "CDA0001")
    assert named[header.index("Họ và tên")] == f"Nguyễn Thị {MARKER_A}hoa"
    assert named[header.index("Giá trị hưởng lợi (đồng)")] == 500_000

    response = c.get(reverse("welfare:export"))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("Thỏa thuận phúc lợi")
        .to_python()
    )
    text = [str(v) for row in rows for v in row]
    assert "Giảm 0,5% lãi suất vay tiêu dùng & miễn phí thẻ <ATM>" in text
    assert "Ngân hàng" in text  # the kind in words, as the import reads it
    # An export imported back creates nothing.
    assert _run(world, AGREEMENTS, response.content, "xuat.xlsx").new == 0
    assert client_of("officer_b").get(reverse("welfare:export")).status_code == 200
