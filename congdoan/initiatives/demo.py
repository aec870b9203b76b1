"""Demo initiatives and contests of LĐLĐ tỉnh Lai Châu, built through the services (actor None:
system work) under a simulated clock, so that history rows carry the days things happened.

`load(today=…)` adds, once the demo federation exists (congdoan/demo):

- the province's programme "1 triệu sáng kiến" for the year of `today`, in two phases (first and
  second half), with targets for each phase given in January to the units directly below the
  province (`indicators.services.targets_set_many`: two initiatives per grassroots union below);
- eight grassroots unions keeping the "initiatives" register from that year — only unions that
  have entered none of the register's figures in that year (`activities.services.
  entered_figures`) — whose members submit initiatives up to `today` (decided valid or rejected
  a few weeks later, the recent ones still waiting), and six others that do not keep it and
  enter their phases' figures instead;
- the province's technical-innovation contest of the year (ended before `today`) with entries
  of grassroots unions and prizes (nhất, nhì, ba, khuyến khích), and its quiz on Resolution 02
  with participants per union and a few members named; the unions with entries or participants
  that have entered no contest figures that year keep the "contests" register.

Deterministic (a seeded generator, units and members in code order) and quick. Returns the
number of initiatives created; nothing when the province is missing or already organises a
programme.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db.models import Count
from django.utils import timezone

from congdoan.activities import registers
from congdoan.activities.services import entered_figures, keeping_start
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, Period
from congdoan.initiatives import services
from congdoan.initiatives.models import Programme
from congdoan.members.models import Member, MemberStatus
from congdoan.organisation.models import Unit, UnitVersion

PROVINCE = "LC"
KEEPERS, ENTERING = 8, 6
TITLES = [
    ("Cải tiến quy trình tiếp nhận hồ sơ một cửa bằng mã QR", "digital"),
    ("Giải pháp tiết kiệm điện năng cho hệ thống bơm nước tưới chè", "technical"),
    ("Ứng dụng bảng tính tự động theo dõi đoàn phí công đoàn", "management"),
    ("Thiết kế bài giảng điện tử môn Tiếng Việt cho học sinh dân tộc thiểu số", "education"),
    ("Cải tiến khuôn ép gạch không nung giảm hao hụt vật liệu", "production"),
    ("Quy trình sơ cứu ban đầu tai nạn lao động tại công trường thủy điện", "safety"),
    ("Sổ tay điện tử quản lý thuốc tại trạm y tế xã", "health"),
    ("Giải pháp phân loại, tái chế phụ phẩm chè làm phân bón hữu cơ", "production"),
    ("Phần mềm nhắc lịch bảo dưỡng thiết bị trạm biến áp", "technical"),
    ("Mô hình lớp học xanh - sạch - đẹp gắn với trải nghiệm nông nghiệp", "education"),
    ("Số hóa hồ sơ đoàn viên, cập nhật biến động hằng tháng", "digital"),
    ("Cải tiến bếp ăn bán trú tiết kiệm chất đốt", "other"),
]
CONTEST = "Hội thi Sáng tạo kỹ thuật tỉnh Lai Châu lần thứ VI năm {year}"
QUIZ = (
    "Cuộc thi tìm hiểu Nghị quyết số 02-NQ/TW của Bộ Chính trị về đổi mới tổ chức và hoạt "
    "động của Công đoàn Việt Nam trong tình hình mới"
)
PRIZES = ["first", "second", "third", "third", "consolation", "consolation", "consolation"]


@contextmanager
def clock(day: dt.date) -> Iterator[None]:
    """Run the services as if it were 9:00 on `day` (history dates, auto_now fields)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _grassroots(province: Unit, today: dt.date) -> list[Unit]:
    """Active grassroots unions of the province with at least three active members."""
    ids = (
        UnitVersion.objects.on(today)
        .filter(path__startswith=province.path, unit_type__is_grassroots=True)
        .values_list("unit_id", flat=True)
    )
    units = Unit.objects.filter(pk__in=list(ids), dissolved_on__isnull=True).order_by("code")
    counts = dict(
        Member.objects.filter(unit__in=units, status=MemberStatus.ACTIVE)
        .values("unit_id")
        .order_by()
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return [u for u in units if counts.get(u.pk, 0) >= 3]


def _free(units: list[Unit], register: str, year: int) -> list[Unit]:
    """Units that entered none of the register's figures from `year` on (may keep it)."""
    reg = registers.get(register)
    assert reg is not None
    return [u for u in units if not entered_figures(u, reg, year)]


def _spread(units: list[Unit], n: int, rng: random.Random) -> list[Unit]:
    """`n` units taken from as many different parents as possible."""
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    groups = [by_parent[k] for k in sorted(by_parent, key=lambda k: k or 0)]
    rng.shuffle(groups)
    out: list[Unit] = []
    while len(out) < n and any(groups):
        for group in groups:
            if group and len(out) < n:
                out.append(group.pop(0))
    return out


def _programme(province: Unit, year: int) -> Programme:
    start, middle, end = dt.date(year, 1, 1), dt.date(year, 6, 30), dt.date(year, 12, 31)
    with clock(dt.date(year, 1, 2)):
        return services.programme_create(
            actor=None, unit=province, name="Chương trình “1 triệu sáng kiến”",
            start=start, end=end,
            phases=[("Giai đoạn 1", start, middle), ("Giai đoạn 2", middle + dt.timedelta(days=1), end)],
            description="Chương trình “1 triệu sáng kiến - nỗ lực vượt khó, sáng tạo, quyết "
            "tâm chiến thắng đại dịch” do Tổng Liên đoàn phát động, LĐLĐ tỉnh triển khai đến "
            "các cấp công đoàn; mỗi công đoàn cơ sở phấn đấu có ít nhất 02 sáng kiến mỗi giai đoạn.",
        )  # fmt: skip


def _targets(province: Unit, programme: Programme, grassroots: list[Unit], year: int) -> None:
    """Two initiatives per grassroots union below each unit directly below the province."""
    children = list(Unit.objects.filter(parent=province, dissolved_on__isnull=True))
    values = {
        child: 2 * sum(1 for u in grassroots if u.path.startswith(child.path)) for child in children
    }
    values = {child: n for child, n in values.items() if n}
    indicator = Indicator.objects.get(code="sang_kien")
    with clock(dt.date(year, 1, 5)):
        for phase in Period.objects.filter(parent=programme.period).order_by("start"):
            ind.targets_set_many(actor=None, indicator=indicator, period=phase, values=values)


def _authors(unit: Unit, rng: random.Random) -> list[services.AuthorIn]:
    members = list(
        Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE).order_by("card_number", "pk")[
            :12
        ]
    )
    picked = rng.sample(members, k=min(len(members), rng.choice([1, 1, 2, 3])))
    return [services.AuthorIn(member=m) for m in picked]


def _initiative(
    unit: Unit, programme: Programme, day: dt.date, today: dt.date, rng: random.Random
) -> None:
    title, field = rng.choice(TITLES)
    decided = day + dt.timedelta(days=rng.randint(20, 45))
    status, note, benefit = "submitted", "", None
    if decided <= today:
        status = rng.choices(["valid", "rejected"], weights=[85, 15])[0]
        note = "Trùng với giải pháp đã được công nhận trước đó" if status == "rejected" else ""
        benefit = Decimal(rng.randint(5, 180) * 1_000_000) if status == "valid" else None
    with clock(decided if status != "submitted" else day):
        services.initiative_create(
            actor=None, unit=unit, programme=programme, title=title, field=field,
            submitted_on=day, authors=_authors(unit, rng), benefit=benefit, status=status,
            decided_on=decided if status != "submitted" else None, decision_note=note,
        )  # fmt: skip


def _initiatives(
    keepers: list[Unit], programme: Programme, today: dt.date, rng: random.Random
) -> int:
    start, end = programme.period.start, min(programme.period.end, today)
    days = (end - start).days
    count = 0
    for unit in keepers:
        for _n in range(rng.randint(2, 6)):
            _initiative(
                unit, programme, start + dt.timedelta(days=rng.randint(0, days)), today, rng
            )
            count += 1
    return count


def _entered(units: list[Unit], programme: Programme, today: dt.date, rng: random.Random) -> None:
    """Unions that do not keep the register enter the phases' figures."""
    for phase in Period.objects.filter(parent=programme.period, start__lte=today).order_by("start"):
        with clock(min(phase.end, today)):
            for unit in units:
                ind.values_save(
                    actor=None, unit=unit, period=phase,
                    entries={"sang_kien": str(rng.randint(1, 5))},
                )  # fmt: skip


def _contests(province: Unit, units: list[Unit], year: int, rng: random.Random) -> list[Unit]:
    """The year's contest and quiz of the province; the units that took part."""
    start, end = dt.date(year, 3, 1), dt.date(year, 6, 15)
    with clock(end):
        contest = services.contest_create(
            actor=None, unit=province, kind="innovation", title=CONTEST.format(year=year),
            number=6, starts_on=start, ends_on=end,
            description="Hội thi dành cho đoàn viên, công nhân, viên chức, lao động trong tỉnh.",
        )  # fmt: skip
        entrants = rng.sample(units, k=min(len(units), 12))
        prizes = PRIZES + [""] * (len(entrants) - len(PRIZES))
        for unit, prize in zip(entrants, prizes, strict=False):
            title, _field = rng.choice(TITLES)
            names = ", ".join(a.member.full_name for a in _authors(unit, rng))
            services.entry_add(
                actor=None, contest=contest, unit=unit, title=title, authors=names, prize=prize
            )
        quiz = services.contest_create(
            actor=None, unit=province, kind="quiz", title=QUIZ,
            starts_on=dt.date(year, 4, 1), ends_on=dt.date(year, 5, 31),
        )  # fmt: skip
        takers = rng.sample(units, k=min(len(units), 15))
        for unit in takers:
            services.participant_add(
                actor=None, contest=quiz, unit=unit, count=rng.randint(15, 160)
            )
        for unit in takers[:3]:
            member = (
                Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE).order_by("pk").first()
            )
            if member is not None:
                services.participant_add(actor=None, contest=quiz, member=member)
    return sorted({*entrants, *takers}, key=lambda u: u.code)


def load(*, today: dt.date, province_code: str = PROVINCE, seed: int = 2025) -> int:
    """Add the demo programme, initiatives and contests (see the module's docstring); the
    number of initiatives created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Programme.objects.filter(unit=province).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    year = today.year
    grassroots = _grassroots(province, today)
    free = _free(grassroots, "initiatives", year)
    keepers = _spread(free, KEEPERS, rng)
    for unit in keepers:
        keeping_start(actor=None, unit=unit, register="initiatives", from_year=year)
    programme = _programme(province, year)
    _targets(province, programme, grassroots, year)
    count = _initiatives(keepers, programme, today, rng)
    others = _spread([u for u in grassroots if u not in keepers], ENTERING, rng)
    _entered(others, programme, today, rng)
    if dt.date(year, 6, 15) < today:
        took_part = _contests(province, grassroots, year, rng)
        for unit in _free(took_part, "contests", year):
            keeping_start(actor=None, unit=unit, register="contests", from_year=year)
    return count
