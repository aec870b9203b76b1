"""Shortcuts for the awards tests: the seeded forms, decisions of the standard world's units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from congdoan.awards import services
from congdoan.awards.models import AwardForm, Decision

DAY = dt.date(2025, 1, 15)


def form(code: str, regulation: str = "2024") -> AwardForm:
    return AwardForm.objects.get(regulation__code=regulation, code=code)


def decision(
    issuer: Any = None, *, number: str = "1/QĐ", day: dt.date = DAY, **kw: Any
) -> Decision:
    actor = kw.pop("actor", None)
    return services.decision_create(
        actor=actor, issuer_unit=issuer, number=number, signed_on=day, **kw
    )
