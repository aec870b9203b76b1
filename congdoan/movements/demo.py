"""Demo records of the register of movements and models in LĐLĐ tỉnh Lai Châu, built through
the services (actor None: system work).

`load(today=…)` makes a few units keep the register from the year of `today` — two unions
directly above grassroots unions (commune unions first, by code) and up to three grassroots unions
under each, plus the province itself — choosing only units with no entered figure of the
register's indicators in that year or later (`activities.services.entered_figures`: a figure
comes from one place). For the year so far it records, for each grassroots union, a work (the
first ones dedicated to their commune union's congress, with a value), a model (every second
one "Dân vận khéo"), a session propagating Nghị quyết 02-NQ/TW (and Chỉ thị 13-CT/TW for some),
a cultural or sports activity, a workplace dialogue, its collective agreement in force (new or
renewed, rated) and its workers' or civil servants' conference (a meeting); for each commune
union and the province, a training class and a cultural activity. Deterministic; returns the
number of records created (nothing when the province is missing or already has records).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.activities import registers
from congdoan.activities.services import entered_figures, keeping_start
from congdoan.core.scoping import path_range_q
from congdoan.meetings import services as meetings
from congdoan.meetings.models import MeetingKind
from congdoan.movements import services
from congdoan.movements.models import REGISTER, Activity, ActivityKind
from congdoan.organisation.models import Unit

PROVINCE = "LC"
COMMUNES = 2
PER_COMMUNE = 3
RESOLUTION = "Nghị quyết 02-NQ/TW của Bộ Chính trị về đổi mới tổ chức và hoạt động của Công đoàn"
DIRECTIVE = "Chỉ thị 13-CT/TW của Ban Bí thư về lãnh đạo đại hội công đoàn các cấp"
WORKS = [
    ("Sửa chữa, nâng cấp nhà văn hóa công nhân", Decimal(180_000_000)),
    ("Làm đường bê tông vào khu tập thể", Decimal(95_000_000)),
    ("Trồng cây xanh, cải tạo khuôn viên cơ quan", Decimal(25_000_000)),
]
MODELS = ["Tổ công đoàn tự quản", "Bữa cơm công đoàn", "Dân vận khéo trong vận động người lao động"]
CULTURE = ["Giải bóng chuyền hơi chào mừng ngày 8/3", "Hội diễn văn nghệ chào xuân"]


def _qualifies(unit: Unit, register: Any, year: int) -> bool:
    return unit.dissolved_on is None and not entered_figures(unit, register, year)


def _day(today: dt.date, month: int, day: int) -> dt.date:
    """A day of the year so far (at the latest `today`)."""
    return min(today, dt.date(today.year, month, day))


def _keepers(province: Unit, today: dt.date) -> list[tuple[Unit, list[Unit]]]:
    """Up to two unions directly above grassroots unions (commune unions first), each with up
    to three of its grassroots unions, that may keep the register."""
    register = registers.get(REGISTER)
    assert register is not None
    out = []
    parents = (
        Unit.objects.filter(
            path_range_q("path", province.path),
            dissolved_on__isnull=True,
            children_set__unit_type__is_grassroots=True,
            children_set__dissolved_on__isnull=True,
        )
        .exclude(unit_type__is_grassroots=True)
        .distinct()
        .select_related("unit_type")
    )
    for parent in sorted(parents, key=lambda u: (u.unit_type.code != "cd_xa", u.code)):
        below = Unit.objects.filter(
            parent=parent, unit_type__is_grassroots=True, dissolved_on__isnull=True
        ).select_related("ownership")
        chosen = [u for u in below.order_by("code") if _qualifies(u, register, today.year)]
        if chosen and _qualifies(parent, register, today.year):
            out.append((parent, chosen[:PER_COMMUNE]))
        if len(out) == COMMUNES:
            break
    return out


def _grassroots(unit: Unit, commune: Unit, serial: int, today: dt.date) -> int:
    add = services.activity_create
    title, value = WORKS[serial % len(WORKS)]
    congress = f"Đại hội {commune.name} lần thứ I"
    add(actor=None, unit=unit, kind=ActivityKind.WORK, title=title, on=_day(today, 4, 20 + serial),
        value=value, event=congress if serial < 2 else "", for_congress=serial < 2)  # fmt: skip
    add(actor=None, unit=unit, kind=ActivityKind.MODEL, title=MODELS[serial % len(MODELS)],
        on=_day(today, 5, 10), dan_van_kheo=serial % 2 == 1)  # fmt: skip
    add(actor=None, unit=unit, kind=ActivityKind.PROPAGANDA, title=RESOLUTION,
        on=_day(today, 2, 25), participants=30 + 7 * serial)  # fmt: skip
    count = 3
    if serial % 2 == 0:
        add(actor=None, unit=unit, kind=ActivityKind.PROPAGANDA, title=DIRECTIVE,
            on=_day(today, 3, 12), participants=25 + serial)  # fmt: skip
        count += 1
    add(actor=None, unit=unit, kind=ActivityKind.CULTURE, title=CULTURE[serial % len(CULTURE)],
        on=_day(today, 3, 6), participants=40 + 5 * serial)  # fmt: skip
    add(actor=None, unit=unit, kind=ActivityKind.DIALOGUE,
        title="Đối thoại định kỳ giữa người sử dụng lao động và người lao động",
        on=_day(today, 6, 15), participants=20 + 3 * serial)  # fmt: skip
    signed = dt.date(today.year - (serial % 2), 1, 15)
    services.agreement_create(
        actor=None, unit=unit, signed_on=min(signed, today), expires_on=signed.replace(
            year=signed.year + 3) - dt.timedelta(days=1),
        renewed=serial % 3 == 1, workers=45 + 11 * serial, rating="AB"[serial % 2],
    )  # fmt: skip
    enterprise = unit.ownership is not None and unit.ownership.is_enterprise
    meetings.meeting_create(
        actor=None, unit=unit, held_on=_day(today, 1, 20),
        kind=MeetingKind.WORKERS if enterprise else MeetingKind.CIVIL,
    )  # fmt: skip
    return count + 4


def _upper(unit: Unit, today: dt.date, attendees: int) -> int:
    services.activity_create(
        actor=None, unit=unit, kind=ActivityKind.TRAINING, on=_day(today, 3, 20),
        title="Lớp tập huấn nghiệp vụ công tác công đoàn cho cán bộ công đoàn cơ sở",
        participants=attendees,
    )  # fmt: skip
    services.activity_create(
        actor=None, unit=unit, kind=ActivityKind.CULTURE, on=_day(today, 4, 28),
        title="Giải thể thao công nhân, viên chức, lao động", participants=attendees * 3,
    )  # fmt: skip
    return 2


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    """Add the demo records (see the module's docstring); the number of records created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None:
        return 0
    if Activity.objects.filter(path_range_q("unit__path", province.path)).exists():
        return 0
    register = registers.get(REGISTER)
    assert register is not None
    created = 0
    for commune, units in _keepers(province, today):
        for unit in [commune, *units]:
            keeping_start(actor=None, unit=unit, register=REGISTER, from_year=today.year)
        created += _upper(commune, today, 35 + 10 * len(units))
        for serial, unit in enumerate(units):
            created += _grassroots(unit, commune, serial, today)
    if created and _qualifies(province, register, today.year):
        keeping_start(actor=None, unit=province, register=REGISTER, from_year=today.year)
        created += _upper(province, today, 120)
    return created
