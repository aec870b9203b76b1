"""Demo meetings of LĐLĐ tỉnh Lai Châu, built through the services (actor None: system work).

`load(today=…)` adds, once the demo federation exists (congdoan/demo): the congress that
opened term XIII (linked to the term the demo recorded), the BCH conferences of that term held
so far (two a year, the year-end one extended), with the BCH members and guests attending, and
the 2024 conference of Cụm thi đua số 3 held by its head unit, with the emulation pledge its
four units signed. Returns the number of meetings created; nothing when the province is
missing or already has meetings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.meetings import services
from congdoan.meetings.models import Meeting, MeetingKind
from congdoan.organisation.models import Cluster, ClusterMembership, CommitteeSeat, Term, Unit

PROVINCE = "LC"
CLUSTER = "lc-cum-3"
PLACE = "Hội trường Liên đoàn Lao động tỉnh Lai Châu"
GUESTS = [
    ("Phạm Thị Thanh Hương", "Phó Trưởng ban Tổ chức", "Tổng Liên đoàn Lao động Việt Nam"),
    ("Giàng A Tông", "Phó Bí thư Tỉnh ủy", "Tỉnh ủy Lai Châu"),
    ("Lò Thị Kim Ngân", "Trưởng Ban Dân vận", "Tỉnh ủy Lai Châu"),
    ("Tống Thanh Hải", "Phó Chủ tịch", "Ủy ban nhân dân tỉnh Lai Châu"),
]
CLUSTER_GUESTS = [
    ("Vàng Thị Mai", "Phó Chủ tịch", "Liên đoàn Lao động tỉnh Lai Châu"),
    ("Nguyễn Văn Hòa", "Trưởng ban Chính sách - Pháp luật", "Liên đoàn Lao động tỉnh Lai Châu"),
]
CONCLUSIONS = (
    "Hội nghị thống nhất thông qua báo cáo kết quả hoạt động công đoàn và phương hướng, "
    "nhiệm vụ trọng tâm kỳ tới; giao Ban Thường vụ chỉ đạo triển khai thực hiện."
)


def _chair(term: Term) -> tuple[str, str]:
    seat = (
        CommitteeSeat.objects.filter(term=term, committee="bch", position__code="chu_tich")
        .order_by("start_date")
        .first()
    )
    return (seat.full_name, seat.job_title or "Chủ tịch") if seat else ("", "")


def _add_people(meeting: Meeting, term: Term, guests: list[tuple[str, str, str]]) -> None:
    for name, title, body in guests:
        services.attendee_add(
            actor=None, meeting=meeting, full_name=name, title=title, body=body, is_guest=True
        )
    seats = CommitteeSeat.objects.filter(
        term=term, committee="bch", start_date__lte=meeting.held_on
    ).exclude(end_date__lte=meeting.held_on)
    for seat in seats.select_related("member__unit"):
        member = seat.member
        if member is not None and not member.unit.path.startswith(meeting.unit.path):
            member = None
        services.attendee_add(
            actor=None, meeting=meeting, full_name=seat.full_name, member=member,
            title=seat.job_title, body="",
        )  # fmt: skip


def _bch_days(term: Term, today: dt.date) -> list[tuple[dt.date, bool]]:
    """The first conference on the congress day, then one in July and an extended one in
    December each year, up to `today`."""
    first = term.congress_date or dt.date(term.start_year, 7, 1)
    days = [(first, False)]
    for year in range(term.start_year, term.end_year + 1):
        days += [(dt.date(year, 7, 15), False), (dt.date(year, 12, 18), True)]
    return [(d, ext) for d, ext in days if first <= d <= today and (d, ext) != (first, True)]


def _province_meetings(province: Unit, today: dt.date) -> int:
    term = Term.objects.filter(unit=province, number=13).first()
    if term is None:
        return 0
    chair_name, chair_title = _chair(term)
    common: dict[str, Any] = {
        "actor": None, "unit": province, "term": term, "place": PLACE,
        "chair_name": chair_name, "chair_title": chair_title, "conclusions": CONCLUSIONS,
    }  # fmt: skip
    congress = services.meeting_create(
        kind=MeetingKind.CONGRESS, held_on=term.congress_date or dt.date(2023, 7, 20), **common
    )
    _add_people(congress, term, GUESTS)
    count = 1
    for number, (day, extended) in enumerate(_bch_days(term, today), start=1):
        meeting = services.meeting_create(
            kind=MeetingKind.BCH, held_on=day, number=number, extended=extended, **common
        )
        _add_people(meeting, term, GUESTS[1:3] if extended else [])
        services.agenda_item_add(
            actor=None, meeting=meeting, title="Báo cáo kết quả hoạt động công đoàn",
            presenter=chair_name,
        )  # fmt: skip
        count += 1
    return count


def _cluster_meeting(code: str, year: int) -> int:
    cluster = Cluster.objects.filter(code=code).first()
    if cluster is None:
        return 0
    members = list(ClusterMembership.objects.filter(cluster=cluster, year=year))
    head = next((m.unit for m in members if m.is_head), None)
    if head is None:
        return 0
    day = dt.date(year, 3, 5)
    meeting = services.meeting_create(
        actor=None, unit=head, kind=MeetingKind.CLUSTER, held_on=day, cluster=cluster,
        place=f"Hội trường {head.name}", chair_name="Vàng Thị Mai",
        chair_title="Phó Chủ tịch Liên đoàn Lao động tỉnh",
        conclusions="Các đơn vị trong cụm thống nhất ký kết giao ước thi đua năm "
        f"{year}, phân công cụm trưởng, cụm phó.",
    )  # fmt: skip
    for name, title, body in CLUSTER_GUESTS:
        services.attendee_add(
            actor=None, meeting=meeting, full_name=name, title=title, body=body, is_guest=True
        )
    for m in members:
        services.attendee_add(
            actor=None, meeting=meeting, full_name=f"Đại diện {m.unit.name}", title="Chủ tịch",
            body=m.unit.name,
        )  # fmt: skip
    services.pledge_create(
        actor=None, cluster=cluster, year=year, signed_on=day, meeting=meeting,
        title=f"Giao ước thi đua năm {year} {cluster.name}",
        signatories=[m.unit for m in members],
    )  # fmt: skip
    return 1


def load(
    *,
    today: dt.date,
    province_code: str = PROVINCE,
    cluster_code: str = CLUSTER,
    cluster_year: int = 2024,
) -> int:
    """Add the demo meetings (see the module's docstring); the number of meetings created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Meeting.objects.filter(unit=province).exists():
        return 0
    return _province_meetings(province, today) + _cluster_meeting(cluster_code, cluster_year)
