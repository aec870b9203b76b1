"""Objects the welfare tests (and the scoping cases) build in the standard world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from congdoan.core.tests.support import MARKER_A

SIGNED = dt.date(2024, 3, 1)


def agreement_a(w: Any) -> Any:
    """Unit A's agreement with a bank (2024, open-ended), used by member A (500.000 đồng) and
    by 120 members without names (6.000.000 đồng)."""
    if "welfare_agreement_a" not in w.extra:
        from congdoan.welfare import services

        agreement = services.agreement_create(
            actor=None,
            unit=w.unit_a,
            partner_name=f"Ngân hàng {MARKER_A} – Chi nhánh Lai Châu",
            partner_kind="bank",
            partner_address="Phường Tân Phong",
            signed_on=SIGNED,
            benefits="Giảm 0,5% lãi suất vay tiêu dùng & miễn phí thẻ <ATM>",
            discount_percent=Decimal("0.5"),
            number="12/TTHT-LĐLĐ",
        )
        w.extra["welfare_use_a"] = services.benefit_use_create(
            actor=None, agreement=agreement, member=w.member_a, used_on=dt.date(2024, 5, 10),
            value=500_000, description="Vay tiêu dùng",
        )  # fmt: skip
        w.extra["welfare_count_a"] = services.benefit_use_create(
            actor=None, agreement=agreement, used_on=dt.date(2024, 6, 30), count=120,
            value=6_000_000,
        )  # fmt: skip
        w.extra["welfare_agreement_a"] = agreement
    return w.extra["welfare_agreement_a"]


def new_agreement(w: Any, unit: Any = None, **kw: Any) -> Any:
    from congdoan.welfare import services

    args: dict[str, Any] = {
        "unit": unit or w.grass_a2,
        "partner_name": "Siêu thị Mới",
        "partner_kind": "retail",
        "signed_on": dt.date(2024, 1, 2),
        "benefits": "Giảm 5%",
    }
    return services.agreement_create(actor=None, **{**args, **kw})
