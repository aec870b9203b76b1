"""Member search: one box for names, card numbers, phone numbers and citizen IDs.

Names. Each typed word matches a whole word of the name, folded (case, diacritics, NFC/NFD and
the two tone placements ignored, đ→d), except the last word typed, which may begin a word
(typing as you go): "nguyen thi hoa" finds Nguyễn Thị Hoa, Hoà, Hoài, Hoàng, not Nguyễn Thị Thoa
nor Nguyễn Văn Khoa. A word with digits is looked for in the card number and the phone
("nguyen 0912"); a number alone is a citizen ID (9 or 12 digits), a phone or a card number.

Order. Lists are in the official order (given name, family name, middle name). When the officer
types diacritics, the names written exactly so come first: each word typed with diacritics
equals the name's word in its normal form (`word_form`: lower case, the letters with their own
marks ă â đ ê ô ơ ư, and the tone apart, so that "hoà" and "hòa" agree), the last one begins it
(with the same tone, when a tone was typed); then the other matches, each group in the official
order (`exact_q`, `in_search_order`).

Indexes. `search_q` asks for each typed word inside `search_text` (served by the trigram index
on PostgreSQL) and checks the whole word on the folded name of the rows found, the same way on
every database. Sorting every match of a common name to show the first 50 costs hundreds of
milliseconds at a million members, so the list asks `page_ids` for its page: `first_matches`
takes the typed word with the rarest words (a whole word is one word; the last word, every word
it begins), walks the members holding them in the official order (`MemberWord`, one row per word
of a member with the member's sort keys, folded name and normal form, all read from the index)
and stops when the page is full; with diacritics it walks the exact matches first, then the
others. The walk only narrows where to look: every candidate is checked by the caller's own
queryset (scope, filters, every word), so the page is exactly the first rows of that queryset.
When the caller's scope holds too few of the matches for the walk to fill the page soon, the
list is sorted from the matches instead (`unindexed_order`), which is quick precisely because
the scope is small. docs/benchmarks.md.
"""

from __future__ import annotations

import enum
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Collate, Concat

from congdoan.core.text import fold, nfc

Q_T = TypeVar("Q_T", bound=QuerySet)

# Sorting this many rows takes a few milliseconds; the trigram index finds them in tens.
FEW_MATCHES = 20_000

OFFICIAL_ORDER = ("given_sort", "family_sort", "middle_sort", "pk")

_NOT_DIGIT = re.compile(r"[\s.\-()]")

# Tone marks (after NFD) and the digit that stands for each in `word_form`.
_TONE_DIGITS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


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


# ---------------------------------------------------------------------------------------------
# Spelling: the normal form that exact matches compare


def word_form(word: str) -> str:
    """One word as compared for an exact match: lower case, NFC, one digit for its tone (0 none,
    1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng) then its letters with their own marks, wherever the
    tone mark sat: "Hoà" and "hòa" are both "1hoa", "Nguyễn" is "3nguyên", "Đông" "0đông"."""
    tone = "0"
    letters = []
    for ch in unicodedata.normalize("NFD", nfc(word).casefold()):
        digit = _TONE_DIGITS.get(ch)
        if digit is None:
            letters.append(ch)
        else:
            tone = digit
    return tone + unicodedata.normalize("NFC", "".join(letters))


def name_form(full_name: str) -> str:
    """`word_form` of every word of a name (stored as `Member.name_form`)."""
    return " ".join(word_form(w) for w in nfc(full_name).split())


# ---------------------------------------------------------------------------------------------
# What was typed


@dataclass(frozen=True)
class Word:
    """A typed word without digits, looked for in the name."""

    folded: str
    form: str | None  # `word_form` when typed with diacritics, else None
    prefix: bool  # the last word typed: it may begin a word of the name

    @property
    def pattern(self) -> str:
        """LIKE pattern on the folded name between spaces."""
        return f"% {_escape(self.folded)}{'%' if self.prefix else ' %'}"

    @property
    def form_pattern(self) -> str:
        """LIKE pattern on the normal form between spaces (only for a word with a form). The
        last word begins the name's word; without a typed tone, any tone."""
        assert self.form is not None
        tone, letters = self.form[0], _escape(self.form[1:])
        if not self.prefix:
            return f"% {tone}{letters} %"
        return f"% {tone}{letters}%" if tone != "0" else f"% _{letters}%"


@dataclass(frozen=True)
class Typed:
    names: tuple[Word, ...]
    numbers: tuple[str, ...]  # folded words with digits: in the card number or the phone

    @property
    def exact(self) -> bool:
        """Whether some word was typed with diacritics (the exact matches then come first)."""
        return any(w.form is not None for w in self.names)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse(text: str) -> Typed:
    tokens = [t.strip(",;") or t for t in nfc(text).split()]
    tokens = [t for t in tokens if fold(t)]
    names: list[Word] = []
    numbers: list[str] = []
    for i, token in enumerate(tokens):
        folded = fold(token)
        if any(c.isdecimal() for c in folded):
            numbers.append(folded)
            continue
        form = word_form(token)
        marked = form != "0" + folded  # a tone, or a letter of its own (ă â đ ê ô ơ ư …)
        names.append(Word(folded, form if marked else None, prefix=i == len(tokens) - 1))
    return Typed(tuple(names), tuple(numbers))


def is_name_search(text: str) -> bool:
    compact = _NOT_DIGIT.sub("", (text or "").strip())
    return bool(compact) and not compact.lstrip("+").isdecimal()


# ---------------------------------------------------------------------------------------------
# Filters and order


class Like(Lookup):
    """`lhs LIKE pattern` with the pattern as given (wildcards included), the same SQL on every
    database (the values compared here are lower case already)."""

    lookup_name = "like"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


class _Spaced(Func):
    """A column between two spaces (its words then all lie between spaces), the same SQL on
    every database."""

    template = "(' ' || %(expressions)s || ' ')"
    output_field = CharField()


def _spaced(field: str) -> _Spaced:
    return _Spaced(F(field))


def search_q(text: str) -> Q:
    raw = (text or "").strip()
    if not raw:
        return Q()
    compact = _NOT_DIGIT.sub("", raw)
    if compact.lstrip("+").isdecimal():
        if len(compact) in (9, 12):
            return Q(citizen_id=compact) | Q(card_number=raw.upper())
        phone = normalise_phone(compact)
        if len(phone) >= 9:
            return Q(phone=phone) | Q(card_number=raw.upper())
    typed = parse(raw)
    q = Q()
    for number in typed.numbers:
        q &= Q(search_text__contains=number)
    for word in typed.names:
        # Inside the search text: what the trigram index finds; then the whole word in the name.
        q &= Q(search_text__contains=word.folded) & Q(Like(_spaced("name_fold"), word.pattern))
    return q


def exact_q(text: str) -> Q | None:
    """The members whose name is written as typed (see the module's docstring), or None when
    no word was typed with diacritics."""
    typed = parse(text or "")
    if not typed.exact:
        return None
    q = Q()
    for word in typed.names:
        if word.form is not None:
            q &= Q(Like(_spaced("name_form"), word.form_pattern))
    return q


def _exact_first(exact: Q) -> Case:
    return Case(When(exact, then=Value(0)), default=Value(1), output_field=IntegerField())


def in_search_order(found: Q_T, text: str) -> Q_T:
    """`found` (members filtered by `search_q(text)`) in the list's order: the official order,
    with the names written exactly as typed first when diacritics were typed."""
    exact = exact_q(text) if is_name_search(text) else None
    if exact is None:
        return found
    return found.order_by(_exact_first(exact), *OFFICIAL_ORDER)


def sort_found_first(found: Q_T, text: str) -> Q_T:
    """For lists read whole or counted (the API's pages): the list's order, through the
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
    return unindexed_order(found, text)


def unindexed_order(found: Q_T, text: str = "") -> Q_T:
    """The list's order on expressions no index serves, so that PostgreSQL finds the rows
    through the scope or the trigram index and sorts just them (given_sort || '' sorts exactly
    like given_sort: same "C" collation)."""
    if connections[found.db].vendor != "postgresql":
        return found
    unindexed = Collate(Concat(F("given_sort"), Value("")), "C")
    keys: list[Any] = [unindexed, "family_sort", "middle_sort", "pk"]
    exact = exact_q(text) if is_name_search(text) else None
    if exact is not None:
        keys.insert(0, _exact_first(exact))
    return found.order_by(*keys)


# ---------------------------------------------------------------------------------------------
# The ordered walk (see the module's docstring)

# A last word that begins more words than this ("n", "th") does not lead the walk.
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

    # No typed word leads (the only name word begins too many words) or the page is deep: the
    # matches are everywhere, so the list's own order (its index) finds the page soon.
    COMMON = "common"
    # The caller's list holds few of the walked members (a district's officer, a rare filter):
    # sort the list's matches (`unindexed_order`).
    SPARSE = "sparse"


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


def _vocabulary(alias: str, names: Sequence[Word]) -> tuple[set[str], list[str] | None]:
    """(the whole typed words found in some name, the words the last typed word begins — None
    when it begins more than MAX_EXPANSION or is not a name word): one query, two if many."""
    from congdoan.members.models import SearchWord

    words = SearchWord.objects.using(alias).values_list("word", flat=True)
    wholes = {w.folded for w in names if not w.prefix}
    last = next((w.folded for w in names if w.prefix), None)
    wanted = Q(word__in=sorted(wholes))
    if last is not None:
        wanted |= Q(word__startswith=last)
    limit = len(wholes) + MAX_EXPANSION + 1
    found = list(words.filter(wanted)[:limit])
    if last is not None and len(found) == limit:  # the last word begins many: ask apart
        found = list(words.filter(word__in=sorted(wholes)))
        begun = list(words.filter(word__startswith=last)[: MAX_EXPANSION + 1])
        found += begun
    present = wholes & set(found)
    if last is None:
        return present, None
    expansion = sorted({w for w in found if w.startswith(last)})
    return present, expansion if len(expansion) <= MAX_EXPANSION else None


def _walk_plan(alias: str, typed: Typed) -> tuple[list[str], list[Word]] | None:
    """(the name words of the typed word that leads — the rarest —, the typed word itself first
    and then the most frequent; the other typed name words), or None when none can lead (the
    only one begins too many words). An empty list of words: no name holds some typed word."""
    from congdoan.members.models import MemberWord

    if not typed.names:
        return None
    present, begun = _vocabulary(alias, typed.names)
    options: list[tuple[list[str], Word]] = []
    for word in typed.names:
        if not word.prefix:
            if word.folded not in present:
                return [], []
            options.append(([word.folded], word))
        elif begun is not None:
            if not begun:
                return [], []
            options.append((list(begun), word))
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
    expansion.sort(key=lambda w: (w != leader.folded, -frequency[w], w))
    others = list(typed.names)
    others.remove(leader)
    return expansion, others


Key = tuple[str, str, str, int]


@dataclass(frozen=True)
class _Where:
    """The conditions of walk entries besides their word: the other typed words in the folded
    name, and for a group, whether the name is written as typed."""

    sql: str
    params: tuple[Any, ...]


def _where(others: Sequence[Word], typed: Typed, group: bool | None) -> _Where:
    parts: list[str] = []
    params: list[Any] = []
    for other in others:
        parts.append("(' ' || name_fold || ' ') LIKE %s ESCAPE '\\'")
        params.append(other.pattern)
    if group is not None:
        marked = [w for w in typed.names if w.form is not None]
        exact = " AND ".join("(' ' || name_form || ' ') LIKE %s ESCAPE '\\'" for _w in marked)
        parts.append(f"({exact})" if group else f"NOT ({exact})")
        params.extend(w.form_pattern for w in marked)
    return _Where("".join(f" AND {p}" for p in parts), tuple(params))


def _entries(
    alias: str, word: str, where: _Where, after: Key | None, upto: Key | None, limit: int
) -> list[Key]:
    """The first `limit` (given, family, middle, member id) of the members holding `word` that
    meet `where`, in the official order, in (after, upto]: one index range."""
    from congdoan.members.models import MemberWord

    table = connections[alias].ops.quote_name(MemberWord._meta.db_table)
    keys = "given_sort, family_sort, middle_sort, member_id"
    sql = "word = %s"
    params: list[Any] = [word]
    if after is not None:
        sql += f" AND ({keys}) > (%s, %s, %s, %s)"
        params.extend(after)
    if upto is not None:
        sql += f" AND ({keys}) <= (%s, %s, %s, %s)"
        params.extend(upto)
    # Built from constants and the table's name; every value is a parameter.
    query = f"SELECT {keys} FROM {table} WHERE {sql}{where.sql} ORDER BY {keys} LIMIT %s"  # noqa: S608
    with connections[alias].cursor() as cursor:
        cursor.execute(query, [*params, *where.params, limit])
        return [tuple(row) for row in cursor.fetchall()]


def _window(
    alias: str, expansion: list[str], where: _Where, after: Key | None, size: int
) -> list[Key]:
    """The first `size` entries after `after` over all the words of `expansion`, in order.

    Word by word: once `size` entries are in hand, the next words are read only up to the last
    of them, so that a word holding few matches ("hoang" for "nguyen thi hoa") is not read to
    its end. An entry of a member holding two of the words appears twice (same key)."""
    window: list[Key] = []
    bound: Key | None = None
    for word in expansion:
        window = sorted(window + _entries(alias, word, where, after, bound, size))[:size]
        if len(window) == size:
            bound = window[-1]
    return window


def group_of(found: QuerySet, text: str, group: bool | None) -> QuerySet:
    """`found` narrowed to the names written as typed (True), to the others (False), or whole."""
    exact = exact_q(text) if group is not None else None
    if exact is None:
        return found
    return found.filter(exact) if group else found.exclude(exact)


def first_matches(
    found: QuerySet, text: str, upto: int, *, wide: bool = True, group: bool | None = None
) -> list[int] | NoWalk:
    """The ids of the first `upto` members of `found` (a queryset filtered by `search_q(text)`)
    in the official order — of one group when `group` is given (True: the names written as
    typed, False: the others) —, found by walking the search words, or why not (`NoWalk`).
    `wide`: `found` is the whole country's list, so it keeps most of the members walked."""
    if not is_name_search(text) or upto > MAX_UPTO:
        return NoWalk.COMMON
    alias = found.db
    typed = parse(text)
    if group is not None and not typed.exact:
        group = None
    plan = _walk_plan(alias, typed)
    if plan is None:
        return NoWalk.COMMON
    expansion, others = plan
    if not expansion:
        return []
    where = _where(others, typed, group)
    checked = group_of(found, text, group).order_by()
    result: list[int] = []
    after: Key | None = None
    read = 0
    # The first window: four pages for the whole country's list (it keeps nearly every member
    # walked), ten for a narrower one (the largest province holds an eighth of the country).
    size = min(MAX_BATCH, max(FIRST_BATCH, (4 if wide else 10) * upto))
    while True:
        entries = _window(alias, expansion, where, after, size)
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


def page_ids(found: QuerySet, text: str, upto: int, *, wide: bool = True) -> list[int] | NoWalk:
    """The ids of the first `upto` members of `found` (filtered by `search_q(text)`) in the
    list's order (`in_search_order`), or how the list finds them itself: `NoWalk.COMMON`, in
    its own order; `NoWalk.SPARSE`, through `unindexed_order`.

    With diacritics typed, the names written as typed first, then the others: a walk for each
    group (each falling back to its own sorted matches), so that neither is sorted whole."""
    if not parse(text).exact or upto > MAX_UPTO:
        return first_matches(found, text, upto, wide=wide)
    ids: list[int] = []
    for group in (True, False):
        need = upto - len(ids)
        if need <= 0:
            break
        got = first_matches(found, text, need, wide=wide, group=group)
        if isinstance(got, NoWalk):
            part = group_of(found, text, group).order_by(*OFFICIAL_ORDER)
            if got is NoWalk.SPARSE:
                part = unindexed_order(part)
            got = list(part.values_list("pk", flat=True)[:need])
        ids.extend(got)
    return ids


def count_matches(found: QuerySet, text: str, limit: int, *, wide: bool = True) -> int:
    """How many members `found` (filtered by `search_q(text)`) holds, counted up to `limit + 1`:
    by the walk for a name, else by the database with a limit."""
    if is_name_search(text):
        got = first_matches(found, text, limit + 1, wide=wide)
        if isinstance(got, list):
            return len(got)
    return int(found.order_by()[: limit + 1].count())
