"""Demo emulation cycle in LĐLĐ tỉnh Lai Châu, built through the services (actor None: system
work).

`load(today=…)`, for the last full year Y (`today.year - 1`):

- the province's movement of the year Y ("Phong trào thi đua năm Y") and its programme
  "Lao động giỏi, lao động sáng tạo" 2021–2025 with two phases;
- registrations for both of every unit directly under the province and every grassroots union
  of its subtree that existed during Y, except every seventh (most units register, not all);
- for each cluster the province organises with members in Y: the pledge of Y signed at a
  cluster conference held by its head unit (unless one was recorded already, e.g. by the
  meetings demo);
- the province's scoring scheme (from 2022, for all its clusters: 100 points in three groups,
  two criteria filled from the indicator figures);
- a scorecard for each member unit of those clusters, through the three stages (the criteria
  filled from figures take the figures' points, the others deterministic points from the unit's
  code, a little lower at each stage), and each cluster's submitted proposal of its two leading
  units.

Deterministic; returns the number of records created (0 when the province is missing or already
has movements).
"""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal
from typing import Any

from django.db.models import Q

from congdoan.core.scoping import path_range_q
from congdoan.emulation import auto, selectors, services
from congdoan.emulation.models import Criterion, Movement, Stage
from congdoan.meetings import services as meetings
from congdoan.meetings.models import MeetingKind, Pledge
from congdoan.organisation.models import Cluster, ClusterMembership, Unit

PROVINCE = "LC"
SKIP_EVERY = 7
SCHEME = [
    (
        "Công tác tổ chức, phát triển đoàn viên",
        [
            {"name": "Kết nạp đoàn viên so với chỉ tiêu", "max_points": 15, "auto_source": "admissions",
             "evidence": "Báo cáo số liệu năm"},
            {"name": "Thực hiện các chỉ tiêu được giao", "max_points": 20,
             "auto_source": "targets_met", "evidence": "Biểu số liệu đã duyệt"},
            {"name": "Xây dựng công đoàn cơ sở vững mạnh", "max_points": 15,
             "evidence": "Kết quả đánh giá, xếp loại CĐCS"},
        ],
    ),
    (
        "Chăm lo, bảo vệ quyền lợi đoàn viên",
        [
            {"name": "Chăm lo Tết, hỗ trợ đoàn viên khó khăn", "max_points": 15,
             "evidence": "Danh sách, chứng từ chăm lo"},
            {"name": "Thỏa ước lao động tập thể, đối thoại", "max_points": 10},
        ],
    ),
    (
        "Phong trào thi đua, tuyên truyền",
        [
            {"name": "Đăng ký và ký giao ước thi đua", "max_points": 10},
            {"name": "Công trình, mô hình, sáng kiến", "max_points": 10},
            {"name": "Tuyên truyền nghị quyết, văn hóa, thể thao", "max_points": 5},
        ],
    ),
]  # fmt: skip
AWARDS = ["Cờ thi đua của Liên đoàn Lao động tỉnh", "Bằng khen của Liên đoàn Lao động tỉnh"]


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    """Add the demo emulation cycle (see the module's docstring); the records created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Movement.objects.filter(organiser=province).exists():
        return 0
    year = today.year - 1
    created = _movements(province, year)
    clusters = [
        c
        for c in Cluster.objects.filter(organiser=province).order_by("code")
        if ClusterMembership.objects.filter(cluster=c, year=year).exists()
    ]
    for cluster in clusters:
        created += _pledge(cluster, year)
    services.scheme_create(
        actor=None,
        organiser=province,
        name=f"Bảng điểm thi đua các cụm, khối {province.short_name or province.name}",
        from_year=min(2022, year),
        groups=SCHEME,
        description="Tổng 100 điểm; điểm thưởng, điểm trừ do Hội đồng Thi đua – Khen thưởng xét.",
    )
    created += 1
    for cluster in clusters:
        created += _scores(cluster, year)
        created += _proposal(cluster, year)
    return created


def _movements(province: Unit, year: int) -> int:
    yearly = services.movement_create(
        actor=None,
        organiser=province,
        name=f"Phong trào thi đua năm {year}",
        kind="yearly",
        start_year=year,
        theme="Đổi mới, sáng tạo, hiệu quả, vì quyền lợi đoàn viên",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        description="Phát động tại Hội nghị Ban Chấp hành đầu năm.",
    )
    programme = services.movement_create(
        actor=None,
        organiser=province,
        name="Lao động giỏi, lao động sáng tạo",
        kind="programme",
        start_year=2021,
        end_year=2025,
        theme="Thi đua lao động giỏi, lao động sáng tạo giai đoạn 2021–2025",
    )
    services.phase_add(
        actor=None, movement=programme, name="Giai đoạn 1 (2021–2023)",
        starts_on=dt.date(2021, 1, 1), ends_on=dt.date(2023, 12, 31),
    )  # fmt: skip
    services.phase_add(
        actor=None, movement=programme, name="Giai đoạn 2 (2024–2025)",
        starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2025, 12, 31),
    )  # fmt: skip
    created = 4
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    units = (
        Unit.objects.filter(path_range_q("path", province.path), founded_on__lte=end)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .filter(Q(parent=province) | Q(unit_type__is_grassroots=True))
        .order_by("code")
    )
    for index, unit in enumerate(units):
        if index % SKIP_EVERY == SKIP_EVERY - 1:
            continue
        day = max(start, unit.founded_on) + dt.timedelta(days=20 + index % 30)
        for movement in (yearly, programme) if 2021 <= year <= 2025 else (yearly,):
            services.registration_create(
                actor=None, movement=movement, unit=unit, year=year, registered_on=day,
                commitments="Hoàn thành và vượt các chỉ tiêu được giao; 100% đoàn viên "
                "đăng ký danh hiệu Lao động giỏi.",
            )  # fmt: skip
            created += 1
    return created


def _pledge(cluster: Cluster, year: int) -> int:
    if Pledge.objects.filter(cluster=cluster, year=year).exists():
        return 0
    members = list(
        ClusterMembership.objects.filter(cluster=cluster, year=year).select_related("unit")
    )
    head = next((m.unit for m in members if m.is_head), None) or cluster.organiser
    day = dt.date(year, 3, 10)
    meeting = meetings.meeting_create(
        actor=None, unit=head, kind=MeetingKind.CLUSTER, held_on=day, cluster=cluster,
        place=f"Hội trường {head.name}",
        conclusions=f"Các đơn vị thống nhất ký giao ước thi đua năm {year}.",
    )  # fmt: skip
    meetings.pledge_create(
        actor=None, cluster=cluster, year=year, signed_on=day, meeting=meeting,
        title=f"Giao ước thi đua năm {year} {cluster.name}",
        signatories=[m.unit for m in members],
    )  # fmt: skip
    return 2


def _points(unit: Unit, criterion: Criterion, stage: int) -> Decimal:
    """Deterministic points: 60–100% of the maximum from the unit's code, a little lower at
    each later stage."""
    seed = zlib.crc32(f"{unit.code}:{criterion.pk}".encode()) % 41
    share = Decimal(60 + seed - 3 * stage) / 100
    return (criterion.max_points * max(share, Decimal("0.5"))).quantize(Decimal("0.5"))


def _scores(cluster: Cluster, year: int) -> int:
    created = 0
    for membership in ClusterMembership.objects.filter(cluster=cluster, year=year).select_related(
        "unit"
    ):
        card = services.scorecard_open(actor=None, unit=membership.unit, cluster=cluster, year=year)
        criteria = list(Criterion.objects.filter(group__scheme=card.scheme))
        proposed = auto.proposals(membership.unit, year, criteria)
        for index, stage in enumerate((Stage.SELF, Stage.CLUSTER, Stage.FINAL)):
            points: dict[int, Any] = {
                c.pk: proposed[c.pk].points
                if c.pk in proposed
                else _points(membership.unit, c, index)
                for c in criteria
            }
            services.scorecard_score(actor=None, scorecard=card, stage=stage, points=points)
        created += 1
    return created


def _proposal(cluster: Cluster, year: int) -> int:
    ranking = [r for r in selectors.cluster_ranking(cluster, year) if r.rank is not None]
    if not ranking:
        return 0
    entries = [(row.unit, award) for row, award in zip(ranking, AWARDS, strict=False)]
    proposal = services.proposal_save(
        actor=None, cluster=cluster, year=year, entries=entries, proposed_on=dt.date(year, 12, 15)
    )
    services.proposal_submit(actor=None, proposal=proposal)
    return 1
