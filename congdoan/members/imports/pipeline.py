"""One import, end to end: read → validate → duplicates → (commit) write.

`check_file` runs the first three stages and reports; `run_import(..., commit=True)` runs them
again inside one transaction (so uniqueness is re-checked against what is stored now) and, only
when no row has an error, writes everything through `services.members_import_write`: all rows or
none. Timings per stage are part of the result (the benchmark reads them).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.members.cccd import mask
from congdoan.members.imports import columns as cols
from congdoan.members.imports.matching import CREATE, UPDATE, Planned, plan_rows
from congdoan.members.imports.reading import ImportFileError, Table, read_file
from congdoan.members.imports.rows import FIELD_COLUMN, Context, parse_rows
from congdoan.members.lookups import LookupLimitReached, kept

PREVIEW_ROWS = 20
MAX_STORED_MESSAGES = 10_000

# progress(stage, done, total); stages: "read", "check", "write"
ProgressFn = Callable[[str, int, int], None] | None


@dataclass
class ImportResult:
    filename: str
    sheet: str = ""
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    errors_total: int = 0
    committed: bool = False
    member_ids: list[int] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors_total

    def rate(self, stage: str) -> float:
        seconds = self.timings.get(stage) or 0.0
        return self.rows_total / seconds if seconds else 0.0


def _message(table: Table | None, filename: str, row: int | None, key: str, text: str) -> dict:
    column = ""
    if key:
        column = table.header(key) if table is not None else cols.label(key)
    return {
        "file": filename,
        "sheet": table.sheet if table is not None else "",
        "row": row,
        "column": column,
        "message": text,
    }


def _display(planned: Planned, ctx: Context) -> dict[str, Any]:
    v = planned.row.values
    unit = planned.row.unit
    changed = [cols.label(FIELD_COLUMN.get(f, f)) for f in planned.changes]
    return {
        "row": planned.row.row,
        "action": planned.action,
        "full_name": " ".join(
            p for p in (v.get("family_name"), v.get("middle_name"), v.get("given_name")) if p
        ),
        "date_of_birth": short_date(v.get("date_of_birth")),
        "sex": cols.sex_word(v.get("sex", "")),
        "citizen_id": mask(v.get("citizen_id")),
        "card_number": v.get("card_number") or "",
        "unit": unit.label if unit else "",
        "admitted_on": short_date(v.get("admitted_on")),
        "job_title": v.get("job_title", ""),
        "changed": changed,
        "member_id": planned.member_id,
    }


def check_table(
    table: Table,
    *,
    unit: Any,
    actor: Any,
    result: ImportResult,
    progress: ProgressFn = None,
) -> list[Planned]:
    """Validate and match the rows of a table; fill `result` (counts, messages, preview)."""
    started = time.perf_counter()
    ctx = Context(unit=unit)
    result.sheet = table.sheet
    note_pos = next((p for p, k, _t in table.columns if k == "note"), None)
    if note_pos is not None:
        example = [
            n for n, c in table.rows if note_pos < len(c) and c[note_pos] == cols.EXAMPLE_NOTE
        ]
        if example:
            skipped = set(example)
            table.rows = [(n, c) for n, c in table.rows if n not in skipped]
            table.warnings.append(
                _("Row %(row)s is the template's example and was skipped.") % {"row": example[0]}
            )
    result.rows_total = len(table.rows)
    rows = parse_rows(table, ctx)
    result.timings["validate"] = time.perf_counter() - started
    if progress:
        progress("check", len(rows) // 2, len(rows))
    started = time.perf_counter()
    filename = table.filename
    try:
        planned = plan_rows(
            rows, ctx, actor=actor, where=_("Member import: %(file)s") % {"file": filename}
        )
    except LookupLimitReached as exc:
        result.errors.append(_message(None, filename, None, "", str(exc)))
        result.errors_total += 1
        return []
    result.timings["duplicates"] = time.perf_counter() - started

    result.warnings.extend(_message(None, filename, None, "", w) for w in table.warnings)
    for header in table.ignored:
        result.warnings.append(
            _message(
                None,
                filename,
                table.header_row,
                "",
                _("The column “%(column)s” is not part of the member file and was ignored.")
                % {"column": header},
            )
            | {"column": header}
        )
    errors: list[dict[str, Any]] = []
    for p in planned:
        r = p.row
        if r.errors:
            result.error_rows += 1
            for key, text in r.errors:
                if len(errors) < MAX_STORED_MESSAGES:
                    message = _message(table, filename, r.row, key, text)
                    if r.other_member and r.other_visible:
                        message["member_id"] = r.other_member
                    errors.append(message)
                result.errors_total += 1
            continue
        for key, text in r.warnings:
            if len(result.warnings) < MAX_STORED_MESSAGES:
                result.warnings.append(_message(table, filename, r.row, key, text))
        if p.action == CREATE:
            result.created += 1
        elif p.action == UPDATE:
            result.updated += 1
        else:
            result.unchanged += 1
        if len(result.preview) < PREVIEW_ROWS:
            result.preview.append(_display(p, ctx))
    result.errors = errors
    if not planned:
        result.errors.append(
            _message(table, filename, None, "", _("The file has no member rows below the header."))
        )
        result.errors_total += 1
    if progress:
        progress("check", len(rows), len(rows))
    return planned


def read(filename: str, data: bytes, result: ImportResult) -> Table | None:
    started = time.perf_counter()
    try:
        table = read_file(filename, data)
    except ImportFileError as exc:
        result.errors.append(_message(None, filename, None, "", exc.message))
        result.errors_total += 1
        return None
    finally:
        result.timings["read"] = time.perf_counter() - started
    return table


def check_file(
    filename: str, data: bytes, *, unit: Any, actor: Any, progress: ProgressFn = None
) -> ImportResult:
    """Read, validate and match without writing anything."""
    result = ImportResult(filename=filename)
    table = read(filename, data, result)
    if table is not None:
        if progress:
            progress("read", 0, len(table.rows))
        check_table(table, unit=unit, actor=actor, result=result, progress=progress)
    return result


def commit_file(
    filename: str,
    data: bytes,
    *,
    unit: Any,
    actor: Any,
    import_job: Any = None,
    progress: ProgressFn = None,
) -> ImportResult:
    """Check again and write in one transaction; nothing is written if any row has an error."""
    from congdoan.members.services import members_import_write
    from congdoan.organisation.models import Unit

    result = ImportResult(filename=filename)
    table = read(filename, data, result)
    if table is None:
        return result
    if progress:
        progress("read", 0, len(table.rows))
    write_started = 0.0
    try:
        with kept(), transaction.atomic():
            # Imports into the same unit run one after the other.
            Unit.objects.select_for_update().filter(pk=unit.pk).first()
            planned = check_table(table, unit=unit, actor=actor, result=result, progress=progress)
            if not result.ok:
                return result
            write_started = time.perf_counter()
            creates = [p for p in planned if p.action == CREATE]
            new = []
            for p in creates:
                values = dict(p.row.values)
                assert p.row.unit is not None
                values["unit_id"] = p.row.unit.id
                new.append(values)
            position = {p.row.row: i for i, p in enumerate(creates)}
            similar = [(position[p.row.row], other) for p in creates for other in p.similar] + [
                (position[p.row.row], -position[row] - 1) for p in creates for row in p.similar_rows
            ]
            updates = [
                (p.member_id, {name: new_value for name, (_old, new_value) in p.changes.items()})
                for p in planned
                if p.action == UPDATE and p.member_id is not None
            ]
            total = len(new) + len(updates)

            def write_progress(done: int) -> None:
                if progress:
                    progress("write", done, total)

            result.member_ids = members_import_write(
                actor=actor,
                unit=unit,
                new=new,
                updates=updates,
                similar=similar,
                import_job=import_job,
                progress=write_progress,
            )
            result.committed = True
        # Until here: the deferred foreign-key checks of the commit are part of writing.
        result.timings["write"] = time.perf_counter() - write_started
    except IntegrityError:
        result.committed = False
        result.member_ids = []
        result.errors.append(
            _message(
                table,
                filename,
                None,
                "",
                _(
                    "Another user registered some of these members (citizen ID or card number) "
                    "while the file was being imported; nothing was imported. Check the file "
                    "again."
                ),
            )
        )
        result.errors_total += 1
    except RuleViolation as exc:
        result.committed = False
        result.member_ids = []
        result.errors.append(_message(table, filename, None, "", str(exc)))
        result.errors_total += 1
    if result.committed and result.created and connection.vendor == "postgresql":
        from congdoan.members.imports.bulk import clean_search_index

        started = time.perf_counter()
        clean_search_index()
        result.timings["index"] = time.perf_counter() - started
    if progress and result.committed:
        progress("write", result.created + result.updated, result.created + result.updated)
    return result


@contextmanager
def _no_gc() -> Iterator[None]:
    """Bulk work allocates millions of small objects that live until the end: the cyclic
    garbage collector would scan them again and again (several seconds on 100,000 rows), and
    there are no cycles to collect. Collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_import(
    path: str | Path,
    *,
    unit: Any,
    actor: Any,
    commit: bool = True,
    import_job: Any = None,
    progress: ProgressFn = None,
) -> ImportResult:
    """Import (or only check, with commit=False) the members of an xlsx/csv file into `unit`'s
    subtree as `actor` (None = the system). A plain function for scripts and benchmarks."""
    path = Path(path)
    started = time.perf_counter()
    data = path.read_bytes()
    load = time.perf_counter() - started
    with _no_gc():
        if commit:
            result = commit_file(
                path.name, data, unit=unit, actor=actor, import_job=import_job, progress=progress
            )
        else:
            result = check_file(path.name, data, unit=unit, actor=actor, progress=progress)
    result.timings["read"] = result.timings.get("read", 0.0) + load
    result.timings["total"] = time.perf_counter() - started
    return result
