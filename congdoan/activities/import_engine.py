"""The engine behind `congdoan.activities.imports` (read its docstring first): reading a file
into rows, parsing column by column, resolving units, keying rows, and writing them.

Throughput (issue 14: 100,000 rows at 10,000 rows/s or more on PostgreSQL): no query per row
(look-ups in chunks of `BATCH`), each distinct value of a column parsed once; on PostgreSQL the
records and the keys written by COPY (`copy_create`, the ids reserved from the sequence first;
`bulk_create` in batches elsewhere), and the history rows copied from the new records by the
database (`INSERT … SELECT`, the same rows `bulk_create_with_history` would build one Python
object at a time).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.utils.translation import gettext as _

from congdoan.activities.import_cells import CellError, clean_text
from congdoan.activities.imports import (
    MAX_PROBLEMS,
    MAX_WARNINGS,
    PREVIEW_ROWS,
    RECORD,
    RECORD_HEADER,
    RECORD_VARIANTS,
    ROW,
    Context,
    Problem,
    Result,
    Row,
    Spec,
    chunks,
    unit_label,
)
from congdoan.core.scoping import path_in_scope, path_range_q, require
from congdoan.members.imports.columns import EXAMPLE_NOTE, header_key
from congdoan.members.imports.reading import (
    HEADER_SEARCH_ROWS,
    ImportFileError,
    Layout,
    Table,
    read_file,
)

EXAMPLE_MARK = EXAMPLE_NOTE.split("–")[0].strip()  # "DÒNG VÍ DỤ"


# ---------------------------------------------------------------------------------------------
# Reading


def layout(spec: Spec) -> Layout:
    """How the header row of `spec`'s file looks: its headers and variants, at least two."""
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
    """Read, parse, key and prepare every row; write nothing."""
    require(ctx.actor, spec.manage_action, ctx.unit)
    checked = Checked(Result(filename=filename), ctx)
    try:
        table = read_file(filename, data, layout(spec))
    except ImportFileError as exc:
        ctx.problems.append(Problem(None, "", exc.message))
        return _finish(checked, [], {})
    ctx.warnings.extend(table.warnings)
    checked.result.ignored = list(table.ignored)
    _missing_columns(spec, table, ctx)
    raw = [(n, cells) for n, cells in table.rows if not _is_example(cells)]
    rows: list[Row] = [{ROW: n} for n, _cells in raw]
    checked.result.rows = len(rows)
    status: dict[int, str] = {}
    if _file_errors(ctx):
        return _finish(checked, raw, status, table)
    _known_records(spec, table, raw, rows, ctx, status)
    todo = [
        (row, cells) for row, (_n, cells) in zip(rows, raw, strict=True) if row[ROW] not in status
    ]
    _parse_columns(spec, table, todo, ctx)
    _resolve_units(spec, [row for row, _cells in todo], ctx)
    _key_rows(spec, [row for row, _cells in todo if not ctx.has_errors(row)], ctx, checked, status)
    if spec.prepare is not None and checked.new_rows:
        spec.prepare(checked.new_rows, ctx)
        kept = [(r, h) for r, h in zip(checked.new_rows, checked.hashes, strict=True)]
        kept = [(r, h) for r, h in kept if not ctx.has_errors(r)]
        checked.new_rows, checked.hashes = [r for r, _h in kept], [h for _r, h in kept]
    return _finish(checked, raw, status, table)


def _missing_columns(spec: Spec, table: Table, ctx: Context) -> None:
    for col in spec.columns:
        if col.required and col.key not in table.keys:
            ctx.problems.append(
                Problem(
                    None,
                    col.header,
                    _("The file has no column “%(column)s”; it is required.")
                    % {"column": col.header},
                )
            )


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
    one of this file's (`spec.export_queryset`) in the importing unit's subtree, else an error
    (one message for missing and not yours)."""
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
        except (ValueError, OverflowError):
            row[RECORD] = None
    model = spec.record_model
    scope = getattr(model, "scope_path", "unit__path")
    ids = sorted({r[RECORD] for r in named.values() if r[RECORD] is not None})
    known: set[int] = set()
    base = model._default_manager.all()
    if spec.export_queryset is not None:  # the records this file holds (one contest's entries)
        base = spec.export_queryset(base)
    for part in chunks(ids):
        qs = base.filter(pk__in=part).filter(path_range_q(scope, ctx.unit.path))
        known.update(qs.values_list("pk", flat=True))
    for number_, row in named.items():
        if row[RECORD] in known:
            status[number_] = "unchanged"
        else:
            ctx.error(
                row,
                RECORD,
                _("No record numbered “%(value)s” in the registers of %(unit)s.")
                % {"value": row[RECORD] or "", "unit": unit_label(ctx.unit)},
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
        for u in qs.only("id", "code", "path", "name", "short_name", "founded_on", "dissolved_on"):
            if path_in_scope(ctx.actor, action, u.path) or ctx.actor is None:
                units[u.code.upper()] = u
    label = unit_label(ctx.unit)
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


_MARKS = dict.fromkeys(range(0x300, 0x370))  # combining diacritical marks: deleted


def key_text(text: str) -> str:
    """Text as keys compare it: no case, no diacritics, "đ" as "d" ("Hoà", "HÒA" and "hoa"
    alike; the cells are NFC with single spaces already), at C speed."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFD", folded).translate(_MARKS).replace("đ", "d")


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
        return key_text(value)
    return str(value)


def key_hash(register: str, key: tuple[Any, ...], memo: dict[Any, str] | None = None) -> str:
    """The sha256 of the register and the key's parts (text folded: "Hòa" is "hoa")."""
    parts = [register]
    for value in key:
        if isinstance(value, models.Model):
            parts.append(f"#{value.pk}")
            continue
        if memo is None or not isinstance(value, str | int | dt.date | Decimal):
            parts.append(key_part(value))
            continue
        cached = memo.get((type(value), value))
        if cached is None:
            cached = memo[(type(value), value)] = key_part(value)
        parts.append(cached)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _key_rows(
    spec: Spec, rows: list[Row], ctx: Context, checked: Checked, status: dict[int, str]
) -> None:
    """Rows whose key is repeated in the file or already imported are unchanged."""
    first: dict[str, int] = {}
    memo: dict[Any, str] = {}
    fresh: list[tuple[Row, str]] = []
    repeats: list[str] = []
    for row in rows:
        h = key_hash(spec.register, spec.key(row), memo)
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

    rows = select_in(
        ImportKey._meta.db_table,
        ["key_hash", "object_id"],
        "key_hash",
        hashes,
        where=("register = %s", [spec.register]),
    )
    objects: dict[str, int] = {str(h): int(pk) for h, pk in rows}
    if not objects:
        return {}
    model = spec.record_model
    pk = str(model._meta.pk.column)
    found = select_in(model._meta.db_table, [pk], pk, sorted(set(objects.values())))
    alive = {row[0] for row in found}
    return {h: pk_ in alive for h, pk_ in objects.items()}


def select_in(
    table: str,
    columns: Sequence[str],
    column: str,
    values: Sequence[Any],
    *,
    where: tuple[str, Sequence[Any]] = ("", ()),
) -> list[tuple[Any, ...]]:
    """SELECT `columns` of the rows whose `column` is among `values` (and `where`), in chunks:
    one array parameter per chunk on PostgreSQL (`= ANY`), else IN lists within the limit of
    parameters."""
    if not values:
        return []
    quote = connection.ops.quote_name
    condition, params = where
    head = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} WHERE "  # noqa: S608
    head += f"{condition} AND " if condition else ""
    out: list[tuple[Any, ...]] = []
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for part in chunks(values, 20_000 if postgres else 500):
            if postgres:
                cursor.execute(f"{head}{quote(column)} = ANY(%s)", [*params, list(part)])
            else:
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"{head}{quote(column)} IN ({marks})", [*params, *part])
            out.extend(tuple(r) for r in cursor.fetchall())
    return out


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


KEY_COLUMNS = ("register", "unit_id", "key_hash", "object_id")


class KeyConflict(Exception):
    """Rows of the file were imported meanwhile by another upload (a key stored twice)."""


def commit_rows(checked: Checked) -> Result:
    """Write the new rows of a check without errors and their keys, in one transaction. A
    database error of `spec.write` propagates (its `prepare` should have refused the row);
    keys stored meanwhile by another import raise `KeyConflict`; both leave nothing."""
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
        unit_id = ctx.unit.pk
        keys = [
            (spec.register, getattr(rec, "unit_id", None) or unit_id, h, rec.pk)
            for rec, h in zip(records, checked.hashes, strict=True)
        ]
        try:
            with transaction.atomic():
                insert_rows(ImportKey._meta.db_table, KEY_COLUMNS, keys)
        except IntegrityError as exc:
            raise KeyConflict from exc
    result.new = len(records)
    result.committed = True
    return result


# ---------------------------------------------------------------------------------------------
# Writing


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT plain values: COPY on PostgreSQL, else multi-row VALUES in statements within the
    backend's limit of parameters."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # psycopg's COPY, its errors as Django's
            statement = f"COPY {quote(table)} ({names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        limit = connection.features.max_query_params or 65535
        per = max(1, min(1000, limit // len(columns)))
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # identifiers from model metadata, quoted; every value is a parameter
        head = f"INSERT INTO {quote(table)} ({names}) VALUES "  # noqa: S608
        for part in chunks(rows, per):
            cursor.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])


def can_copy(model: type[models.Model]) -> bool:
    """Whether `copy_create` can write this model: PostgreSQL, an automatic integer id, and no
    multi-table inheritance."""
    meta = model._meta
    return (
        connection.vendor == "postgresql"
        and isinstance(meta.pk, models.AutoField)
        and not meta.parents
    )


# Fields whose Python value psycopg writes as Django would prepare it on PostgreSQL (the others,
# JSON and date-times among them, go through `get_db_prep_save`).
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.DecimalField,
    models.BooleanField,
    models.ForeignKey,
    models.UUIDField,
)


def _plain(field: models.Field) -> bool:
    """Whether the field's Python value goes to COPY as it is: a plain field (`_PLAIN`, dates
    without a time) that does not change its value when saved (automatic dates and the like)."""
    if isinstance(field, models.DateTimeField):
        return False
    if isinstance(field, models.DateField):
        return not (field.auto_now or field.auto_now_add)
    return isinstance(field, _PLAIN) and type(field).pre_save is models.Field.pre_save


def copy_create(model: type[models.Model], objects: Sequence[models.Model]) -> list[Any]:
    """Create `objects` with one COPY (PostgreSQL): the ids are reserved from the table's
    sequence first, so the objects get them as `bulk_create` would give them; each field's
    `pre_save` (automatic timestamps) and database preparation run as in `bulk_create`. Signals
    are not sent (neither does `bulk_create`)."""
    meta = model._meta
    pk = meta.pk
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    fields = list(meta.concrete_fields)
    db = connections[DEFAULT_DB_ALIAS]  # the real connection: the proxy costs per attribute
    plain = [f.attname if _plain(f) else None for f in fields]
    rows = []
    for obj, pk_value in zip(objects, ids, strict=True):
        obj.pk = pk_value
        values = obj.__dict__
        rows.append(
            [
                values[name] if name else f.get_db_prep_save(f.pre_save(obj, True), db)
                for f, name in zip(fields, plain, strict=True)
            ]
        )
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS
    insert_rows(meta.db_table, [str(f.column) for f in fields], rows)
    return list(objects)


HISTORY_EXTRA = ("history_date", "history_change_reason", "history_type", "history_user_id")


def history_columns(model: type[models.Model]) -> list[str] | None:
    """The columns a history row copies from its record, or None when the historical model has
    fields this copy would not fill (then `bulk_create_with_history` writes it)."""
    history = model.history.model  # type: ignore[attr-defined]
    source = [str(f.column) for f in model._meta.concrete_fields]
    target = {str(f.column) for f in history._meta.concrete_fields if not f.primary_key}
    copied = [c for c in source if c in target]
    if set(copied) | set(HISTORY_EXTRA) != target:
        return None
    return copied


def copy_history(
    model: type[models.Model], pks: Sequence[Any], *, user_id: Any, reason: str, when: Any
) -> None:
    """The "created" history rows of the records `pks`, copied by the database."""
    history = model.history.model  # type: ignore[attr-defined]
    columns = history_columns(model)
    assert columns is not None
    quote = connection.ops.quote_name
    date = history._meta.get_field("history_date").get_db_prep_value(when, connection)
    pk_column = str(model._meta.pk.column)
    names = ", ".join(quote(c) for c in [*columns, *HISTORY_EXTRA])
    select = ", ".join(quote(c) for c in columns)
    head = (
        f"INSERT INTO {quote(history._meta.db_table)} ({names}) "  # noqa: S608
        f"SELECT {select}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter for every id
            cursor.execute(
                head + f"WHERE {quote(pk_column)} = ANY(%s)",
                [date, reason, "+", user_id, list(pks)],
            )
            return
        for part in chunks(list(pks), 500):
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                head + f"WHERE {quote(pk_column)} IN ({marks})", [date, reason, "+", user_id, *part]
            )
