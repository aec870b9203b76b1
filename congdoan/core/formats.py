"""Vietnamese formats for numbers, percentages, dates and Roman numerals (pure functions)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

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


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """1234567 → "1.234.567"; 12.5 with decimals=1 → "12,5"."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    d = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


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
