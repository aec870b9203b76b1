"""Citizen identity numbers: CCCD (12 digits) and the legacy CMND (9 digits).

A CCCD is: 3 digits of the province of birth registration (one of the 63 pre-2025 provinces),
1 digit for century and sex (0/1: born 1900–1999 male/female, 2/3: 2000–2099, 4/5: 2100–2199 …),
2 digits of the birth year, 6 random digits; there is no check digit. It must agree with the
member's sex and birth year.

Excel often stores the number as a number and drops the leading zero: an 11-digit value that
becomes a valid CCCD with a zero in front is reported with that suggestion, never repaired
silently.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congdoan.core.text import drop_controls

# Province codes of the 63 provinces before 1/7/2025 (Circular 07/2016/TT-BCA).
PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh",
    "024": "Bắc Giang", "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh",
    "030": "Hải Dương", "031": "Hải Phòng", "033": "Hưng Yên", "034": "Thái Bình",
    "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An",
    "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận",
    "062": "Kon Tum", "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-]")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


class InvalidCitizenId(ValueError):
    """The message says what is wrong, in the user's language; `suggestion` a likely fix."""

    def __init__(self, message: str, suggestion: str = ""):
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class CitizenId:
    value: str
    kind: str  # "cccd" or "cmnd"

    @property
    def province(self) -> str:
        return PROVINCES.get(self.value[:3], "") if self.kind == "cccd" else ""


def century_sex_digit(sex: str, year: int) -> str:
    century = (year - 1900) // 100
    return str(century * 2 + (1 if sex == "F" else 0))


def clean(raw: object) -> str:
    """The digits of a value typed or read from a spreadsheet (floats like 1234.0 included)."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if not math.isfinite(raw) or raw < 0:  # NaN, or a number too large read as inf
            return str(raw)
        return str(int(raw)) if raw == int(raw) else str(raw)
    if isinstance(raw, int):
        return str(raw)
    text = drop_controls(str(raw)).strip().lstrip("'")
    return _SEPARATORS.sub("", text)


def validate(
    raw: object, *, sex: str | None = None, birth_year: int | None = None
) -> CitizenId | None:
    """Check a CCCD/CMND; return it normalised, None when empty, or raise InvalidCitizenId."""
    text = clean(raw)
    if not text:
        return None
    if _SCIENTIFIC.match(text):
        raise InvalidCitizenId(
            _(
                "The number is in scientific notation (%(value)s): Excel has turned it into a "
                "number and lost digits. Format the column as Text and type it again."
            )
            % {"value": text}
        )
    if not (text.isascii() and text.isdecimal()):
        raise InvalidCitizenId(_("Only digits are allowed (got %(value)s).") % {"value": text})
    if len(text) == 9:
        return CitizenId(text, "cmnd")
    if len(text) in (10, 11):  # province codes start with 0 (001–096): Excel drops one or two
        candidate = text.zfill(12)
        try:
            _check_cccd(candidate, sex, birth_year)
        except InvalidCitizenId:
            pass
        else:
            raise InvalidCitizenId(
                _(
                    "%(n)s digits: the leading zeros were probably lost in Excel. Did you mean "
                    "%(candidate)s? Format the column as Text and enter the full 12 digits."
                )
                % {"n": len(text), "candidate": candidate},
                suggestion=candidate,
            )
    if len(text) != 12:
        raise InvalidCitizenId(
            _("A citizen ID has 12 digits (an old ID card 9); this one has %(n)s.")
            % {"n": len(text)}
        )
    _check_cccd(text, sex, birth_year)
    return CitizenId(text, "cccd")


def _check_cccd(text: str, sex: str | None, birth_year: int | None) -> None:
    if text[:3] not in PROVINCES:
        raise InvalidCitizenId(
            _("%(code)s is not a province code of a citizen ID.") % {"code": text[:3]}
        )
    digit = int(text[3])
    id_sex = "F" if digit % 2 else "M"
    id_year = 1900 + (digit // 2) * 100 + int(text[4:6])
    if sex and sex != id_sex:
        raise InvalidCitizenId(
            _("The citizen ID is that of a %(id_sex)s, but the member is recorded as a %(sex)s.")
            % {
                "id_sex": _("man") if id_sex == "M" else _("woman"),
                "sex": _("man") if sex == "M" else _("woman"),
            }
        )
    if birth_year and birth_year != id_year:
        raise InvalidCitizenId(
            _("The citizen ID is that of someone born in %(id_year)s, not %(year)s.")
            % {"id_year": id_year, "year": birth_year}
        )


MASK_VISIBLE = 2
_ID_RUN = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")


def mask_numbers(text: str) -> str:
    """Identity numbers (9 or 12 digits) in a text, masked (`mask`): for messages shown to users
    without the personal-data permission (the lost-zero suggestion names a full citizen ID)."""
    return _ID_RUN.sub(lambda m: mask(m.group(1)), text)


def mask(value: str | None) -> str:
    """**********45: the kind of number (its length) and its last two digits, enough to tell
    apart two records of one name, not enough to find the number.

    Only random digits may show. A CCCD's digits 4 to 6 follow from the sex and birth year that
    the record shows anyway, and its first three name a province (often the hometown, also
    shown), so with the province and the last two digits visible only 10,000 numbers remained
    to try. With the last two only, at least those 10,000 remain when the province is guessed
    from the hometown, and searching by a full number is itself limited and logged
    (`congdoan.members.lookups`)."""
    if not value:
        return ""
    if len(value) <= MASK_VISIBLE * 2:
        return "*" * len(value)
    return "*" * (len(value) - MASK_VISIBLE) + value[-MASK_VISIBLE:]
