"""The member list and the exports: the members a user may see, and the page of a list
searched by name (`search.first_matches`); age bands of the filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_prefixes
from congdoan.members import search
from congdoan.members.models import Member
from congdoan.organisation.models import Unit

# Columns the list needs (the table reads nothing else).
LIST_FIELDS = (
    "id", "family_name", "middle_name", "given_name", "full_name", "sex", "date_of_birth",
    "citizen_id", "card_number", "status", "admitted_on", "exited_on", "phone", "unit_id",
    "given_sort", "family_sort", "middle_sort",
    "unit__id", "unit__name", "unit__short_name", "unit__code", "unit__path",
)  # fmt: skip


def member_list(user: Any) -> QuerySet[Member]:
    """The members a user may see, ready for the list (filters come from `MemberFilterSet`)."""
    return (
        Member.objects.in_vietnamese_order()
        .select_related("unit")
        .only(*LIST_FIELDS)
        .visible_to(user, Action.MEMBERS_VIEW)
    )


def member_export(user: Any) -> QuerySet[Member]:
    """The members a user may see, every column, in the official order: the exports (filters
    come from `MemberFilterSet`)."""
    return Member.objects.in_vietnamese_order().visible_to(user, Action.MEMBERS_VIEW)


def member_ids(members: QuerySet[Member]) -> list[int]:
    """The ids of `members` (for the log of an export), without reading the rows."""
    return list(members.values_list("pk", flat=True))


def covers_country(user: Any) -> bool:
    """Whether the user's list is the whole country's (a grant at the root)."""
    prefixes = scope_prefixes(user, Action.MEMBERS_VIEW)
    return prefixes is None or any(len(p) <= Unit.steplen for p in prefixes)


def member_page_rows(
    found: QuerySet[Member], text: str, page: int, per_page: int, *, wide: bool = True
) -> QuerySet[Member]:
    """`found` (the list filtered by `MemberFilterSet`, in the list's order) narrowed to what
    pages 1…`page` need (one row more, so the paginator sees whether a page follows), when the
    user searched a name: see `search.page_ids`. `wide`: the list is the whole country's (most
    members the walk reads are in it)."""
    if not search.is_name_search(text):
        return found
    ids = search.page_ids(found, text, page * per_page + 1, wide=wide)
    if ids is search.NoWalk.SPARSE:
        return search.unindexed_order(found, text)
    if isinstance(ids, search.NoWalk):
        return found
    return found.filter(pk__in=ids)


# The member list counts its matches up to this many ("more than 1,000" beyond).
COUNT_LIMIT = 1000


def member_count(found: QuerySet[Member], text: str, limit: int, *, wide: bool = True) -> int:
    """How many members `found` (the list filtered by `MemberFilterSet`) holds, counted up to
    `limit + 1`, so that a huge list costs no more than a small one: by the walk of the name
    search (`search.count_matches`), else by the database with a limit."""
    return search.count_matches(found, text, limit, wide=wide)


def age_band_dates(
    band: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """Birth dates (born after, born on or before) of an age band "<30", "30-39", "40-49", "50+"
    as of today: age ≥ a ⇔ born on or before today minus a years."""
    today = today or timezone.localdate()

    def years_ago(n: int) -> dt.date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:
            return today.replace(year=today.year - n, day=28)

    bands: dict[str, tuple[int | None, int | None]] = {
        "lt30": (None, 30),
        "30_39": (30, 40),
        "40_49": (40, 50),
        "50plus": (50, None),
    }
    low, high = bands[band]
    # age >= low: born on or before years_ago(low); age < high: born after years_ago(high).
    born_after = years_ago(high) if high is not None else None
    born_on_or_before = years_ago(low) if low is not None else None
    return born_after, born_on_or_before
