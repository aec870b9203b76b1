"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the meetings pages
and API. Objects live in unit A's subtree (helpers.py); objects a write removes are made anew
for each call."""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import UrlCase
from congdoan.meetings.tests.helpers import cluster_meeting_a, meeting_a


def _meeting(w: Any) -> dict[str, int]:
    return {"pk": meeting_a(w).pk}


def _cluster_meeting(w: Any) -> dict[str, int]:
    return {"pk": cluster_meeting_a(w).pk}


def _item(w: Any) -> dict[str, int]:
    meeting_a(w)
    return {"pk": w.extra["meetings_item_a"].pk}


def _pledge(w: Any) -> dict[str, int]:
    cluster_meeting_a(w)
    return {"pk": w.extra["meetings_pledge_a"].pk}


def _attendee(w: Any) -> dict[str, int]:
    return {"pk": meeting_a(w).attendees.first().pk}


def _new_meeting(w: Any) -> dict[str, int]:
    """A fresh meeting of A2 (one per call), for deleting."""
    import datetime as dt

    from congdoan.meetings import services

    m = services.meeting_create(
        actor=None, unit=w.grass_a2, kind="other", held_on=dt.date(2024, 1, 2)
    )
    return {"pk": m.pk}


def _new_attendee(w: Any) -> dict[str, int]:
    from congdoan.meetings import services

    row = services.attendee_add(actor=None, meeting=meeting_a(w), full_name="Người dự")
    return {"pk": row.pk}


def _new_item(w: Any) -> dict[str, int]:
    from congdoan.meetings import services

    row = services.agenda_item_add(actor=None, meeting=meeting_a(w), title="Mục mới")
    return {"pk": row.pk}


def _all(w: Any) -> None:
    meeting_a(w)
    cluster_meeting_a(w)


CASES: dict[str, UrlCase] = {
    "meetings:list": UrlCase("list", setup=_all, query="year=2024", expect_marker=True),
    "meetings:create": UrlCase("list"),
    "meetings:detail": UrlCase("object", kwargs=_meeting),
    "meetings:edit": UrlCase("object", kwargs=_meeting),
    "meetings:delete": UrlCase("object", kwargs=_new_meeting, method="post", ok=(302,)),
    "meetings:attendee_add": UrlCase("object", kwargs=_meeting),
    "meetings:attendee_remove": UrlCase("object", kwargs=_new_attendee, method="post", ok=(302,)),
    "meetings:agenda_add": UrlCase("object", kwargs=_meeting),
    "meetings:agenda_edit": UrlCase("object", kwargs=_item),
    "meetings:agenda_remove": UrlCase("object", kwargs=_new_item, method="post", ok=(302,)),
    "meetings:agenda_document": UrlCase("object", kwargs=_item),
    "meetings:pledge_create": UrlCase("object", kwargs=_cluster_meeting),
    "meetings:pledge_document": UrlCase("object", kwargs=_pledge),
    # API
    "api:meeting-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:meeting-detail": UrlCase("object", kwargs=_meeting),
    "api:meeting-attendee-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:meeting-attendee-detail": UrlCase("object", kwargs=_attendee),
    "api:agenda-item-list": UrlCase("list", setup=_all),
    "api:agenda-item-detail": UrlCase("object", kwargs=_item),
    "api:agenda-item-document": UrlCase("object", kwargs=_item),
    "api:pledge-list": UrlCase("list", setup=_all, expect_marker=True),
    "api:pledge-detail": UrlCase("object", kwargs=_pledge),
    "api:pledge-document": UrlCase("object", kwargs=_pledge),
}
