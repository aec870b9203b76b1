"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the grading pages
and API. Gradings live in unit A's subtree (helpers.py); those a write changes or removes are
made anew for each call."""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.grading.tests.helpers import grading_a, new_grading


def _grading(w: Any) -> dict[str, int]:
    return {"pk": grading_a(w).pk}


def _new(w: Any) -> dict[str, int]:
    return {"pk": new_grading(w).pk}


def _scheme(w: Any) -> dict[str, int]:
    from congdoan.grading.models import Scheme

    return {"pk": Scheme.objects.get(code="cdcs_2024").pk}


def _all(w: Any) -> None:
    grading_a(w)


def _confirm_body(w: Any) -> dict[str, str]:
    return {"decision_number": "09/QĐ-LĐLĐ", "decision_date": "15/01/2025"}


CASES: dict[str, UrlCase] = {
    "grading:list": UrlCase("list", setup=_all, query="year=2024", expect_marker=True),
    "grading:create": UrlCase("list"),
    "grading:grade": UrlCase("object", kwargs=lambda w: {"unit_pk": w.grass_a2.pk, "year": 2024}),
    "grading:ungraded": UrlCase("list", setup=_all, query="unit=HA&year=2024", expect_marker=True),
    "grading:export": UrlCase("list", setup=_all, query="year=2024"),
    "grading:import": UrlCase("list"),
    "grading:import_template": UrlCase("list"),
    "grading:unit_history": UrlCase("object", kwargs=lambda w: {"pk": w.grass_a1.pk}),
    "grading:detail": UrlCase("object", kwargs=_grading),
    "grading:edit": UrlCase("object", kwargs=_grading),
    "grading:confirm": UrlCase("object", kwargs=_grading),
    "grading:delete": UrlCase("object", kwargs=_new, method="post", ok=(302,)),
    "grading:schemes": UrlCase("list"),
    "grading:scheme_detail": UrlCase("list", kwargs=_scheme),
    # API
    "api:grading-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:grading-detail": UrlCase("object", kwargs=_grading),
    "api:grading-confirm": UrlCase("object", kwargs=_new, method="post", data=_confirm_body),
    "api:grading-scheme-list": UrlCase("list"),
    "api:grading-scheme-detail": UrlCase("list", kwargs=_scheme),
}
