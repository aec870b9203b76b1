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
Also for the registers: `Row` (a row dict), `ROW` (its Excel number's key), `unit_label(unit)`
("Name (CODE)" for messages), `ctx.error(row, key, message)`, `ctx.has_errors(row)`, `ctx.data`,
`ctx.unit` (the importing unit), `ctx.actor`, `ctx.today`, `resolve(...)`, `bulk_write(...)`;
`spec.column(key)`. A database error inside `write` is a bug of `prepare` (which must refuse
what a constraint would): it propagates and leaves nothing.

The engine (`check`, `run`, and the `upload_*` steps of the pages):
- reads the file safely (`members.imports.reading`: size, zip bombs, macros, row limit), finds
  the header row by the columns' headers and variants (folded with `header_key`), skips the
  template's example row (marked "DÒNG VÍ DỤ…") and empty rows;
- parses column by column; every problem is a `Problem(row as Excel numbers it, column header,
  message)`, in the interface language. Empty cells get the column's `default` (an error when
  `required`). Unit columns are resolved in one query, within the importing unit's subtree and
  the actor's scope (one message for "not found" and "not yours"); an empty unit cell is the
  importing unit;
- hashes each row's natural key (`key`, from the parsed cells: include the record's unit, never
  a personal column, which exports mask): a key already imported for the register (`ImportKey`,
  while its record exists) or repeated in the file makes the row "unchanged". Rows of an export
  carry the record's number (column "Mã bản ghi"): a record of the importing unit's subtree is
  "unchanged" as well, so an exported file imported back creates nothing;
- calls `prepare(rows, ctx)` once with the NEW rows without errors (dicts: each column's key,
  and `ROW`, the Excel row number) for look-ups and checks against the database, one query per
  kind, never per row; it adds problems with `ctx.error(row, key, message)` and keeps what
  `write` needs in the rows or in `ctx.data`;
- only when no row has an error, calls `write(new_rows, ctx)` and stores the keys, in one
  transaction: all or nothing. `write` returns the created records in the order of its rows
  (one main record per row; it may create related rows too). `bulk_write(model, objects, ctx)`
  creates them in batches with their history rows (reason "record_import", the actor as
  history user; copied by the database, see `import_engine`), e.g. 100,000 rows in about 10 s
  on a small machine.

Every upload is an `ImportUpload` (the file under MEDIA_ROOT, never served; its sha256; the
checked `Result` as JSON; counts; `committed_at`): the preview and the confirm step read the
stored file, and a second commit of one upload is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from congdoan.activities.import_cells import (
    Cell,
    CellError,
    choice,
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

__all__ = [
    "ROW",
    "Cell",
    "CellError",
    "Column",
    "Context",
    "Problem",
    "Result",
    "Row",
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
    "unit_label",
    "yes_no",
]

ROW = "_row"  # the key of a row's number (as in Excel) in the row dicts
RECORD = "_record"  # the key of the record number column of exports
RECORD_HEADER = "Mã bản ghi"
RECORD_VARIANTS = ("ma ban ghi", "so ban ghi", "id")
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
            ctx.error(row, key, message % {"value": value, "unit": unit_label(ctx.unit)})


def bulk_write(
    model: type[models.Model], objects: list[Any], ctx: Context, *, batch_size: int = BATCH
) -> list[Any]:
    """Create `objects` and return them with their ids: on PostgreSQL by COPY, the ids reserved
    from the table's sequence first (`import_engine.copy_create`), elsewhere with `bulk_create`
    in batches. A model that keeps history
    gets its "created" history rows, stamped with the actor and the reason "record_import":
    copied from the new rows by the database (`import_engine.copy_history`), or through
    `bulk_create_with_history` when its historical model has fields of its own."""
    if not objects:
        return []
    from congdoan.activities import import_engine

    if import_engine.can_copy(model):
        created = import_engine.copy_create(model, objects)
    else:
        created = model._default_manager.bulk_create(objects, batch_size=batch_size)
    if hasattr(model, "history"):
        user = ctx.actor if getattr(ctx.actor, "pk", None) else None
        if import_engine.history_columns(model) is None:
            model.history.bulk_history_create(
                created,
                batch_size=batch_size,
                default_user=user,
                default_change_reason=REASON,
                default_date=timezone.now(),
            )
        else:
            import_engine.copy_history(
                model,
                [o.pk for o in created],
                user_id=getattr(user, "pk", None),
                reason=REASON,
                when=timezone.now(),
            )
    return created


def chunks(values: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def unit_label(unit: Any) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


# ---------------------------------------------------------------------------------------------
# Entry points


def check(
    spec: Spec, filename: str, data: bytes, *, actor: Any, unit: Any, today: Any = None
) -> Result:
    """Check a file without writing anything."""
    from congdoan.activities.import_engine import check_rows

    ctx = Context(spec, actor=actor, unit=unit, filename=filename, today=today)
    return check_rows(spec, filename, data, ctx).result


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
