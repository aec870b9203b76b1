"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the welfare pages and
API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew for
each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.welfare.tests.helpers import agreement_a, new_agreement


def _agreement(w: Any) -> dict[str, int]:
    return {"pk": agreement_a(w).pk}


def _use(w: Any) -> dict[str, int]:
    agreement_a(w)
    return {"pk": w.extra["welfare_use_a"].pk}


def _fresh_agreement(w: Any) -> dict[str, int]:
    """A fresh agreement of A2 without uses (one per call), for deleting."""
    n = w.extra["welfare_fresh"] = w.extra.get("welfare_fresh", 0) + 1
    return {"pk": new_agreement(w, partner_name=f"Đối tác {n}").pk}


def _fresh_use(w: Any) -> dict[str, int]:
    from congdoan.welfare import services

    row = services.benefit_use_create(
        actor=None, agreement=agreement_a(w), used_on=dt.date(2024, 7, 1), count=3
    )
    return {"pk": row.pk}


def _all(w: Any) -> None:
    agreement_a(w)


CASES: dict[str, UrlCase] = {
    "welfare:list": UrlCase("list", setup=_all, query="year=2024", expect_marker=True),
    "welfare:uses": UrlCase("list", setup=_all, query="year=2024", expect_marker=True),
    "welfare:use_totals": UrlCase("list", setup=_all, query="year=2024"),
    "welfare:create": UrlCase("list"),
    "welfare:detail": UrlCase("object", kwargs=_agreement),
    "welfare:edit": UrlCase("object", kwargs=_agreement),
    "welfare:delete": UrlCase("object", kwargs=_fresh_agreement, method="post", ok=(302,)),
    "welfare:use_add": UrlCase("object", kwargs=_agreement),
    "welfare:use_edit": UrlCase("object", kwargs=_use),
    "welfare:use_delete": UrlCase("object", kwargs=_fresh_use, method="post", ok=(302,)),
    "welfare:import": UrlCase("list"),
    "welfare:import_template": UrlCase("list"),
    "welfare:export": UrlCase("list", setup=_all, query="year=2024"),
    "welfare:use_import": UrlCase("list"),
    "welfare:use_import_template": UrlCase("list"),
    "welfare:use_export": UrlCase("list", setup=_all, query="year=2024"),
    # API
    "api:welfare-agreement-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:welfare-agreement-detail": UrlCase("object", kwargs=_agreement),
    "api:welfare-use-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:welfare-use-detail": UrlCase("object", kwargs=_use),
}
