"""The errors of a checked import as Excel: every problem (file, sheet, row, column, message) and
the rows with errors as they are in the file, with their problems; identity numbers masked as on
the job's page. Read back with python-calamine."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congdoan.members.imports import jobs
from congdoan.members.models import ImportJob, ImportStatus
from congdoan.members.tests.files import csv_bytes, member_rows, xlsx_bytes
from congdoan.members.tests.test_import_jobs import upload
from congdoan.members.tests.test_personal_data import personal_officer


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sheets(content: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    out = {}
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        out[name] = [r[: max((i + 1 for i, c in enumerate(r) if c != ""), default=0)] for r in rows]
    return out


def bad_file():
    """Row 2 right; row 3 a date that does not exist; row 4 a citizen ID that Excel stored as
    a number (its leading zeros lost)."""
    data = member_rows(3, seed=21, earliest_admission=dt.date(2020, 6, 1))
    data[0]["citizen_id"] = data[1]["citizen_id"] = ""  # optional; the others' are numbers
    data[1]["date_of_birth"] = "31/02/1990"
    data[2].update(citizen_id="001190012345", sex="Nữ", date_of_birth=dt.date(1990, 3, 3))
    data[2]["ethnicity"] = "Thái"
    return data, xlsx_bytes(data, numbers=("citizen_id", "salary_base"))


@pytest.fixture
def job(client_of, world):
    _data, content = bad_file()
    upload(client_of("officer_a"), "A1", "doan-vien-loi.xlsx", content)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    return job


def test_the_errors_and_the_bad_rows_masked(client_of, world, job):
    data, _content = bad_file()
    client = client_of("officer_a")
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    url = reverse("members:import_errors", args=[job.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == 'attachment; filename="loi-nhap-doan-vien-loi.xlsx"'
    book = sheets(response.content)
    assert list(book) == ["Lỗi", "Dòng có lỗi"]
    problems = book["Lỗi"]
    assert problems[0] == ["Tệp", "Trang tính", "Dòng", "Cột", "Nội dung lỗi"]
    assert [(p[0], p[1], p[2], p[3]) for p in problems[1:]] == [
        ("doan-vien-loi.xlsx", "Đoàn viên", 3.0, "Ngày sinh"),
        ("doan-vien-loi.xlsx", "Đoàn viên", 4.0, "Số CCCD"),
    ]
    assert "**********45" in problems[2][4]  # the suggested number, masked as on the page
    rows = book["Dòng có lỗi"]
    header = rows[0]
    assert header[0] == "Dòng" and header[-1] == "Lỗi"
    assert "Họ" in header and "Ngày sinh" in header and "Số CCCD" in header
    for hidden in ("Dân tộc", "Tôn giáo", "Đảng viên", "Ngày vào Đảng"):
        assert hidden not in header
    assert [r[0] for r in rows[1:]] == [3.0, 4.0]  # the right row is not there
    row3 = dict(zip(header, rows[1], strict=False))
    assert row3["Họ"] == data[1]["family_name"] and row3["Ngày sinh"] == "31/02/1990"
    assert row3["Lỗi"].startswith("Ngày sinh: ")
    row4 = dict(zip(header, rows[2], strict=False))
    assert row4["Số CCCD"] == "********45"  # the cell as stored (10 digits), masked
    assert row4["Ngày sinh"] == dt.date(1990, 3, 3) or row4["Ngày sinh"] == dt.datetime(1990, 3, 3)
    assert row4["Lương đóng đoàn phí"] == data[2]["salary_base"]  # still a number
    everything = " ".join(str(c) for s in book.values() for r in s for c in r)
    assert "1190012345" not in everything  # neither as stored nor as suggested


def test_with_the_personal_data_right_the_cells_are_whole(world, job):
    _user, client = personal_officer(world)
    book = sheets(client.get(reverse("members:import_errors", args=[job.pk])).content)
    header = book["Dòng có lỗi"][0]
    row4 = dict(zip(header, book["Dòng có lỗi"][2], strict=False))
    assert row4["Số CCCD"] == 1190012345 and row4["Dân tộc"] == "Thái"
    assert "001190012345" in book["Lỗi"][2][4]


def test_other_units_and_jobs_without_errors(client_of, world, job):
    url = reverse("members:import_errors", args=[job.pk])
    assert client_of("officer_b").get(url).status_code == 404
    good = jobs.job_create(
        actor=world.officer_a,
        unit=world.grass_a1,
        filename="dung.csv",
        data=csv_bytes(member_rows(2, seed=22, earliest_admission=dt.date(2020, 6, 1))),
    )
    good = jobs.job_check(good.pk)
    assert good.status == ImportStatus.READY
    response = client_of("officer_a").get(reverse("members:import_errors", args=[good.pk]))
    assert response.status_code == 400
    assert response.content.decode() == "Lần nhập này không có lỗi nào để tải về."


def test_once_the_file_is_gone_the_problems_remain(client_of, world, job):
    jobs._delete_file(job)
    job.save(update_fields=["file"])
    book = sheets(
        client_of("officer_a").get(reverse("members:import_errors", args=[job.pk])).content
    )
    assert len(book["Lỗi"]) == 3
    assert book["Dòng có lỗi"] == [["Tệp đã tải lên không còn được lưu; hãy tải tệp lên lại."]]


def test_csv_cells_stay_text(client_of, world):
    data = member_rows(2, seed=23, earliest_admission=dt.date(2020, 6, 1))
    data[0]["admitted_on"] = "=1+1"
    upload(client_of("officer_a"), "A1", "a.csv", csv_bytes(data))
    job = ImportJob.objects.get()
    book = sheets(
        client_of("officer_a").get(reverse("members:import_errors", args=[job.pk])).content
    )
    rows = book["Dòng có lỗi"]
    row = dict(zip(rows[0], rows[1], strict=False))
    assert row["Dòng"] == 2.0 and row["Ngày kết nạp"] == "=1+1"  # text, never a formula
