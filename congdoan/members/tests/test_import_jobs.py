"""Import pages and jobs: upload, check, preview with errors by row, commit, background task with
progress, stored files, the template, scoping and masking of identity numbers in messages."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.members.imports import jobs
from congdoan.members.imports.columns import COLUMNS, TEMPLATE_KEYS
from congdoan.members.models import ImportJob, ImportStatus, Member
from congdoan.members.tests.files import csv_bytes, member_rows, xlsx_bytes

START = dt.date(2020, 6, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")


def rows(n=3, **kw):
    return member_rows(n, seed=kw.pop("seed", 11), earliest_admission=START, **kw)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, unit_code, name, data):
    return client.post(
        reverse("members:import_upload"),
        {"unit": unit_code, "file": SimpleUploadedFile(name, data)},
    )


def test_upload_check_preview_and_commit(client_of, world):
    client = client_of("officer_a")
    data = rows(3)
    response = upload(client, "A1", "doan-vien.xlsx", xlsx_bytes(data))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY and job.rows_total == 3 and job.created_count == 3
    assert job.sha256 and job.file
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'id="import-preview"' in body
    assert data[0]["given_name"] in body
    assert not TWELVE_DIGITS.search(body), "the preview shows a full citizen ID"
    response = client.post(reverse("members:import_commit", args=[job.pk]), {"confirm": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.finished_at and not job.file
    assert Member.objects.filter(import_batch=job).count() == 3
    # Importing the same file again creates nothing.
    upload(client, "A1", "doan-vien.xlsx", xlsx_bytes(data))
    again = ImportJob.objects.latest("pk")
    assert (again.created_count, again.unchanged_count) == (0, 3)


def test_errors_are_listed_by_row_and_column_and_nothing_is_imported(client_of, world):
    client = client_of("officer_a")
    data = rows(4)
    data[1]["date_of_birth"] = "32/13/1990"
    data[2]["ethnicity"] = "Không rõ"
    data[3]["sex"] = "?"
    response = upload(client, "A1", "loi.xlsx", xlsx_bytes(data))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.INVALID
    page = client.get(response["Location"]).content.decode()
    table = page.split('id="import-errors"')[1].split("</table>")[0]
    for row, column in ((3, "Ngày sinh"), (4, "Dân tộc"), (5, "Giới tính")):
        assert re.search(rf"<th scope=\"row\">{row}</th>\s*<td>{column}</td>", table), (row, column)
    assert 'action="/members/imports/' not in page  # no commit button
    response = client.post(reverse("members:import_commit", args=[job.pk]), {"confirm": "1"})
    assert Member.objects.filter(unit=world.grass_a1).count() == 1  # only member_a


def test_commit_needs_the_confirmation_box(client_of, world):
    client = client_of("officer_a")
    upload(client, "A1", "a.csv", csv_bytes(rows(1)))
    job = ImportJob.objects.get()
    client.post(reverse("members:import_commit", args=[job.pk]), {})
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_upload_is_limited_to_ones_scope(client_of, world):
    client = client_of("officer_b")
    response = upload(client, "A1", "a.csv", csv_bytes(rows(1)))
    assert response.status_code == 400 and not ImportJob.objects.exists()
    viewer = make_user("viewer_a", "viewer", world.unit_a)
    c = Client()
    c.force_login(viewer)
    assert c.get(reverse("members:import_upload")).status_code == 403


def test_refused_files_show_a_message(client_of, world):
    client = client_of("officer_a")
    response = upload(client, "A1", "a.xlsm", b"PK")
    assert response.status_code == 400
    assert "macro" in response.content.decode().lower()


def test_officer_b_cannot_see_or_commit_a_job_of_unit_a(client_of, world):
    upload(client_of("officer_a"), "A1", f"{MARKER_A}.csv", csv_bytes(rows(1)))
    job = ImportJob.objects.get()
    b = client_of("officer_b")
    assert b.get(reverse("members:import_detail", args=[job.pk])).status_code == 404
    assert (
        b.post(reverse("members:import_commit", args=[job.pk]), {"confirm": "1"}).status_code == 404
    )
    assert MARKER_A not in b.get(reverse("members:import_list")).content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.READY


def test_lost_zero_suggestion_is_masked_without_the_personal_data_right(client_of, world):
    data = rows(1)
    data[0].update(citizen_id="001190012345", sex="Nữ", date_of_birth=dt.date(1990, 3, 3))
    client = client_of("officer_a")
    response = upload(client, "A1", "a.xlsx", xlsx_bytes(data, numbers=("citizen_id",)))
    body = client.get(response["Location"]).content.decode()
    assert "**********45" in body
    assert not TWELVE_DIGITS.search(body)


def test_large_files_run_as_a_background_task_with_progress(client_of, world, monkeypatch):
    monkeypatch.setattr(jobs, "SMALL_FILE_BYTES", 10)  # every file is "large"
    calls = []
    real = jobs.Progress.write

    def spy(self, **fields):
        calls.append(fields)
        return real(self, **fields)

    monkeypatch.setattr(jobs.Progress, "write", spy)
    client = client_of("officer_a")
    response = upload(client, "A1", "lon.xlsx", xlsx_bytes(rows(30)))
    job = ImportJob.objects.get()
    # The immediate backend of the tests ran the task already.
    assert job.status == ImportStatus.READY and job.rows_done == job.rows_total == 30
    assert calls and calls[0]["rows_total"] == 30
    fragment = client.get(reverse("members:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and fragment["HX-Refresh"] == "true"
    client.post(reverse("members:import_commit", args=[job.pk]), {"confirm": "1"})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 30
    assert Member.objects.filter(import_batch=job).count() == 30
    assert response.status_code == 302


def test_progress_fragment_polls_while_running(client_of, world):
    upload(client_of("officer_a"), "A1", "a.csv", csv_bytes(rows(1)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, rows_total=200, rows_done=50
    )
    client = client_of("officer_a")
    fragment = client.get(reverse("members:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="50"' in body and 'max="200"' in body
    assert "HX-Refresh" not in fragment
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert 'id="import-progress"' in page


def test_a_failed_task_marks_the_job_failed(world, monkeypatch):
    job = jobs.job_create(
        actor=world.officer_a, unit=world.grass_a1, filename="a.csv", data=csv_bytes(rows(1))
    )

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "check_file", boom)
    with pytest.raises(RuntimeError):
        jobs.job_check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "disk" not in job.message


def test_stored_upload_is_checked_against_its_sha256(world):
    job = jobs.job_create(
        actor=world.officer_a, unit=world.grass_a1, filename="a.csv", data=csv_bytes(rows(1))
    )
    with open(job.file.path, "ab") as handle:
        handle.write(b"tampered")
    job = jobs.job_check(job.pk)
    assert job.status == ImportStatus.FAILED


def test_uploads_are_deleted_after_seven_days(world):
    job = jobs.job_create(
        actor=world.officer_a, unit=world.grass_a1, filename="a.csv", data=csv_bytes(rows(1))
    )
    job = jobs.job_check(job.pk)
    path = job.file.path
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    from congdoan.members.tasks import purge_import_files

    purge_import_files.call()
    job.refresh_from_db()
    assert not job.file and job.status == ImportStatus.FAILED
    import os

    assert not os.path.exists(path)


def test_template_has_headers_lists_and_text_columns(client_of, world):
    response = client_of("officer_b").get(reverse("members:import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    data = response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[:3] == ["Đoàn viên", "Hướng dẫn", "Danh mục"]
    header, example = book.get_sheet_by_name("Đoàn viên").to_python()[:2]
    assert header == [COLUMNS[k][0] for k in TEMPLATE_KEYS]
    assert example[TEMPLATE_KEYS.index("citizen_id")] == "001190012345"
    lists = book.get_sheet_by_name("Danh mục").to_python()
    assert "Kinh" in [r[1] for r in lists] and "Nữ" in [r[0] for r in lists]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert sheet.count("<dataValidation ") >= 8  # sex, ethnicity, religion, levels, yes/no…
        assert "Danh mục" in sheet  # lists come from the hidden sheet
        assert 'state="hidden"' in z.read("xl/workbook.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        assert 'formatCode="@"' in styles  # text columns keep leading zeros
        assert any(n.startswith("xl/comments") for n in z.namelist())
    # The template itself imports cleanly (its example row is skipped).
    from congdoan.members.imports import check_file

    result = check_file("mau.xlsx", data, unit=world.grass_a1, actor=world.officer_a)
    assert result.created == 0 and result.errors_total == 1  # "no member rows below the header"
    assert any("2" in w["message"] for w in result.warnings)  # row 2, the example, skipped


def test_import_list_shows_jobs_within_scope(client_of, world):
    upload(client_of("officer_a"), "A1", f"{MARKER_A}-1.csv", csv_bytes(rows(1)))
    page = client_of("officer_a").get(reverse("members:import_list")).content.decode()
    assert f"{MARKER_A}-1.csv" in page
    page = client_of("national").get(reverse("members:import_list")).content.decode()
    assert f"{MARKER_A}-1.csv" in page


def _stall(job, minutes=20):
    ago = timezone.now() - dt.timedelta(minutes=minutes)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.IMPORTING, heartbeat_at=ago)
    job.refresh_from_db()
    return job


def test_a_stalled_import_says_so_and_runs_again(client_of, world):
    client = client_of("officer_a")
    upload(client, "A1", "a.csv", csv_bytes(rows(4)))
    job = _stall(ImportJob.objects.get())  # its worker stopped 20 minutes ago
    assert jobs.is_stalled(job)
    fragment = client.get(reverse("members:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "dừng giữa chừng" in body and 'hx-trigger="every 1s"' not in body
    page = client.get(reverse("members:import_detail", args=[job.pk])).content.decode()
    assert reverse("members:import_retry", args=[job.pk]) in page
    client.post(reverse("members:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 4
    assert Member.objects.filter(import_batch=job).count() == 4
    again = client.post(reverse("members:import_retry", args=[job.pk]), follow=True)
    assert "không bị dừng" in again.content.decode()
    assert Member.objects.filter(import_batch=job).count() == 4


def test_a_job_that_beats_is_not_stalled(client_of, world):
    client = client_of("officer_a")
    upload(client, "A1", "a.csv", csv_bytes(rows(2)))
    job = _stall(ImportJob.objects.get(), minutes=1)
    assert not jobs.is_stalled(job)
    client.post(reverse("members:import_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING and not Member.objects.filter(import_batch=job)
    # Another province's officer learns nothing, and changes nothing.
    job = _stall(job)
    assert (
        client_of("officer_b").post(reverse("members:import_retry", args=[job.pk])).status_code
        == 404
    )
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING
