"""The gradings' file: the template, the import (every rule per row, all or nothing, again
creates nothing), the export read back and imported back."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.grading.imports import SPEC
from congdoan.grading.models import Grading, Status
from congdoan.grading.tests.helpers import confirm, grade, marks

pytestmark = pytest.mark.django_db
HEADER = ["Mã đơn vị", "Năm", "Điểm theo tiêu chí", "Ghi chú"]


def cell(scores) -> str:
    return "; ".join(f"{code}: {str(points).replace('.', ',')}" for code, points in scores.items())


def xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Xếp loại")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def read(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def run(world, *rows, unit=None):
    return im.run(SPEC, "xep-loai.xlsx", xlsx([HEADER, *rows]), actor=world.officer_a,
                  unit=unit or world.unit_a)  # fmt: skip


def test_import_creates_draft_gradings_once(world):
    rows = [["A1", 2024, cell(marks(0.95)), "Tốt"], ["A2", 2024, cell(marks(0.55)), None]]
    result = run(world, *rows)
    assert result.ok and result.new == 2, result.errors
    a1 = Grading.objects.get(unit=world.grass_a1)
    assert (a1.category.code, a1.status, a1.graded_by, a1.notes) == (
        "xuat_sac", Status.DRAFT, world.unit_a, "Tốt",
    )  # fmt: skip
    assert a1.history.first().history_user == world.officer_a
    assert Grading.objects.get(unit=world.grass_a2).category.code == "hoan_thanh"
    again = run(world, *rows)
    assert (again.new, again.unchanged) == (0, 2) and Grading.objects.count() == 2


def test_every_rule_is_checked_per_row_and_the_file_is_all_or_nothing(world):
    missing = marks(0.8)
    del missing["2.2"]
    over = {**marks(0.8), "1.3": Decimal(16)}
    rows = [
        ["A1", 2024, cell(marks(0.8)), None],  # fine
        ["A2", 2024, cell(missing), None],  # a criterion without points
        ["A2", 2023, cell(over), None],  # over the maximum
        ["A2", 2010, cell(marks(0.8)), None],  # no scheme in force
        ["A1", 2023, "1.1 tám điểm", None],  # unreadable
        ["A1T1", 2024, cell(marks(0.8)), None],  # not a grassroots union
    ]
    result = run(world, *rows)
    assert not result.ok and not Grading.objects.exists()
    problems = {(p.row, p.column): p.message for p in result.errors}
    assert set(problems) == {
        (3, "Điểm theo tiêu chí"), (4, "Điểm theo tiêu chí"), (5, "Năm"),
        (6, "Điểm theo tiêu chí"), (7, "Mã đơn vị"),
    }  # fmt: skip
    assert problems[(3, "Điểm theo tiêu chí")] == "Tiêu chí 2.2 chưa có điểm: hãy nhập điểm."
    assert problems[(4, "Điểm theo tiêu chí")] == "Tiêu chí 1.3: nhập điểm từ 0 đến 15."


def test_a_graded_union_and_a_union_outside_are_refused(world):
    grade(world.grass_a1, 2024)
    result = run(world, ["A1", 2024, cell(marks(0.8)), None])
    assert not result.ok and "đã có kết quả xếp loại" in result.errors[0].message
    result = run(world, ["B1", 2024, cell(marks(0.8)), None])
    assert not result.ok and result.errors[0].column == "Mã đơn vị"
    assert Grading.objects.count() == 1


def test_template_export_read_back_and_import_back(world, client_of):
    c = client_of("officer_a")
    template = read(c.get(reverse("grading:import_template")).content)
    assert any("Điểm theo tiêu chí" in [str(x) for x in row] for row in template)
    confirm(grade(world.grass_a1, 2024))
    grade(world.grass_b1, 2024)
    exported = c.get(reverse("grading:export"), {"year": 2024})
    rows = read(exported.content)
    head = rows[0]
    assert head[1:4] == ["Mã đơn vị", "Tên CĐCS", "Năm"]
    assert len(rows) == 2 and rows[1][1] == "A1"
    record = dict(zip(head, rows[1], strict=True))
    assert record["Xếp loại"] == "Hoàn thành tốt nhiệm vụ" and record["Trạng thái"] == "Đã xác nhận"
    assert record["Điểm theo tiêu chí"].startswith("1.1: 8; 1.2: 8; 1.3: 12")
    back = im.run(SPEC, "lai.xlsx", exported.content, actor=world.officer_a, unit=world.unit_a)
    assert back.ok and back.new == 0 and Grading.objects.count() == 2


def test_the_import_page_previews_and_commits(world, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_of("officer_a")
    upload = SimpleUploadedFile(
        "xep-loai.xlsx", xlsx([HEADER, ["A2", 2024, cell(marks(0.8)), None]])
    )
    answer = c.post(reverse("grading:import"), {"unit": "HA", "file": upload})
    assert answer.status_code == 302, answer.content.decode()[:1000]
    assert c.get(answer["Location"]).status_code == 200 and not Grading.objects.exists()
    pk = answer["Location"].split("upload=")[1]
    done = c.post(reverse("grading:import"), {"upload": pk, "confirm": "1"})
    assert done.status_code == 302 and Grading.objects.get().unit == world.grass_a2
