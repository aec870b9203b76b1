"""Member search: one box for names, card numbers, phone numbers and citizen IDs.

Typed words match word by word, folded (case, diacritics, NFC/NFD and the two tone placements
all fold alike), so "nguyen duc" finds "NGUYỄN ĐỨC". Each word may be any part of a word ("hoa"
finds Hoa, Hoà, Khoa, Hoàng): a word without digits in the name, a word with digits also in the
card number or phone ("nguyen 0912"). `search_q` is that filter, the same on every database; on
PostgreSQL a pg_trgm index on the search column (folded name, card number, phone) serves it.

Lists are in the Vietnamese order (given name first). Sorting every match of a common name to
show the first 50 costs hundreds of milliseconds at a million members, so the member list asks
`first_matches` for the page instead: it takes the typed word whose matching words are rarest,
walks the members holding those words in the official order (`MemberWord`, one row per word of a
member with the member's sort keys) and stops when the page is full. The walk only narrows where
to look: every candidate is checked by the caller's own queryset (scope, filters, every word), so
the page is exactly the first rows of that queryset. When the caller's scope holds too few of the
matches for the walk to fill the page soon, the list is sorted from the matches instead
(`unindexed_order`), which is quick precisely because the scope is small. docs/benchmarks.md.
"""

from __future__ import annotations

import enum
import re
import time
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
        if _in_name_only(word):
            q &= Q(name_fold__contains=word)
    return q


def _in_name_only(word: str) -> bool:
    return not any(c.isdigit() for c in word)


def is_name_search(text: str) -> bool:
    compact = _NOT_DIGIT.sub("", (text or "").strip())
    return bool(compact) and not compact.lstrip("+").isdigit()


def sort_found_first(found: Q_T, text: str) -> Q_T:
    """For lists read whole or counted (the API's pages): the Vietnamese order, through the
    matches rather than the order index when they are few, so that PostgreSQL does not walk the
    order index through half the country for a name in the middle of the alphabet (PostgreSQL
    only). Runs one counting query with a limit."""
    db = connections[found.db]
    if db.vendor != "postgresql" or not is_name_search(text):
        return found
    # Counted over the whole registry, without the caller's scope and filters: an upper bound
    # that needs no join (the scope join would cost more than the count).
    everyone = found.model._default_manager.using(found.db).filter(search_q(text))
    if everyone.order_by()[: FEW_MATCHES + 1].count() > FEW_MATCHES:
        return found
    return unindexed_order(found)


def unindexed_order(found: Q_T) -> Q_T:
    """The official order on an expression no index serves, so that PostgreSQL finds the rows
    through the scope or the trigram index and sorts just them (given_sort || '' sorts exactly
    like given_sort: same "C" collation)."""
    if connections[found.db].vendor != "postgresql":
        return found
    unindexed = Collate(Concat(F("given_sort"), Value("")), "C")
    return found.order_by(unindexed, "family_sort", "middle_sort", "pk")


# ---------------------------------------------------------------------------------------------
# The ordered walk (see the module's docstring)

# A typed word found inside more words than this ("a", "n") does not lead the walk.
MAX_EXPANSION = 32
# Walk rows read before giving up on filling the page (the caller then sorts the matches), and
# rows read before judging from the share kept whether the page will fill within that limit.
WALK_LIMIT = 50_000
PROBE = 1_000
# Pages deeper than this are not walked.
MAX_UPTO = 5_000
FIRST_BATCH = 64
MAX_BATCH = 10_000
STATS_SECONDS = 600.0

_stats: dict[str, tuple[float, dict[str, float], float]] = {}


class NoWalk(enum.Enum):
    """Why `first_matches` did not walk, and so how the list should find its page."""

    # No typed word leads (each is inside too many words, or has digits) or the page is deep:
    # the matches are everywhere, so the list's own order (its index) finds the page soon.
    COMMON = "common"
    # The caller's list holds few of the walked members (a district's officer, a rare filter):
    # sort the list's matches (`unindexed_order`).
    SPARSE = "sparse"


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _frequencies(alias: str) -> tuple[dict[str, float], float] | None:
    """PostgreSQL's estimate of how often each common search word occurs (its statistics of
    `MemberWord.word`), and a bound for the others; None without statistics."""
    from congdoan.members.models import MemberWord

    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    cached = _stats.get(alias)
    now = time.monotonic()
    if cached is None or now - cached[0] > STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'word'",
                [MemberWord._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0]:
            common = dict(zip(row[0], row[1], strict=True))
            cached = (now, common, min(row[1]) / 2)
        else:
            cached = (now, {}, 0.0)
        _stats[alias] = cached
    _at, common, rest = cached
    return (common, rest) if common else None


def _walk_plan(alias: str, words: list[str]) -> tuple[list[str], list[str]] | None:
    """(the name words containing the rarest typed word, the typed word itself first and then
    the most frequent; the other typed words, looked for in names only), or None when no typed
    word can lead (each has digits or is found in too many words)."""
    from congdoan.members.models import MemberWord, SearchWord

    typed = [w for w in dict.fromkeys(words) if _in_name_only(w)]
    if not typed:
        return None
    # The words containing each typed word: one query for all of them, or one each when a
    # short typed word ("a") is in too many.
    words_qs = SearchWord.objects.using(alias).values_list("word", flat=True)
    limit = MAX_EXPANSION * len(typed) + 1
    wanted = Q()
    for word in typed:
        wanted |= Q(word__contains=word)
    vocabulary = list(words_qs.filter(wanted)[:limit])
    options: list[tuple[list[str], str]] = []
    for word in typed:
        if len(vocabulary) < limit:
            found = [w for w in vocabulary if word in w]
        else:
            found = list(words_qs.filter(word__contains=word)[: MAX_EXPANSION + 1])
        if len(found) <= MAX_EXPANSION:
            options.append((found, word))
    if not options:
        return None
    stats = _frequencies(alias)
    if stats is not None:
        common, rest = stats
        frequency = {w: common.get(w, rest) for found, _w in options for w in found}
    else:
        rows = MemberWord.objects.using(alias).order_by()
        frequency = {
            w: float(rows.filter(word=w)[:WALK_LIMIT].count())
            for found, _w in options
            for w in found
        }
    weight = [sum(frequency[w] for w in found) for found, _w in options]
    expansion, leader = options[min(range(len(options)), key=weight.__getitem__)]
    expansion.sort(key=lambda w: (w != leader, -frequency[w], w))
    return expansion, [w for w in dict.fromkeys(words) if w != leader and _in_name_only(w)]


Key = tuple[str, str, str, int]


def _entries(
    alias: str, word: str, others: list[str], after: Key | None, upto: Key | None, limit: int
) -> list[Key]:
    """The first `limit` (given, family, middle, member id) of the members holding `word` with
    `others` in their name, in the official order, in (after, upto]: one index range."""
    from congdoan.members.models import MemberWord

    table = connections[alias].ops.quote_name(MemberWord._meta.db_table)
    keys = "given_sort, family_sort, middle_sort, member_id"
    where = "word = %s"
    params: list = [word]
    if after is not None:
        where += f" AND ({keys}) > (%s, %s, %s, %s)"
        params.extend(after)
    if upto is not None:
        where += f" AND ({keys}) <= (%s, %s, %s, %s)"
        params.extend(upto)
    for other in others:
        where += " AND name_fold LIKE %s ESCAPE '\\'"
        params.append(_like(other))
    # Built from constants and the table's name; every value is a parameter.
    sql = f"SELECT {keys} FROM {table} WHERE {where} ORDER BY {keys} LIMIT %s"  # noqa: S608
    params.append(limit)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]


def _window(
    alias: str, expansion: list[str], others: list[str], after: Key | None, size: int
) -> list[Key]:
    """The first `size` entries after `after` over all the words of `expansion`, in order.

    Word by word: once `size` entries are in hand, the next words are read only up to the last
    of them, so that a word holding few matches ("hoang" for "nguyen thi hoa") is not read to
    its end. An entry of a member holding two of the words appears twice (same key)."""
    window: list[Key] = []
    bound: Key | None = None
    for word in expansion:
        window = sorted(window + _entries(alias, word, others, after, bound, size))[:size]
        if len(window) == size:
            bound = window[-1]
    return window


def first_matches(
    found: QuerySet, text: str, upto: int, *, wide: bool = True
) -> list[int] | NoWalk:
    """The ids of the first `upto` members of `found` (a queryset filtered by `search_q(text)`,
    in the official order), found by walking the search words, or why not (`NoWalk`). `wide`:
    `found` is the whole country's list, so it keeps most of the members walked."""
    if not is_name_search(text) or upto > MAX_UPTO:
        return NoWalk.COMMON
    alias = found.db
    plan = _walk_plan(alias, fold(text).split())
    if plan is None:
        return NoWalk.COMMON
    expansion, others = plan
    if not expansion:
        return []
    checked = found.order_by()
    result: list[int] = []
    after: Key | None = None
    read = 0
    # The first window: four pages for the whole country's list (it keeps nearly every member
    # walked), ten for a narrower one (the largest province holds an eighth of the country).
    size = min(MAX_BATCH, max(FIRST_BATCH, (4 if wide else 10) * upto))
    while True:
        entries = _window(alias, expansion, others, after, size)
        ids = list(dict.fromkeys(e[3] for e in entries))
        if ids:
            keep = set(checked.filter(pk__in=ids).values_list("pk", flat=True))
            result.extend(i for i in ids if i in keep)
        if len(result) >= upto or len(entries) < size:
            return result[:upto]
        read += len(entries)
        # Entries still to read at the share the caller's list kept so far (its scope and
        # filters hold few of the matches: a district, a rare filter): give up early if many.
        to_read = (upto - len(result)) * read // len(result) if result else WALK_LIMIT
        if read >= WALK_LIMIT or (read >= PROBE and read + to_read > WALK_LIMIT):
            return NoWalk.SPARSE
        after = entries[-1]
        size = min(MAX_BATCH, size * 4 if not result else max(size * 2, to_read * 3 // 2))
