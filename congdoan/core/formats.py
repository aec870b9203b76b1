"""Formats for numbers, ordinals, dates and Roman numerals (pure functions).

Numbers and ordinals follow the active language (`congdoan/formats/<lang>/formats.py`):
1.234.567 and 12,5 in Vietnamese, 1,234,567 and 12.5 in English; "nhất", "3" in Vietnamese,
"1st", "3rd" in English. Dates in documents stay Vietnamese (`long_date`); short dates are
dd/mm/yyyy in both languages (the data is Vietnamese). Without an active language (a
management command that turned translations off) the default language's formats apply.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import get_language

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def roman(number: int) -> str:
    """11 → "XI" (congress and term numbers)."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def language() -> str:
    """The active language ("vi", "en"), or the default one when none is active."""
    return get_language() or settings.LANGUAGE_CODE


def vietnamese() -> bool:
    return language().startswith("vi")


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1234567 → "1.234.567" (English: "1,234,567"); 12.5 with decimals=1 → "12,5" ("12.5").

    Rounded half up, as Vietnamese reports round."""
    if value is None:
        return ""
    lang = language()
    thousands = str(get_format("THOUSAND_SEPARATOR", lang))
    point = str(get_format("DECIMAL_SEPARATOR", lang))
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousands.join(groups)
    return f"{sign}{text}{point}{frac}" if frac else f"{sign}{text}"


_VI_ORDINALS = {1: "nhất", 4: "tư"}


def ordinal(position: int) -> str:
    """A rank as reports write it: Vietnamese "nhất", "2", "3", "tư", "5" (after "thứ");
    English "1st", "2nd", "3rd", "4th", "11th", "21st"."""
    if vietnamese():
        return _VI_ORDINALS.get(position, str(position))
    if 10 <= position % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(position % 10, "th")
    return f"{position}{suffix}"


def short_date(value: dt.date | None) -> str:
    """05/02/2024."""
    return value.strftime("%d/%m/%Y") if value else ""


def long_date(value: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2024" (document headers: day < 10 and months 1–2 zero-padded)."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def parse_date(text: str) -> dt.date:
    """Parse dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy, ISO yyyy-mm-dd); ValueError otherwise."""
    text = text.strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            parsed = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if parsed.year < 1900:
            break
        return parsed
    raise ValueError(text)
