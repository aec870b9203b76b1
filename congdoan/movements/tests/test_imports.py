"""The register's files: the template, the import (all or nothing, again creates nothing), the
export read back and imported back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.activities import imports as im
from congdoan.movements.imports import ACTIVITIES, AGREEMENTS
from congdoan.movements.models import Activity, Agreement
from congdoan.movements.tests.helpers import agreement_a

pytestmark = pytest.mark.django_db

ACTIVITY_HEADER = ["Mã đơn vị", "Loại", "Tên, nội dung", "Ngày", "Số người tham gia",
                   "Giá trị (đồng)", "Chào mừng sự kiện", "Chào mừng Đại hội Công đoàn",
                   "Dân vận khéo"]  # fmt: skip
AGREEMENT_HEADER = ["Mã đơn vị", "Doanh nghiệp", "Ngày ký", "Hiệu lực đến", "Ký lại",
                    "Số người lao động được hưởng", "Xếp loại"]  # fmt: skip


def xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("Phong trào")
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


def activities_file(*rows) -> bytes:
    return xlsx([ACTIVITY_HEADER, *rows])


GOOD = [
    ["A1", "Công trình, phần việc", "Sân & nhà <xe>", "01/04/2025", None, "1.500.000",
     "Đại hội XIII", "Có", None],
    ["A2", "tap huan", "Lớp tập huấn", "02/04/2025", 40, None, None, None, None],
    [None, "Mô hình", "Dân vận khéo bản Mường", "03/04/2025", None, None, None, None, "x"],
]  # fmt: skip


def test_import_creates_the_rows_once(world):
    data = activities_file(*GOOD)
    result = im.run(ACTIVITIES, "phong-trao.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert result.ok and result.new == 3, result.errors
    work = Activity.objects.get(kind="work")
    assert (work.title, work.value, work.for_congress) == ("Sân & nhà <xe>", 1_500_000, True)
    assert work.search and work.history.get().history_user == world.officer_a
    assert Activity.objects.get(kind="model").unit == world.unit_a  # empty: the importing unit
    again = im.run(ACTIVITIES, "phong-trao.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert (again.new, again.unchanged) == (0, 3) and Activity.objects.count() == 3


def test_a_broken_rule_refuses_the_whole_file_naming_row_and_column(world):
    bad = ["A1", "Văn hóa, thể thao", "Hội thao", "05/04/2025", 30, "2000000", None, None, None]
    result = im.run(
        ACTIVITIES, "f.xlsx", activities_file(*GOOD, bad), actor=world.officer_a,
        unit=world.unit_a,
    )  # fmt: skip
    assert not result.ok and not Activity.objects.exists()
    assert [(p.row, p.column) for p in result.errors] == [(5, "Giá trị (đồng)")]


def test_a_unit_outside_the_importing_unit_is_not_found(world):
    row = ["B1", "Đối thoại", "Đối thoại", "05/04/2025", 10, None, None, None, None]
    result = im.run(
        ACTIVITIES, "f.xlsx", activities_file(row), actor=world.officer_a, unit=world.unit_a
    )
    assert not result.ok and not Activity.objects.exists()


def test_agreements_import_finds_those_already_recorded(world):
    agreement_a(world)
    rows = [
        ["A1", "Công ty ALPHA & Cộng sự", "01/02/2025", "31/01/2027", "Không", 120, "A"],
        ["A2", None, "01/03/2025", "28/02/2028", "Có", 40, "loại B"],
    ]
    data = xlsx([AGREEMENT_HEADER, *rows])
    result = im.run(AGREEMENTS, "tu.xlsx", data, actor=world.officer_a, unit=world.unit_a)
    assert not result.ok and [p.row for p in result.errors] == [2]
    result = im.run(
        AGREEMENTS, "tu.xlsx", xlsx([AGREEMENT_HEADER, rows[1]]), actor=world.officer_a,
        unit=world.unit_a,
    )  # fmt: skip
    assert result.ok and result.new == 1
    row = Agreement.objects.get(unit=world.grass_a2)
    assert (row.enterprise, row.renewed, row.rating, row.workers) == (
        world.grass_a2.name, True, "B", 40,
    )  # fmt: skip


def test_template_and_export_read_back_and_import_back(world, client_of):
    c = client_of("officer_a")
    template = read(c.get(reverse("movements:import_template")).content)
    assert any("Tên, nội dung" in [str(x) for x in row] for row in template)
    im.run(ACTIVITIES, "f.xlsx", activities_file(*GOOD), actor=world.officer_a, unit=world.unit_a)
    exported = c.get(reverse("movements:export"), {"year": 2025})
    assert exported.status_code == 200
    rows = read(exported.content)
    assert any("Sân & nhà <xe>" in [str(x) for x in row] for row in rows)
    back = im.run(ACTIVITIES, "lai.xlsx", exported.content, actor=world.officer_a,
                  unit=world.unit_a)  # fmt: skip
    assert back.ok and back.new == 0 and Activity.objects.count() == 3
    assert Activity.objects.get(kind="work").value == Decimal(1_500_000)
    nothing = read(client_of("officer_b").get(reverse("movements:export")).content)
    assert not any("Sân & nhà <xe>" in [str(x) for x in row] for row in nothing)


def test_the_import_page_previews_and_commits(world, client_of):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_of("officer_a")
    upload = SimpleUploadedFile("phong-trao.xlsx", activities_file(*GOOD))
    answer = c.post(reverse("movements:import"), {"unit": "HA", "file": upload})
    assert answer.status_code == 302, answer.content.decode()[:1000]
    preview = c.get(answer["Location"])
    assert preview.status_code == 200 and not Activity.objects.exists()
    pk = answer["Location"].split("upload=")[1]
    done = c.post(reverse("movements:import"), {"upload": pk, "confirm": "1"})
    assert done.status_code == 302 and Activity.objects.count() == 3
    assert dt.date(2025, 4, 1) in set(Activity.objects.values_list("on", flat=True))
