"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the care pages and
API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew for
each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.care.tests.helpers import campaign_a, gift, house_a, person_a, tet_gifts_a
from congdoan.core.tests.support import MARKER_A, UrlCase


def _record(w: Any) -> dict[str, int]:
    return {"pk": house_a(w).pk}


def _campaign(w: Any) -> dict[str, int]:
    return {"pk": campaign_a(w).pk}


def _new_record(w: Any) -> dict[str, int]:
    """A fresh gift of A1 (one per call), for deleting."""
    return {"pk": gift(w, description=f"Quà {MARKER_A}").pk}


def _new_campaign(w: Any) -> dict[str, int]:
    from congdoan.care import services

    n = len([k for k in w.extra if k.startswith("care_new_campaign")])
    campaign = services.campaign_create(
        actor=None, unit=w.unit_a, name=f"Đợt {MARKER_A} {n}", start=dt.date(2024, 5, 1),
        end=dt.date(2024, 5, 31),
    )  # fmt: skip
    w.extra[f"care_new_campaign{n}"] = campaign
    return {"pk": campaign.pk}


def _all(w: Any) -> None:
    house_a(w)
    tet_gifts_a(w)
    person_a(w)


CASES: dict[str, UrlCase] = {
    "care:list": UrlCase("list", setup=_all, query="year=2024", expect_marker=True),
    "care:totals": UrlCase("list", setup=_all, query="year=2024"),
    "care:create": UrlCase("list"),
    "care:detail": UrlCase("object", kwargs=_record),
    "care:edit": UrlCase("object", kwargs=_record),
    "care:reveal": UrlCase("object", kwargs=_record, method="post", ok=(400, 403)),
    "care:delete": UrlCase("object", kwargs=_new_record, method="post", ok=(302,)),
    "care:campaign_list": UrlCase("list", setup=_all, expect_marker=True),
    "care:campaign_create": UrlCase("list"),
    "care:campaign_detail": UrlCase("object", kwargs=_campaign),
    "care:campaign_edit": UrlCase("object", kwargs=_campaign),
    "care:campaign_delete": UrlCase("object", kwargs=_new_campaign, method="post", ok=(302,)),
    "care:import": UrlCase("list"),
    "care:import_template": UrlCase("list"),
    "care:export": UrlCase("list", setup=_all, query="year=2024"),
    # API
    "api:care-record-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:care-record-detail": UrlCase("object", kwargs=_record),
    "api:care-campaign-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:care-campaign-detail": UrlCase("object", kwargs=_campaign),
}
