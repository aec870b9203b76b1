"""Turning raw cells into member values, one row at a time, with every problem of the row.

The simple columns are parsed column by column, each with its parser (`SIMPLE`: one method of
`Context` per kind of cell), every distinct value once; then each row goes through a table of
named steps (`ROW_STEPS`: names, sex, lengths, dates, Party, citizen ID, unit), each one function.
Catalogues are dict lookups built once. Nothing here queries the database per row: units named
in the file are looked up once, before the rows (`Context.load_units`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.formats import short_date
from congdoan.core.scoping import path_range_q
from congdoan.core.text import drop_controls
from congdoan.members import cccd
from congdoan.members.imports.columns import (
    POLITICAL_KEYS,
    POLITICAL_THEORY_LEVELS,
    PROFESSIONAL_KEYS,
    PROFESSIONAL_LEVELS,
    SEX_KEYS,
    YES_NO_KEYS,
    header_key,
)
from congdoan.members.imports.keys import name_fold
from congdoan.members.imports.reading import Table
from congdoan.members.search import normalise_phone

MIN_MEMBER_LEVEL_RANK = 2  # as services.MIN_MEMBER_LEVEL_RANK
MIN_AGE_AT_ADMISSION = 15

_SPACE = re.compile(r"\s+")
_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?$")
_YEAR = re.compile(r"^\d{4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MONEY_JUNK = re.compile(r"\s|đồng|đ|vnd|₫", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)

TEXT_LIMITS = {
    "family_name": 60,
    "middle_name": 80,
    "given_name": 60,
    "email": 254,
    "hometown": 300,
    "address": 300,
    "general_education": 10,
    "job_title": 200,
    "workplace": 300,
    "note": 500,
    "card_number": 32,
}


class Bad(Exception):
    """A cell that cannot be used; the message is shown to the user."""

    def __init__(self, message: str):
        # The message may quote the cell: without its control characters (a NUL cannot be
        # stored by PostgreSQL, and none can be shown).
        message = drop_controls(message)
        super().__init__(message)
        self.message = message


def clean_text(value: Any) -> str:
    """NFC with single spaces (as core.text.nfc), fast for the common already-clean case."""
    text = value if type(value) is str else str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # already clean: the common case, ten times faster than splitting
    return " ".join(drop_controls(text).split())  # str.split() and re's \s agree on whitespace


def _number_text(value: float) -> str:
    # Not finite: a number too large for a double in the sheet (read as inf) stays text, which
    # the column then refuses with its own message.
    return str(int(value)) if math.isfinite(value) and value == int(value) else repr(value)


@dataclass
class UnitInfo:
    id: int
    code: str
    label: str
    path: str
    founded_on: dt.date
    dissolved_on: dt.date | None
    level_rank: int
    type_name: str

    def active_on(self, day: dt.date) -> bool:
        return self.founded_on <= day and (self.dissolved_on is None or self.dissolved_on > day)


@dataclass
class Row:
    row: int
    values: dict[str, Any]
    unit: UnitInfo | None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    name_fold: str = ""
    other_member: int | None = None  # the member of another unit that this row names
    other_visible: bool = False  # … and whether the actor may see members of that unit


def unit_info(unit: Any) -> UnitInfo:
    return UnitInfo(
        id=unit.pk,
        code=unit.code,
        label=f"{unit.short_name or unit.name} ({unit.code})",
        path=unit.path,
        founded_on=unit.founded_on,
        dissolved_on=unit.dissolved_on,
        level_rank=unit.unit_type.level.rank,
        type_name=unit.unit_type.name,
    )


class Context:
    """Lookups shared by every row of one import (catalogues, units, today)."""

    def __init__(self, *, unit: Any, today: dt.date | None = None):
        from congdoan.members.models import Ethnicity, Religion

        self.unit = unit_info(unit)
        self.today = today or timezone.localdate()
        self.ethnicities: dict[str, int] = {}
        self.ethnicity_names: dict[int, str] = {}
        for e in Ethnicity.objects.all():
            self.ethnicity_names[e.pk] = e.name
            self.ethnicities[e.code] = e.pk
            self.ethnicities[e.code.lstrip("0")] = e.pk
            for name in (e.name, *e.other_names.split(",")):
                if name.strip():
                    self.ethnicities[header_key(name)] = e.pk
                    self.ethnicities[header_key(name).replace(" ", "")] = e.pk
        self.religions: dict[str, int] = {}
        self.religion_names: dict[int, str] = {}
        for r in Religion.objects.all():
            self.religion_names[r.pk] = r.name
            self.religions[header_key(r.name)] = r.pk
            self.religions[header_key(r.code.replace("_", " "))] = r.pk
        none_religion = self.religions.get(header_key("Không"))
        if none_religion is not None:
            for word in ("khong ton giao", "khong co", "0"):
                self.religions.setdefault(word, none_religion)
        self.units: dict[str, UnitInfo] = {}
        self.card_length = _card_length()
        self._text_cache: dict[Any, str] = {}

    def load_units(self, codes: set[str]) -> None:
        """Units named in the file, within the import's unit subtree (one query)."""
        from congdoan.organisation.models import Unit

        codes = {c for c in codes if c}
        if not codes:
            return
        qs = (
            Unit.objects.filter(path_range_q("path", self.unit.path))
            .filter(code__in=sorted(codes))
            .select_related("unit_type__level")
        )
        for u in qs:
            self.units[u.code] = unit_info(u)

    # -- cell parsers --------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        cached = self._text_cache.get(value)
        if cached is None:
            cached = clean_text(value) if type(value) is not float else _number_text(value)
            if len(self._text_cache) < 200_000:
                self._text_cache[value] = cached
        return cached

    def date(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, float | int) and not isinstance(value, bool):
            if 1900 <= value <= 2100 and value == int(value):
                raise Bad(
                    _("Only the year (%(value)s) is given; write the full date as dd/mm/yyyy.")
                    % {"value": int(value)}
                )
            if 3653 <= value < 80000:  # an Excel date serial (1910–2118) in a General cell
                return EXCEL_EPOCH + dt.timedelta(days=int(value))
            raise Bad(
                _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 05/02/1990.")
                % {"value": _number_text(float(value))}
            )
        text = str(value).strip()
        m = _DATE.match(text)
        try:
            if m:
                day = dt.date(int(m[3]), int(m[2]), int(m[1]))
            elif m := _ISO.match(text):
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif _YEAR.match(text):
                raise Bad(
                    _("Only the year (%(value)s) is given; write the full date as dd/mm/yyyy.")
                    % {"value": text}
                )
            else:
                raise ValueError(text)
        except ValueError as exc:
            raise Bad(
                _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 05/02/1990.")
                % {"value": text}
            ) from exc
        if day.year < 1900:
            raise Bad(
                _("“%(value)s” is not a date; write it as dd/mm/yyyy, for example 05/02/1990.")
                % {"value": text}
            )
        return day

    def sex(self, value: Any) -> str:
        code = SEX_KEYS.get(header_key(str(value)))
        if code is None:
            raise Bad(_("Write Nam or Nữ (found “%(value)s”).") % {"value": self.text(value)})
        return str(code)

    def yes_no(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            value = _number_text(value)
        found = YES_NO_KEYS.get(header_key(str(value)))
        if found is None:
            raise Bad(
                _("Write Có or Không, or leave it empty (found “%(value)s”).")
                % {"value": self.text(value)}
            )
        return bool(found)

    def ethnicity(self, value: Any) -> int:
        key = _number_text(value) if isinstance(value, float) else header_key(str(value))
        found = self.ethnicities.get(key) or self.ethnicities.get(key.replace(" ", ""))
        if found is None:
            raise Bad(
                _(
                    "Unknown ethnicity “%(value)s”: write the name or the code of one of the 54 "
                    "ethnic groups (sheet “Danh mục” of the template)."
                )
                % {"value": self.text(value)}
            )
        return found

    def religion(self, value: Any) -> int:
        found = self.religions.get(header_key(self.text(value)))
        if found is None:
            raise Bad(
                _(
                    "Unknown religion “%(value)s”: write a name from the list (sheet “Danh mục” "
                    "of the template) or “Không”."
                )
                % {"value": self.text(value)}
            )
        return found

    def professional(self, value: Any) -> str:
        found = PROFESSIONAL_KEYS.get(header_key(str(value)))
        if found is None:
            raise Bad(
                _("Unknown level “%(value)s”; write one of: %(choices)s.")
                % {
                    "value": self.text(value),
                    "choices": ", ".join(w[0] for w in PROFESSIONAL_LEVELS.values()),
                }
            )
        return str(found)

    def political(self, value: Any) -> str:
        found = POLITICAL_KEYS.get(header_key(str(value)))
        if found is None:
            raise Bad(
                _("Unknown level “%(value)s”; write one of: %(choices)s.")
                % {
                    "value": self.text(value),
                    "choices": ", ".join(w[0] for w in POLITICAL_THEORY_LEVELS.values()),
                }
            )
        return str(found)

    def phone(self, value: Any) -> str:
        numeric = isinstance(value, float)
        text = _number_text(value) if numeric else self.text(value)
        phone = normalise_phone(text)
        if numeric and len(phone) == 9 and phone[0] != "0":
            raise Bad(
                _(
                    "9 digits: the leading zero was probably lost in Excel. Did you mean "
                    "%(candidate)s? Format the column as Text and enter the full number."
                )
                % {"candidate": "0" + phone}
            )
        if not (phone.isascii() and phone.isdecimal()) or not 8 <= len(phone) <= 15:
            raise Bad(_("“%(value)s” is not a phone number.") % {"value": text})
        return phone

    def email(self, value: Any) -> str:
        text = self.text(value)
        if not _EMAIL.match(text):
            raise Bad(_("“%(value)s” is not an email address.") % {"value": text})
        return text.lower()

    def card(self, value: Any) -> str:
        if isinstance(value, float):
            text = _number_text(value)
            if self.card_length and len(text) == self.card_length - 1:
                raise Bad(
                    _(
                        "%(n)s digits: the leading zero was probably lost in Excel. Did you "
                        "mean %(candidate)s? Format the column as Text and enter the full "
                        "number."
                    )
                    % {"n": len(text), "candidate": "0" + text}
                )
        else:
            text = self.text(value).replace(" ", "")
        return text.upper()

    def money(self, value: Any) -> Decimal:
        if isinstance(value, float | int) and not isinstance(value, bool):
            if value < 0 or value >= 1e14:
                raise Bad(_("“%(value)s” is not an amount in đồng.") % {"value": value})
            return Decimal(round(value))
        text = self.text(value)
        digits = _MONEY_JUNK.sub("", text)
        if _THOUSANDS.match(digits):
            digits = digits.replace(".", "").replace(",", "")
        elif _DECIMAL.match(digits):
            digits = digits.replace(",", ".")
        else:
            raise Bad(_("“%(value)s” is not an amount in đồng.") % {"value": text})
        amount = Decimal(digits)
        if amount >= Decimal(10) ** 14:
            raise Bad(_("“%(value)s” is not an amount in đồng.") % {"value": text})
        return amount.quantize(Decimal(1))

    def unit_code(self, value: Any) -> str:
        return (_number_text(value) if isinstance(value, float) else self.text(value)).upper()


def _card_length() -> int:
    from congdoan.members.cards import card_format

    try:
        return len(card_format().format(province=0, year=0, seq=0))
    except (KeyError, ValueError, IndexError):
        return 0


# ---------------------------------------------------------------------------------------------
# Rows

# key → (Context method, model field); names and the unit are handled apart.
SIMPLE: dict[str, tuple[str, str]] = {
    "date_of_birth": ("date", "date_of_birth"),
    "sex": ("sex", "sex"),
    "ethnicity": ("ethnicity", "ethnicity_id"),
    "religion": ("religion", "religion_id"),
    "phone": ("phone", "phone"),
    "email": ("email", "email"),
    "hometown": ("text", "hometown"),
    "address": ("text", "address"),
    "general_education": ("text", "general_education"),
    "professional_level": ("professional", "professional_level"),
    "political_theory": ("political", "political_theory"),
    "job_title": ("text", "job_title"),
    "workplace": ("text", "workplace"),
    "card_number": ("card", "card_number"),
    "card_issued_on": ("date", "card_issued_on"),
    "admitted_on": ("date", "admitted_on"),
    "party_member": ("yes_no", "party_member"),
    "party_joined_on": ("date", "party_joined_on"),
    "salary_base": ("money", "salary_base"),
    "hardship": ("yes_no", "hardship"),
    "disability": ("yes_no", "disability"),
    "note": ("text", "note"),
}
# Field → the file column its errors point to.
FIELD_COLUMN = {f: k for k, (_m, f) in SIMPLE.items()}
FIELD_COLUMN.update({"family_name": "family_name", "middle_name": "middle_name"})
FIELD_COLUMN.update({"given_name": "given_name", "citizen_id": "citizen_id"})
FUTURE_CHECKED = ("date_of_birth", "admitted_on", "party_joined_on", "card_issued_on")


_EMPTY = object()


def _parse_distinct(column: list[Any], parse: Any) -> dict[Any, Any]:
    """Each distinct non-empty value of a column → its parsed value, or the `Bad` it raised.
    Text keys are the text itself; other values are keyed with their type (True == 1.0)."""
    out: dict[Any, Any] = {}
    for raw in column:
        key = raw if type(raw) is str else (type(raw), raw)
        if key in out or raw is None or raw == "" or (type(raw) is str and not raw.strip()):
            continue
        try:
            out[key] = parse(raw)
        except Bad as exc:
            out[key] = exc
    return out


def split_full_name(text: str) -> tuple[str, str, str]:
    words = text.split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


@dataclass(frozen=True)
class Layout:
    """Where the columns that the row steps read are in one file."""

    keys: frozenset[str]
    plain_names: list[tuple[int, str]]  # family, middle and given name apart
    name_cols: list[tuple[int, str]]  # full name, or family and middle name together
    female_pos: int | None
    cid_pos: int | None
    unit_pos: int | None

    @classmethod
    def of(cls, table: Table) -> Layout:
        def pos(key: str) -> int | None:
            return next((p for p, k, _t in table.columns if k == key), None)

        def cols(keys: set[str]) -> list[tuple[int, str]]:
            return [(p, k) for p, k, _t in table.columns if k in keys]

        return cls(
            keys=frozenset(table.keys),
            plain_names=cols({"family_name", "middle_name", "given_name"}),
            name_cols=cols({"full_name", "family_middle"}),
            female_pos=pos("female"),
            cid_pos=pos("citizen_id"),
            unit_pos=pos("unit_code"),
        )


def _cell(cells: list[Any], pos: int) -> Any:
    return cells[pos] if pos < len(cells) else ""


def parse_rows(table: Table, ctx: Context) -> list[Row]:
    """Every row of `table` as member values with its problems: the simple columns first,
    column by column (each distinct value is parsed once: files repeat words, dates, amounts),
    then each row through the steps of `ROW_STEPS`, in order."""
    layout = Layout.of(table)
    _load_named_units(table, ctx, layout)
    all_values, all_errors = _parse_simple_columns(table, ctx)
    out: list[Row] = []
    for index, (number, cells) in enumerate(table.rows):
        row = Row(row=number, values=all_values[index], unit=ctx.unit, errors=all_errors[index])
        for step in ROW_STEPS:
            step(row, cells, ctx, layout)
        out.append(row)
    return out


def _load_named_units(table: Table, ctx: Context, layout: Layout) -> None:
    """The units of the column "Mã đơn vị", looked up once for the whole file."""
    pos = layout.unit_pos
    if pos is None:
        return
    ctx.load_units(
        {
            ctx.unit_code(cells[pos])
            for _n, cells in table.rows
            if pos < len(cells) and cells[pos] not in ("", None)
        }
    )


def _parse_simple_columns(
    table: Table, ctx: Context
) -> tuple[list[dict[str, Any]], list[list[tuple[str, str]]]]:
    """The columns of `SIMPLE`, column by column: per row, its values and its errors."""
    all_cells = [cells for _n, cells in table.rows]
    all_values: list[dict[str, Any]] = [{} for _c in all_cells]
    all_errors: list[list[tuple[str, str]]] = [[] for _c in all_cells]
    for pos, key, _t in table.columns:
        if key not in SIMPLE:
            continue
        method, fname = SIMPLE[key]
        column = [c[pos] if pos < len(c) else "" for c in all_cells]
        parsed = _parse_distinct(column, getattr(ctx, method))
        for i, raw in enumerate(column):
            hit = parsed.get(raw if type(raw) is str else (type(raw), raw), _EMPTY)
            if hit is _EMPTY:
                continue
            if type(hit) is Bad:
                all_errors[i].append((key, hit.message))
            else:
                all_values[i][fname] = hit
    return all_values, all_errors


# -- row steps: each reads the row's cells or values and adds values, errors or warnings ------

RowStep = Callable[[Row, list[Any], Context, Layout], None]


def _read_names(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """Family, middle and given name: their own columns first, then a full name column (or
    family and middle name together) fills what they left empty."""
    values = row.values
    for pos, key in layout.plain_names:
        raw = _cell(cells, pos)
        if raw not in ("", None):
            values[key] = ctx.text(raw)
    for pos, key in layout.name_cols:
        raw = _cell(cells, pos)
        if raw in ("", None):
            continue
        full = ctx.text(raw)
        if key == "full_name":
            family, middle, given = split_full_name(full)
            values.setdefault("family_name", family)
            values.setdefault("middle_name", middle)
            values.setdefault("given_name", given)
        else:
            family, _sp, middle = full.partition(" ")
            values.setdefault("family_name", family)
            values.setdefault("middle_name", middle)


def _read_female(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """The column "Nữ" (ticked or not) gives the sex when the file has no sex column."""
    if layout.female_pos is None or "sex" in layout.keys:
        return
    raw = _cell(cells, layout.female_pos)
    try:
        row.values["sex"] = "F" if raw not in ("", None) and ctx.yes_no(raw) else "M"
    except Bad as exc:
        row.errors.append(("female", exc.message))


def _check_lengths(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    for fname in ("family_name", "middle_name", "given_name", "note", "hometown", "address"):
        value = row.values.get(fname)
        if value and len(value) > TEXT_LIMITS[fname]:
            row.errors.append(
                (
                    FIELD_COLUMN.get(fname, fname),
                    _("Longer than %(max)s characters.") % {"max": TEXT_LIMITS[fname]},
                )
            )


def _check_name_given(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    if not row.values.get("given_name") or not row.values.get("family_name"):
        column = "full_name" if "full_name" in layout.keys else "given_name"
        row.errors.append((column, _("The family name and the given name are required.")))


def _check_future_dates(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    for fname in FUTURE_CHECKED:
        day = row.values.get(fname)
        if day is not None and day > ctx.today:
            row.errors.append(
                (
                    FIELD_COLUMN[fname],
                    _("The date %(day)s lies in the future.") % {"day": short_date(day)},
                )
            )


def _check_admission_age(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """Admitted after birth (an error otherwise), and at 15 or older (a warning otherwise)."""
    born = row.values.get("date_of_birth")
    admitted = row.values.get("admitted_on")
    if not born or not admitted:
        return
    if admitted <= born:
        row.errors.append(
            (
                "admitted_on",
                _("The admission (%(admitted)s) is not after the birth (%(born)s).")
                % {"admitted": short_date(admitted), "born": short_date(born)},
            )
        )
    elif (admitted.year - born.year) - (
        (admitted.month, admitted.day) < (born.month, born.day)
    ) < MIN_AGE_AT_ADMISSION:
        row.warnings.append(
            (
                "admitted_on",
                _("Admitted before the age of %(age)s: check the dates.")
                % {"age": MIN_AGE_AT_ADMISSION},
            )
        )


def _check_party(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """A date of admission to the Party: after the birth, and it makes the member a Party
    member (a "Không" in that column contradicts it)."""
    values = row.values
    joined = values.get("party_joined_on")
    if joined is None:
        return
    born = values.get("date_of_birth")
    if born and joined <= born:
        row.errors.append(
            ("party_joined_on", _("The date of admission to the Party precedes the birth."))
        )
    if values.get("party_member") is False:
        row.errors.append(
            ("party_member", _("“Không” here contradicts the date of admission to the Party."))
        )
    values["party_member"] = True


def _read_citizen_id(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """The citizen ID, checked against the sex and the year of birth read before."""
    if layout.cid_pos is None:
        return
    raw = _cell(cells, layout.cid_pos)
    if raw in ("", None):
        return
    born = row.values.get("date_of_birth")
    try:
        found = cccd.validate(
            raw, sex=row.values.get("sex"), birth_year=born.year if born else None
        )
    except cccd.InvalidCitizenId as exc:
        row.errors.append(("citizen_id", exc.message))
    else:
        if found is not None:
            row.values["citizen_id"] = found.value


def _read_unit(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """The column "Mã đơn vị": a unit within the import's unit (default: that unit)."""
    if layout.unit_pos is None:
        return
    raw = _cell(cells, layout.unit_pos)
    if raw in ("", None):
        return
    code = ctx.unit_code(raw)
    row.unit = ctx.units.get(code)
    if row.unit is None:
        row.errors.append(
            (
                "unit_code",
                _("Unit %(code)s was not found within %(unit)s.")
                % {"code": code, "unit": ctx.unit.label},
            )
        )


def _check_unit(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """The row's unit takes members, still exists, and existed on the admission day."""
    unit = row.unit
    if unit is None:
        return
    admitted = row.values.get("admitted_on")
    if unit.level_rank < MIN_MEMBER_LEVEL_RANK:
        row.errors.append(
            (
                "unit_code",
                _(
                    "Members belong to grassroots unions (or the unit directly above); "
                    "%(unit)s is a %(type)s. Give the code of the member's union in "
                    "the column “Mã đơn vị”."
                )
                % {"unit": unit.label, "type": unit.type_name},
            )
        )
    elif unit.dissolved_on is not None:
        row.errors.append(
            (
                "unit_code",
                _("%(unit)s was dissolved on %(day)s.")
                % {"unit": unit.label, "day": short_date(unit.dissolved_on)},
            )
        )
    elif admitted is not None and not unit.active_on(admitted):
        row.errors.append(
            (
                "admitted_on",
                _("%(unit)s did not exist yet on %(day)s (founded on %(founded)s).")
                % {
                    "unit": unit.label,
                    "day": short_date(admitted),
                    "founded": short_date(unit.founded_on),
                },
            )
        )


def _fold_name(row: Row, cells: list[Any], ctx: Context, layout: Layout) -> None:
    """The folded name that matching compares (`keys.name_fold`)."""
    values = row.values
    if values.get("given_name"):
        row.name_fold = name_fold(
            values.get("family_name", ""), values.get("middle_name", ""), values["given_name"]
        )


# The order matters: errors are listed in it, and later steps read what earlier ones set.
ROW_STEPS: tuple[RowStep, ...] = (
    _read_names,
    _read_female,
    _check_lengths,
    _check_name_given,
    _check_future_dates,
    _check_admission_age,
    _check_party,
    _read_citizen_id,
    _read_unit,
    _check_unit,
    _fold_name,
)
