"""The search words of members (`MemberWord`, `SearchWord`), rewritten whenever a member's
folded name, normal form or sort keys change: `Member.save`, bulk admissions, imports, purges.

The words are those of the folded name. A typed word without digits is looked for in the name
only (`search.search_q`): it is one of these words, or for the last word typed, their beginning;
so a walk over the members holding the typed word (or every word it begins) misses nobody
(`search.first_matches`). Each row carries the member's folded name and normal form, which the
walk tests for the other typed words and for the spelling typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from congdoan.members.models import Member, MemberWord, SearchWord

CHUNK = 2000


# The columns of a `MemberWord` row, in the order of `rows_of` (also COPY's column list).
COLUMNS = (
    "member_id",
    "word",
    "given_sort",
    "family_sort",
    "middle_sort",
    "name_fold",
    "name_form",
)
# The member's fields that `rows_of` takes after its id, in its order.
FIELDS = ("name_fold", "given_sort", "family_sort", "middle_sort", "name_form")


def words_of(name_fold: str) -> list[str]:
    return sorted(set(name_fold.split()))


def rows_of(
    member_id: int, name_fold: str, given: str, family: str, middle: str, name_form: str
) -> list[Any]:
    """(member_id, word, given_sort, family_sort, middle_sort, name_fold, name_form) per word."""
    return [
        (member_id, w, given, family, middle, name_fold, name_form) for w in words_of(name_fold)
    ]


def member_rows(m: Member) -> list[Any]:
    return rows_of(m.pk, *(getattr(m, f) for f in FIELDS))


def add_vocabulary(words: Iterable[str]) -> None:
    new = sorted(set(words))
    for start in range(0, len(new), CHUNK):
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in new[start : start + CHUNK]], ignore_conflicts=True
        )


def _write(members: Sequence[Member]) -> None:
    rows = [row for m in members for row in member_rows(m)]
    add_vocabulary(row[1] for row in rows)
    MemberWord.objects.bulk_create(
        [MemberWord(**dict(zip(COLUMNS, row, strict=True))) for row in rows], batch_size=CHUNK
    )


def sync(members: Sequence[Member]) -> None:
    """Rewrite the search words of `members` (saved, derived keys up to date)."""
    if not members:
        return
    ids = [m.pk for m in members]
    for start in range(0, len(ids), CHUNK):
        MemberWord.objects.filter(member_id__in=ids[start : start + CHUNK])._raw_delete(
            connection.alias
        )
    _write(members)


def rebuild() -> int:
    """Every member's words again (after a bulk load that bypassed the models); returns rows."""
    MemberWord.objects.all()._raw_delete(connection.alias)
    batch: list[Member] = []
    for m in Member.objects.only("id", *FIELDS).order_by("pk").iterator(chunk_size=CHUNK):
        batch.append(m)
        if len(batch) >= CHUNK:
            _write(batch)  # the table is empty: nothing to delete first
            batch = []
    _write(batch)
    return MemberWord.objects.count()


def differences(limit: int = 50) -> list[str]:
    """Members whose stored search words differ from their name (at most `limit`)."""
    out: list[str] = []
    last = 0
    while len(out) < limit:
        members = list(
            Member.objects.filter(pk__gt=last).order_by("pk").only("id", *FIELDS)[:CHUNK]
        )
        if not members:
            break
        last = members[-1].pk
        stored: dict[int, set[tuple]] = {m.pk: set() for m in members}
        for row in MemberWord.objects.filter(member_id__in=list(stored)).values_list(*COLUMNS):
            stored[row[0]].add(tuple(row))
        for m in members:
            expected = set(member_rows(m))
            if stored[m.pk] != expected:
                out.append(
                    f"member {m.pk}: stored {len(stored[m.pk])} words, expected {len(expected)}"
                )
    return out[:limit]
