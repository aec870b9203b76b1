"""Plans: a bad plan is refused row by row and changes nothing; a good one applies all at once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from congdoan.core.tests.support import START, unit_type
from congdoan.members.models import ExitReason, Member, MemberStatus
from congdoan.members.services import member_admit
from congdoan.organisation import selectors
from congdoan.organisation.models import PlanStatus, ReorgEvent, ReorgPlan, Unit
from congdoan.reorganisation import plans
from congdoan.reorganisation.tests.helpers import csv_bytes, row, snapshot, xlsx_bytes

JUNE_30 = dt.date(2025, 6, 30)
JULY_1 = dt.date(2025, 7, 1)


def upload(user, filename, data, **kwargs):
    return plans.plan_upload(actor=user, filename=filename, data=data, **kwargs)


def errors_by_row(plan):
    out: dict[int | None, list[dict]] = {}
    for e in plan.errors:
        out.setdefault(e["row"], []).append(e)
    return out


# ---------------------------------------------------------------------------------------------
# The must-show case: a bad plan


BAD_ROWS = [
    row("Chuyển", "ZZ99", "HA"),  # row 2: unknown code
    row("Chuyển", "A1", "A2"),  # row 3: fine on its own
    row("Chuyển", "A2", "A1"),  # row 4: cycle with row 3
    row("Chuyển", "HA", "A1T1"),  # row 5: under its own descendant
    row("Đổi tên – cập nhật", "B1", name="CĐCS Beta đổi tên"),  # row 6
    row("Giải thể", "B1"),  # row 7: conflict with row 6
    row("Giải thể", "A1T1", day="32/07/2025"),  # row 8: wrong date format
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_plan_gets_row_numbered_vietnamese_errors_and_changes_nothing(world, fmt):
    data = csv_bytes(BAD_ROWS) if fmt == "csv" else xlsx_bytes(BAD_ROWS)
    before = snapshot()

    plan = upload(world.national, f"ke-hoach.{fmt}", data)

    assert plan.status == PlanStatus.INVALID
    errors = errors_by_row(plan)
    assert set(errors) >= {2, 4, 5, 7, 8}, plan.errors
    for e in plan.errors:
        assert e["file"] == f"ke-hoach.{fmt}"
    (unknown,) = errors[2]
    assert unknown["column"] == "Mã đơn vị"
    assert "ZZ99" in unknown["message"] and "không tìm thấy" in unknown["message"].lower()
    assert any("vòng" in e["message"] and "dòng 3" in e["message"] for e in errors[4])
    assert all(e["column"] == "Mã đơn vị cấp trên / đơn vị nhận" for e in errors[4])
    assert any("A1T1" in e["message"] and "đơn vị cấp dưới" in e["message"] for e in errors[5])
    (conflict,) = errors[7]
    assert "dòng 6" in conflict["message"] and "B1" in conflict["message"]
    assert any(e["column"] == "Ngày hiệu lực" and "dd/mm/yyyy" in e["message"] for e in errors[8])
    assert 6 not in errors  # a sound row carries no error
    # Row 3 alone passes the file checks; the simulation then meets the level rule, which is
    # about the chosen parent.
    assert [e["column"] for e in errors[3]] == ["Mã đơn vị cấp trên / đơn vị nhận"]

    assert snapshot() == before
    with pytest.raises(plans.RuleViolation):
        plans.plan_apply(actor=world.national, plan=plan)
    assert snapshot() == before


def test_bad_plan_page_shows_the_errors_by_row_and_offers_no_apply(world, client_of):
    plan = upload(world.national, "ke-hoach.csv", csv_bytes(BAD_ROWS))
    before = snapshot()
    client = client_of("national")
    page = client.get(reverse("reorganisation:plan_detail", args=[plan.pk])).content.decode()
    assert "table-danger" in page and "ZZ99" in page
    assert "ke-hoach.csv, dòng 2" in page
    assert reverse("reorganisation:plan_apply", args=[plan.pk]) not in page
    response = client.post(
        reverse("reorganisation:plan_apply", args=[plan.pk]), {"confirm": "1"}, follow=True
    )
    assert "không thể áp dụng" in response.content.decode()
    assert snapshot() == before


def test_dates_must_agree(world):
    rows = [
        row("Đổi tên – cập nhật", "A1", name="CĐCS Alpha Một mới", day="01/07/2025"),
        row("Đổi tên – cập nhật", "A2", name="CĐCS Alpha Hai mới", day="02/07/2025"),
        row("Đổi tên – cập nhật", "B1", name="CĐCS Beta mới", day="01/07/2025"),
    ]
    plan = upload(world.national, "p.csv", csv_bytes(rows))
    errors = errors_by_row(plan)
    assert list(errors) == [3]
    assert "02/07/2025" in errors[3][0]["message"] and "01/07/2025" in errors[3][0]["message"]

    plan = upload(world.national, "p.csv", csv_bytes(rows), effective_date=JULY_1)
    assert list(errors_by_row(plan)) == [3]

    no_dates = [dict(r, **{"Ngày hiệu lực": ""}) for r in rows]
    plan = upload(world.national, "p.csv", csv_bytes(no_dates))
    assert plan.status == PlanStatus.INVALID and plan.errors[0]["row"] is None
    plan = upload(world.national, "p.csv", csv_bytes(no_dates), effective_date=JULY_1)
    assert plan.status == PlanStatus.VALID, plan.errors
    assert plan.effective_date == JULY_1


def test_out_of_scope_code_is_not_found(world):
    before = snapshot()
    plan = upload(world.officer_b, "p.csv", csv_bytes([row("Giải thể", "A1")]))
    (error,) = plan.errors
    assert (
        error["row"] == 2
        and "A1" in error["message"]
        and "không tìm thấy" in error["message"].lower()
    )
    assert snapshot() == before


def test_numeric_code_hint(world):
    data = xlsx_bytes([{**row("Giải thể", ""), "Mã đơn vị": 12}])
    plan = upload(world.national, "p.xlsx", data)
    (error,) = plan.errors
    assert error["row"] == 2 and "12" in error["message"] and "0012" in error["message"]


def test_header_variants_unaccented_operations_and_comma(world):
    headers = ["stt", "THAO TAC", "ma don vi", "Ten don vi", "ngay hieu luc"]
    data = csv_bytes(
        [
            {
                "THAO TAC": "doi ten - cap nhat",
                "ma don vi": "a1",
                "Ten don vi": "CĐCS Alpha Một mới",
                "ngay hieu luc": "01/07/2025",
            }
        ],
        headers=headers,
        sep=",",
    )
    plan = upload(world.national, "p.csv", data)
    assert plan.status == PlanStatus.VALID, plan.errors
    assert plan.rows[0]["op"] == "update" and plan.rows[0]["codes"] == ["A1"]


def test_unknown_operation_and_type(world):
    rows = [
        row("Nâng cấp", "A1"),
        row("Thành lập", "X1", "HA", name="CĐCS mới", type="Loại không có"),
    ]
    plan = upload(world.national, "p.csv", csv_bytes(rows))
    errors = errors_by_row(plan)
    assert errors[2][0]["column"] == "Thao tác" and "Nâng cấp" in errors[2][0]["message"]
    assert errors[3][0]["column"] == "Loại đơn vị"


def test_missing_column(world):
    data = csv_bytes([{"Thao tác": "Chuyển", "Mã đơn vị": "A1"}], headers=["Thao tác", "Mã đơn vị"])
    plan = upload(world.national, "p.csv", data, effective_date=JULY_1)
    (error,) = plan.errors
    assert error["row"] == 2 and error["column"] == "Mã đơn vị cấp trên / đơn vị nhận"


# ---------------------------------------------------------------------------------------------
# Refused files


def test_macro_workbooks_are_refused(world):
    plan = upload(world.national, "ke-hoach.xlsm", xlsx_bytes([row("Giải thể", "A1")]))
    assert plan.status == PlanStatus.INVALID and "macro" in plan.errors[0]["message"]


def test_not_a_zip_is_refused(world):
    plan = upload(world.national, "ke-hoach.xlsx", b"not a workbook at all")
    (error,) = plan.errors
    assert error["row"] is None and ".xlsx" in error["message"]


def test_zip_bomb_is_refused(world):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    plan = upload(world.national, "bom.xlsx", out.getvalue())
    (error,) = plan.errors
    assert "bom.xlsx" in error["message"]


def test_limits(world):
    too_big = upload(world.national, "p.csv", b"x" * (plans.MAX_BYTES + 1))
    assert "5 MB" in too_big.errors[0]["message"]
    many = csv_bytes([row("Giải thể", f"X{i}") for i in range(plans.MAX_ROWS + 1)])
    too_long = upload(world.national, "p.csv", many)
    (error,) = too_long.errors
    assert "5.000" in error["message"]


# ---------------------------------------------------------------------------------------------
# A good plan: the 1/7/2025 restructuring of a province


def restructuring_rows() -> list[dict[str, str]]:
    return [
        row("Thành lập", "XA_AN", "TN", name="Công đoàn xã An", type="cd_xa"),
        row("Thành lập", "PHUONG_BINH", "TN", name="Công đoàn phường Bình", type="CĐ xã"),
        row("Chuyển", "A1", "XA_AN"),
        row("Chuyển", "B1", "PHUONG_BINH"),
        row("Giải thể", "A2", note="Cơ quan hưởng 100% ngân sách"),
        row("Giải thể", "HA"),
        row("Giải thể", "HB"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_province_restructuring_applies_in_one_transaction(world, fmt, client_of):
    clerk = member_admit(
        actor=None,
        unit=world.grass_a2,
        family_name="Lê",
        given_name="Hạnh",
        sex="F",
        admitted_on=START,
        card_number="CDA0002",
    )
    rows = restructuring_rows()
    if fmt == "xlsx":
        rows = [{**r, "Ngày hiệu lực": JULY_1} for r in rows]  # a real Excel date
        data = xlsx_bytes(rows)
    else:
        data = csv_bytes(rows)
    before = snapshot()
    plan = upload(world.national, f"sap-xep.{fmt}", data, decision_ref="25/QĐ-LĐLĐ")
    assert plan.status == PlanStatus.VALID, plan.errors
    assert plan.effective_date == JULY_1
    assert snapshot() == before  # checking and previewing change nothing
    totals = plans.preview_totals(plan.preview)
    assert totals["create"] == 2 and totals["move"] == 2 and totals["dissolve"] == 3
    assert totals["member_exit"] == 1

    page = client_of("national").get(reverse("reorganisation:plan_detail", args=[plan.pk]))
    assert reverse("reorganisation:plan_apply", args=[plan.pk]) in page.content.decode()

    response = client_of("national").post(
        reverse("reorganisation:plan_apply", args=[plan.pk]), {"confirm": "1"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED and plan.applied_by == world.national

    events = list(ReorgEvent.objects.filter(plan=plan).order_by("plan_row"))
    assert [e.plan_row for e in events] == [2, 3, 4, 5, 6, 7, 8]
    assert all(e.decision_ref == "25/QĐ-LĐLĐ" and e.effective_date == JULY_1 for e in events)

    old = {v.code for v in selectors.subtree_on(world.province, JUNE_30)}
    new = {v.code for v in selectors.subtree_on(world.province, JULY_1)}
    assert {"HA", "HB", "A2"} <= old and not {"XA_AN", "PHUONG_BINH"} & old
    assert {"XA_AN", "PHUONG_BINH", "A1", "A1T1", "B1"} <= new and not {"HA", "HB", "A2"} & new
    xa = Unit.objects.get(code="XA_AN")
    assert Unit.objects.get(code="A1").parent == xa and xa.unit_type == unit_type("cd_xa")
    clerk.refresh_from_db()
    assert clerk.status == MemberStatus.EXITED and clerk.exit_reason == ExitReason.UNIT_DISSOLVED
    assert clerk.exited_on == JULY_1
    assert Member.objects.get(pk=world.member_a.pk).status == MemberStatus.ACTIVE

    again = client_of("national").post(
        reverse("reorganisation:plan_apply", args=[plan.pk]), {"confirm": "1"}
    )
    assert again.status_code == 302
    assert ReorgEvent.objects.filter(plan=plan).count() == 7


def test_apply_is_all_or_nothing_when_the_tree_changed(world):
    from congdoan.organisation.services import unit_dissolve

    plan = upload(world.national, "p.csv", csv_bytes(restructuring_rows()))
    assert plan.status == PlanStatus.VALID, plan.errors
    unit_dissolve(actor=None, unit=world.grass_b1, day=JULY_1, reason="test")
    before = snapshot()
    with pytest.raises(plans.RuleViolation) as info:
        plans.plan_apply(actor=world.national, plan=plan)
    assert info.value.row == 5
    assert snapshot() == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.INVALID and plan.errors[0]["row"] == 5


def test_split_with_assignment_sheet(world):
    rows = [
        row("Thành lập", "A1X", "HA", name="CĐCS Alpha Một X", type="cdcs"),
        row("Thành lập", "A1Y", "HA", name="CĐCS Alpha Một Y", type="cdcs"),
        row("Chia tách", "A1", "A1X;A1Y"),
    ]
    assignments = [
        {"Mã thẻ đoàn viên": "CDA0001", "Mã đơn vị nhận": "A1Y"},
        {"Mã đơn vị": "A1T1", "Mã đơn vị nhận": "A1Y"},
    ]
    plan = upload(world.officer_a, "chia.xlsx", xlsx_bytes(rows, assignments))
    assert plan.status == PlanStatus.VALID, plan.errors
    plans.plan_apply(actor=world.officer_a, plan=plan)
    a1y = Unit.objects.get(code="A1Y")
    assert Member.objects.get(pk=world.member_a.pk).unit == a1y
    assert Unit.objects.get(code="A1T1").parent == a1y
    assert Unit.objects.get(code="A1").dissolved_on == JULY_1


def test_split_assigns_each_member_to_its_own_receiving_unit(world):
    other = member_admit(
        actor=None,
        unit=world.grass_a1,
        family_name="Lê",
        given_name="Hạnh",
        sex="F",
        admitted_on=START,
        card_number="CDA0009",
    )
    rows = [
        row("Thành lập", "A1X", "HA", name="CĐCS Alpha Một X", type="cdcs"),
        row("Thành lập", "A1Y", "HA", name="CĐCS Alpha Một Y", type="cdcs"),
        row("Chia tách", "A1", "A1X;A1Y"),
    ]
    assignments = [
        {"Mã thẻ đoàn viên": "CDA0001", "Mã đơn vị nhận": "A1Y"},
        {"Mã thẻ đoàn viên": "CDA0009", "Mã đơn vị nhận": "A1X"},
    ]
    plan = upload(world.officer_a, "chia.xlsx", xlsx_bytes(rows, assignments))
    assert plan.status == PlanStatus.VALID, plan.errors
    by_card = {a["member_card"]: a["member_id"] for a in plan.assignments}
    assert by_card == {"CDA0001": world.member_a.pk, "CDA0009": other.pk}
    plans.plan_apply(actor=world.officer_a, plan=plan)
    assert Member.objects.get(pk=world.member_a.pk).unit.code == "A1Y"
    assert Member.objects.get(pk=other.pk).unit.code == "A1X"


def test_assignment_errors_name_the_sheet(world):
    rows = [row("Chia tách", "A1", "A2;HA")]
    assignments = [{"Mã thẻ đoàn viên": "KHONG_CO", "Mã đơn vị nhận": "A2"}]
    plan = upload(world.national, "chia.xlsx", xlsx_bytes(rows, assignments))
    sheet_errors = [e for e in plan.errors if e["sheet"] == "Phân bổ"]
    assert sheet_errors and sheet_errors[0]["row"] == 2
    assert sheet_errors[0]["column"] == "Mã thẻ đoàn viên"


# ---------------------------------------------------------------------------------------------
# The template


def test_template_downloads_and_reads_back(world, client_of):
    from python_calamine import CalamineWorkbook

    response = client_of("officer_a").get(reverse("reorganisation:plan_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.sheet_names[:3] == ["Kế hoạch", "Phân bổ", "Hướng dẫn"]
    main = book.get_sheet_by_name("Kế hoạch").to_python()
    assert main[0] == [label for label, _aliases in plans.COLUMNS.values()]
    assert main[2][2] == "0012"  # a code kept as text
    assert {r[1] for r in main[1:]} <= {label for label, _a in plans.OPERATIONS.values()}
    guide = book.get_sheet_by_name("Hướng dẫn").to_python()
    assert "Hướng dẫn" in guide[0][0]
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count("<dataValidation ") == 2

    # The template itself parses: only its example codes are unknown.
    plan = upload(world.officer_a, "ke-hoach-sap-xep.xlsx", response.content)
    assert plan.rows and all(r["op"] for r in plan.rows)
    assert not any(e["column"] == "Thao tác" for e in plan.errors)


def test_upload_page(world, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_of("officer_a")
    assert client.get(reverse("reorganisation:plan_upload")).status_code == 200
    data = csv_bytes([row("Đổi tên – cập nhật", "A2", name="CĐCS Alpha Hai mới")])
    response = client.post(
        reverse("reorganisation:plan_upload"),
        {"file": SimpleUploadedFile("p.csv", data), "title": "Đổi tên A2"},
    )
    plan = ReorgPlan.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/{plan.pk}/")
    assert plan.unit == world.unit_a and plan.status == PlanStatus.VALID
    page = client.get(reverse("reorganisation:plan_list")).content.decode()
    assert "Đổi tên A2" in page
