"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the awards pages and
API. Objects live in unit A's subtree; objects a write removes or moves on are made anew for
each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase

DAY = dt.date(2025, 11, 20)


def decision_a(w: Any) -> Any:
    """Decision of unit A with one award to A's member. Made once per world."""
    from congdoan.awards import services
    from congdoan.awards.tests.helpers import form

    if "awards_decision" not in w.extra:
        d = services.decision_create(
            actor=None, issuer_unit=w.unit_a, number=f"7/QĐ-{MARKER_A}", signed_on=DAY
        )
        services.award_add(
            actor=None, decision=d, form=form("tren_cs_giay_khen"), member=w.member_a
        )
        w.extra["awards_decision"] = d
    return w.extra["awards_decision"]


def nomination_a(w: Any, status: str = "submitted") -> Any:
    from congdoan.awards import services
    from congdoan.awards.tests.helpers import form

    n = services.nomination_create(
        actor=None,
        proposing_unit=w.grass_a1,
        issuer_unit=w.unit_a,
        form=form("tren_cs_giay_khen"),
        year=2025,
        member=w.member_a,
        achievement=f"Thành tích {MARKER_A}",
        today=DAY,
    )
    if status != "draft":
        n = services.nomination_submit(actor=None, nomination=n, today=DAY)
    return n


def _decision(w: Any) -> dict[str, int]:
    return {"pk": decision_a(w).pk}


def _new_decision(w: Any) -> dict[str, int]:
    from congdoan.awards import services

    n = len(w.extra.setdefault("awards_new", []))
    d = services.decision_create(
        actor=None, issuer_unit=w.unit_a, number=f"{100 + n}/QĐ", signed_on=DAY
    )
    w.extra["awards_new"].append(d)
    return {"pk": d.pk}


def _award(w: Any) -> dict[str, int]:
    return {"pk": decision_a(w).awards.first().pk}


def _new_award(w: Any) -> dict[str, int]:
    from congdoan.awards import services
    from congdoan.awards.tests.helpers import form

    award = services.award_add(
        actor=None, decision=decision_a(w), form=form("tren_cs_giay_khen"), unit=w.grass_a2,
        year=2000 + len(w.extra.setdefault("awards_added", [])),
    )  # fmt: skip
    w.extra["awards_added"].append(award)
    return {"pk": award.pk}


def _nomination(w: Any) -> dict[str, int]:
    if "awards_nomination" not in w.extra:
        w.extra["awards_nomination"] = nomination_a(w)
    return {"pk": w.extra["awards_nomination"].pk}


def _draft(w: Any) -> dict[str, int]:
    return {"pk": nomination_a(w, "draft").pk}


def _submitted(w: Any) -> dict[str, int]:
    return {"pk": nomination_a(w).pk}


def _council(w: Any) -> dict[str, int]:
    return {"pk": w.unit_a.pk}


def proposal_a(w: Any) -> Any:
    """Cluster A's submitted proposal for 2025 (A1 first, then A2). Made once per world."""
    from congdoan.emulation import services
    from congdoan.emulation.tests.helpers import cluster_a as make_cluster_a
    from congdoan.organisation.models import ClusterMembership

    if "awards_proposal" not in w.extra:
        cluster = make_cluster_a(w)
        ClusterMembership.objects.create(cluster=cluster, year=2025, unit=w.grass_a1, is_head=True)
        ClusterMembership.objects.create(cluster=cluster, year=2025, unit=w.grass_a2)
        proposal = services.proposal_save(
            actor=None, cluster=cluster, year=2025, proposed_on=dt.date(2025, 12, 20),
            entries=[(w.grass_a1, f"Bằng khen {MARKER_A}"), (w.grass_a2, "Giấy khen")],
        )  # fmt: skip
        w.extra["awards_proposal"] = services.proposal_submit(actor=None, proposal=proposal)
    return w.extra["awards_proposal"]


def _proposal(w: Any) -> dict[str, int]:
    return {"pk": proposal_a(w).pk}


def _form(w: Any) -> dict[str, int]:
    from congdoan.awards.tests.helpers import form

    return {"pk": form("tld_co").pk}


def _all(w: Any) -> None:
    decision_a(w)
    proposal_a(w)
    _nomination(w)
    if "awards_draft" not in w.extra:  # its page offers the edit
        w.extra["awards_draft"] = nomination_a(w, "draft")


CASES: dict[str, UrlCase] = {
    "awards:decision_list": UrlCase("list", setup=_all, expect_marker=True),
    "awards:decision_create": UrlCase("list"),
    "awards:decision_detail": UrlCase("object", kwargs=_decision),
    "awards:decision_edit": UrlCase("object", kwargs=_decision),
    "awards:decision_delete": UrlCase("object", kwargs=_new_decision, method="post", ok=(302,)),
    "awards:award_add": UrlCase("object", kwargs=_decision),
    "awards:decision_docx": UrlCase("object", kwargs=_decision),
    "awards:decision_certificates": UrlCase("object", kwargs=_decision),
    "awards:award_delete": UrlCase("object", kwargs=_new_award, method="post", ok=(302,)),
    "awards:award_certificate": UrlCase("object", kwargs=_award),
    "awards:nomination_list": UrlCase("list", setup=_all, expect_marker=True),
    "awards:nomination_create": UrlCase("list"),
    "awards:nomination_detail": UrlCase("object", kwargs=_nomination),
    "awards:nomination_edit": UrlCase("object", kwargs=_draft),
    "awards:nomination_submit": UrlCase("object", kwargs=_draft, method="post", ok=(302,)),
    "awards:nomination_withdraw": UrlCase("object", kwargs=_submitted, method="post", ok=(302,)),
    "awards:nomination_delete": UrlCase("object", kwargs=_draft, method="post", ok=(302,)),
    "awards:nomination_dossier": UrlCase("object", kwargs=_nomination, ok=(200, 404)),
    "awards:nomination_review": UrlCase("object", kwargs=_submitted),
    "awards:council": UrlCase("object", kwargs=_council, setup=_all),
    "awards:nominate_from_proposal": UrlCase("object", kwargs=_proposal),
    "awards:catalogue": UrlCase("list"),
    "awards:tallies": UrlCase("list", setup=_all, query="year=2025"),
    # API
    "api:award-form-list": UrlCase("list"),
    "api:award-form-detail": UrlCase("list", kwargs=_form),
    "api:award-decision-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:award-decision-detail": UrlCase("object", kwargs=_decision),
    "api:award-decision-from-nominations": UrlCase(
        "list", method="post", data=lambda w: {}, ok=(400,)
    ),
    "api:award-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:award-detail": UrlCase("object", kwargs=_award),
    "api:award-nomination-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:award-nomination-detail": UrlCase("object", kwargs=_nomination),
    "api:award-nomination-submit": UrlCase("object", kwargs=_draft, method="post"),
    "api:award-nomination-review": UrlCase(
        "object",
        kwargs=_submitted,
        method="post",
        data=lambda w: {"approve": True, "council_on": "2025-11-21"},
    ),
}
