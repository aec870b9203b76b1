"""Member search: one box for names, card numbers, phone numbers and citizen IDs.

Names match word by word on the folded search column (case, diacritics, NFC/NFD and the two
tone placements all fold alike), so "nguyen duc" finds "NGUYỄN ĐỨC". On PostgreSQL a pg_trgm
GIN index serves these substring matches; results are the same on SQLite.
"""

from __future__ import annotations

import re

from django.db.models import Q

from congdoan.core.text import fold

_NOT_DIGIT = re.compile(r"[\s.\-()]")


def normalise_phone(value: str | None) -> str:
    """0912 345 678, +84 912345678, 84912345678 → 0912345678."""
    if not value:
        return ""
    digits = _NOT_DIGIT.sub("", str(value).strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def search_q(text: str) -> Q:
    raw = (text or "").strip()
    if not raw:
        return Q()
    compact = _NOT_DIGIT.sub("", raw)
    if compact.lstrip("+").isdigit():
        if len(compact) in (9, 12):
            return Q(citizen_id=compact) | Q(card_number=raw.upper())
        phone = normalise_phone(compact)
        if len(phone) >= 9:
            return Q(phone=phone) | Q(card_number=raw.upper())
    q = Q()
    for word in fold(raw).split():
        q &= Q(search_text__contains=word)
    return q
