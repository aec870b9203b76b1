"""Scoping cases of the report pages and API (see core/tests/test_url_scoping.py).

A's report is made once per world with a ready version (small stand-in files: the scoping walk
is about who gets what, the files themselves are tested in test_render_*.py and test_flow.py).
Writes are posted by national first and officer A next: the second may find the report moved on
(a refusal shown as a message, or 400 in the API). Officer B always gets 404 for A's reports.
"""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase


def report_a(world: Any) -> Any:
    if "report_a" not in world.extra:
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from congdoan.indicators.tests.url_cases_entry import year
        from congdoan.reports.models import Generation, GenerationState
        from congdoan.reports.services import report_create

        report = report_create(
            actor=None,
            unit=world.unit_a,
            period=year(world),
            title=f"Báo cáo {MARKER_A}",
            tasks=f"Nhiệm vụ {MARKER_A}",
        )
        gen = Generation.objects.create(
            report=report,
            version=1,
            state=GenerationState.DONE,
            progress=100,
            data_at=timezone.now(),
            text=f"Báo cáo {MARKER_A}",
            news_html=f"<p>Tin {MARKER_A}</p>",
            news_text=f"Tin {MARKER_A}",
            document=None,
        )
        for kind in ("docx", "pdf", "xlsx"):
            getattr(gen, kind).save(
                f"a.{kind}", ContentFile(f"{MARKER_A} {kind}".encode()), save=False
            )
        gen.save()
        world.extra["report_a"] = report
        world.extra["generation_a"] = gen
    return world.extra["report_a"]


def generation_a(world: Any) -> Any:
    report_a(world)
    return world.extra["generation_a"]


def template_a(world: Any) -> Any:
    if "template_a" not in world.extra:
        from congdoan.reports.services import template_save

        world.extra["template_a"] = template_save(
            actor=None, unit=world.unit_a, place=f"Huyện {MARKER_A}"
        )
    return world.extra["template_a"]


def _report(w: Any) -> dict[str, int]:
    return {"pk": report_a(w).pk}


def _gen(w: Any) -> dict[str, int]:
    return {"pk": generation_a(w).pk}


def _unit_a(w: Any) -> dict[str, int]:
    return {"pk": w.unit_a.pk}


def _approved(w: Any) -> None:
    from congdoan.reports.models import ReportStatus

    report = report_a(w)
    if report.status == ReportStatus.DRAFT:
        report.status = ReportStatus.APPROVED
        report.save(update_fields=["status"])


CASES: dict[str, UrlCase] = {
    "reports:report_list": UrlCase("list", setup=report_a, expect_marker=True),
    "reports:report_create": UrlCase("list"),
    "reports:report_detail": UrlCase("object", kwargs=_report, expect_marker=True),
    "reports:report_edit": UrlCase("object", kwargs=_report),
    "reports:report_generate": UrlCase(
        "object", kwargs=_report, method="post", ok=(302,), setup=template_a
    ),
    "reports:report_approve": UrlCase("object", kwargs=_report, method="post", ok=(302,)),
    "reports:report_issue": UrlCase(
        "object",
        kwargs=_report,
        method="post",
        ok=(302,),
        setup=_approved,
        data=lambda w: {"issued_on": "05/02/2025"},
    ),
    "reports:report_delete": UrlCase(
        "object", kwargs=_report, method="post", ok=(302,), allowed=("officer_a",)
    ),
    "reports:generation_status": UrlCase("object", kwargs=_gen),
    "reports:generation_file": UrlCase(
        "object", kwargs=lambda w: {"pk": generation_a(w).pk, "kind": "pdf"}
    ),
    "reports:template": UrlCase("object", kwargs=_unit_a),
    "reports:register": UrlCase("object", kwargs=_unit_a),
    "reports:word_template": UrlCase(
        "object",
        kwargs=lambda w: {"pk": w.unit_a.pk, "what": "preview"},
        query=lambda w: f"version={template_a(w).version}",
    ),
    # API
    "api:report-list": UrlCase("list", setup=report_a, expect_marker=True),
    "api:report-detail": UrlCase("object", kwargs=_report, expect_marker=True),
    "api:report-generate": UrlCase("object", kwargs=_report, method="post", ok=(202,)),
    "api:report-approve": UrlCase("object", kwargs=_report, method="post", ok=(200, 400)),
    "api:report-issue": UrlCase(
        "object", kwargs=_report, method="post", ok=(200, 400), setup=_approved
    ),
    "api:report-version-detail": UrlCase("object", kwargs=_gen),
    "api:report-version-file": UrlCase(
        "object", kwargs=lambda w: {"pk": generation_a(w).pk, "kind": "docx"}
    ),
    "api:report-template-list": UrlCase("list", setup=template_a, expect_marker=True),
    "api:report-template-detail": UrlCase("object", kwargs=lambda w: {"pk": template_a(w).pk}),
}
