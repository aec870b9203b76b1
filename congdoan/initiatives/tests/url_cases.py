"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the initiatives pages
and API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew
for each call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.initiatives.tests.helpers import (
    contest_a,
    initiative,
    initiative_a,
    programme,
    quiz_a,
)


def _initiative(w: Any) -> dict[str, int]:
    return {"pk": initiative_a(w).pk}


def _programme(w: Any) -> dict[str, int]:
    return {"pk": programme(w).pk}


def _contest(w: Any) -> dict[str, int]:
    return {"pk": contest_a(w).pk}


def _quiz(w: Any) -> dict[str, int]:
    return {"pk": quiz_a(w).pk}


def _entry(w: Any) -> dict[str, int]:
    contest_a(w)
    return {"pk": w.extra["initiatives_entry_a"].pk}


def _participant(w: Any) -> dict[str, int]:
    quiz_a(w)
    return {"pk": w.extra["initiatives_participant_a"].pk}


def _new_initiative(w: Any) -> dict[str, int]:
    """A fresh initiative of A2 (one per call), for deleting."""
    from congdoan.initiatives import services

    row = initiative(
        w, unit=w.grass_a2, authors=[services.AuthorIn(full_name="Tác giả")], status="submitted",
        decided_on=None,
    )  # fmt: skip
    return {"pk": row.pk}


def _new_programme(w: Any) -> dict[str, int]:
    from congdoan.initiatives import services

    n = len(w.extra.setdefault("initiatives_programmes", [])) + 1
    row = services.programme_create(
        actor=None, unit=w.unit_a, name=f"Chương trình xóa {n}",
        start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
    )  # fmt: skip
    w.extra["initiatives_programmes"].append(row)
    return {"pk": row.pk}


def _new_contest(w: Any) -> dict[str, int]:
    from congdoan.initiatives import services

    row = services.contest_create(
        actor=None, unit=w.grass_a2, kind="quiz", title="Thi xóa",
        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 1, 31),
    )  # fmt: skip
    return {"pk": row.pk}


def _new_entry(w: Any) -> dict[str, int]:
    from congdoan.initiatives import services

    row = services.entry_add(actor=None, contest=contest_a(w), unit=w.grass_a2, title="Mới")
    return {"pk": row.pk}


def _new_participant(w: Any) -> dict[str, int]:
    from congdoan.initiatives import services

    row = services.participant_add(actor=None, contest=quiz_a(w), unit=w.grass_a2, count=3)
    return {"pk": row.pk}


def _decision(w: Any) -> dict[str, str]:
    return {"status": "valid", "decided_on": "2024-06-01"}


def _all(w: Any) -> None:
    initiative_a(w)
    contest_a(w)
    quiz_a(w)


CASES: dict[str, UrlCase] = {
    "initiatives:list": UrlCase("list", setup=_all, query="status=valid", expect_marker=True),
    "initiatives:summary": UrlCase("list", setup=_all, query="status=valid"),
    "initiatives:create": UrlCase("list"),
    "initiatives:import": UrlCase("list"),
    "initiatives:import_template": UrlCase("list"),
    "initiatives:export": UrlCase("list", setup=_all, query="status=valid"),
    "initiatives:detail": UrlCase("object", kwargs=_initiative),
    "initiatives:edit": UrlCase("object", kwargs=_initiative),
    "initiatives:decide": UrlCase("object", kwargs=_initiative),
    "initiatives:delete": UrlCase("object", kwargs=_new_initiative, method="post", ok=(302,)),
    "initiatives:programme_list": UrlCase("list", setup=_all, expect_marker=True),
    "initiatives:programme_create": UrlCase("list"),
    "initiatives:programme_detail": UrlCase("object", kwargs=_programme),
    "initiatives:programme_edit": UrlCase("object", kwargs=_programme),
    "initiatives:programme_delete": UrlCase(
        "object", kwargs=_new_programme, method="post", ok=(302,)
    ),
    "initiatives:contest_list": UrlCase("list", setup=_all, expect_marker=True),
    "initiatives:contest_create": UrlCase("list"),
    "initiatives:contest_detail": UrlCase("object", kwargs=_contest),
    "initiatives:contest_edit": UrlCase("object", kwargs=_contest),
    "initiatives:contest_delete": UrlCase("object", kwargs=_new_contest, method="post", ok=(302,)),
    "initiatives:entry_add": UrlCase("object", kwargs=_contest),
    "initiatives:entry_edit": UrlCase("object", kwargs=_entry),
    "initiatives:entry_remove": UrlCase("object", kwargs=_new_entry, method="post", ok=(302,)),
    "initiatives:entry_import": UrlCase("object", kwargs=_contest),
    "initiatives:entry_import_template": UrlCase("object", kwargs=_contest),
    "initiatives:entry_export": UrlCase("object", kwargs=_contest),
    "initiatives:participant_add": UrlCase("object", kwargs=_quiz),
    "initiatives:participant_import": UrlCase("object", kwargs=_quiz),
    "initiatives:participant_import_template": UrlCase("object", kwargs=_quiz),
    "initiatives:participant_export": UrlCase("object", kwargs=_quiz),
    "initiatives:participant_remove": UrlCase(
        "object", kwargs=_new_participant, method="post", ok=(302,)
    ),
    # API
    "api:initiative-programme-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:initiative-programme-detail": UrlCase("object", kwargs=_programme),
    "api:initiative-programme-results": UrlCase("object", kwargs=_programme),
    "api:initiative-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:initiative-detail": UrlCase("object", kwargs=_initiative),
    "api:initiative-decide": UrlCase(
        "object", kwargs=_initiative, method="post", data=_decision, ok=(200,)
    ),
    "api:contest-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:contest-detail": UrlCase("object", kwargs=_contest),
    "api:contest-entry-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:contest-entry-detail": UrlCase("object", kwargs=_entry),
    "api:contest-participant-list": UrlCase("list", setup=_all),
    "api:contest-participant-detail": UrlCase("object", kwargs=_participant),
}
