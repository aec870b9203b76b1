"""Objects the meetings tests (and the scoping cases) build in the standard world."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from congdoan.core.tests.support import MARKER_A

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(name: str = "bao-cao.docx", content: bytes = b"PK\x03\x04 docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=DOCX)


def term_a(w: Any) -> Any:
    """Term X (2023–2028) of unit A."""
    if "meetings_term_a" not in w.extra:
        from congdoan.organisation.services import term_create

        w.extra["meetings_term_a"] = term_create(
            actor=None, unit=w.unit_a, number=10, start_year=2023, end_year=2028
        )
    return w.extra["meetings_term_a"]


def cluster_a(w: Any) -> Any:
    """A cluster organised by unit A: A1 (head) and A2 in 2024."""
    if "meetings_cluster_a" not in w.extra:
        from congdoan.organisation import services

        cluster = services.cluster_create(
            actor=None, organiser=w.unit_a, code="cum-hop-alpha", name=f"Cụm thi đua {MARKER_A}"
        )
        services.cluster_member_add(
            actor=None, cluster=cluster, unit=w.grass_a1, year=2024, is_head=True
        )
        services.cluster_member_add(actor=None, cluster=cluster, unit=w.grass_a2, year=2024)
        w.extra["meetings_cluster_a"] = cluster
    return w.extra["meetings_cluster_a"]


def meeting_a(w: Any) -> Any:
    """The 2nd (extended) BCH conference of unit A in term X, with a member, a guest and an
    agenda item with a document."""
    if "meetings_meeting_a" not in w.extra:
        from congdoan.meetings import services

        meeting = services.meeting_create(
            actor=None,
            unit=w.unit_a,
            kind="bch",
            held_on=dt.date(2024, 7, 15),
            term=term_a(w),
            number=2,
            extended=True,
            place=f"Hội trường {MARKER_A}",
            chair_name="Nguyễn Văn Chủ",
            chair_title="Chủ tịch",
            conclusions="Thống nhất thông qua báo cáo.",
        )
        services.attendee_add(actor=None, meeting=meeting, member=w.member_a, title="Ủy viên BCH")
        services.attendee_add(
            actor=None,
            meeting=meeting,
            full_name="Lò Thị Khách",
            title="Phó Chủ tịch",
            body="LĐLĐ tỉnh",
            is_guest=True,
        )
        w.extra["meetings_item_a"] = services.agenda_item_add(
            actor=None, meeting=meeting, title="Báo cáo sơ kết", presenter="Trần Văn Báo",
            document=upload(), report_id=7,
        )  # fmt: skip
        w.extra["meetings_meeting_a"] = meeting
    return w.extra["meetings_meeting_a"]


def cluster_meeting_a(w: Any) -> Any:
    """The conference of cluster A held by its head unit A1 in 2024, with a pledge."""
    if "meetings_cluster_meeting_a" not in w.extra:
        from congdoan.meetings import services

        cluster = cluster_a(w)
        meeting = services.meeting_create(
            actor=None, unit=w.grass_a1, kind="cluster", held_on=dt.date(2024, 3, 1),
            cluster=cluster,
        )  # fmt: skip
        w.extra["meetings_pledge_a"] = services.pledge_create(
            actor=None,
            cluster=cluster,
            year=2024,
            signed_on=dt.date(2024, 3, 1),
            title=f"Giao ước thi đua {MARKER_A} 2024",
            signatories=[w.grass_a1, w.grass_a2],
            meeting=meeting,
            document=upload("giao-uoc.pdf", b"%PDF-1.4 giao uoc"),
        )
        w.extra["meetings_cluster_meeting_a"] = meeting
    return w.extra["meetings_cluster_meeting_a"]
