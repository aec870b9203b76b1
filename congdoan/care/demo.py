"""Demo care of LĐLĐ tỉnh Lai Châu, built through the services (actor None: system work).

`load(today=…)` adds, once the demo federation exists (congdoan/demo):

- two campaigns of the province for the year of `today`: "Tết Bính Ngọ" (5/1 to 15/2; the
  year's Tết named by its lunar year) and "Tháng Công nhân" (1/5 to 31/5);
- a few units keeping the care register from that year — grassroots unions with members and a
  commune union, chosen among those with no entered figure of the register's indicators in that
  year or later (`activities.services.entered_figures`), so that no figure is counted twice;
- their records, dated no later than `today`: Tết gifts to their members (from grassroots funds,
  some topped up by the commune union's funds), cash support to members in hardship, a visit to
  a sick member, a union meal in Tháng Công nhân, support to a member's household economy, 200
  Tết portions for children of a poor area (a group) from the commune union, and Mái ấm Công đoàn
  houses for members, each funded from union funds and a donor — two handed over in Tháng Công
  nhân, one still being built.

Deterministic (no randomness: units, members and amounts follow their order). Returns the
number of records created; nothing when the province is missing or already has campaigns. It
should run after the demo's figures of the current year (`demo.current`), so that the units it
picks are those with no figures entered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.activities import registers
from congdoan.activities.services import entered_figures, keeping_start
from congdoan.care import services
from congdoan.care.models import Campaign
from congdoan.members.models import Member, MemberStatus
from congdoan.organisation.models import Unit

PROVINCE = "LC"
KEEPERS = 4  # grassroots unions keeping the register (and one commune union)
UPPER = ("cd_xa", "ldld_huyen")  # the level directly above grassroots (after / before 7/2025)
GIFTS_PER_UNION = 8
CAN_CHI = {2024: "Giáp Thìn", 2025: "Ất Tỵ", 2026: "Bính Ngọ", 2027: "Đinh Mùi", 2028: "Mậu Thân"}
DONORS = [
    "Ngân hàng Nông nghiệp và Phát triển Nông thôn chi nhánh Lai Châu",
    "Công ty Cổ phần Thủy điện Nậm Na",
    "Bưu điện tỉnh Lai Châu",
]
M = Decimal(1_000_000)


def _free(units: list[Unit], year: int, wanted: int) -> list[Unit]:
    """The first `wanted` units with no entered figure the register would double."""
    register = registers.get("care")
    assert register is not None
    out: list[Unit] = []
    for unit in units:
        if len(out) == wanted:
            break
        if not entered_figures(unit, register, year):
            out.append(unit)
    return out


def _keepers(province: Unit, year: int) -> tuple[list[Unit], Unit | None]:
    below = Unit.objects.filter(path__startswith=province.path, dissolved_on__isnull=True)
    communes = list(below.filter(unit_type__code__in=UPPER).order_by("code"))
    with_members = set(
        Member.objects.filter(status=MemberStatus.ACTIVE, unit__in=below)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    grassroots = [
        u
        for u in below.filter(unit_type__code="cdcs", founded_on__lte=dt.date(year, 1, 1))
        .select_related("parent")
        .order_by("code")
        if u.pk in with_members
    ]
    # Grassroots unions of a commune union that keeps the register too, when one is free.
    commune = next(iter(_free([c for c in communes if any(
        g.parent_id == c.pk for g in grassroots)], year, 1)), None)  # fmt: skip
    if commune is not None:
        grassroots.sort(key=lambda g: (g.parent_id != commune.pk, g.code))
    chosen = _free(grassroots, year, KEEPERS)
    for unit in [*chosen, *([commune] if commune else [])]:
        keeping_start(actor=None, unit=unit, register="care", from_year=year)
    return chosen, commune


def _members(unit: Unit, n: int) -> list[Member]:
    return list(Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE).order_by("pk")[:n])


class _Writer:
    """Writes the records of one day no later than `today`, counting them."""

    def __init__(self, today: dt.date):
        self.today = today
        self.count = 0

    def add(self, unit: Unit, day: dt.date, **fields: Any) -> None:
        if day > self.today:
            return
        services.care_record_create(actor=None, unit=unit, on=day, **fields)
        self.count += 1


def _union_care(w: _Writer, unit: Unit, serial: int, tet: Campaign, may: Campaign,
                commune: Unit | None) -> None:  # fmt: skip
    year = tet.start.year
    people = _members(unit, GIFTS_PER_UNION)
    for i, member in enumerate(people):
        lines = [{"source": "grassroots", "amount": Decimal(500_000)}]
        if commune is not None and unit.parent_id == commune.pk and i % 2 == 0:
            lines.append({"source": "district", "amount": Decimal(300_000)})
        w.add(unit, dt.date(year, 2, 2 + serial), kind="gift", campaign=tet,
              beneficiary="member", member=member, funding=lines,
              description=f"Quà Tết {tet.name.removeprefix('Tết ')}")  # fmt: skip
    if len(people) > 2:
        w.add(unit, dt.date(year, 3, 10 + serial), kind="cash", beneficiary="member",
              member=people[1], funding=[{"source": "grassroots", "amount": 2 * M}],
              description="Hỗ trợ đoàn viên có hoàn cảnh khó khăn")  # fmt: skip
        w.add(unit, dt.date(year, 4, 6 + serial), kind="visit", beneficiary="member",
              member=people[2], funding=[{"source": "grassroots", "amount": Decimal(500_000)}],
              description="Thăm hỏi đoàn viên ốm đau điều trị tại bệnh viện")  # fmt: skip
    w.add(unit, dt.date(year, 5, 15 + serial), kind="meal", campaign=may, beneficiary="group",
          recipient_kind="worker", person_name=f"Đoàn viên, người lao động {unit.short_name or unit.name}",
          quantity=40 + 5 * serial,
          funding=[{"source": "grassroots", "amount": Decimal(40 + 5 * serial) * 60_000},
                   {"source": "donor", "donor": DONORS[serial % 3], "amount": 2 * M}])  # fmt: skip
    if serial == 0:  # a worker who is not a member, with personal data (masked unless revealed)
        w.add(unit, dt.date(year, 3, 20), kind="cash", beneficiary="person",
              recipient_kind="worker", person_name="Lò Thị Xuân", citizen_id="012192004567",
              phone="0912000111", date_of_birth=dt.date(1992, 4, 12),
              address=f"{unit.name}, tỉnh Lai Châu",
              funding=[{"source": "grassroots", "amount": 1 * M}],
              description="Hỗ trợ người lao động chưa là đoàn viên bị tai nạn lao động")  # fmt: skip
    if serial == 0 and people:
        w.add(unit, dt.date(year, 5, 20), kind="economy", campaign=may, beneficiary="member",
              member=people[0], economy_form="lent",
              funding=[{"source": "grassroots", "amount": 10 * M}],
              description="Cho vay vốn không lãi nuôi bò sinh sản")  # fmt: skip


def _houses(w: _Writer, unit: Unit, may: Campaign) -> None:
    """Three Mái ấm houses of `unit` (the commune union) for members of its grassroots unions:
    two handed over in Tháng Công nhân, one being built."""
    year = may.start.year
    below = Member.objects.filter(
        unit__path__startswith=unit.path, unit__path__gt=unit.path, status=MemberStatus.ACTIVE
    ).select_related("unit")
    owners = list(below.order_by("pk")[:3])
    plans = [
        (dt.date(year, 3, 2), dt.date(year, 5, 1), "build", 50 * M, 30 * M),
        (dt.date(year, 3, 16), dt.date(year, 5, 28), "repair", 20 * M, 15 * M),
        (dt.date(year, 5, 5), None, "build", 50 * M, 40 * M),
    ]
    for (start, handover, work, union, donor), owner in zip(plans, owners, strict=False):
        if handover is not None and handover > w.today:
            handover = None
        w.add(unit, start, kind="house", campaign=may if start >= may.start else None,
              beneficiary="member", member=owner, house_work=work, handover_on=handover,
              address=owner.address or f"{owner.unit.name}, tỉnh Lai Châu",
              description="Nhà Mái ấm Công đoàn",
              funding=[{"source": "district", "amount": union},
                       {"source": "donor", "donor": DONORS[0], "amount": donor}])  # fmt: skip


def _children(w: _Writer, unit: Unit, tet: Campaign) -> None:
    w.add(unit, dt.date(tet.start.year, 1, 28), kind="gift", campaign=tet, beneficiary="group",
          recipient_kind="child", quantity=200,
          person_name=f"Trẻ em có hoàn cảnh khó khăn {unit.name.removeprefix('Công đoàn ')}",
          funding=[{"source": "district", "amount": 20 * M},
                   {"source": "donor", "donor": DONORS[1], "amount": 40 * M}])  # fmt: skip


def _campaigns(province: Unit, year: int) -> tuple[Campaign, Campaign]:
    lunar = CAN_CHI.get(year, str(year))
    tet = services.campaign_create(
        actor=None, unit=province, name=f"Tết {lunar} {year}", start=dt.date(year, 1, 5),
        end=dt.date(year, 2, 15),
        description="Chương trình Tết Sum vầy: thăm hỏi, tặng quà đoàn viên, người lao động "
        "có hoàn cảnh khó khăn và trẻ em vùng khó khăn dịp Tết Nguyên đán.",
    )  # fmt: skip
    may = services.campaign_create(
        actor=None, unit=province, name=f"Tháng Công nhân {year}", start=dt.date(year, 5, 1),
        end=dt.date(year, 5, 31),
        description="Tháng Công nhân: bữa cơm công đoàn, hỗ trợ phát triển kinh tế, khởi công "
        "và bàn giao nhà Mái ấm Công đoàn.",
    )  # fmt: skip
    return tet, may


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    """Add the demo care (see the module's docstring); the number of records created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Campaign.objects.filter(unit=province).exists():
        return 0
    year = today.year
    tet, may = _campaigns(province, year)
    unions, commune = _keepers(province, year)
    w = _Writer(today)
    for serial, unit in enumerate(unions):
        _union_care(w, unit, serial, tet, may, commune)
    if commune is not None:
        _children(w, commune, tet)
        _houses(w, commune, may)
    return w.count
