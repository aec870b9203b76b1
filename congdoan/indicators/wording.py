"""How reports word achievement, money, ranks and counts of indicators (pure functions).

"đạt 104% chỉ tiêu", "16/2 nhà", "4.750%", "gần 3 tỷ đồng", "3,8 tỷ đồng", "126,1 triệu đồng",
"xếp thứ nhất/15 đơn vị", "10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt".

Everything follows the active language: Vietnamese as above (the seed reports' wording), and in
English "nearly 3 billion dong", "1st of 15", "4,750%" (numbers and ordinals: `core.formats`;
phrases: the catalogue). Units of measure are stored in Vietnamese in the catalogue
(`Indicator.unit_of_measure`); `unit_of_measure` words the standard ones in the active
language and leaves any other as stored.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from congdoan.core.formats import number, ordinal

BELOW, REACHED, EXCEEDED = "below", "reached", "exceeded"


def achievement(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Actual ÷ target in percent (exact); None without a positive target or an actual."""
    if actual is None or target is None or target <= 0:
        return None
    return Decimal(actual) * 100 / Decimal(target)


def status(
    actual: Decimal | None, target: Decimal | None, *, lower_is_better: bool = False
) -> str | None:
    """chưa đạt / đạt / vượt, comparing the exact figures (not the rounded percentage)."""
    if actual is None or target is None:
        return None
    if actual == target:
        return REACHED
    exceeded = actual < target if lower_is_better else actual > target
    return EXCEEDED if exceeded else BELOW


def status_label(code: str | None) -> str:
    return {BELOW: _("not reached"), REACHED: _("reached"), EXCEEDED: _("exceeded")}.get(
        code or "", ""
    )


def percent(value: Decimal | None, decimals: int = 0, *, truncate: bool = False) -> str:
    """104 → "104%", 4750 → "4.750%", 12.5 with decimals=1 → "12,5%".

    Rounds half up (Vietnamese practice: 810,5% → 811%); `truncate` keeps the digits shown and
    drops the rest (810,5% → 810%), as some reports do.
    """
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_DOWN if truncate else ROUND_HALF_UP)
    return f"{number(rounded, decimals)}%"


def fraction(actual: Decimal | None, target: Decimal | None) -> str:
    """ "2.392/2.300", "16/2"."""
    if actual is None or target is None:
        return ""
    return f"{_plain(actual)}/{_plain(target)}"


def _plain(value: Decimal) -> str:
    """To two decimals at most, without trailing zeros: 12 → "12", 12.50 → "12,5"."""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return number(value)
    return number(value, 1 if value * 10 == (value * 10).to_integral_value() else 2)


def amount(value: Decimal | None, decimals: int = 0) -> str:
    """A number in Vietnamese format without trailing zero decimals."""
    if value is None:
        return ""
    return _plain(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _scaled(amount: str, scale: int) -> str:
    if scale == 9:
        return _("%(amount)s billion dong") % {"amount": amount}
    if scale == 6:
        return _("%(amount)s million dong") % {"amount": amount}
    return _("%(amount)s thousand dong") % {"amount": amount}


def money(value: Decimal | None, *, approximate: bool = True) -> str:
    """Đồng in words of scale, to one decimal: 3.800.000.000 → "3,8 tỷ đồng" ("3.8 billion
    dong").

    With `approximate`, a figure that the rounding changes says so: 2.960.000.000 → "gần 3 tỷ
    đồng" ("nearly 3 billion dong", just under), 15.240.000.000 → "hơn 15,2 tỷ đồng" ("over
    15.2 billion dong", just over); below a thousand đồng the exact figure is written.
    """
    if value is None:
        return ""
    value = Decimal(value)
    for power in (9, 6, 3):
        scale = Decimal(10) ** power
        if abs(value) >= scale:
            shown = (value / scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = _scaled(_plain(shown), power)
            exact = shown * scale
            if not approximate or exact == value:
                return text
            if exact > value:
                return _("nearly %(amount)s") % {"amount": text}
            return _("over %(amount)s") % {"amount": text}
    return _("%(amount)s dong") % {"amount": number(value)}


def rank(position: int, of: int) -> str:
    """ "thứ nhất/15", "thứ 3/15" ("1st of 15", "3rd of 15")."""
    return _("%(position)s of %(of)s") % {"position": ordinal(position), "of": of}


# The units of measure of the default catalogue, as stored (Vietnamese), and their words.
_UNITS: dict[str, str | Promise] = {
    "người": pgettext_lazy("unit of measure", "people"),
    "đơn vị": pgettext_lazy("unit of measure", "units"),
    "cuộc": pgettext_lazy("unit of measure", "sessions"),
    "suất": pgettext_lazy("unit of measure", "gifts"),
    "căn nhà": pgettext_lazy("unit of measure", "houses"),
    "sáng kiến": pgettext_lazy("unit of measure", "initiatives"),
    "đồng": pgettext_lazy("unit of measure", "dong"),
    "bản": pgettext_lazy("unit of measure", "documents"),
    "công trình": pgettext_lazy("unit of measure", "works"),
    "hoạt động": pgettext_lazy("unit of measure", "activities"),
    "lượt": pgettext_lazy("unit of measure", "times"),
    "lượt người": pgettext_lazy("unit of measure", "attendances"),
    "lớp": pgettext_lazy("unit of measure", "classes"),
    "mô hình": pgettext_lazy("unit of measure", "models"),
    "thỏa thuận": pgettext_lazy("unit of measure", "agreements"),
    "vụ việc": pgettext_lazy("unit of measure", "cases"),
    "đề tài": pgettext_lazy("unit of measure", "entries"),
    "bữa": pgettext_lazy("unit of measure", "meals"),
    "cờ": pgettext_lazy("unit of measure", "flags"),
    "tập thể": pgettext_lazy("unit of measure", "collectives"),
    "cá nhân": pgettext_lazy("unit of measure", "individuals"),
    "bằng": pgettext_lazy("unit of measure", "certificates"),
    "cụm": pgettext_lazy("unit of measure", "clusters"),
}
STANDARD_UNITS = tuple(_UNITS)


def unit_of_measure(stored: str) -> str:
    """A unit of measure in the active language: the standard ones of the catalogue from the
    translations ("người" → "people"), any other as stored."""
    found = _UNITS.get(stored.strip())
    return str(found) if found is not None else stored


def indicators_reached(reached: int, total: int, exceeded: int) -> str:
    """ "10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt"."""
    text = _("%(reached)s/%(total)s targets reached or exceeded") % {
        "reached": reached,
        "total": total,
    }
    if exceeded:
        text += ngettext(
            ", of which %(exceeded)s target exceeded",
            ", of which %(exceeded)s targets exceeded",
            exceeded,
        ) % {"exceeded": exceeded}
    return text
