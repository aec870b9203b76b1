"""The reorganisation API: dry runs change nothing, applying records the event; plans; events."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congdoan.organisation.models import LineageLink, PlanStatus, ReorgEvent, Unit
from congdoan.reorganisation.tests.helpers import csv_bytes, row, snapshot

MERGE = {"sources": ["A2"], "target": "A1", "effective_date": "01/07/2025"}


def test_merge_dry_run_then_apply(world, client_of):
    client = client_of("officer_a")
    url = reverse("api:reorganisation-merge")
    before = snapshot()
    dry = client.post(url, MERGE, content_type="application/json")
    assert dry.status_code == 200, dry.json()
    body = dry.json()
    assert body["dry_run"] is True and body["event"] is None
    assert body["totals"]["dissolve"] == 1
    assert any("A2" in c["text"] for c in body["changes"])
    assert snapshot() == before

    applied = client.post(
        url,
        {**MERGE, "dry_run": False, "decision_ref": "7/QĐ", "note": "API"},
        content_type="application/json",
    )
    assert applied.status_code == 201, applied.json()
    event = ReorgEvent.objects.get(pk=applied.json()["event"])
    assert event.decision_ref == "7/QĐ" and event.note == "API"
    assert applied.json()["changes"] == body["changes"]  # the preview was the real thing

    detail = client.get(reverse("api:reorganisation-event-detail", args=[event.pk])).json()
    assert detail["kind"] == "merge" and detail["member_events"] == 0
    assert [(x["source"]["code"], x["target"]["code"]) for x in detail["links"]] == [("A2", "A1")]
    listing = client.get(reverse("api:reorganisation-event-list"), {"kind": "merge"}).json()
    assert [e["id"] for e in listing["results"]] == [event.pk]
    assert (
        client_of("officer_b")
        .get(reverse("api:reorganisation-event-detail", args=[event.pk]))
        .status_code
        == 404
    )


def test_out_of_scope_units_are_not_found_and_nothing_changes(world, client_of):
    before = snapshot()
    response = client_of("officer_b").post(
        reverse("api:reorganisation-merge"),
        {**MERGE, "dry_run": False},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"].startswith("sources")
    assert "Không tìm thấy" in response.json()["detail"]
    assert snapshot() == before


def test_rule_violation_is_400_in_vietnamese(world, client_of):
    before = snapshot()
    response = client_of("national").post(
        reverse("api:reorganisation-move"),
        {"unit": "HA", "new_parent": "A1T1", "effective_date": "2025-07-01", "dry_run": False},
        content_type="application/json",
    )
    assert response.status_code == 400 and "HA" in response.json()["detail"]
    assert snapshot() == before


def test_other_operations(world, client_of):
    client = client_of("officer_a")

    def post(op, data):
        return client.post(
            reverse(f"api:reorganisation-{op}"),
            {"effective_date": "01/07/2025", "dry_run": False, **data},
            content_type="application/json",
        )

    created = post(
        "create", {"parent": "HA", "code": "A7", "name": "CĐCS ALPHA Bảy", "unit_type": "cdcs"}
    )
    assert created.status_code == 201, created.json()
    assert post("update", {"unit": "A7", "short_name": "CĐCS A7"}).status_code == 201
    split = post(
        "split",
        {
            "source": "A1",
            "targets": ["A1S", "A7"],
            "new_targets": [
                {"code": "A1S", "name": "CĐCS ALPHA Một S", "unit_type": "cdcs", "parent": "HA"}
            ],
            "member_assignments": [{"member": "CDA0001", "target": "A7"}],
            "child_assignments": [{"unit": "A1T1", "target": "A1S"}],
        },
    )
    assert split.status_code == 201, split.json()
    assert Unit.objects.get(code="A1T1").parent.code == "A1S"
    assert LineageLink.objects.filter(source__code="A1").count() == 2
    dissolved = post("dissolve", {"unit": "A7", "members_to": "A2"})
    assert dissolved.status_code == 201, dissolved.json()
    assert world.member_a.__class__.objects.get(pk=world.member_a.pk).unit.code == "A2"
    moved = post("move", {"unit": "A2", "new_parent": "HB"})
    assert moved.status_code == 400  # HB is outside officer A's scope


def test_plan_upload_and_apply(world, client_of):
    client = client_of("officer_a")
    data = csv_bytes([row("Đổi tên – cập nhật", "A2", name="CĐCS ALPHA Hai mới")])
    before = snapshot()
    response = client.post(
        reverse("api:reorganisation-plan-list"),
        {"file": SimpleUploadedFile("p.csv", data), "decision_ref": "9/QĐ"},
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["status"] == PlanStatus.VALID and plan["errors"] == []
    assert plan["totals"]["update"] == 1 and plan["preview"][0]["row"] == 2
    assert snapshot() == before

    url = reverse("api:reorganisation-plan-detail", args=[plan["id"]])
    assert client.get(url).json()["id"] == plan["id"]
    assert client_of("officer_b").get(url).status_code == 404
    apply_url = reverse("api:reorganisation-plan-apply", args=[plan["id"]])
    assert client_of("officer_b").post(apply_url).status_code == 404
    assert snapshot() == before
    applied = client.post(apply_url)
    assert applied.status_code == 200, applied.json()
    assert applied.json()["plan"]["status"] == PlanStatus.APPLIED
    assert len(applied.json()["events"]) == 1
    assert Unit.objects.get(code="A2").name == "CĐCS ALPHA Hai mới"
    assert client.post(apply_url).status_code == 400


def test_bad_plan_over_the_api(world, client_of):
    data = csv_bytes([row("Giải thể", "KHONG_CO")])
    response = client_of("officer_a").post(
        reverse("api:reorganisation-plan-list"), {"file": SimpleUploadedFile("p.csv", data)}
    )
    plan = response.json()
    assert plan["status"] == PlanStatus.INVALID
    assert plan["errors"][0]["row"] == 2 and plan["errors"][0]["column"] == "Mã đơn vị"
    apply_url = reverse("api:reorganisation-plan-apply", args=[plan["id"]])
    assert client_of("officer_a").post(apply_url).status_code == 400
