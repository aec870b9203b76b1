"""The uploads of register imports: stored, checked, previewed, committed once.

    upload = upload_create(spec, actor=user, unit=unit, filename=name, data=data)
    result = upload_check(spec, upload, actor=user)    # stores the Result for the preview
    result = upload_commit(spec, upload, actor=user)   # checks again, writes all or nothing

The file stays under MEDIA_ROOT (never served) with its sha256, as the record of what was
imported; the confirm step reads it back instead of asking for it again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.import_engine import KeyConflict, check_rows, commit_rows
from congdoan.activities.imports import Context, Result, Spec
from congdoan.activities.models import ImportUpload
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.scoping import require
from congdoan.members.imports.reading import ImportFileError, check_upload


@transaction.atomic
def upload_create(spec: Spec, *, actor: Any, unit: Any, filename: str, data: bytes) -> ImportUpload:
    """Store a file to import into `spec`'s register for `unit` (refused by name and size
    before it is stored)."""
    require(actor, spec.manage_action, unit)
    try:
        check_upload(filename, len(data))
    except ImportFileError as exc:
        raise RuleViolation(exc.message, field="file") from exc
    upload = ImportUpload(
        unit=unit,
        register=spec.register,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    upload.file.save(filename, ContentFile(data), save=False)
    upload.save()
    return upload


def stored_data(upload: ImportUpload) -> bytes:
    """The stored file, as uploaded (its sha256 checked)."""
    gone = RuleViolation(_("The uploaded file is no longer kept; upload it again."))
    if not upload.file:
        raise gone
    try:
        with upload.file.open("rb") as handle:
            data: bytes = handle.read()
    except OSError as exc:
        raise gone from exc
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise RuleViolation(_("The stored file has changed since it was checked; upload it again."))
    return data


def _save(upload: ImportUpload, result: Result) -> None:
    upload.result = result.as_json()
    upload.rows_total = result.rows
    upload.created_count = result.new if result.committed else 0
    upload.unchanged_count = result.unchanged
    upload.error_count = result.errors_total
    fields = ["result", "rows_total", "created_count", "unchanged_count", "error_count"]
    if result.committed:
        upload.committed_at = timezone.now()
        fields.append("committed_at")
    upload.save(update_fields=fields)


def _context(spec: Spec, upload: ImportUpload, actor: Any, today: Any) -> Context:
    if upload.register != spec.register:
        raise RuleViolation(_("This file was uploaded to another register."))
    return Context(spec, actor=actor, unit=upload.unit, filename=upload.filename, today=today)


def upload_check(spec: Spec, upload: ImportUpload, *, actor: Any, today: Any = None) -> Result:
    """Check the stored file and keep the result for the preview; writes no record."""
    ctx = _context(spec, upload, actor, today)
    checked = check_rows(spec, upload.filename, stored_data(upload), ctx)
    _save(upload, checked.result)
    return checked.result


def _refuse_second(upload: ImportUpload) -> None:
    if upload.committed_at is not None:
        raise RuleViolation(
            _("This file was already imported on %(day)s; upload a new file to import more.")
            % {"day": short_date(timezone.localtime(upload.committed_at).date())}
        )


def upload_run(
    spec: Spec, upload: ImportUpload, *, actor: Any, data: bytes | None = None, today: Any = None
) -> Result:
    """Check the upload again and, when no row has an error, write it (all or nothing); the
    upload is locked meanwhile and committed at most once."""
    ctx = _context(spec, upload, actor, today)
    try:
        with transaction.atomic():
            locked = ImportUpload.objects.select_for_update().get(pk=upload.pk)
            _refuse_second(locked)
            content = data if data is not None else stored_data(locked)
            checked = check_rows(spec, locked.filename, content, ctx)
            result = commit_rows(checked)
            _save(locked, result)
    except KeyConflict as exc:
        raise RuleViolation(
            _("Some of these rows were imported meanwhile by another upload; check the file again.")
        ) from exc
    upload.refresh_from_db()
    return result


def upload_commit(spec: Spec, upload: ImportUpload, *, actor: Any, today: Any = None) -> Result:
    """The confirm step of the pages: `upload_run` on the stored file."""
    return upload_run(spec, upload, actor=actor, today=today)
