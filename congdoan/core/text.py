"""Vietnamese text: the one normaliser for search keys, and the Vietnamese sort order.

- `nfc(s)`: Unicode NFC with collapsed whitespace and no control characters; every stored text
  goes through it (Excel on macOS and some keyboards produce NFD).
- `drop_controls(s)`: control characters out (NUL, ESC… deleted; tab, line and record separators
  become spaces). Files exported by old systems carry them, and PostgreSQL cannot store a NUL.
- `fold(s)`: the search key: NFC, casefold, combining marks stripped, "đ" mapped to "d".
  "Nguyễn Đức" and "nguyen duc" fold alike, and so do the two tone placements "hòa"/"hoà".
- `sort_key(s)`: Vietnamese alphabetical order (a < ă < â, d < đ, o < ô < ơ, u < ư) with tones as
  a secondary difference (none < huyền < hỏi < ngã < sắc < nặng), matching PostgreSQL's `vi-x-icu`.
"""

import re
import unicodedata

_SPACE = re.compile(r"\s+")

# Tone marks, in Vietnamese dictionary order (none first).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Letters whose diacritic makes them a separate letter of the alphabet.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


# Legacy encoding conversions (TCVN3, VNI) often turn "Đ/đ" into the Icelandic "Ð/ð".
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})

# Control characters (Unicode category Cc): the whitespace ones become a space, the others go.
_CONTROLS = str.maketrans(
    {chr(c): (" " if chr(c).isspace() else None) for c in [*range(0x20), *range(0x7F, 0xA0)]}
)


def drop_controls(text: str) -> str:
    """`text` without control characters (see the module's docstring)."""
    return text.translate(_CONTROLS)


def nfc(value: str | None) -> str:
    """NFC-normalise, repair "Ð"→"Đ", collapse runs of whitespace; None becomes ""."""
    if not value:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_LOOKALIKES)
    if not text.isprintable():
        text = drop_controls(text)
    return _SPACE.sub(" ", text).strip()


def fold(value: str | None) -> str:
    """Search key: lower case, no diacritics, đ→d, single spaces."""
    text = nfc(value).casefold().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _split_letter(ch: str) -> tuple[str, int]:
    """One NFC character → (letter of the Vietnamese alphabet, tone rank)."""
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    tone = 0
    marks = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            marks += mark
    letter = unicodedata.normalize("NFC", base + marks)
    return letter, tone


def sort_key(value: str | None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Key for sorting Vietnamese text: letters first, then tones, case-insensitive."""
    letters: list[int] = []
    tones: list[int] = []
    for ch in nfc(value).casefold():
        letter, tone = _split_letter(ch)
        if letter in _RANK:
            letters.append(100 + _RANK[letter])
        elif ch.isspace():
            letters.append(0)
        else:
            letters.append(1000 + ord(letter[0]))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def sort_string(value: str | None) -> str:
    """`sort_key` as a plain string, to store in a column and sort bytewise in the database.

    Letters become one character each in alphabet order ("!" for a space), then a space and one
    digit per tone, so that "An" < "Anh" < "Ân", "Ha" < "Hà" < "Hạ" and "Thị" < "Thị Hồng"
    (the space that ends the letters sorts below every letter and below the "!" between words).
    Stored in columns compared
    bytewise (COLLATE "C" on PostgreSQL), the order matches `sort_key` and PostgreSQL's
    `vi-x-icu` collation for Vietnamese names.
    """
    letters, tones = sort_key(value)
    out = []
    for rank in letters:
        if rank == 0:
            out.append("!")
        elif rank < 1000:
            out.append(chr(0x41 + rank - 100))  # "A" … for the 34 letters
        else:
            out.append(chr(min(rank - 1000 + 0x80, 0x7FF)) if rank - 1000 > 0x7F else "~")
    return "".join(out) + " " + "".join(str(t) for t in tones)
