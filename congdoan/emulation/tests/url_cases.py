"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the emulation pages
and API. Objects live in unit A's subtree (helpers.py); objects a write changes are made anew
for each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.emulation.tests.helpers import (
    YEAR,
    card,
    movement_a,
    pledge_a,
    proposal_a,
    registration_a,
    scheme_a,
)
from congdoan.organisation.tests.url_cases import cluster_a


def _pk(make: Any) -> Any:
    return lambda w: {"pk": make(w).pk}


def _cluster(w: Any) -> dict[str, int]:
    scheme_a(w)
    return {"pk": cluster_a(w).pk}


def _new_registration(w: Any) -> dict[str, int]:
    from congdoan.emulation import services

    n = len(w.extra.setdefault("em_new_registrations", []))
    movement = services.movement_create(
        actor=None, organiser=w.unit_a, name=f"Phong trào {n}", kind="yearly", start_year=YEAR
    )
    row = services.registration_create(
        actor=None, movement=movement, unit=w.grass_a2, year=YEAR, registered_on=dt.date(2024, 1, 1)
    )
    w.extra["em_new_registrations"].append(row)
    return {"pk": row.pk}


def _card(w: Any) -> dict[str, Any]:
    return {"pk": card(w).pk}


def _card_stage(w: Any) -> dict[str, Any]:
    return {"pk": card(w).pk, "stage": "self"}


def _open_data(w: Any) -> dict[str, Any]:
    return {"unit": w.grass_a2.pk, "year": YEAR}


def _all(w: Any) -> None:
    registration_a(w)
    pledge_a(w)
    scheme_a(w)
    card(w)
    proposal_a(w)


def _year(w: Any) -> str:
    return f"year={YEAR}"


def _new_proposal(w: Any) -> dict[str, int]:
    """A draft proposal of a cluster of unit A made for each call (submitting changes it)."""
    from congdoan.emulation import services
    from congdoan.organisation import services as org

    n = len(w.extra.setdefault("em_new_proposals", []))
    cluster = org.cluster_create(
        actor=None, organiser=w.unit_a, code=f"cum-alpha-{n}", name=f"Cụm ALPHA {n}"
    )
    org.cluster_member_add(actor=None, cluster=cluster, unit=w.grass_a1, year=YEAR, is_head=True)
    row = services.proposal_save(
        actor=None,
        cluster=cluster,
        year=YEAR,
        entries=[(w.grass_a1, "Giấy khen")],
        proposed_on=dt.date(2024, 12, 1),
    )
    w.extra["em_new_proposals"].append(row)
    return {"pk": row.pk}


CASES: dict[str, UrlCase] = {
    "emulation:movement_list": UrlCase("list", setup=_all, expect_marker=True),
    "emulation:movement_create": UrlCase("list"),
    "emulation:movement_detail": UrlCase("object", kwargs=_pk(movement_a), setup=_all),
    "emulation:movement_edit": UrlCase("object", kwargs=_pk(movement_a)),
    "emulation:phase_add": UrlCase("object", kwargs=_pk(movement_a)),
    "emulation:registration_create": UrlCase("object", kwargs=_pk(movement_a)),
    "emulation:registration_withdraw": UrlCase(
        "object",
        kwargs=_new_registration,
        method="post",
        data=lambda w: {"withdrawn_on": "01/06/2024", "reason": "Thôi"},
        ok=(302,),
    ),
    "emulation:pledge_list": UrlCase("list", setup=_all, expect_marker=True),
    "emulation:pledge_create": UrlCase(
        "list", query=lambda w: f"cluster={cluster_a(w).pk}&{_year(w)}"
    ),
    "emulation:pledge_detail": UrlCase("object", kwargs=_pk(pledge_a)),
    "emulation:scheme_list": UrlCase("list", setup=_all, expect_marker=True),
    "emulation:scheme_create": UrlCase("list"),
    "emulation:scheme_detail": UrlCase("object", kwargs=_pk(scheme_a)),
    "emulation:ranking_index": UrlCase("list", setup=_all, query=_year, expect_marker=True),
    "emulation:ranking": UrlCase("object", kwargs=_cluster, setup=_all, query=_year),
    "emulation:scorecard_open": UrlCase(
        "object", kwargs=_cluster, method="post", data=_open_data, ok=(302,)
    ),
    "emulation:proposal_edit": UrlCase("object", kwargs=_cluster, query=_year),
    "emulation:scorecard_detail": UrlCase("object", kwargs=_card),
    "emulation:scorecard_score": UrlCase("object", kwargs=_card_stage),
    "emulation:proposal_detail": UrlCase("object", kwargs=_pk(proposal_a)),
    "emulation:proposal_submit": UrlCase("object", kwargs=_new_proposal, method="post", ok=(302,)),
    # API
    "api:emulation-movement-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:emulation-movement-detail": UrlCase("object", kwargs=_pk(movement_a)),
    "api:emulation-movement-phases": UrlCase(
        "object",
        kwargs=_pk(movement_a),
        method="post",
        data=lambda w: {"name": "Giai đoạn thử", "starts_on": "2024-13-01", "ends_on": "x"},
        ok=(400,),
    ),
    "api:emulation-registration-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:emulation-registration-detail": UrlCase("object", kwargs=_pk(registration_a)),
    "api:emulation-registration-withdraw": UrlCase(
        "object",
        kwargs=_new_registration,
        method="post",
        data=lambda w: {"withdrawn_on": "2024-06-01"},
    ),
    "api:scoring-scheme-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:scoring-scheme-detail": UrlCase("object", kwargs=_pk(scheme_a)),
    "api:scorecard-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:scorecard-detail": UrlCase("object", kwargs=_card),
    "api:scorecard-score": UrlCase(
        "object", kwargs=_card, method="post", data=lambda w: {"stage": "nope"}, ok=(400,)
    ),
    "api:cluster-proposal-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:cluster-proposal-detail": UrlCase("object", kwargs=_pk(proposal_a)),
    "api:cluster-proposal-submit": UrlCase("object", kwargs=_new_proposal, method="post"),
    "api:emulation-cluster-ranking": UrlCase("object", kwargs=_cluster, setup=_all, query=_year),
}
