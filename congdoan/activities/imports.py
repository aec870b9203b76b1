"""Importing the records of a register from .xlsx or .csv: the engine every register shares.

A register describes its file once, as a `Spec` in `<app>/imports.py`:

    from congdoan.activities import imports as im

    KINDS = {"gift": ("Tặng quà", "qua", "suat qua"), "visit": ("Thăm hỏi", "tham om")}

    def prepare(rows, ctx):                  # optional: batch look-ups, one query per kind
        cards = {r["card"] for r in rows if r["card"]}
        found = dict(Member.objects.filter(card_number__in=cards).values_list("card_number", "pk"))
        im.resolve(rows, ctx, "card", found, to="member_id",
                   message=_("No member with this card number in %(unit)s."))

    def write(rows, ctx):                    # the new rows only, inside the import's transaction
        records = [CareRecord(unit=r["unit"], on=r["on"], kind=r["kind"], amount=r["amount"] or 0,
                              member_id=r.get("member_id"), person=r["person"]) for r in rows]
        return im.bulk_write(CareRecord, records, ctx)   # the created records, in row order

    def export_row(record):                  # the same columns, written from a record
        return {"unit": record.unit.code, "on": record.on, "kind": KINDS[record.kind][0],
                "amount": record.amount, "card": record.card_number, "person": record.person}

    SPEC = im.Spec(
        register="care",                     # a code of activities.registers (its manage_action
        sheet="Chăm lo",                     # and model are the register's unless given here)
        columns=[
            im.Column("unit", "Mã đơn vị", ("ma don vi", "ma cdcs"), parse=im.unit()),
            im.Column("on", "Ngày", ("ngay", "ngay trao"), parse=im.date(), required=True),
            im.Column("kind", "Hình thức", ("loai",), parse=im.choice(KINDS), required=True),
            im.Column("amount", "Số tiền (đồng)", ("so tien", "gia tri"), parse=im.money()),
            im.Column("card", "Số thẻ đoàn viên", ("so the",), parse=im.code(32)),
            im.Column("citizen_id", "Số CCCD", ("cccd",), parse=im.identity(), personal=True),
            im.Column("person", "Người nhận", ("ho va ten",), parse=im.text(120), required=True),
        ],
        key=lambda r: (r["unit"], r["on"], r["kind"], r["person"]),
        prepare=prepare,
        write=write,
        export_row=export_row,
        export_queryset=lambda qs: qs.select_related("unit"),
        guide=["Mỗi dòng là một suất quà, một lần hỗ trợ…"],
        example={"on": datetime.date(2025, 1, 20), "kind": "Tặng quà", "person": "Nguyễn Văn An"},
    )

and wires the generic pages in its urls.py (`import_views`; the import page is
`<app>:import`, it also serves `?upload=<id>` (the preview) and `?upload=<id>&errors=1` (the
errors as .xlsx)):

    class CareImport(RecordImportView):      # scope: the register's manage action
        spec = SPEC
        done_url = "care:list"               # where the confirm step goes
        template_url = "care:import_template"

    path("import/", views.CareImport.as_view(), name="import"),
    path("import/template/", RecordTemplateView.as_view(spec=SPEC), name="import_template"),
    path("export/", RecordExportView.as_view(spec=SPEC, filterset_class=CareFilter),
         name="export"),                     # scope: Action.INDICATORS_VIEW, personal masked

Cells (`import_cells`, re-exported here): `text(max_length)`, `code(max_length)`, `date()`,
`integer(min_value=, max_value=)`, `money()` (đồng, "1.500.000"), `choice(options)` (folded
without diacritics; returns the stored value), `yes_no()`, `unit()`, `identity()` (citizen ID),
`phone()`. A parser is any `(value, ctx) -> value` that raises `CellError(message)`; it sees only
non-empty cells and must depend on the value alone (each distinct value is parsed once).

The engine (`check`, `run`, and the `upload_*` steps of the pages):
- reads the file safely (`members.imports.reading`: size, zip bombs, macros, row limit), finds
  the header row by the columns' headers and variants (folded with `header_key`), skips the
  template's example row (marked "DÒNG VÍ DỤ…") and empty rows;
- parses column by column; every problem is a `Problem(row as Excel numbers it, column header,
  message)`, in the interface language. Empty cells get the column's `default` (an error when
  `required`). Unit columns are resolved in one query, within the importing unit's subtree and
  the actor's scope (one message for "not found" and "not yours"); an empty unit cell is the
  importing unit;
- calls `prepare(rows, ctx)` once with the rows without errors (dicts: each column's key, and
  `ROW`, the Excel row number); it adds problems with `ctx.error(row, key, message)` and may keep
  look-ups for `write` in `ctx.data`;
- hashes each row's natural key (`key`: include the record's unit, never a personal column,
  which exports mask): a key already imported for the register (`ImportKey`, while its record
  exists) or repeated in the file makes the row "unchanged". Rows of an export carry the record's
  number (column "Mã bản ghi"): a record of the importing unit's subtree is "unchanged" as well,
  so an exported file imported back creates nothing;
- only when no row has an error, calls `write(new_rows, ctx)` and stores the keys, in one
  transaction: all or nothing. `bulk_write` creates in batches with history rows
  (`bulk_create_with_history`, reason "record_import").

Every upload is an `ImportUpload` (the file under MEDIA_ROOT, never served; its sha256; the
checked `Result` as JSON; counts; `committed_at`): the preview and the confirm step read the
stored file, and a second commit of one upload is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.import_cells import (
    Cell,
    CellError,
    choice,
    clean_text,
    code,
    date,
    identity,
    integer,
    money,
    phone,
    text,
    unit,
    yes_no,
)
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q, require
from congdoan.core.text import fold
from congdoan.members.imports.columns import EXAMPLE_NOTE, header_key
from congdoan.members.imports.reading import (
    HEADER_SEARCH_ROWS,
    ImportFileError,
    Layout,
    Table,
    read_file,
)

__all__ = [
    "ROW",
    "Cell",
    "CellError",
    "Column",
    "Context",
    "Problem",
    "Result",
    "Spec",
    "bulk_write",
    "check",
    "choice",
    "code",
    "date",
    "identity",
    "integer",
    "money",
    "phone",
    "resolve",
    "run",
    "text",
    "unit",
    "yes_no",
]

ROW = "_row"  # the key of a row's number (as in Excel) in the row dicts
RECORD = "_record"  # the key of the record number column of exports
RECORD_HEADER = "Mã bản ghi"
RECORD_VARIANTS = ("ma ban ghi", "so ban ghi", "id")
EXAMPLE_MARK = EXAMPLE_NOTE.split("–")[0].strip()  # "DÒNG VÍ DỤ"
REASON = "record_import"
BATCH = 2000
PREVIEW_ROWS = 20
MAX_PROBLEMS = 10_000  # kept in the upload's result; the count is always complete
MAX_WARNINGS = 50


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header: part of the file format, not interface text
    variants: tuple[str, ...] = ()  # other accepted headers (folded with `header_key`)
    parse: Callable[[Any, Any], Any] | None = None  # (cell, ctx) -> value; None: text(255)
    required: bool = False
    choices: tuple[str, ...] = ()  # the template's drop-down; default: the parser's
    kind: str = ""  # the template's cell format; default: the parser's (see import_cells.Cell)
    width: int = 16
    note: str = ""  # the template's comment on the header (Vietnamese, file format)
    personal: bool = False  # masked in exports: identity → **…45, phone → last 3, date → year
    default: Any = None  # the value of an empty cell

    def __post_init__(self) -> None:
        parser = self.parse if self.parse is not None else text(255)
        object.__setattr__(self, "parse", parser)
        if isinstance(parser, Cell):
            object.__setattr__(self, "kind", self.kind or parser.kind)
            object.__setattr__(self, "choices", self.choices or parser.choices)
        object.__setattr__(self, "kind", self.kind or "text")


Row = dict[str, Any]


@dataclass
class Spec:
    register: str  # a code of activities.registers
    sheet: str  # the template's sheet name
    columns: list[Column]
    key: Callable[[Row], tuple[Any, ...]]  # the natural key of a row (with its unit)
    write: Callable[[list[Row], Context], Sequence[models.Model]]  # created records, in order
    prepare: Callable[[list[Row], Context], None] | None = None
    guide: list[str] = field(default_factory=list)  # the template's "Hướng dẫn" lines
    example: dict[str, Any] = field(default_factory=dict)  # the template's example row
    export_row: Callable[[Any], dict[str, Any]] | None = None  # record → {column key: value}
    export_queryset: Callable[[Any], Any] | None = None  # e.g. select_related for exports
    action: Action | None = None  # default: the register's manage_action
    model: str = ""  # "app_label.Model" of the records; default: the register's

    @property
    def manage_action(self) -> Action:
        if self.action is not None:
            return self.action
        from congdoan.activities import registers

        reg = registers.get(self.register)
        if reg is None:
            raise LookupError(f"register {self.register!r} is not registered; give Spec.action")
        return reg.manage_action

    @property
    def record_model(self) -> type[models.Model]:
        label = self.model
        if not label:
            from congdoan.activities import registers

            reg = registers.get(self.register)
            if reg is None:
                raise LookupError(f"register {self.register!r} is not registered; give Spec.model")
            label = reg.model
        return apps.get_model(label)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def header(self, key: str) -> str:
        if key == RECORD:
            return RECORD_HEADER
        col = self.column(key)
        return col.header if col else key


@dataclass(frozen=True)
class Problem:
    row: int | None  # as Excel numbers it; None: the whole file
    column: str  # the column's header, "" for the whole row or file
    message: str


@dataclass
class Result:
    """What a check found (and, once committed, what the import did)."""

    filename: str = ""
    rows: int = 0  # data rows read
    new: int = 0  # rows to create (created, once committed)
    unchanged: int = 0  # already imported, repeated in the file, or records of an export
    invalid: int = 0  # rows with at least one error
    errors_total: int = 0
    errors: list[Problem] = field(default_factory=list)  # the first MAX_PROBLEMS
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the headers recognised, in spec order
    personal: list[bool] = field(default_factory=list)  # … whether each is personal
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    preview: list[dict[str, Any]] = field(default_factory=list)  # row, status, cells
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.errors_total == 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        data = dict(data or {})
        data["errors"] = [Problem(**p) for p in data.get("errors", [])]
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


class Context:
    """What `prepare` and `write` share: the spec, the actor, the importing unit, `today`,
    `data` (look-ups kept for `write`) and `error(row, key, message)`."""

    def __init__(self, spec: Spec, *, actor: Any, unit: Any, filename: str = "", today: Any = None):
        self.spec = spec
        self.actor = actor
        self.unit = unit
        self.filename = filename
        self.today = today or timezone.localdate()
        self.data: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.bad_rows: set[int] = set()

    def error(self, row: Row | int | None, key: str, message: str) -> None:
        number_ = row.get(ROW) if isinstance(row, dict) else row
        header = self.spec.header(key) if key else ""
        self.problems.append(Problem(number_, header, str(message)))
        if number_ is not None:
            self.bad_rows.add(number_)

    def warn(self, message: str) -> None:
        self.warnings.append(str(message))

    def has_errors(self, row: Row) -> bool:
        return row[ROW] in self.bad_rows


def resolve(
    rows: Iterable[Row],
    ctx: Context,
    key: str,
    found: dict[Any, Any],
    *,
    to: str | None = None,
    message: str,
) -> None:
    """Replace each row's non-empty `key` value by `found[value]` (in `to`, default `key`), or
    add `message` (with %(value)s and %(unit)s, the importing unit) as the cell's error. Use it
    after one query for all the values of the file; say the same for "not found" and "not
    yours"."""
    for row in rows:
        value = row.get(key)
        if value in (None, ""):
            row.setdefault(to or key, None)
            continue
        if value in found:
            row[to or key] = found[value]
        else:
            ctx.error(row, key, message % {"value": value, "unit": _unit_label(ctx.unit)})


def bulk_write(
    model: type[models.Model], objects: list[Any], ctx: Context, *, batch_size: int = BATCH
) -> list[Any]:
    """Create `objects` in batches (with their history rows when the model keeps history,
    stamped with the actor and the reason "record_import"); returns them with their ids."""
    if not objects:
        return []
    if hasattr(model, "history"):
        from simple_history.utils import bulk_create_with_history

        user = ctx.actor if getattr(ctx.actor, "pk", None) else None
        return list(
            bulk_create_with_history(
                objects,
                model,
                batch_size=batch_size,
                default_user=user,
                default_change_reason=REASON,
                default_date=timezone.now(),
            )
        )
    return model._default_manager.bulk_create(objects, batch_size=batch_size)


def chunks(values: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _unit_label(unit: Any) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


# ---------------------------------------------------------------------------------------------
# Reading


def layout(spec: Spec) -> Layout:
    keys: dict[str, str] = {}
    for col in spec.columns:
        for word in (col.header, *col.variants):
            keys.setdefault(header_key(word), col.key)
    for word in (RECORD_HEADER, *RECORD_VARIANTS):
        keys.setdefault(header_key(word), RECORD)
    needed = min(2, len(spec.columns))
    headers = ", ".join(f"“{c.header}”" for c in spec.columns[:4])

    def no_header(filename: str) -> str:
        return _(
            "%(file)s has no header row with the columns of the register (%(headers)s…) in its "
            "first %(n)s rows; use the template."
        ) % {"file": filename, "headers": headers, "n": HEADER_SEARCH_ROWS}

    return Layout(
        header_keys=keys,
        is_header=lambda found: len(found - {RECORD}) >= needed,
        no_header=no_header,
    )


def _empty(value: Any) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def _is_example(cells: list[Any]) -> bool:
    return any(type(c) is str and c.lstrip().startswith(EXAMPLE_MARK) for c in cells)


@dataclass
class Checked:
    """A check's outcome: the result, and the new rows with their key hashes for the commit."""

    result: Result
    ctx: Context
    new_rows: list[Row] = field(default_factory=list)
    hashes: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # keys whose record no longer exists


def check_rows(spec: Spec, filename: str, data: bytes, ctx: Context) -> Checked:
    """Read, parse, prepare and key every row; write nothing."""
    require(ctx.actor, spec.manage_action, ctx.unit)
    result = Result(filename=filename)
    checked = Checked(result, ctx)
    try:
        table = read_file(filename, data, layout(spec))
    except ImportFileError as exc:
        ctx.problems.append(Problem(None, "", exc.message))
        return _finish(checked, [], {})
    ctx.warnings.extend(table.warnings)
    result.ignored = list(table.ignored)
    found = table.keys
    for col in spec.columns:
        if col.required and col.key not in found:
            ctx.problems.append(
                Problem(
                    None,
                    col.header,
                    _("The file has no column “%(column)s”; it is required.")
                    % {"column": col.header},
                )
            )
    raw = [(n, cells) for n, cells in table.rows if not _is_example(cells)]
    rows: list[Row] = [{ROW: n} for n, _cells in raw]
    status: dict[int, str] = {}
    _known_records(spec, table, raw, rows, ctx, status)
    todo = [
        (row, cells) for row, (_n, cells) in zip(rows, raw, strict=True) if row[ROW] not in status
    ]
    _parse_columns(spec, table, todo, ctx)
    _resolve_units(spec, [row for row, _cells in todo], ctx)
    good = [row for row, _cells in todo if not ctx.has_errors(row)]
    if spec.prepare is not None and good and not _file_errors(ctx):
        spec.prepare(good, ctx)
        good = [row for row in good if not ctx.has_errors(row)]
    if not _file_errors(ctx):
        _key_rows(spec, good, ctx, checked, status)
    result.rows = len(rows)
    return _finish(checked, raw, status, table)


def _file_errors(ctx: Context) -> bool:
    return any(p.row is None for p in ctx.problems)


def _known_records(
    spec: Spec,
    table: Table,
    raw: list[tuple[int, list[Any]]],
    rows: list[Row],
    ctx: Context,
    status: dict[int, str],
) -> None:
    """Rows naming a record (the "Mã bản ghi" column of exports): unchanged when the record is
    in the importing unit's subtree, else an error (one message for missing and not yours)."""
    pos = next((p for p, k, _t in table.columns if k == RECORD), None)
    if pos is None:
        return
    named: dict[int, Row] = {}
    for row, (_n, cells) in zip(rows, raw, strict=True):
        value = cells[pos] if pos < len(cells) else None
        if _empty(value):
            continue
        try:
            named[row[ROW]] = row
            row[RECORD] = int(float(str(value).strip()))
        except ValueError:
            row[RECORD] = None
    model = spec.record_model
    scope = getattr(model, "scope_path", "unit__path")
    ids = sorted({r[RECORD] for r in named.values() if r[RECORD] is not None})
    known: set[int] = set()
    for part in chunks(ids):
        qs = model._default_manager.filter(pk__in=part).filter(path_range_q(scope, ctx.unit.path))
        known.update(qs.values_list("pk", flat=True))
    for number_, row in named.items():
        if row[RECORD] in known:
            status[number_] = "unchanged"
        else:
            ctx.error(
                row,
                RECORD,
                _("No record numbered “%(value)s” in the registers of %(unit)s.")
                % {"value": row[RECORD] or "", "unit": _unit_label(ctx.unit)},
            )
            status[number_] = "error"


def _parse_columns(
    spec: Spec, table: Table, todo: list[tuple[Row, list[Any]]], ctx: Context
) -> None:
    """Each column in turn, each distinct value parsed once."""
    positions = {k: p for p, k, _t in table.columns}
    missing = object()
    for col in spec.columns:
        pos = positions.get(col.key)
        parse = col.parse
        assert parse is not None
        cache: dict[Any, Any] = {}
        for row, cells in todo:
            value = cells[pos] if pos is not None and pos < len(cells) else None
            if _empty(value):
                if col.required and pos is not None:
                    ctx.error(row, col.key, _("This cell is required."))
                row[col.key] = col.default
                continue
            ck = value if type(value) is str else (type(value), value)
            got = cache.get(ck, missing)
            if got is missing:
                try:
                    got = parse(value, ctx)
                except CellError as exc:
                    got = exc
                cache[ck] = got
            if isinstance(got, CellError):
                ctx.error(row, col.key, got.message)
                row[col.key] = None
            else:
                row[col.key] = got


def _resolve_units(spec: Spec, rows: list[Row], ctx: Context) -> None:
    """Unit codes → units, one query for the file, within the importing unit's subtree and the
    actor's scope; an empty cell is the importing unit."""
    from congdoan.organisation.models import Unit

    keys = [c.key for c in spec.columns if c.kind == "unit"]
    if not keys:
        return
    codes = sorted({r[k] for r in rows for k in keys if isinstance(r.get(k), str) and r[k]})
    units: dict[str, Any] = {}
    action = spec.manage_action
    for part in chunks(codes):
        qs = Unit.objects.filter(path_range_q("path", ctx.unit.path), code__in=part)
        for u in qs.only("id", "code", "path", "name", "short_name"):
            if path_in_scope(ctx.actor, action, u.path) or ctx.actor is None:
                units[u.code.upper()] = u
    label = _unit_label(ctx.unit)
    for row in rows:
        for key in keys:
            value = row.get(key)
            if value is None:
                row[key] = ctx.unit
            elif isinstance(value, str):
                found = units.get(value.upper())
                if found is None:
                    ctx.error(
                        row,
                        key,
                        _("No unit with the code “%(code)s” within %(unit)s.")
                        % {"code": value, "unit": label},
                    )
                row[key] = found


# ---------------------------------------------------------------------------------------------
# Keys


def key_part(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return f"#{value.pk}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal(1))) if value == value.to_integral_value() else str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, str):
        return fold(value)
    return str(value)


def key_hash(register: str, key: tuple[Any, ...]) -> str:
    text_ = "\x1f".join([register, *(key_part(v) for v in key)])
    return hashlib.sha256(text_.encode()).hexdigest()


def _key_rows(
    spec: Spec, rows: list[Row], ctx: Context, checked: Checked, status: dict[int, str]
) -> None:
    """Rows whose key is repeated in the file or already imported are unchanged."""
    first: dict[str, int] = {}
    fresh: list[tuple[Row, str]] = []
    repeats: list[str] = []
    for row in rows:
        h = key_hash(spec.register, spec.key(row))
        if h in first:
            status[row[ROW]] = "unchanged"
            repeats.append(
                _("Row %(row)s repeats row %(first)s; it is counted once.")
                % {"row": row[ROW], "first": first[h]}
            )
            continue
        first[h] = row[ROW]
        fresh.append((row, h))
    ctx.warnings.extend(repeats[:MAX_WARNINGS])
    if len(repeats) > MAX_WARNINGS:
        ctx.warnings.append(
            _("… and %(n)s more repeated rows.") % {"n": len(repeats) - MAX_WARNINGS}
        )
    stored = _stored_keys(spec, [h for _row, h in fresh])
    for row, h in fresh:
        if stored.get(h, False):
            status[row[ROW]] = "unchanged"
            continue
        if h in stored:
            checked.stale.append(h)
        status[row[ROW]] = "new"
        checked.new_rows.append(row)
        checked.hashes.append(h)


def _stored_keys(spec: Spec, hashes: list[str]) -> dict[str, bool]:
    """The hashes already stored for the register → whether their record still exists."""
    from congdoan.activities.models import ImportKey

    objects: dict[str, int] = {}
    for part in chunks(hashes):
        objects.update(
            ImportKey.objects.filter(register=spec.register, key_hash__in=part).values_list(
                "key_hash", "object_id"
            )
        )
    if not objects:
        return {}
    model = spec.record_model
    ids = sorted(set(objects.values()))
    alive: set[int] = set()
    for part in chunks(ids):
        alive.update(model._default_manager.filter(pk__in=part).values_list("pk", flat=True))
    return {h: pk in alive for h, pk in objects.items()}


def _finish(
    checked: Checked,
    raw: list[tuple[int, list[Any]]],
    status: dict[int, str],
    table: Table | None = None,
) -> Checked:
    ctx, result = checked.ctx, checked.result
    problems = sorted(ctx.problems, key=lambda p: (p.row is not None, p.row or 0))
    result.errors_total = len(problems)
    result.errors = problems[:MAX_PROBLEMS]
    result.warnings = list(ctx.warnings)
    result.invalid = len(ctx.bad_rows)
    result.unchanged = sum(
        1 for n, s in status.items() if s == "unchanged" and n not in ctx.bad_rows
    )
    result.new = len(checked.new_rows)
    if table is not None:
        _preview(ctx.spec, table, raw, status, ctx, result)
    return checked


def _preview(
    spec: Spec,
    table: Table,
    raw: list[tuple[int, list[Any]]],
    status: dict[int, str],
    ctx: Context,
    result: Result,
) -> None:
    positions = {k: p for p, k, _t in table.columns}
    shown = [c for c in spec.columns if c.key in positions]
    result.columns = [c.header for c in shown]
    result.personal = [c.personal for c in shown]
    for n, cells in raw[:PREVIEW_ROWS]:
        state = "error" if n in ctx.bad_rows else status.get(n, "")
        texts = []
        for col in shown:
            value = cells[positions[col.key]] if positions[col.key] < len(cells) else None
            texts.append("" if _empty(value) else clean_text(value))
        result.preview.append({"row": n, "status": state, "cells": texts})


# ---------------------------------------------------------------------------------------------
# Entry points


def check(
    spec: Spec, filename: str, data: bytes, *, actor: Any, unit: Any, today: Any = None
) -> Result:
    """Check a file without writing anything."""
    ctx = Context(spec, actor=actor, unit=unit, filename=filename, today=today)
    return check_rows(spec, filename, data, ctx).result


def commit_rows(checked: Checked) -> Result:
    """Write the new rows of a check without errors and their keys, in one transaction."""
    from congdoan.activities.models import ImportKey

    ctx, result = checked.ctx, checked.result
    if not result.ok:
        return result
    spec = ctx.spec
    with transaction.atomic():
        if checked.stale:
            ImportKey.objects.filter(register=spec.register, key_hash__in=checked.stale).delete()
        records = list(spec.write(checked.new_rows, ctx)) if checked.new_rows else []
        if len(records) != len(checked.new_rows):
            raise ValueError(
                f"{spec.register}: write returned {len(records)} records "
                f"for {len(checked.new_rows)} rows"
            )
        keys = [
            ImportKey(
                register=spec.register,
                unit_id=getattr(rec, "unit_id", None) or ctx.unit.pk,
                key_hash=h,
                object_id=rec.pk,
            )
            for rec, h in zip(records, checked.hashes, strict=True)
        ]
        ImportKey.objects.bulk_create(keys, batch_size=BATCH)
    result.new = len(records)
    result.committed = True
    return result


def run(
    spec: Spec, filename: str, data: bytes, *, actor: Any, unit: Any, today: Any = None
) -> Result:
    """Store the file as an `ImportUpload`, check it, and commit it when no row has an error
    (all or nothing): the whole import in one call, parsing the file once (tests, benchmarks,
    commands)."""
    from congdoan.activities import import_uploads

    upload = import_uploads.upload_create(
        spec, actor=actor, unit=unit, filename=filename, data=data
    )
    return import_uploads.upload_run(spec, upload, actor=actor, data=data, today=today)
