"""Demo inspections and complaints of LĐLĐ tỉnh Lai Châu, built through the services (actor
None: system work). Deterministic: the units are taken in the order of their codes.

`load(today=…)` adds, once the demo federation exists (congdoan/demo):

- the year before `today` (2025 for a demo of 2026, the year of complete figures): the
  province's UBKT inspecting Charter compliance and finance of the units directly below it (the
  district federations before the 1/7/2025 reform, the commune unions after it), its BCH
  supervising social insurance at enterprise unions, and the Party's social supervision under
  Decision 217 jointly with the Fatherland Front at an agency and an enterprise outside the tree;
  three units directly below the province (district federations first) inspecting their
  grassroots unions in the spring; recommendations
  with their follow-ups (most carried out, a few not yet); three cases of complaint and
  denunciation at the province, two resolved. These units enter their figures for that year:
  the records are the register's, not counted in the figures.
- the year of `today`, so far: up to three units directly below the province that have entered
  no figure of the register's indicators this year keep the inspections register from this year
  (the first also keeps the complaints register) and record their inspections of their
  grassroots unions: their figures of kt_dieu_le_cuoc and the others are counted from these.

Returns the number of inspections and cases created; nothing when the province is missing or
already has inspections.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.activities import registers
from congdoan.activities import services as activities
from congdoan.core.scoping import path_range_q
from congdoan.inspections import services
from congdoan.inspections.models import Body, Inspected, Inspection, InspectionKind, OutsideKind
from congdoan.organisation.models import Unit, UnitVersion

PROVINCE = "LC"
FRONT = "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lai Châu"
OUTSIDE_217 = [
    ("Sở Nội vụ tỉnh Lai Châu", OutsideKind.AGENCY),
    ("Công ty Cổ phần Thủy điện Nậm Na", OutsideKind.ENTERPRISE),
]
FINDINGS: dict[str, str] = {
    InspectionKind.CHARTER: (
        "Các đơn vị cơ bản thực hiện đúng Điều lệ Công đoàn Việt Nam; sinh hoạt Ban Chấp hành "
        "định kỳ; một số đơn vị chưa cập nhật kịp thời sổ theo dõi đoàn viên."
    ),
    InspectionKind.FINANCE: (
        "Thu, chi tài chính công đoàn cơ bản đúng quy định; còn chậm nộp kinh phí, đoàn phí về "
        "cấp trên; chứng từ chi hỗ trợ đoàn viên chưa đầy đủ chữ ký người nhận."
    ),
    InspectionKind.DEMOCRACY: (
        "Hội nghị người lao động tổ chức đúng thời gian; quy chế dân chủ ở cơ sở được niêm yết "
        "công khai; nội dung đối thoại định kỳ còn sơ sài."
    ),
    InspectionKind.COMPLAINTS: (
        "Đơn thư được tiếp nhận, vào sổ đầy đủ; một vụ việc giải quyết quá thời hạn quy định."
    ),
    InspectionKind.POLICY: (
        "Doanh nghiệp đóng bảo hiểm xã hội, bảo hiểm y tế cho người lao động; một doanh nghiệp "
        "còn nợ đóng bảo hiểm 3 tháng."
    ),
    InspectionKind.PARTY_217: (
        "Các đơn vị thực hiện đúng chính sách tiền lương, bảo hiểm xã hội đối với người lao động; "
        "kiến nghị hoàn thiện quy chế đối thoại tại nơi làm việc."
    ),
}
ADVICE: dict[str, str] = {
    InspectionKind.CHARTER: "Cập nhật sổ theo dõi đoàn viên, hoàn thiện hồ sơ kết nạp đoàn viên.",
    InspectionKind.FINANCE: "Nộp đủ kinh phí, đoàn phí về cấp trên; bổ sung chứng từ chi.",
    InspectionKind.DEMOCRACY: "Xây dựng lại quy chế đối thoại định kỳ tại nơi làm việc.",
    InspectionKind.COMPLAINTS: "Giải quyết đơn thư đúng thời hạn, công khai kết quả.",
    InspectionKind.POLICY: "Đôn đốc doanh nghiệp đóng đủ bảo hiểm cho người lao động.",
    InspectionKind.PARTY_217: "Ban hành quy chế đối thoại tại nơi làm việc trong quý IV.",
}
CASES = [
    ("complaint", 3, 4, "Đoàn viên khiếu nại việc bình xét hỗ trợ Tết chưa công khai.", 20),
    ("denunciation", 6, 10, "Tố cáo cán bộ công đoàn cơ sở chi sai quỹ xã hội.", 45),
    ("complaint", 11, 18, "Khiếu nại về việc thu đoàn phí vượt mức quy định.", None),
]


def _below(unit: Unit, day: dt.date) -> list[Unit]:
    """The units above the grassroots directly below `unit` on `day`: district federations
    first, then by code."""
    ids = (
        UnitVersion.objects.on(day)
        .filter(parent=unit, unit_type__is_grassroots=False)
        .values("unit_id")
    )
    units = Unit.objects.filter(pk__in=ids).select_related("unit_type")
    return sorted(units, key=lambda u: (u.unit_type.code != "ldld_huyen", u.code))


def _grassroots(unit: Unit, day: dt.date) -> list[Unit]:
    """The grassroots unions of `unit`'s subtree on `day`, by code."""
    path = UnitVersion.objects.on(day).filter(unit=unit).values_list("path", flat=True).first()
    if not path:
        return []
    ids = (
        UnitVersion.objects.on(day)
        .filter(path_range_q("path", path), unit_type__is_grassroots=True)
        .values("unit_id")
    )
    return list(Unit.objects.filter(pk__in=ids).select_related("ownership").order_by("code"))


def _inspect(
    unit: Unit,
    kind: str,
    body: str,
    start: dt.date,
    units: list[Unit],
    outside: list[tuple[str, str]] | None = None,
    *,
    number: str,
    partners: str = "",
    done_by: dt.date | None = None,
) -> Inspection:
    """An inspection of ten days with its decision, findings, a recommendation to each unit of
    the tree (at most three) and follow-ups by `done_by` (the last one not yet carried out)."""
    inspection = services.inspection_create(
        actor=None, unit=unit, kind=kind, body=body, started_on=start,
        ended_on=start + dt.timedelta(days=10), units=units, outside=outside or [],
        decision_number=number, decision_date=start - dt.timedelta(days=7),
        partners=partners, findings=FINDINGS[kind],
    )  # fmt: skip
    targets = list(Inspected.objects.filter(inspection=inspection).order_by("pk"))[:3]
    for i, target in enumerate(targets):
        row = services.recommendation_add(
            actor=None, inspection=inspection, text=ADVICE[kind], target=target,
            due_on=start + dt.timedelta(days=60),
        )  # fmt: skip
        day = start + dt.timedelta(days=40 + 5 * i)
        if done_by is not None and day <= done_by:
            carried = i < len(targets) - 1 or len(targets) == 1
            services.follow_up_add(
                actor=None, recommendation=row, on=day, done=carried,
                action="Đơn vị đã khắc phục, báo cáo kết quả bằng văn bản."
                if carried else "Đơn vị đang khắc phục, hẹn hoàn thành trong quý sau.",
            )  # fmt: skip
    return inspection


def _province_year(province: Unit, year: int, today: dt.date) -> int:
    """The province's inspections and complaints of `year`."""
    spring, autumn = dt.date(year, 3, 1), dt.date(year, 9, 1)
    before, after = _below(province, spring), _below(province, autumn)
    enterprises = [u for u in _grassroots(province, dt.date(year, 5, 15))
                   if u.ownership is not None and u.ownership.is_enterprise][:3]  # fmt: skip
    plan: list[tuple[str, str, dt.date, list[Unit], Any, str]] = [
        (InspectionKind.CHARTER, Body.UBKT, dt.date(year, 2, 20), before[:2], None, ""),
        (InspectionKind.FINANCE, Body.UBKT, dt.date(year, 4, 10), before[2:4], None, ""),
        (InspectionKind.POLICY, Body.BCH, dt.date(year, 5, 15), enterprises, None, ""),
        (InspectionKind.PARTY_217, Body.BCH, dt.date(year, 9, 12), [], OUTSIDE_217, FRONT),
        (InspectionKind.DEMOCRACY, Body.UBKT, dt.date(year, 10, 20), after[:2], None, ""),
        (InspectionKind.COMPLAINTS, Body.UBKT, dt.date(year, 11, 5), after[2:3], None, ""),
    ]
    count = 0
    for n, (kind, body, start, units, outside, partners) in enumerate(plan, start=1):
        if start > today or not (units or outside):
            continue
        _inspect(
            province, kind, body, start, units, outside, number=f"{n:02d}/QĐ-UBKT",
            partners=partners, done_by=min(today, dt.date(year, 12, 31)),
        )  # fmt: skip
        count += 1
    for kind, month, days, summary, resolve in CASES:
        received = dt.date(year, month, days)
        if received > today:
            continue
        resolved = received + dt.timedelta(days=resolve) if resolve else None
        services.complaint_create(
            actor=None, unit=province, kind=kind, received_on=received, summary=summary,
            sender="Nguyễn Văn Đơn", resolved_on=resolved if resolved and resolved <= today else None,
            outcome="Đã trả lời bằng văn bản cho người gửi đơn." if resolved else "",
        )  # fmt: skip
        count += 1
    return count


def _districts_spring(province: Unit, year: int, today: dt.date) -> int:
    """Three units below the province inspecting their grassroots unions in the spring."""
    count = 0
    day = dt.date(year, 3, 15)
    for i, district in enumerate(u for u in _below(province, day) if _grassroots(u, day)):
        if i == 3 or day > today:
            break
        grassroots = _grassroots(district, day)
        _inspect(district, InspectionKind.CHARTER, Body.UBKT, day + dt.timedelta(days=i * 7),
                 grassroots[:3], number=f"0{i + 1}/QĐ-UBKT", done_by=today)  # fmt: skip
        count += 1
        if len(grassroots) > 3:
            _inspect(district, InspectionKind.FINANCE, Body.UBKT, day + dt.timedelta(days=40 + i),
                     grassroots[3:5], number=f"1{i + 1}/QĐ-UBKT", done_by=today)  # fmt: skip
            count += 1
    return count


def _keepers_this_year(province: Unit, today: dt.date) -> int:
    """Up to three units below the province without entered figures of the register this year
    keep it and record their inspections so far."""
    year = today.year
    start = dt.date(year, 2, 10)
    if today < start + dt.timedelta(days=11):
        return 0
    register, complaints = registers.get("inspections"), registers.get("complaints")
    assert register is not None and complaints is not None
    count, kept = 0, 0
    for unit in _below(province, today):
        grassroots = _grassroots(unit, start)
        if kept == 3 or not grassroots or activities.entered_figures(unit, register, year):
            continue
        activities.keeping_start(actor=None, unit=unit, register="inspections", from_year=year)
        _inspect(unit, InspectionKind.CHARTER, Body.UBKT, start + dt.timedelta(days=kept),
                 grassroots[:2], number=f"01/QĐ-UBKT-{year}", done_by=today)  # fmt: skip
        count += 1
        finance = start + dt.timedelta(days=30 + kept)
        if finance <= today - dt.timedelta(days=11):
            _inspect(unit, InspectionKind.FINANCE, Body.UBKT, finance, grassroots[-1:],
                     number=f"02/QĐ-UBKT-{year}", done_by=today)  # fmt: skip
            count += 1
        if kept == 0 and not activities.entered_figures(unit, complaints, year):
            activities.keeping_start(actor=None, unit=unit, register="complaints", from_year=year)
            services.complaint_create(
                actor=None, unit=unit, kind="complaint", received_on=start,
                summary="Khiếu nại việc xét chọn đoàn viên nhận hỗ trợ.", resolved_on=start
                + dt.timedelta(days=10), outcome="Đã giải thích, người khiếu nại đồng ý.",
            )  # fmt: skip
            count += 1
        kept += 1
    return count


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    """Add the demo inspections (see the module's docstring); the number of records created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Inspection.objects.filter(unit=province).exists():
        return 0
    year = today.year - 1
    return (
        _province_year(province, year, today)
        + _districts_spring(province, year, today)
        + _keepers_this_year(province, today)
    )
