"""Importing the records of a register from .xlsx or .csv, the way members are imported.

A register describes its file once, as a `Spec` (see `congdoan/care/imports.py` for one):

    SPEC = Spec(
        register="care", sheet="Chăm lo",
        columns=[Column("unit_code", "Mã đơn vị", ("ma don vi",), parse=text, required=True), ...],
        key=lambda row: (row["unit_code"], row["on"], row["kind"], row["person"]),
        prepare=resolve,  # batch look-ups for the whole file: units, members, campaigns…
        write=write_rows,  # bulk writes of the checked rows, inside the import's transaction
        guide=["Mỗi dòng là một suất quà, một lần hỗ trợ…", ...],
    )

The engine:
- reads the file safely (`congdoan.members.imports.reading`'s checks: size, zip bombs, macros,
  rows), finds the header row by the columns' headers and variants (folded, see `header_key`);
- parses every cell with its column's parser: a parser returns the value or raises
  `CellError(message)`; every problem is kept with its row (as Excel numbers it) and column
  header, in Vietnamese;
- calls `prepare(rows, ctx)` once for cross-row and database checks (one query per kind of
  look-up, never per row), which adds problems through `ctx.error(row, key, message)`;
- computes each row's natural key (`key`): a row whose key is already stored for the
  register (`ImportKey`) or repeated in the file is "unchanged" (a re-import creates nothing);
- and only when no row has an error, writes every new row through `write(rows, ctx)` in one
  transaction: all or nothing.

Pages: `views.ImportView` (upload → preview with the errors by row and column → confirm) and
`views.TemplateView` (the .xlsx template with drop-downs) serve every register from its Spec.
Exports (`exports.py`) write the same columns, so an export can be imported back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


class CellError(Exception):
    """A cell's value is refused; the message (translated) says why."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header: part of the file format, not interface text
    variants: tuple[str, ...] = ()  # other accepted headers, as `header_key` gives them
    parse: Callable[[Any, Any], Any] | None = None  # (cell, ctx) -> value; None: text
    required: bool = False
    choices: tuple[str, ...] = ()  # values offered by the template's drop-down
    kind: str = "text"  # text, date, number, money: the template's cell format
    width: int = 16
    note: str = ""  # the template's comment on the header
    personal: bool = False  # masked in exports (identity numbers, phones, birth dates)


@dataclass
class Spec:
    register: str
    sheet: str
    columns: list[Column]
    key: Callable[[dict[str, Any]], tuple[Any, ...]]
    write: Callable[[list[dict[str, Any]], Any], int]
    prepare: Callable[[list[dict[str, Any]], Any], None] | None = None
    guide: list[str] = field(default_factory=list)
    example: dict[str, Any] = field(default_factory=dict)  # the template's example row


def check(spec: Spec, filename: str, data: bytes, *, actor: Any, unit: Any) -> Any:
    raise NotImplementedError


def run(spec: Spec, filename: str, data: bytes, *, actor: Any, unit: Any) -> Any:
    raise NotImplementedError


def template(spec: Spec) -> bytes:
    raise NotImplementedError


def rows_of(spec: Sequence[Column]) -> None:
    raise NotImplementedError
