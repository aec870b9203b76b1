"""The member's derived keys (full name, search text, folded name, Vietnamese sort keys, normal
form) for
bulk writes, equal to what `Member.refresh_derived()` computes, but fast for many rows.

`refresh_derived()` costs about 35 µs a member (Unicode work per character); names repeat a lot
(a few hundred family names, a few thousand given names), so the parts are cached. The tests
prove, over random names, that the result equals `refresh_derived()` exactly.
"""

from __future__ import annotations

from functools import lru_cache

from congdoan.core.text import fold, sort_string
from congdoan.members.search import name_form


@lru_cache(maxsize=200_000)
def fold_part(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=200_000)
def sort_part(text: str) -> str:
    return sort_string(text)


@lru_cache(maxsize=200_000)
def form_part(text: str) -> str:
    return name_form(text)


def name_fold(family: str, middle: str, given: str) -> str:
    """fold(full name) for NFC, stripped, single-spaced parts (what `rows.clean_text` gives)."""
    return " ".join(fold_part(p) for p in (family, middle, given) if p)


def derived(
    family: str, middle: str, given: str, card: str | None, phone: str
) -> tuple[str, str, str, str, str, str, str]:
    """(full_name, search_text, name_fold, given_sort, family_sort, middle_sort, name_form)."""
    full = " ".join(p for p in (family, middle, given) if p)
    folded = name_fold(family, middle, given)
    search = " ".join(p for p in (folded, (card or "").lower(), phone) if p)
    form = " ".join(form_part(p) for p in (family, middle, given) if p)
    return full, search, folded, sort_part(given), sort_part(family), sort_part(middle), form
