"""A register made for the tests of the shared core: the meetings a unit holds, counted per unit
and period. It needs no register app, and exercises exactly what the apps use: `Register`,
`derive`, `kept_q`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.core.permissions import Action

CODE = "test_meetings"
DEFINITION = "test_meetings_held"
INDICATOR = "hd_vhtt"  # an entered indicator grassroots unions enter, borrowed by the tests


def _load(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    from congdoan.meetings.models import Meeting

    rows = (
        Meeting.objects.filter(unit_id__in=list(unit_ids))
        .filter(registers.kept_q(CODE, period.start, period.end, day="held_on"))
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return {u: Decimal(n) for u, n in rows}


def install() -> None:
    """Register the test register and point the borrowed indicator at its definition."""
    from congdoan.indicators.models import Indicator

    registers.add(
        registers.Register(
            code=CODE,
            label=_("Meetings (test)"),
            model="meetings.Meeting",
            manage_action=Action.MEETINGS_MANAGE,
            list_url="meetings:list",
            definitions=(DEFINITION,),
        )
    )
    registers.derive(CODE, _load, {DEFINITION: (_("Meetings held"), lambda d: d)})
    Indicator.objects.filter(code=INDICATOR).update(derivation=DEFINITION)


def uninstall() -> None:
    from congdoan.indicators import derived

    registers.REGISTERS.pop(CODE, None)
    derived.definitions().pop(DEFINITION, None)


def meetings(unit: Any, *days: dt.date) -> None:
    from congdoan.meetings.models import Meeting

    for day in days:
        Meeting.objects.create(unit=unit, kind="other", held_on=day, title="Sinh hoạt")
