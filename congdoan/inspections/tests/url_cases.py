"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the inspections pages
and API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew for
each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.inspections.tests.helpers import DAY, complaint_a, inspection_a


def _inspection(w: Any) -> dict[str, int]:
    return {"pk": inspection_a(w).pk}


def _target(w: Any) -> dict[str, int]:
    return {"pk": inspection_a(w).targets.first().pk}


def _rec(w: Any) -> dict[str, int]:
    inspection_a(w)
    return {"pk": w.extra["inspections_rec_a"].pk}


def _follow_up(w: Any) -> dict[str, int]:
    inspection_a(w)
    return {"pk": w.extra["inspections_follow_up_a"].pk}


def _complaint(w: Any) -> dict[str, int]:
    return {"pk": complaint_a(w).pk}


def _new_inspection(w: Any) -> dict[str, int]:
    from congdoan.inspections import services

    row = services.inspection_create(
        actor=None, unit=w.grass_a2, kind="finance", body="ubkt", started_on=dt.date(2025, 1, 2)
    )
    return {"pk": row.pk}


def _new_target(w: Any) -> dict[str, int]:
    from congdoan.inspections import services

    n = w.extra.setdefault("inspections_n", [0])
    n[0] += 1
    row = services.inspected_add(
        actor=None, inspection=inspection_a(w), name=f"Cơ quan {n[0]}", outside_kind="agency"
    )
    return {"pk": row.pk}


def _new_rec(w: Any) -> dict[str, int]:
    from congdoan.inspections import services

    row = services.recommendation_add(actor=None, inspection=inspection_a(w), text="Kiến nghị")
    return {"pk": row.pk}


def _new_follow_up(w: Any) -> dict[str, int]:
    from congdoan.inspections import services

    inspection_a(w)
    row = services.follow_up_add(
        actor=None, recommendation=w.extra["inspections_rec_a"], on=DAY, action="Theo dõi"
    )
    return {"pk": row.pk}


def _new_complaint(w: Any) -> dict[str, int]:
    from congdoan.inspections import services

    row = services.complaint_create(
        actor=None, unit=w.grass_a2, kind="complaint", received_on=DAY, summary="Khiếu nại"
    )
    return {"pk": row.pk}


def _all(w: Any) -> None:
    inspection_a(w)
    complaint_a(w)


POST_302 = {"method": "post", "ok": (302,)}

CASES: dict[str, UrlCase] = {
    "inspections:list": UrlCase("list", setup=_all, expect_marker=True),
    "inspections:create": UrlCase("list"),
    "inspections:detail": UrlCase("object", kwargs=_inspection),
    "inspections:edit": UrlCase("object", kwargs=_inspection),
    "inspections:delete": UrlCase("object", kwargs=_new_inspection, **POST_302),
    "inspections:target_add": UrlCase("object", kwargs=_inspection),
    "inspections:target_remove": UrlCase("object", kwargs=_new_target, **POST_302),
    "inspections:recommendation_add": UrlCase("object", kwargs=_inspection),
    "inspections:recommendation_edit": UrlCase("object", kwargs=_rec),
    "inspections:recommendation_remove": UrlCase("object", kwargs=_new_rec, **POST_302),
    "inspections:follow_up_add": UrlCase("object", kwargs=_rec),
    "inspections:follow_up_remove": UrlCase("object", kwargs=_new_follow_up, **POST_302),
    "inspections:import": UrlCase("list"),
    "inspections:import_template": UrlCase("list"),
    "inspections:export": UrlCase("list", setup=_all),
    "inspections:complaints": UrlCase("list", setup=_all, expect_marker=True),
    "inspections:complaint_import": UrlCase("list"),
    "inspections:complaint_import_template": UrlCase("list"),
    "inspections:complaint_export": UrlCase("list", setup=_all),
    "inspections:complaint_create": UrlCase("list"),
    "inspections:complaint_detail": UrlCase("object", kwargs=_complaint),
    "inspections:complaint_edit": UrlCase("object", kwargs=_complaint),
    "inspections:complaint_delete": UrlCase("object", kwargs=_new_complaint, **POST_302),
    # API
    "api:inspection-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:inspection-detail": UrlCase("object", kwargs=_inspection),
    "api:inspection-target-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:inspection-target-detail": UrlCase("object", kwargs=_target),
    "api:inspection-recommendation-list": UrlCase("list", setup=_all),
    "api:inspection-recommendation-detail": UrlCase("object", kwargs=_rec),
    "api:inspection-follow-up-list": UrlCase("list", setup=_all),
    "api:inspection-follow-up-detail": UrlCase("object", kwargs=_follow_up),
    "api:complaint-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:complaint-detail": UrlCase("object", kwargs=_complaint),
}
