"""The wizard: a preview changes nothing; applying records the event with lineage."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from congdoan.members.models import ExitReason, Member, MemberStatus
from congdoan.organisation import selectors
from congdoan.organisation.models import LineageLink, ReorgEvent, ReorgKind, Unit
from congdoan.reorganisation.tests.helpers import snapshot

DAY = "01/07/2025"


def merge_data(world, **extra):
    return {
        "sources": "A2",
        "target": "A1",
        "new-TOTAL_FORMS": "1",
        "new-INITIAL_FORMS": "0",
        "day": DAY,
        "decision_ref": "15/QĐ-LĐLĐ",
        "note": "Sáp nhập theo đề án",
        **extra,
    }


def test_operation_pages_preselect_the_unit(world, client_of):
    client = client_of("officer_a")
    start = client.get(reverse("reorganisation:start"), {"unit": world.grass_a1.pk})
    assert start.status_code == 200
    assert f"?unit={world.grass_a1.pk}" in start.content.decode()
    assert f"?parent={world.grass_a1.pk}" in start.content.decode()
    for name, param in [
        ("create", "parent"),
        ("update", "unit"),
        ("move", "unit"),
        ("merge", "unit"),
        ("split", "unit"),
        ("dissolve", "unit"),
    ]:
        page = client.get(reverse(f"reorganisation:{name}"), {param: world.grass_a1.pk})
        assert page.status_code == 200, name
        html = page.content.decode()
        assert 'value="A1"' in html or "A1</textarea>" in html, name
    update = client.get(reverse("reorganisation:update"), {"unit": world.grass_a1.pk})
    assert world.grass_a1.name in update.content.decode()
    assert (
        client.get(reverse("reorganisation:move"), {"unit": world.grass_b1.pk}).status_code == 404
    )


def test_merge_preview_changes_nothing_then_apply_records_lineage(world, client_of):
    client = client_of("officer_a")
    url = reverse("reorganisation:merge")
    before = snapshot()
    preview = client.post(url, {**merge_data(world), "preview": "1"})
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Xem trước" in body and "A2" in body and 'name="apply"' in body
    assert snapshot() == before

    not_confirmed = client.post(url, {**merge_data(world), "apply": "1"})
    assert not_confirmed.status_code == 200 and "Đánh dấu vào ô" in not_confirmed.content.decode()
    assert snapshot() == before

    applied = client.post(url, {**merge_data(world), "apply": "1", "confirm": "on"})
    assert applied.status_code == 302
    event = ReorgEvent.objects.get(kind=ReorgKind.MERGE)
    assert applied["Location"] == reverse("reorganisation:event_detail", args=[event.pk])
    assert event.decision_ref == "15/QĐ-LĐLĐ" and event.note == "Sáp nhập theo đề án"
    assert event.actor == world.officer_a and event.effective_date == dt.date(2025, 7, 1)
    assert event.summary["totals"]["dissolve"] == 1

    a1, a2 = Unit.objects.get(code="A1"), Unit.objects.get(code="A2")
    assert a2.dissolved_on == dt.date(2025, 7, 1)
    link = LineageLink.objects.get(event=event)
    assert (link.source, link.target) == (a2, a1)
    assert [x.event for x in selectors.lineage(a1)["came_from"]] == [event]
    assert [x.event for x in selectors.lineage(a2)["became"]] == [event]

    page = client.get(applied["Location"]).content.decode()
    assert "15/QĐ-LĐLĐ" in page
    assert reverse("organisation:unit_detail", args=[a1.pk]) in page
    assert reverse("organisation:unit_detail", args=[a2.pk]) in page
    assert client_of("officer_b").get(applied["Location"]).status_code == 404
    events = client.get(reverse("reorganisation:event_list"), {"kind": "merge"}).content.decode()
    assert applied["Location"] in events


def test_merge_into_a_new_unit(world, client_of):
    data = merge_data(
        world,
        sources="A1; A2",
        target="",
        **{
            "new-0-code": "A9",
            "new-0-name": "CĐCS ALPHA Chung",
            "new-0-unit_type": str(Unit.objects.get(code="A1").unit_type_id),
            "new-0-parent": "HA",
        },
    )
    response = client_of("officer_a").post(
        reverse("reorganisation:merge"), {**data, "apply": "1", "confirm": "on"}
    )
    assert response.status_code == 302
    a9 = Unit.objects.get(code="A9")
    assert {link.source.code for link in LineageLink.objects.filter(target=a9)} == {"A1", "A2"}
    assert Member.objects.get(pk=world.member_a.pk).unit == a9
    assert Unit.objects.get(code="A1T1").parent == a9


def test_rule_violation_shows_next_to_the_form_in_vietnamese(world, client_of):
    before = snapshot()
    response = client_of("officer_a").post(
        reverse("reorganisation:move"),
        {"unit": "HA", "new_parent": "A1", "day": DAY, "preview": "1"},
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert snapshot() == before
    future = client_of("officer_a").post(
        reverse("reorganisation:dissolve"),
        {"unit": "A2", "members_action": "leave", "day": "31/12/2099", "preview": "1"},
    )
    assert "31/12/2099" in future.content.decode() and "invalid-feedback" in future.content.decode()
    assert snapshot() == before


def test_officer_b_cannot_touch_units_of_a(world, client_of):
    before = snapshot()
    response = client_of("officer_b").post(
        reverse("reorganisation:merge"), {**merge_data(world), "apply": "1", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Không tìm thấy" in response.content.decode()
    assert snapshot() == before


def test_split_with_assignments(world, client_of):
    cdcs = str(Unit.objects.get(code="A1").unit_type_id)
    data = {
        "source": "A1",
        "targets": "A1N A2",
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
        "new-0-code": "A1N",
        "new-0-name": "CĐCS ALPHA Một Bắc",
        "new-0-unit_type": cdcs,
        "new-0-parent": "HA",
        "member_assignments": "CDA0001 → A2",
        "child_assignments": "A1T1 ; A2",
        "day": DAY,
    }
    client = client_of("officer_a")
    before = snapshot()
    preview = client.post(reverse("reorganisation:split"), {**data, "preview": "1"})
    assert preview.status_code == 200 and "A1N" in preview.content.decode()
    assert snapshot() == before
    response = client.post(reverse("reorganisation:split"), {**data, "apply": "1", "confirm": "1"})
    assert response.status_code == 302
    assert Member.objects.get(pk=world.member_a.pk).unit.code == "A2"
    assert Unit.objects.get(code="A1T1").parent.code == "A2"
    assert Unit.objects.get(code="A1").dissolved_on is not None
    assert LineageLink.objects.filter(source__code="A1").count() == 2


def test_dissolve_members_leave(world, client_of):
    response = client_of("national").post(
        reverse("reorganisation:dissolve"),
        {
            "unit": "A1",
            "members_action": "leave",
            "children_to": "A2",
            "day": DAY,
            "apply": "1",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=world.member_a.pk)
    assert member.status == MemberStatus.EXITED
    assert member.exit_reason == ExitReason.UNIT_DISSOLVED
    assert Unit.objects.get(code="A1T1").parent.code == "A2"


def test_create_and_update(world, client_of):
    client = client_of("officer_a")
    cdcs = str(Unit.objects.get(code="A1").unit_type_id)
    created = client.post(
        reverse("reorganisation:create"),
        {
            "u-parent": "HA",
            "u-code": "a5",
            "u-name": "CĐCS ALPHA Năm",
            "u-unit_type": cdcs,
            "day": DAY,
            "apply": "1",
            "confirm": "1",
        },
    )
    assert created.status_code == 302
    assert Unit.objects.get(code="A5").parent == world.unit_a
    same = client.post(
        reverse("reorganisation:update"),
        {"unit": "A5", "name": "CĐCS ALPHA Năm", "day": DAY, "preview": "1"},
    )
    assert "Không có gì thay đổi" in same.content.decode()
    renamed = client.post(
        reverse("reorganisation:update"),
        {"unit": "A5", "name": "CĐCS ALPHA Năm Mới", "day": DAY, "apply": "1", "confirm": "1"},
    )
    assert renamed.status_code == 302
    assert Unit.objects.get(code="A5").name == "CĐCS ALPHA Năm Mới"
