"""Objects the care tests (and the scoping cases) build in the standard world
(congdoan/core/tests/support.py): records of unit A's subtree carry MARKER_A in their texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.core.tests.support import MARKER_A

DAY = dt.date(2024, 3, 1)


def keep(unit: Any, year: int = 2020) -> Any:
    """`unit` keeps the care register from `year`."""
    from congdoan.activities.services import keeping_start

    return keeping_start(actor=None, unit=unit, register="care", from_year=year)


def lines(*pairs: tuple[str, int], donor: str = "Ngân hàng Thử Nghiệm") -> list[dict[str, Any]]:
    return [
        {"source": s, "amount": Decimal(a), "donor": donor if s == "donor" else ""}
        for s, a in pairs
    ]


def gift(w: Any, unit: Any = None, **kw: Any) -> Any:
    """A gift of 500.000 đồng (grassroots funds) to member A from `unit` (A1 by default)."""
    from congdoan.care import services

    args: dict[str, Any] = {
        "actor": None,
        "unit": unit or w.grass_a1,
        "kind": "gift",
        "on": DAY,
        "beneficiary": "member",
        "member": w.member_a,
        "funding": lines(("grassroots", 500_000)),
    }
    return services.care_record_create(**{**args, **kw})


def campaign_a(w: Any) -> Any:
    """Unit A's Tết campaign of 2024."""
    if "care_campaign_a" not in w.extra:
        from congdoan.care import services

        w.extra["care_campaign_a"] = services.campaign_create(
            actor=None,
            unit=w.unit_a,
            name=f"Tết {MARKER_A} 2024",
            start=dt.date(2024, 1, 10),
            end=dt.date(2024, 2, 20),
        )
    return w.extra["care_campaign_a"]


def house_a(w: Any) -> Any:
    """A Mái ấm house for member A by unit A1, funded by the grassroots union and a donor,
    started on 01/03/2024 and handed over on 15/06/2024."""
    if "care_house_a" not in w.extra:
        from congdoan.care import services

        w.extra["care_house_a"] = services.care_record_create(
            actor=None,
            unit=w.grass_a1,
            kind="house",
            on=DAY,
            beneficiary="member",
            member=w.member_a,
            house_work="build",
            handover_on=dt.date(2024, 6, 15),
            address=f"Bản {MARKER_A}, xã Thử Nghiệm",
            description=f"Nhà Mái ấm {MARKER_A}",
            funding=lines(("grassroots", 30_000_000), ("donor", 50_000_000)),
        )
    return w.extra["care_house_a"]


def tet_gifts_a(w: Any) -> Any:
    """200 Tết portions of unit A for children of a poor area, in A's campaign."""
    if "care_tet_a" not in w.extra:
        from congdoan.care import services

        w.extra["care_tet_a"] = services.care_record_create(
            actor=None,
            unit=w.unit_a,
            kind="gift",
            on=dt.date(2024, 2, 1),
            campaign=campaign_a(w),
            beneficiary="group",
            recipient_kind="child",
            person_name=f"Trẻ em bản {MARKER_A}",
            quantity=200,
            funding=lines(("district", 40_000_000), ("donor", 60_000_000)),
        )
    return w.extra["care_tet_a"]


def person_a(w: Any) -> Any:
    """Cash support from unit A1 to a worker who is not a member, with personal data."""
    if "care_person_a" not in w.extra:
        from congdoan.care import services

        w.extra["care_person_a"] = services.care_record_create(
            actor=None,
            unit=w.grass_a1,
            kind="cash",
            on=DAY,
            beneficiary="person",
            recipient_kind="worker",
            person_name=f"Lò Văn {MARKER_A}",
            citizen_id="001090012345",
            phone="0912345678",
            date_of_birth=dt.date(1990, 4, 2),
            funding=lines(("grassroots", 1_000_000)),
        )
    return w.extra["care_person_a"]
