"""How reports word achievement, money, ranks and counts of indicators (pure functions).

"đạt 104% chỉ tiêu", "16/2 nhà", "4.750%", "gần 3 tỷ đồng", "3,8 tỷ đồng", "126,1 triệu đồng",
"xếp thứ nhất/15 đơn vị", "10/10 chỉ tiêu đạt và vượt, trong đó 4 chỉ tiêu vượt".
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congdoan.core.formats import number

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
    value = Decimal(value)
    if value == value.to_integral_value():
        return number(value)
    return number(value, 2).rstrip("0").rstrip(",")


def amount(value: Decimal | None, decimals: int = 0) -> str:
    """A number in Vietnamese format without trailing zero decimals."""
    if value is None:
        return ""
    return _plain(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


_SCALES = ((Decimal(10) ** 9, "tỷ"), (Decimal(10) ** 6, "triệu"), (Decimal(10) ** 3, "nghìn"))


def money(value: Decimal | None, *, approximate: bool = True) -> str:
    """Đồng in words of scale, to one decimal: 3.800.000.000 → "3,8 tỷ đồng".

    With `approximate`, a figure that the rounding changes says so: 2.960.000.000 → "gần 3 tỷ
    đồng" (just under), 15.240.000.000 → "hơn 15,2 tỷ đồng" (just over); below a thousand đồng
    the exact figure is written.
    """
    if value is None:
        return ""
    value = Decimal(value)
    for scale, word in _SCALES:
        if abs(value) >= scale:
            shown = (value / scale).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = f"{_plain(shown)} {word} đồng"
            exact = shown * scale
            if not approximate or exact == value:
                return text
            return f"{'gần' if exact > value else 'hơn'} {text}"
    return f"{number(value)} đồng"


_ORDINALS = {1: "nhất", 4: "tư"}


def rank(position: int, of: int) -> str:
    """ "thứ nhất/15", "thứ 3/15"."""
    return f"thứ {_ORDINALS.get(position, str(position))}/{of}"


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
