"""The generic import and export pages through HTTP, with the test register's urls: upload,
preview, errors file, confirm once; another unit's uploads and units are not found; exports are
scoped, filtered and masked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from congdoan.activities.models import ImportUpload, Keeping
from congdoan.activities.tests.import_helpers import HEADER, csv_bytes, read_xlsx
from congdoan.core.tests.support import MARKER_A

pytestmark = [pytest.mark.django_db, pytest.mark.urls("congdoan.activities.tests.import_urls")]

GOOD = [
    [*HEADER, "Điện thoại"],
    ["A1", "Chăm lo", 2025, "", "", "0912345678"],
    ["A2", "Kiểm tra", 2024, "", "", ""],
]
BAD = [HEADER, ["A1", "Chăm lo", 2025, "", ""], ["A2", "Thi đua", "năm nay", "", ""]]


def _vi(text: str) -> str:
    """A message as the (Vietnamese) pages show it."""
    with translation.override("vi"):
        return escape(translation.gettext(text))


def _upload(client, unit_code: str, rows, name: str = "so.csv"):
    return client.post(
        reverse("test_import:import"),
        {"unit": unit_code, "file": SimpleUploadedFile(name, csv_bytes(rows))},
    )


def test_the_form(client_of):
    response = client_of("officer_a").get(reverse("test_import:import"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="unit"' in body and 'name="file"' in body
    assert reverse("test_import:template") in body


def test_upload_preview_confirm_once(client_of, world):
    client = client_of("officer_a")
    response = _upload(client, "HA", GOOD)
    assert response.status_code == 302
    upload = ImportUpload.objects.get()
    assert response["Location"].endswith(f"?upload={upload.pk}")
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store, private"
    assert 'id="count-new">2<' in body and 'id="import-confirm-form"' in body
    assert "0912345678" not in body and "•••" in body  # personal cells masked in the preview
    assert Keeping.objects.count() == 0
    url = reverse("test_import:import")
    refused = client.post(url, {"upload": upload.pk}, follow=True)  # box not ticked
    assert (
        Keeping.objects.count() == 0
        and _vi("Tick the box to confirm that you checked the preview.") in refused.content.decode()
    )
    done = client.post(url, {"upload": upload.pk, "confirm": "1"})
    assert done.status_code == 302 and done["Location"].startswith(reverse("test_import:export"))
    assert Keeping.objects.count() == 2
    again = client.post(url, {"upload": upload.pk, "confirm": "1"}, follow=True)
    assert Keeping.objects.count() == 2
    body = again.content.decode()
    assert (
        "alert-danger" in body
        and _vi(
            "This file was already imported on %(day)s; upload a new file to import more."
        ).split("%")[0]
        in body
    )
    upload.refresh_from_db()
    assert upload.committed_at is not None and upload.created_count == 2


def test_errors_on_the_preview_and_in_the_errors_file(client_of):
    client = client_of("officer_a")
    location = _upload(client, "HA", BAD)["Location"]
    body = client.get(location).content.decode()
    assert 'id="import-invalid"' in body and 'id="import-confirm-form"' not in body
    assert "Thi đua" in body and "năm nay" in body
    response = client.get(location + "&errors=1")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    rows = read_xlsx(response.content)
    assert [r[1:3] for r in rows[1:]] == [[3.0, "Sổ"], [3.0, "Từ năm"]]
    upload = ImportUpload.objects.get()
    refused = client.post(reverse("test_import:import"), {"upload": upload.pk, "confirm": "1"})
    assert refused.status_code == 302 and Keeping.objects.count() == 0


def test_another_officer_sees_nothing_of_the_upload(client_of):
    _upload(client_of("officer_a"), "HA", GOOD)
    upload = ImportUpload.objects.get()
    other = client_of("officer_b")
    url = reverse("test_import:import")
    for response in (
        other.get(f"{url}?upload={upload.pk}"),
        other.get(f"{url}?upload={upload.pk}&errors=1"),
        other.post(url, {"upload": upload.pk, "confirm": "1"}),
        other.get(f"{url}?upload=nonsense"),
    ):
        assert response.status_code == 404
        assert MARKER_A not in response.content.decode()
    assert Keeping.objects.count() == 0


def test_a_unit_outside_the_scope_is_refused_without_naming_it(client_of):
    response = _upload(client_of("officer_b"), "HA", GOOD)
    assert response.status_code == 400
    body = response.content.decode()
    assert _vi("No unit with this code was found within your scope.") in body
    assert MARKER_A not in body
    assert ImportUpload.objects.count() == 0


def test_a_refused_file_stays_on_the_form(client_of):
    response = _upload(client_of("officer_a"), "HA", GOOD, name="so.xlsm")
    message = _vi(
        "%(file)s is a workbook with macros or in binary format; save it as an ordinary Excel "
        "workbook (.xlsx)."
    ) % {"file": "so.xlsm"}
    assert response.status_code == 400 and message in response.content.decode()
    assert ImportUpload.objects.count() == 0


def test_the_template(client_of):
    response = client_of("officer_b").get(reverse("test_import:template"))
    assert response.status_code == 200
    assert read_xlsx(response.content)[0][0] == "Mã đơn vị"


def test_exports_are_scoped_filtered_and_masked(client_of, world):
    Keeping.objects.create(unit=world.grass_a1, register="care", from_year=2024)
    Keeping.objects.create(unit=world.grass_a2, register="movements", from_year=2024)
    Keeping.objects.create(unit=world.grass_b1, register="care", from_year=2024)
    url = reverse("test_import:export")
    rows = read_xlsx(client_of("officer_a").get(url).content)
    assert sorted(r[1] for r in rows[1:]) == ["A1", "A2"]
    assert all("0912345678" not in str(r) for r in rows)
    rows = read_xlsx(client_of("officer_a").get(url + "?register=care").content)
    assert [r[1] for r in rows[1:]] == ["A1"]
    response = client_of("officer_b").get(url)
    assert [r[1] for r in read_xlsx(response.content)[1:]] == ["B1"]
    assert response["Cache-Control"] == "no-store, private"
