"""The services: rules, scope and the audit rows they write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congdoan.activities import services as activities
from congdoan.activities.models import Attachment
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.movements import services
from congdoan.movements.models import Activity, Agreement
from congdoan.movements.tests.helpers import activity_a, agreement_a

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 4, 1)


def create(world, actor=None, **fields):
    data = {"unit": world.grass_a1, "kind": "culture", "title": "Hội thao", "on": DAY, **fields}
    return services.activity_create(actor=actor, **data)


def test_create_keeps_nfc_text_and_the_actor_in_history(world):
    row = create(world, actor=world.officer_a, title="Ho\u0300a nhạc & “văn nghệ” <xuân>")
    assert row.title == "Hòa nhạc & “văn nghệ” <xuân>"
    history = row.history.get()
    assert history.history_user == world.officer_a
    assert history.history_change_reason == "movement_activity_create"


def test_an_officer_outside_the_unit_is_told_nothing(world):
    with pytest.raises(RuleViolation) as exc:
        create(world, actor=world.officer_b)
    assert MARKER_A not in str(exc.value)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"on": dt.date(1990, 1, 1)}, "on"),
        ({"participants": -1}, "participants"),
        ({"value": Decimal("1.5"), "kind": "work"}, "value"),
        ({"value": Decimal(1000)}, "value"),  # a cultural activity has no value
        ({"event": "Chào mừng Đại hội"}, "event"),  # only works are dedicated
        ({"kind": "work", "for_congress": True}, "event"),  # the congress must be named
        ({"dan_van_kheo": True}, "dan_van_kheo"),  # only models
    ],
)
def test_rules(world, fields, field):
    with pytest.raises(RuleViolation) as exc:
        create(world, **fields)
    assert exc.value.field == field


def test_a_unit_dissolved_before_the_day_is_refused(world):
    from congdoan.organisation import services as org

    org.unit_dissolve(actor=None, unit=world.grass_a2, day=dt.date(2025, 3, 1), reason="Giải thể")
    with pytest.raises(RuleViolation) as exc:
        create(world, unit=world.grass_a2)
    assert "01/03/2025" in str(exc.value)


def test_update_changes_only_what_changed_and_checks_the_rules(world):
    row = activity_a(world)
    same = services.activity_update(actor=world.officer_a, activity=row, title=row.title)
    assert same.history.count() == 1
    row = services.activity_update(actor=world.officer_a, activity=row, value=Decimal(2_000_000))
    assert row.value == 2_000_000 and row.history.first().history_change_reason.endswith("update")
    with pytest.raises(RuleViolation):
        services.activity_update(actor=world.officer_a, activity=row, kind="culture")
    with pytest.raises(RuleViolation):
        services.activity_update(actor=world.officer_b, activity=row, title="Khác")
    with pytest.raises(TypeError):
        services.activity_update(actor=world.officer_a, activity=row, unit=world.grass_b1)


def test_delete_takes_the_attached_files_along(world):
    row = activity_a(world)
    upload = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    activities.attachment_add(actor=world.officer_a, record=row, upload=upload)
    with pytest.raises(RuleViolation):
        services.activity_delete(actor=world.officer_b, activity=row)
    services.activity_delete(actor=world.officer_a, activity=row)
    assert not Activity.objects.exists() and not Attachment.objects.exists()
    assert Activity.history.filter(history_type="-").get().history_user == world.officer_a


def test_agreement_defaults_to_the_unit_as_enterprise(world):
    row = services.agreement_create(
        actor=world.officer_a,
        unit=world.grass_a2,
        signed_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2027, 12, 31),
    )
    assert row.enterprise == world.grass_a2.name and row.renewed is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"expires_on": dt.date(2025, 1, 1)}, "expires_on"),  # before signing
        ({"expires_on": dt.date(2030, 1, 1)}, "expires_on"),  # longer than the law allows
        ({"rating": "D"}, "rating"),
        ({"workers": -3}, "workers"),
        ({"signed_on": dt.date(2025, 2, 1), "enterprise": "CÔNG TY ALPHA & CỘNG SỰ"}, "signed_on"),
    ],
)
def test_agreement_rules(world, fields, field):
    agreement_a(world)
    data = {"signed_on": dt.date(2025, 2, 1), "expires_on": dt.date(2027, 1, 31), **fields}
    data.setdefault("enterprise", "Công ty khác")
    with pytest.raises(RuleViolation) as exc:
        services.agreement_create(actor=world.officer_a, unit=world.grass_a1, **data)
    assert exc.value.field == field


def test_agreement_update_and_delete_write_history(world):
    row = agreement_a(world)
    row = services.agreement_update(actor=world.officer_a, agreement=row, rating="B", renewed=True)
    assert (row.rating, row.renewed) == ("B", True)
    services.agreement_delete(actor=world.national, agreement=row)
    reasons = list(
        Agreement.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["agreement_create", "agreement_update", "agreement_delete"]
