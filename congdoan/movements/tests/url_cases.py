"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the movements pages
and API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew
for each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.movements.tests.helpers import activity_a, agreement_a


def _activity(w: Any) -> dict[str, int]:
    return {"pk": activity_a(w).pk}


def _agreement(w: Any) -> dict[str, int]:
    return {"pk": agreement_a(w).pk}


def _new_activity(w: Any) -> dict[str, int]:
    from congdoan.movements import services

    row = services.activity_create(
        actor=None, unit=w.grass_a2, kind="culture", title="Hội thao", on=dt.date(2025, 5, 1)
    )
    return {"pk": row.pk}


def _new_agreement(w: Any) -> dict[str, int]:
    from congdoan.movements import services

    n = len(w.extra.setdefault("movements_new_agreements", []))
    row = services.agreement_create(
        actor=None,
        unit=w.grass_a2,
        signed_on=dt.date(2024, 1, 1 + n),
        expires_on=dt.date(2026, 12, 31),
    )
    w.extra["movements_new_agreements"].append(row)
    return {"pk": row.pk}


def _all(w: Any) -> None:
    activity_a(w)
    agreement_a(w)


CASES: dict[str, UrlCase] = {
    "movements:list": UrlCase("list", setup=_all, query="year=2025", expect_marker=True),
    "movements:create": UrlCase("list"),
    "movements:detail": UrlCase("object", kwargs=_activity),
    "movements:edit": UrlCase("object", kwargs=_activity),
    "movements:delete": UrlCase("object", kwargs=_new_activity, method="post", ok=(302,)),
    "movements:import": UrlCase("list"),
    "movements:import_template": UrlCase("list"),
    "movements:export": UrlCase("list", setup=_all, query="year=2025"),
    "movements:agreement_list": UrlCase("list", setup=_all, expect_marker=True),
    "movements:agreement_import": UrlCase("list"),
    "movements:agreement_import_template": UrlCase("list"),
    "movements:agreement_export": UrlCase("list", setup=_all),
    "movements:agreement_create": UrlCase("list"),
    "movements:agreement_detail": UrlCase("object", kwargs=_agreement),
    "movements:agreement_edit": UrlCase("object", kwargs=_agreement),
    "movements:agreement_delete": UrlCase(
        "object", kwargs=_new_agreement, method="post", ok=(302,)
    ),
    # API
    "api:movement-activity-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:movement-activity-detail": UrlCase("object", kwargs=_activity),
    "api:labour-agreement-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:labour-agreement-detail": UrlCase("object", kwargs=_agreement),
}
