"""Objects the inspections tests (and the scoping cases) build in the standard world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A

DAY = dt.date(2025, 3, 10)


def inspection_a(w: Any) -> Any:
    """Unit A's UBKT inspecting Charter compliance at A1 and A2 and at an enterprise outside the
    tree, with a recommendation to A1 (carried out) and one to all (not yet)."""
    if "inspections_a" not in w.extra:
        from congdoan.inspections import services

        inspection = services.inspection_create(
            actor=None, unit=w.unit_a, kind="charter", body="ubkt", started_on=DAY,
            ended_on=DAY + dt.timedelta(days=5), title=f"Kiểm tra Điều lệ {MARKER_A}",
            decision_number="05/QĐ-UBKT", decision_date=DAY - dt.timedelta(days=7),
            units=[w.grass_a1, w.grass_a2], outside=[("Công ty TNHH Hòa Bình", "enterprise")],
            findings="Thực hiện cơ bản đúng Điều lệ.",
        )  # fmt: skip
        a1 = inspection.targets.get(unit=w.grass_a1)
        rec = services.recommendation_add(
            actor=None, inspection=inspection, text="Cập nhật sổ đoàn viên", target=a1
        )
        w.extra["inspections_follow_up_a"] = services.follow_up_add(
            actor=None, recommendation=rec, on=DAY + dt.timedelta(days=30), action="Đã cập nhật",
            done=True,
        )  # fmt: skip
        w.extra["inspections_rec_a"] = rec
        services.recommendation_add(actor=None, inspection=inspection, text="Nộp đoàn phí đúng hạn")
        w.extra["inspections_a"] = inspection
    return w.extra["inspections_a"]


def complaint_a(w: Any) -> Any:
    if "inspections_complaint_a" not in w.extra:
        from congdoan.inspections import services

        w.extra["inspections_complaint_a"] = services.complaint_create(
            actor=None, unit=w.unit_a, kind="denunciation", received_on=DAY,
            sender="Lê Văn Tố", summary=f"Tố cáo chi sai quỹ tại {MARKER_A}",
            resolved_on=DAY + dt.timedelta(days=20), outcome="Đã xác minh, kết luận.",
        )  # fmt: skip
    return w.extra["inspections_complaint_a"]
