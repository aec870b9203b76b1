"""The parsers of the usual cells of a register file, for `imports.Column(parse=...)`.

Each factory returns a `Cell`: a callable `(value, ctx) -> parsed value` that raises
`CellError(message)` for a value it refuses, and that tells the template how to format its
column (`kind`) and which values its drop-down offers (`choices`). A parser sees only non-empty
cells (the engine handles empty and required cells) and must depend on the value alone: the
engine parses each distinct value of a column once.

Cells come from python-calamine as str, float (every Excel number), bool, date or datetime, and
from csv as str.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from congdoan.core.formats import number
from congdoan.core.text import drop_controls
from congdoan.members import cccd
from congdoan.members.imports.columns import header_key
from congdoan.members.search import normalise_phone

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$")
_INTEGER = re.compile(r"^[+-]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$|^[+-]?\d+$")
_MONEY_JUNK = re.compile(r"\s|đồng|đ|vnđ|vnd|₫", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
MAX_MONEY = Decimal(10) ** 14


class CellError(Exception):
    """A cell's value is refused; the message (translated) says why."""

    def __init__(self, message: str):
        # The message may quote the cell: without its control characters (a NUL cannot be
        # stored by PostgreSQL, and none can be shown).
        message = drop_controls(message)
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Cell:
    """A parser of one kind of cell. `kind` formats the template's column: text, code (text
    kept as typed: IDs, unit codes), date, integer, money, choice, bool, unit (a unit code,
    resolved by the engine into a `Unit`), identity (a citizen ID), phone."""

    parse: Callable[[Any], Any]
    kind: str = "text"
    choices: tuple[str, ...] = ()

    def __call__(self, value: Any, ctx: Any = None) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            # A number too large for the sheet (Excel and calamine give inf).
            raise CellError(_("This number is too large."))
        try:
            return self.parse(value)
        except OverflowError as exc:  # a huge number where a date or a count was expected
            raise CellError(_("This number is too large.")) from exc


def clean_text(value: Any) -> str:
    """NFC, single spaces, no control characters; an Excel number as typed (1234.0 → "1234")."""
    if isinstance(value, float):
        whole = math.isfinite(value) and value == int(value)
        return str(int(value)) if whole else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = drop_controls(text)
    return " ".join(text.split())


def _too_long(text: str, max_length: int) -> CellError:
    return CellError(
        _("At most %(max)s characters (this one has %(n)s).")
        % {"max": number(max_length), "n": number(len(text))}
    )


def text(max_length: int = 255) -> Cell:
    """Text in NFC with single spaces, at most `max_length` characters."""

    def parse(value: Any) -> str:
        out = clean_text(value)
        if len(out) > max_length:
            raise _too_long(out, max_length)
        return out

    return Cell(parse, "text")


def code(max_length: int = 40) -> Cell:
    """A code or number kept as typed (upper case, no spaces); the template formats its column
    as text so that Excel keeps leading zeros."""

    def parse(value: Any) -> str:
        out = clean_text(value).replace(" ", "").upper()
        if len(out) > max_length:
            raise _too_long(out, max_length)
        return out

    return Cell(parse, "code")


def _not_a_date(value: Any) -> CellError:
    return CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 05/02/1990.")
        % {"value": clean_text(value)}
    )


def _date_of(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and value == int(value):
            raise CellError(
                _("Only the year (%(value)s) is given; write the full date as dd/mm/yyyy.")
                % {"value": int(value)}
            )
        if 3653 <= value < 80000:  # an Excel date serial (1910–2118) in a General cell
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise _not_a_date(value)
    raw = str(value).strip()
    try:
        if m := _DATE.match(raw):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.match(raw):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise _not_a_date(value) from exc
    if raw.isdecimal() and len(raw) == 4:
        raise CellError(
            _("Only the year (%(value)s) is given; write the full date as dd/mm/yyyy.")
            % {"value": raw}
        )
    raise _not_a_date(value)


def date(*, min_year: int = 1900, max_year: int = 2100) -> Cell:
    """A day: an Excel date, dd/mm/yyyy (also with . or -), or yyyy-mm-dd."""

    def parse(value: Any) -> dt.date:
        day = _date_of(value)
        if not min_year <= day.year <= max_year:
            raise CellError(
                _("The year must be between %(min)s and %(max)s.")
                % {"min": min_year, "max": max_year}
            )
        return day

    return Cell(parse, "date")


def _whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float | int):
        if value != int(value):
            raise ValueError(value)
        return int(value)
    raw = str(value).strip().replace(" ", "")
    if not _INTEGER.match(raw):
        raise ValueError(raw)
    return int(raw.replace(".", "").replace(",", ""))


def integer(*, min_value: int | None = 0, max_value: int | None = None) -> Cell:
    """A whole number ("1.500" and "1,500" are 1500), within [min_value, max_value]."""

    def parse(value: Any) -> int:
        try:
            out = _whole_number(value)
        except (ValueError, OverflowError) as exc:
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": clean_text(value)}
            ) from exc
        if min_value is not None and out < min_value:
            raise CellError(_("At least %(min)s.") % {"min": number(min_value)})
        if max_value is not None and out > max_value:
            raise CellError(_("At most %(max)s.") % {"max": number(max_value)})
        return out

    return Cell(parse, "integer")


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float | int):
        if value != int(value):
            raise ValueError(value)
        return Decimal(int(value))
    raw = _MONEY_JUNK.sub("", str(value))
    if _THOUSANDS.match(raw):
        raw = raw.replace(".", "").replace(",", "")
    if not raw.isdecimal():
        raise ValueError(raw)
    return Decimal(raw)


def money() -> Cell:
    """An amount in đồng, whole and not negative: 1500000, "1.500.000", "1,500,000 đ"."""

    def parse(value: Any) -> Decimal:
        try:
            out = _amount(value)
        except (ValueError, OverflowError) as exc:
            raise CellError(
                _("“%(value)s” is not an amount in đồng.") % {"value": clean_text(value)}
            ) from exc
        if out < 0 or out >= MAX_MONEY:
            raise CellError(
                _("“%(value)s” is not an amount in đồng.") % {"value": clean_text(value)}
            )
        return out

    return Cell(parse, "money")


def choice(options: Mapping[Any, str | Sequence[str]] | Sequence[str]) -> Cell:
    """One value of a list, matched without case, diacritics or punctuation.

    `options` maps each stored value to its word (or to its words: the first is offered by the
    template and written by exports, the others are accepted too); a plain list of words stores
    the word itself. Returns the stored value."""
    table: dict[Any, tuple[str, ...]]
    if isinstance(options, Mapping):
        table = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in options.items()}
    else:
        table = {w: (w,) for w in options}
    lookup: dict[str, Any] = {}
    for stored, words in table.items():
        for word in words:
            lookup.setdefault(header_key(word), stored)
    offered = tuple(words[0] for words in table.values())

    def parse(value: Any) -> Any:
        found = lookup.get(header_key(clean_text(value)), lookup)
        if found is lookup:
            raise CellError(
                _("“%(value)s” is not in the list; write one of: %(choices)s.")
                % {"value": clean_text(value), "choices": ", ".join(offered)}
            )
        return found

    return Cell(parse, "choice", offered)


YES = ("Có", "co", "x", "yes", "y", "true", "1", "v", "✓")
NO = ("Không", "khong", "no", "n", "false", "0", "-")


def yes_no() -> Cell:
    """Có / Không (also x, 1, 0, yes, no…) → True / False."""
    lookup = {header_key(w): True for w in YES} | {header_key(w): False for w in NO}

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        found = lookup.get(header_key(clean_text(value)))
        if found is None:
            raise CellError(
                _("Write Có or Không, or leave it empty (found “%(value)s”).")
                % {"value": clean_text(value)}
            )
        return found

    return Cell(parse, "bool", (YES[0], NO[0]))


def unit() -> Cell:
    """A unit's code. The engine resolves every code of the file in one query, within the
    importing unit's subtree and the actor's scope: the row's value becomes the `Unit` (the
    importing unit itself when the cell is empty and the column is not required)."""
    return Cell(code(40).parse, "unit")


def identity() -> Cell:
    """A citizen ID (12 digits) or an old ID card number (9), as `members.cccd.validate`."""

    def parse(value: Any) -> str:
        try:
            found = cccd.validate(value)
        except cccd.InvalidCitizenId as exc:
            raise CellError(exc.message) from exc
        return found.value if found else ""

    return Cell(parse, "identity")


def phone() -> Cell:
    """A phone number, normalised (+84 912 345 678 → 0912345678)."""

    def parse(value: Any) -> str:
        raw = clean_text(value)
        out = normalise_phone(raw)
        if isinstance(value, float) and len(out) == 9 and out[0] != "0":
            raise CellError(
                _(
                    "9 digits: the leading zero was probably lost in Excel. Did you mean "
                    "%(candidate)s? Format the column as Text and enter the full number."
                )
                % {"candidate": "0" + out}
            )
        if not (out.isascii() and out.isdecimal()) or not 8 <= len(out) <= 15:
            raise CellError(_("“%(value)s” is not a phone number.") % {"value": raw})
        return out

    return Cell(parse, "phone")
