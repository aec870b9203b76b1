"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the reorganisation URLs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase

DAY = dt.date(2025, 7, 1)


def event_a(world: Any) -> Any:
    """A recorded creation of a unit under unit A (once per world)."""
    if "event_a" not in world.extra:
        from congdoan.core.tests.support import unit_type
        from congdoan.reorganisation.services import NewUnit, reorg_create

        world.extra["event_a"] = reorg_create(
            actor=world.officer_a,
            new=NewUnit(
                code="A3",
                name=f"CĐCS {MARKER_A} Ba",
                short_name=f"CĐCS {MARKER_A} Ba",
                unit_type=unit_type("cdcs"),
                parent=world.unit_a,
            ),
            day=DAY,
            decision_ref="12/QĐ-LĐLĐ",
        )
    return world.extra["event_a"]


def plan_a(world: Any) -> Any:
    """A valid plan of unit A renaming A2 (once per world)."""
    if "plan_a" not in world.extra:
        from congdoan.reorganisation.plans import plan_upload

        csv = (
            "STT;Thao tác;Mã đơn vị;Tên đơn vị;Ngày hiệu lực\n"
            f"1;Đổi tên – cập nhật;A2;CĐCS {MARKER_A} Hai mới;01/07/2025\n"
        )
        world.extra["plan_a"] = plan_upload(
            actor=world.officer_a,
            filename="ke-hoach.csv",
            data=csv.encode("utf-8"),
            title=f"Kế hoạch {MARKER_A}",
        )
    return world.extra["plan_a"]


def _unit(param: str) -> Any:
    return lambda w: f"{param}={w.grass_a1.pk}"


CASES: dict[str, UrlCase] = {
    "reorganisation:start": UrlCase("object", query=_unit("unit")),
    "reorganisation:create": UrlCase("object", query=_unit("parent")),
    "reorganisation:update": UrlCase("object", query=_unit("unit")),
    "reorganisation:move": UrlCase("object", query=_unit("unit")),
    "reorganisation:merge": UrlCase("object", query=_unit("unit")),
    "reorganisation:split": UrlCase("object", query=_unit("unit")),
    "reorganisation:dissolve": UrlCase("object", query=_unit("unit")),
    "reorganisation:event_list": UrlCase("list", setup=event_a, expect_marker=True),
    "reorganisation:event_detail": UrlCase("object", kwargs=lambda w: {"pk": event_a(w).pk}),
    "reorganisation:plan_list": UrlCase("list", setup=plan_a, expect_marker=True),
    "reorganisation:plan_upload": UrlCase("list"),
    "reorganisation:plan_template": UrlCase("list"),
    "reorganisation:plan_detail": UrlCase("object", kwargs=lambda w: {"pk": plan_a(w).pk}),
    "reorganisation:plan_apply": UrlCase(
        "object",
        kwargs=lambda w: {"pk": plan_a(w).pk},
        method="post",
        data=lambda w: {"confirm": "1"},
        ok=(302,),
    ),
}


def _merge_a(world: Any) -> dict[str, Any]:
    """A dry-run merge of A's units: officer B is told they are not found (400), A previews."""
    return {"sources": ["A2"], "target": "A1", "effective_date": "01/07/2025", "dry_run": True}


def _op_case(data: Any) -> UrlCase:
    return UrlCase("object", method="post", data=data, denied=(400,))


CASES.update(
    {
        "api:reorganisation-create": _op_case(
            lambda w: {
                "parent": "HA",
                "code": "A8",
                "name": f"CĐCS {MARKER_A} Tám",
                "unit_type": "cdcs",
                "effective_date": "01/07/2025",
            }
        ),
        "api:reorganisation-update": _op_case(
            lambda w: {"unit": "A1", "name": "CĐCS mới", "effective_date": "01/07/2025"}
        ),
        "api:reorganisation-move": _op_case(
            lambda w: {"unit": "A1T1", "new_parent": "A2", "effective_date": "01/07/2025"}
        ),
        "api:reorganisation-merge": _op_case(_merge_a),
        "api:reorganisation-split": _op_case(
            lambda w: {"source": "A1", "targets": ["A2", "HA"], "effective_date": "01/07/2025"}
        ),
        "api:reorganisation-dissolve": _op_case(
            lambda w: {"unit": "A2", "effective_date": "01/07/2025"}
        ),
        "api:reorganisation-event-list": UrlCase("list", setup=event_a, expect_marker=True),
        "api:reorganisation-event-detail": UrlCase(
            "object", kwargs=lambda w: {"pk": event_a(w).pk}
        ),
        "api:reorganisation-plan-list": UrlCase("list", setup=plan_a, expect_marker=True),
        "api:reorganisation-plan-detail": UrlCase("object", kwargs=lambda w: {"pk": plan_a(w).pk}),
        "api:reorganisation-plan-apply": UrlCase(
            "object", kwargs=lambda w: {"pk": plan_a(w).pk}, method="post", ok=(200, 400)
        ),
    }
)
