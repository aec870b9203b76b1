"""How the generic scoping test (core/tests/test_url_scoping.py) exercises the pages and API of
the registers' shared core: keeping, attachments (on a care record of unit A's subtree)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from congdoan.core.tests.support import UrlCase

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def _unit(w: Any) -> dict[str, int]:
    return {"pk": w.grass_a1.pk}


def _record(w: Any) -> Any:
    from congdoan.care.tests.helpers import house_a

    return house_a(w)


def _add(w: Any) -> dict[str, Any]:
    return {"label": "care.CareRecord", "pk": _record(w).pk}


def _attachment(w: Any) -> dict[str, int]:
    from congdoan.activities.services import attachment_add

    if "activities_attachment_a" not in w.extra:
        w.extra["activities_attachment_a"] = attachment_add(
            actor=None, record=_record(w), upload=SimpleUploadedFile("ALPHA.pdf", PDF)
        )
    return {"pk": w.extra["activities_attachment_a"].pk}


def _new_attachment(w: Any) -> dict[str, int]:
    from congdoan.activities.services import attachment_add

    row = attachment_add(actor=None, record=_record(w), upload=SimpleUploadedFile("a.pdf", PDF))
    return {"pk": row.pk}


def _keeping(w: Any) -> dict[str, int]:
    from congdoan.activities.services import keeping_start

    if "activities_keeping_a" not in w.extra:
        w.extra["activities_keeping_a"] = keeping_start(
            actor=None, unit=w.grass_a1, register="care", from_year=2020
        )
    return {"pk": w.extra["activities_keeping_a"].pk}


def _keeping_list(w: Any) -> None:
    _keeping(w)


CASES: dict[str, UrlCase] = {
    "activities:keeping": UrlCase("object", kwargs=_unit),
    "activities:attachment_add": UrlCase(
        "object", kwargs=_add, method="post", data=lambda w: {"next": "/"}, ok=(302,)
    ),
    "activities:attachment": UrlCase("object", kwargs=_attachment),
    "activities:attachment_delete": UrlCase(
        "object", kwargs=_new_attachment, method="post", data=lambda w: {"next": "/"}, ok=(302,)
    ),
    "api:register-keeping-list": UrlCase("list", setup=_keeping_list),
    "api:register-keeping-detail": UrlCase("object", kwargs=_keeping),
    "api:register-keeping-stop": UrlCase(
        "object",
        kwargs=_keeping,
        method="post",
        data=lambda w: {"last_year": 2025},
        ok=(200, 400),
    ),
}
