"""Display formats in templates: {{ n|vn_number }}, {{ d|vn_date }}, {{ x|vn_percent }}.

Numbers follow the active language (1.234,5 in Vietnamese, 1,234.5 in English: `core.formats`);
dates are dd/mm/yyyy in both."""

import datetime as dt
from decimal import Decimal

from django import template

from congdoan.core import formats

register = template.Library()


@register.filter
def vn_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return formats.number(value, decimals)


@register.filter
def vn_percent(value: float | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return ""
    return f"{vn_number(value, decimals)}%"


@register.filter
def vn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return formats.short_date(value)


@register.filter
def roman(value: int) -> str:
    return formats.roman(int(value))
