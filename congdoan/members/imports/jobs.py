"""Import jobs: an upload stored as `ImportJob`, checked, previewed, then committed.

    job = job_create(actor=user, unit=unit, filename=name, data=bytes)   # stored, sha256
    start_check(job)      # small files in the request, larger ones in a background task
    start_commit(job, actor=user)

Files up to `SMALL_FILE_BYTES` (about 2,000 rows) are checked and committed in the request;
larger ones by the tasks of `congdoan.members.tasks` (django-tasks), which update `rows_done`,
`rows_total` and `status` as they go: the job page polls them. The upload is kept under
MEDIA_ROOT with its sha256 until the commit, and deleted after the commit or after
`KEEP_DAYS` days. The first rows of the preview are kept next to it (`<file>.preview.json`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import time
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congdoan.core import worklocks
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.members.imports.pipeline import ImportResult, check_file, commit_file
from congdoan.members.imports.reading import ImportFileError, check_upload
from congdoan.members.models import ImportJob, ImportStatus

log = logging.getLogger("congdoan.members.imports")

SMALL_FILE_BYTES = 200 * 1024
KEEP_DAYS = 7
RUNNING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)
PROGRESS_EVERY = 0.5  # seconds between progress writes


def _language() -> str:
    return translation.get_language() or "vi"


def is_small(job: ImportJob) -> bool:
    try:
        return bool(job.file) and job.file.size <= SMALL_FILE_BYTES
    except OSError:
        return True


# ---------------------------------------------------------------------------------------------
# Upload


@transaction.atomic
def job_create(*, actor: Any, unit: Any, filename: str, data: bytes) -> ImportJob:
    """Store an upload as a new job (status "uploaded")."""
    require(actor, Action.MEMBERS_CHANGE, unit)
    try:
        check_upload(filename, len(data))
    except ImportFileError as exc:
        raise RuleViolation(exc.message, field="file") from exc
    job = ImportJob(
        unit=unit,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
        status=ImportStatus.UPLOADED,
    )
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    job.file.save(f"members{suffix}", ContentFile(data), save=False)
    job.save()
    transaction.on_commit(purge_stale_files)
    return job


def _read_stored(job: ImportJob) -> bytes:
    if not job.file:
        raise RuleViolation(_("The uploaded file is no longer kept; upload it again."))
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise RuleViolation(_("The uploaded file is no longer kept; upload it again.")) from exc
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise RuleViolation(_("The stored file has changed since it was checked; upload it again."))
    return data


def stored_file(job: ImportJob) -> bytes | None:
    """The upload of `job` as checked, or None when it is no longer kept (or has changed)."""
    try:
        return _read_stored(job)
    except RuleViolation:
        return None


# ---------------------------------------------------------------------------------------------
# Progress


class Progress:
    """Writes rows_done / rows_total at most every PROGRESS_EVERY seconds.

    Inside the commit's transaction the job row would only change at the end; on PostgreSQL the
    progress goes through a second connection so that the page sees it at once (SQLite has one
    writer at a time: there the bar moves between stages only)."""

    def __init__(self, job_id: int, *, phase: str):
        self.job_id = job_id
        self.phase = phase
        self.last = 0.0
        self.side: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        final = stage == "write" and done >= total
        if now - self.last < PROGRESS_EVERY and not final and stage != "read":
            return
        self.last = now
        if self.phase == "check":
            rows_done = 0 if stage == "read" else done
        else:  # commit: checking again is the first half, writing the second
            half = total // 2
            rows_done = (
                0 if stage == "read" else done // 2 if stage == "check" else half + done // 2
            )
        self.write(rows_done=min(rows_done, max(total, 0)), rows_total=max(total, 0))

    def write(self, **fields: Any) -> None:
        fields["heartbeat_at"] = timezone.now()
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job_id).update(**fields)
            return
        if connection.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connections.create_connection("default")
        sets = ", ".join(f"{connection.ops.quote_name(k)} = %s" for k in fields)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET {sets} WHERE id = %s",  # noqa: S608
                [*fields.values(), self.job_id],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


# ---------------------------------------------------------------------------------------------
# Check and commit (run in the request or by a task)


def _store_result(job: ImportJob, result: ImportResult) -> None:
    job.rows_total = result.rows_total
    job.created_count = result.created
    job.updated_count = result.updated
    job.unchanged_count = result.unchanged
    job.errors = result.errors
    job.warnings = result.warnings
    if result.errors_total:
        job.message = _(
            "%(rows)s rows with errors (%(problems)s problems): nothing has been imported."
        ) % {"rows": number(result.error_rows), "problems": number(result.errors_total)}
        if result.error_rows == 0:  # the file as a whole
            job.message = str(result.errors[0]["message"])[:500] if result.errors else ""


def preview_name(job: ImportJob) -> str:
    return f"{job.file.name}.preview.json" if job.file else ""


def _save_preview(job: ImportJob, rows: list[dict[str, Any]]) -> None:
    name = preview_name(job)
    if not name:
        return
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(rows, ensure_ascii=False).encode()))


def preview(job: ImportJob) -> list[dict[str, Any]]:
    name = preview_name(job)
    if not name or not default_storage.exists(name):
        return []
    with default_storage.open(name, "rb") as handle:
        data = json.loads(handle.read().decode())
    return data if isinstance(data, list) else []


def job_check(job_id: int) -> ImportJob:
    """Read, validate and match the stored file; the job becomes "ready" or "invalid"."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKING):
        return job
    with running(job.pk) as mine:
        if not mine:  # another worker runs it
            return job
        return _check(job)


def _check(job: ImportJob) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.CHECKING, rows_done=0, heartbeat_at=timezone.now()
    )
    progress = Progress(job.pk, phase="check")
    try:
        data = _read_stored(job)
        result = check_file(
            job.filename, data, unit=job.unit, actor=job.created_by, progress=progress
        )
    except RuleViolation as exc:
        job.status = ImportStatus.FAILED
        job.message = str(exc)[:500]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    except Exception:
        log.exception("import job %s: check failed", job.pk)
        fail_job(job.pk)
        raise
    finally:
        progress.close()
    _store_result(job, result)
    job.status = ImportStatus.INVALID if result.errors_total else ImportStatus.READY
    job.rows_done = result.rows_total
    if job.status == ImportStatus.READY:
        job.message = ""
        _save_preview(job, result.preview)
    job.save()
    return job


def fail_job(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED,
        message=_("The import stopped because of an internal error; nothing has been imported.")[
            :500
        ],
        finished_at=timezone.now(),
    )


def job_commit(job_id: int, actor: Any) -> ImportJob:
    """Check again and write everything in one transaction ("done"), or nothing ("invalid")."""
    job = ImportJob.objects.select_related("unit", "created_by").get(pk=job_id)
    if job.status not in (ImportStatus.READY, ImportStatus.IMPORTING):
        return job
    with running(job.pk) as mine:
        if not mine:  # another worker runs it
            return job
        return _commit(job, actor)


def _commit(job: ImportJob, actor: Any) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.IMPORTING, rows_done=0, heartbeat_at=timezone.now()
    )
    progress = Progress(job.pk, phase="commit")
    try:
        require(actor, Action.MEMBERS_CHANGE, job.unit)
        data = _read_stored(job)
        result = commit_file(
            job.filename,
            data,
            unit=job.unit,
            actor=actor,
            import_job=job,
            progress=progress,
        )
    except RuleViolation as exc:
        job.status = ImportStatus.FAILED
        job.message = str(exc)[:500]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    except Exception:
        log.exception("import job %s: commit failed", job.pk)
        fail_job(job.pk)
        raise
    finally:
        progress.close()
    _store_result(job, result)
    job.rows_done = result.rows_total
    job.finished_at = timezone.now()
    if result.committed:
        job.status = ImportStatus.DONE
        job.message = ""
        _delete_file(job)
    else:
        job.status = ImportStatus.INVALID
    job.save()
    log.info(
        "import job %s: %s (%s created, %s updated, %s unchanged, %s rows with errors)",
        job.pk,
        job.status,
        result.created,
        result.updated,
        result.unchanged,
        result.error_rows,
    )
    return job


def _delete_file(job: ImportJob) -> None:
    if not job.file:
        return
    name = preview_name(job)
    try:
        if name and default_storage.exists(name):
            default_storage.delete(name)
        job.file.delete(save=False)
    except OSError:
        log.warning("import job %s: could not delete the stored file", job.pk)
    job.file.name = ""


def purge_stale_files(days: int = KEEP_DAYS) -> int:
    """Delete uploads older than `days` days; jobs still waiting then need a new upload."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    count = 0
    for job in (
        ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="").exclude(file__isnull=True)
    ):
        _delete_file(job)
        fields = ["file"]
        if job.status in (*RUNNING, ImportStatus.READY):
            job.status = ImportStatus.FAILED
            job.message = _(
                "The uploaded file was deleted after %(days)s days; upload it again."
            ) % {"days": days}
            fields += ["status", "message"]
        job.save(update_fields=fields)
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# A job whose worker stopped half-way (killed, machine restarted): seen as stalled, run again.
#
# The commit is one transaction: a worker killed during it leaves nothing written, but the job
# would stay "importing" for ever. While a worker runs a job it holds a PostgreSQL session lock
# on it (released by the server when the worker's connection dies) and beats `heartbeat_at`
# with the progress. A job checking or importing whose lock is free and whose last beat is
# older than STALL_AFTER is stalled: its page says so and offers to run it again.

LOCK_SPACE = 7301  # pg_advisory_lock(LOCK_SPACE, job id): the member import jobs
STALL_AFTER = dt.timedelta(minutes=10)


def running(job_id: int) -> contextlib.AbstractContextManager[bool]:
    """Hold the job's lock while it runs; yields False when another session holds it."""
    return worklocks.held(LOCK_SPACE, job_id)


def _held_elsewhere(job_id: int) -> bool:
    """Whether a worker holds the job's lock now (PostgreSQL; never on SQLite)."""
    return worklocks.held_elsewhere(LOCK_SPACE, job_id)


def is_stalled(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """Checking or importing, no beat for STALL_AFTER, and no worker holding it."""
    if job.status not in (ImportStatus.CHECKING, ImportStatus.IMPORTING):
        return False
    beat = job.heartbeat_at or job.created_at
    if beat > (now or timezone.now()) - STALL_AFTER:
        return False
    return not _held_elsewhere(job.pk)


def job_retry(job: ImportJob, *, actor: Any) -> ImportJob:
    """Run a stalled job again from its last finished step: the check from the stored file,
    or the commit of the checked file (all rows or none, as the first time)."""
    require(actor, Action.MEMBERS_CHANGE, job.unit)
    if not is_stalled(job):
        raise RuleViolation(_("This import is not stalled: it is running or has finished."))
    if job.status == ImportStatus.CHECKING:
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.UPLOADED, rows_done=0
        )
        job.refresh_from_db()
        log.warning("import job %s: the check stalled; run again", job.pk)
        return start_check(job)
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(
        status=ImportStatus.READY, rows_done=0
    )
    job.refresh_from_db()
    log.warning("import job %s: the commit stalled; run again", job.pk)
    return start_commit(job, actor=actor)


# ---------------------------------------------------------------------------------------------
# Starting the work: in the request for small files, as a background task for larger ones


def start_check(job: ImportJob) -> ImportJob:
    if is_small(job):
        return job_check(job.pk)
    from congdoan.members.tasks import check_import_job

    check_import_job.enqueue(job.pk, _language())
    return job


def start_commit(job: ImportJob, *, actor: Any) -> ImportJob:
    require(actor, Action.MEMBERS_CHANGE, job.unit)
    if job.status != ImportStatus.READY:
        raise RuleViolation(_("This import is not ready to be committed."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.IMPORTING, rows_done=0, heartbeat_at=timezone.now()
    )
    if not updated:  # another request started it
        raise RuleViolation(_("This import is not ready to be committed."))
    if is_small(job):
        return job_commit(job.pk, actor)
    from congdoan.members.tasks import commit_import_job

    commit_import_job.enqueue(job.pk, actor.pk if actor is not None else None, _language())
    job.refresh_from_db()
    return job
