"""The demo province's reports: last year's year report (báo cáo tổng kết), generated from the
demo's figures, approved and issued with the first number of the province's register, ready to
download; and this year's report still a draft, generated once (its figures are on their way in).

Played after the figures (indicators.py, current.py) and the meetings, as LĐLĐ tỉnh Lai Châu's
administrator (tinh.quantri). Files are rendered now, not by the worker, so that an officer
arriving finds them.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from congdoan.accounts.models import User
from congdoan.demo.player import Writer
from congdoan.indicators.models import Period, PeriodKind
from congdoan.meetings.models import Meeting, MeetingKind
from congdoan.organisation.models import Unit
from congdoan.reports import services

PROVINCE = "LC"
ADMIN = "tinh.quantri"
RECIPIENTS = (
    "Tổng LĐLĐ Việt Nam (để b/c);\n"
    "Thường trực Tỉnh ủy (để b/c);\n"
    "Ban Dân vận Tỉnh ủy;\n"
    "Các LĐLĐ, công đoàn ngành, CĐCS trực thuộc;\n"
    "Lưu: VT, ToC."
)
TASKS_NEXT_YEAR = (
    "Tiếp tục đổi mới nội dung, phương thức hoạt động công đoàn sau sắp xếp tổ chức bộ máy.\n"
    "Đẩy mạnh phát triển đoàn viên, thành lập công đoàn cơ sở trong doanh nghiệp ngoài nhà nước.\n"
    'Chăm lo Tết cho đoàn viên, người lao động; xây dựng nhà "Mái ấm Công đoàn".\n'
    'Triển khai Chương trình "Phúc lợi cho đoàn viên"; ký kết thỏa ước lao động tập thể.\n'
    'Tổ chức tốt phong trào thi đua "Lao động giỏi, lao động sáng tạo" năm tiếp theo.'
)


def _year_end_conference(province: Unit, year: int) -> Meeting | None:
    """The extended BCH conference of December, where the year is reviewed."""
    return (
        Meeting.objects.filter(
            unit=province, kind=MeetingKind.BCH, held_on__year=year, held_on__month=12
        )
        .order_by("-held_on")
        .first()
    )


def play_reports(*, today: dt.date, out: Writer | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    actor = User.objects.get(username=ADMIN)
    province = Unit.objects.get(code=PROVINCE)
    services.template_save(
        actor=actor,
        unit=province,
        place="Lai Châu",
        recipients=RECIPIENTS,
        number_symbol="BC-LĐLĐ",
    )
    last = Period.objects.get(kind=PeriodKind.YEAR, year=today.year - 1, programme="")
    meeting = _year_end_conference(province, last.year)
    report = services.report_create(
        actor=actor,
        unit=province,
        period=last,
        title=f"Tổng kết phong trào CNVCLĐ và hoạt động công đoàn năm {last.year}",
        tasks=TASKS_NEXT_YEAR,
        meeting_id=meeting.pk if meeting else None,
    )
    services.generation_start(actor=actor, report=report, background=False)
    services.report_approve(actor=actor, report=report)
    issued = services.report_issue(actor=actor, report=report, issued_on=today, background=False)
    current = Period.objects.filter(kind=PeriodKind.YEAR, year=today.year, programme="").first()
    draft = None
    if current is not None:
        draft = services.report_create(actor=actor, unit=province, period=current)
        services.generation_start(actor=actor, report=draft, background=False)
    if out is not None:
        out.write(
            f"Báo cáo: {issued.number_text} năm {last.year} đã ban hành"
            + (", dự thảo năm nay đã tạo" if draft else "")
            + f" ({time.perf_counter() - started:.1f} s)\n"
        )
    return {"issued": issued, "draft": draft}
