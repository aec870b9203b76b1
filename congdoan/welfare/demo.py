"""Demo welfare agreements of LĐLĐ tỉnh Lai Châu, built through the services (actor None: system
work).

`load(today=…)` adds, once the demo federation exists (congdoan/demo):
- the province's agreements with a bank, a telecom company, the provincial hospital and the
  union's resort (signed over the last two years), with uses by members of its subtree and the
  counts partners reported without names;
- the agreements of a district federation before the 2025 reform (ended with it);
- an agreement of each commune union of `communes` (phường Tân Phong, where the demo account
  xa.quantri works, and phường Đoàn Kết) with a shop and a clinic, used by its members.
Units among the province and those communes that have entered no welfare figure for the current
year keep the register from that year (`activities.services.keeping_start`): their figures
come from these records. Nothing is deleted; returns the number of records created (0 when the
province is missing or already has agreements). Deterministic: no randomness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from congdoan.activities import registers
from congdoan.activities.services import entered_figures, keeping_start
from congdoan.core.scoping import path_range_q
from congdoan.members.models import Member, MemberStatus
from congdoan.organisation.models import Unit
from congdoan.welfare import services
from congdoan.welfare.models import REGISTER, Agreement, PartnerKind

PROVINCE = "LC"
DISTRICT = "LC-TP"
COMMUNES = ("LC-X03408", "LC-X03388")


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str
    address: str
    benefits: str
    discount: Decimal | None
    value: int  # đồng per named use
    reported: int  # uses a partner reports without names, per report


PROVINCIAL = [
    Partner(
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam – Chi nhánh tỉnh Lai Châu",
        PartnerKind.BANK,
        "Số 258 đường Trần Hưng Đạo, phường Tân Phong, tỉnh Lai Châu",
        "Cho vay tiêu dùng với lãi suất ưu đãi thấp hơn 0,5%/năm so với lãi suất thông thường; "
        "miễn phí mở tài khoản và thẻ ATM.",
        None,
        1_200_000,
        0,
    ),
    Partner(
        "Viettel Lai Châu – Chi nhánh Tập đoàn Công nghiệp – Viễn thông Quân đội",
        PartnerKind.TELECOM,
        "Đường 19/5, phường Tân Phong, tỉnh Lai Châu",
        "Giảm 20% cước gói di động và Internet cáp quang cho đoàn viên & gia đình.",
        Decimal(20),
        96_000,
        180,
    ),
    Partner(
        "Bệnh viện Đa khoa tỉnh Lai Châu",
        PartnerKind.HEALTH,
        "Phường Đông Phong, tỉnh Lai Châu",
        "Giảm 10% chi phí khám sức khỏe định kỳ; ưu tiên khám cho đoàn viên <có thẻ đoàn viên>.",
        Decimal(10),
        150_000,
        60,
    ),
    Partner(
        "Khách sạn Công đoàn Hạ Long",
        PartnerKind.TRAVEL,
        "Đường Hạ Long, phường Bãi Cháy, tỉnh Quảng Ninh",
        "Giảm 15% giá phòng nghỉ cho đoàn viên và người thân đi cùng.",
        Decimal(15),
        450_000,
        0,
    ),
]
DISTRICT_PARTNERS = [
    Partner(
        "Siêu thị Điện máy Lai Châu",
        PartnerKind.RETAIL,
        "Phường Quyết Thắng, tỉnh Lai Châu",
        "Giảm 5% khi mua đồ gia dụng, trả góp lãi suất 0%.",
        Decimal(5),
        350_000,
        40,
    ),
]
COMMUNE_PARTNERS = [
    Partner(
        "Cửa hàng tạp hóa Hoàng Lan",
        PartnerKind.RETAIL,
        "Tổ dân phố 5",
        "Giảm 3% giá hàng thiết yếu cho đoàn viên.",
        Decimal(3),
        45_000,
        0,
    ),
    Partner(
        "Phòng khám Đa khoa Tân An",
        PartnerKind.HEALTH,
        "Tổ dân phố 12",
        "Khám tổng quát miễn phí một lần mỗi năm; giảm 10% xét nghiệm.",
        Decimal(10),
        120_000,
        25,
    ),
]


def _members(unit: Unit, n: int) -> list[Member]:
    """The first `n` active members of `unit`'s subtree (in register order)."""
    rows = Member.objects.filter(path_range_q("unit__path", unit.path), status=MemberStatus.ACTIVE)
    return list(rows.order_by("pk")[:n])


def _agreement(unit: Unit, partner: Partner, signed: dt.date, until: dt.date | None) -> Agreement:
    return services.agreement_create(
        actor=None, unit=unit, partner_name=partner.name, partner_kind=partner.kind,
        partner_address=partner.address, signed_on=signed, valid_until=until,
        benefits=partner.benefits, discount_percent=partner.discount,
        number=f"{signed.day:02d}/TTHT-{unit.code}",
    )  # fmt: skip


def _uses(
    agreement: Agreement, partner: Partner, members: list[Member], days: list[dt.date]
) -> int:
    """Each member uses it on one of `days` (in turn); the partner reports a count on each."""
    made = 0
    for i, member in enumerate(members):
        day = days[i % len(days)]
        services.benefit_use_create(
            actor=None, agreement=agreement, member=member, used_on=day,
            value=partner.value * (1 + i % 3),
        )  # fmt: skip
        made += 1
    for day in days if partner.reported else []:
        services.benefit_use_create(
            actor=None, agreement=agreement, used_on=day, count=partner.reported,
            value=partner.reported * partner.value, description="Số liệu đối tác báo cáo",
        )  # fmt: skip
        made += 1
    return made


def _days(start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    """`n` days spread over [start, end] (the last days of months, as partners report)."""
    span = (end - start).days
    return [start + dt.timedelta(days=span * (k + 1) // (n + 1)) for k in range(n)]


def _keep(units: list[Unit], year: int) -> None:
    reg = registers.get(REGISTER)
    assert reg is not None
    for unit in units:
        if not entered_figures(unit, reg, year):
            keeping_start(actor=None, unit=unit, register=REGISTER, from_year=year)


def _province(province: Unit, today: dt.date) -> int:
    made = 0
    members = _members(province, 12)
    for k, partner in enumerate(PROVINCIAL):
        signed = dt.date(today.year - 1 - k % 2, 3 + k, 10)
        agreement = _agreement(province, partner, signed, None)
        days = _days(signed, today, 4)
        made += 1 + _uses(agreement, partner, members[k::2][:4], days)
    return made


def _district(district: Unit) -> int:
    end = district.dissolved_on - dt.timedelta(days=1) if district.dissolved_on else None
    signed = dt.date(2023, 4, 15)
    last = end or dt.date(2025, 6, 30)
    made = 0
    for partner in DISTRICT_PARTNERS:
        agreement = _agreement(district, partner, signed, end)
        made += 1 + _uses(agreement, partner, _members(district, 5), _days(signed, last, 3))
    return made


def _commune(unit: Unit, today: dt.date) -> int:
    signed = max(dt.date(today.year, 1, 15), unit.founded_on)
    if signed > today:
        return 0
    made = 0
    for partner in COMMUNE_PARTNERS:
        agreement = _agreement(unit, partner, signed, dt.date(today.year + 1, 12, 31))
        made += 1 + _uses(agreement, partner, _members(unit, 6), _days(signed, today, 2))
    return made


def load(
    *, today: dt.date, province_code: str = PROVINCE, district_code: str = DISTRICT,
    commune_codes: tuple[str, ...] = COMMUNES,
) -> int:  # fmt: skip
    """Add the demo agreements and uses (see the module's docstring); the records created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None or Agreement.objects.filter(unit=province).exists():
        return 0
    communes = list(Unit.objects.filter(code__in=commune_codes, dissolved_on__isnull=True))
    _keep([province, *communes], today.year)
    made = _province(province, today)
    district = Unit.objects.filter(code=district_code).first()
    if district is not None:
        made += _district(district)
    for unit in communes:
        made += _commune(unit, today)
    return made
