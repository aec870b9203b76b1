"""Files attached to records: kinds and sizes refused with a reason, stored outside the web
root, streamed only to those who may see the record's unit, removed with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congdoan.activities import selectors, services
from congdoan.activities.models import Attachment
from congdoan.activities.tests import helpers
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.meetings.models import Meeting

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def register(db):
    helpers.install()
    yield
    helpers.uninstall()


@pytest.fixture
def record(world):
    helpers.meetings(world.grass_a1, dt.date(2025, 3, 8))
    return Meeting.objects.get()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_photo_is_attached_with_history(world, record, settings):
    att = services.attachment_add(
        actor=world.officer_a, record=record, upload=upload("Trao nhà.png", PNG), caption="Bàn giao"
    )
    assert att.unit == world.grass_a1 and att.name == "Trao nhà.png" and att.size == len(PNG)
    assert str(settings.MEDIA_ROOT) in att.file.path and "Trao" not in att.file.name
    assert selectors.attachments_of(record) == [att]
    assert att.history.get().history_change_reason == "attachment_add"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("virus.exe", b"MZ" + b"\x00" * 10, ".exe"),
        ("giả.pdf", b"MZ" + b"\x00" * 10, "giả.pdf"),
        ("trống.png", b"", "trống.png"),
    ],
)
def test_wrong_files_are_refused_with_their_name(world, record, name, data, words):
    with pytest.raises(RuleViolation) as exc:
        services.attachment_add(actor=world.officer_a, record=record, upload=upload(name, data))
    assert exc.value.field == "file"
    assert words in str(exc.value) or name in str(exc.value)
    assert not Attachment.objects.exists()


def test_a_file_too_large_is_refused(world, record, settings):
    big = upload("scan.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(RuleViolation) as exc:
        services.attachment_add(actor=world.officer_a, record=record, upload=big)
    assert "10" in str(exc.value)


def test_an_officer_outside_cannot_attach_and_learns_nothing(world, record):
    with pytest.raises(RuleViolation) as exc:
        services.attachment_add(actor=world.officer_b, record=record, upload=upload("a.pdf", PDF))
    assert MARKER_A not in str(exc.value)


def test_download_through_the_scoped_view_only(client_of, world, record):
    att = services.attachment_add(actor=world.officer_a, record=record, upload=upload("a.pdf", PDF))
    url = reverse("activities:attachment", args=[att.pk])
    answer = client_of("officer_a").get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert client_of("officer_b").get(url).status_code == 404


def test_upload_and_remove_through_the_pages(client_of, world, record):
    client = client_of("officer_a")
    url = reverse("activities:attachment_add", args=["meetings.Meeting", record.pk])
    answer = client.post(url, {"file": upload("a.pdf", PDF), "caption": "Quyết định", "next": "/"})
    assert answer.status_code == 302
    att = Attachment.objects.get()
    assert att.caption == "Quyết định"
    outside = client_of("officer_b").post(
        reverse("activities:attachment_delete", args=[att.pk]), {"next": "/"}
    )
    assert outside.status_code == 404
    client.post(reverse("activities:attachment_delete", args=[att.pk]), {"next": "/"})
    assert not Attachment.objects.exists()
    assert Attachment.history.filter(history_type="-").get().history_change_reason == (
        "attachment_delete"
    )


def test_a_model_that_is_no_register_takes_no_file(client_of, world, record):
    url = reverse("activities:attachment_add", args=["accounts.User", world.officer_a.pk])
    assert client_of("officer_a").post(url, {"file": upload("a.pdf", PDF)}).status_code == 404
