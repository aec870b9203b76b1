"""Member search: one box for names, card numbers, phone numbers and citizen IDs.

Names match word by word on the folded search column (case, diacritics, NFC/NFD and the two
tone placements all fold alike), so "nguyen duc" finds "NGUYỄN ĐỨC". On PostgreSQL a pg_trgm
GIN index serves these substring matches; results are the same on SQLite.

Lists are in the Vietnamese order (given name first), which an index serves. For a search
PostgreSQL likes to walk that index and test each row until it has a page: quick for a word
matching everywhere ("nguyen"), but a given name such as "phuong" sits in the middle of the
alphabet and the walk reads half the country first (1.3 s at a million members). So when the
words match few members (FEW_MATCHES, counted with a limit), the list is sorted on an expression
that no index serves: PostgreSQL then finds the matches through the trigram index and sorts just
them (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from typing import TypeVar

from django.db import connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Collate, Concat

from congdoan.core.text import fold

Q_T = TypeVar("Q_T", bound=QuerySet)

# Sorting this many rows takes a few milliseconds; the trigram index finds them in tens.
FEW_MATCHES = 20_000

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


def is_name_search(text: str) -> bool:
    compact = _NOT_DIGIT.sub("", (text or "").strip())
    return bool(compact) and not compact.lstrip("+").isdigit()


def sort_found_first(found: Q_T, text: str) -> Q_T:
    """The Vietnamese order, through the matches rather than the order index when they are few
    (PostgreSQL only; see the module's docstring). Runs one counting query with a limit."""
    db = connections[found.db]
    if db.vendor != "postgresql" or not is_name_search(text):
        return found
    # Counted over the whole registry, without the caller's scope and filters: an upper bound
    # that needs no join (the scope join would cost more than the count).
    everyone = found.model._default_manager.using(found.db).filter(search_q(text))
    if everyone.order_by()[: FEW_MATCHES + 1].count() > FEW_MATCHES:
        return found
    # given_sort || '' sorts exactly like given_sort (same "C" collation) but matches no index.
    unindexed = Collate(Concat(F("given_sort"), Value("")), "C")
    return found.order_by(unindexed, "family_sort", "middle_sort", "pk")
