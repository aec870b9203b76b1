"""`{{ value|points }}`: points as reports write them ("85", "7,5")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from congdoan.core.formats import number

register = template.Library()


def points_text(value: Any) -> str:
    if value is None or value == "":
        return ""
    d = Decimal(str(value))
    return number(d, 0 if d == d.to_integral_value() else 1)


@register.filter
def points(value: Any) -> str:
    return points_text(value)
