"""A register made for the tests of the shared core: the meetings a unit holds, counted per unit
and period. It needs no register app, and exercises exactly what the apps use: `Register`,
`derive`, `kept_q`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.core.permissions import Action

CODE = "test_meetings"
DEFINITION = "test_meetings_held"
DISTINCT = "test_meetings_kinds"
INDICATOR = "hd_vhtt"  # an entered indicator grassroots unions enter, borrowed by the tests


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
    from congdoan.meetings.models import Meeting

    registers.measures(
        CODE,
        lambda: Meeting.objects.all(),
        {DEFINITION: (_("Meetings held"), Count("pk")), DISTINCT: (_("Kinds"), Count("kind"))},
        day="held_on",
    )
    Indicator.objects.filter(code=INDICATOR).update(derivation=DEFINITION)


def uninstall() -> None:
    from congdoan.indicators import derived

    registers.REGISTERS.pop(CODE, None)
    derived.definitions().pop(DEFINITION, None)
    derived.definitions().pop(DISTINCT, None)


def meetings(unit: Any, *days: dt.date) -> None:
    from congdoan.meetings.models import Meeting

    for day in days:
        Meeting.objects.create(unit=unit, kind="other", held_on=day, title="Sinh hoạt")
