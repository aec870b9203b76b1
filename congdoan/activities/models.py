"""Which unit keeps which register, and the files attached to records of any register.

A unit that keeps a register (`Keeping`) from a year has its figures for the register's
indicators derived from its records for the periods ending in that year and later; a unit that
does not keeps entering them. One place per unit and period, never both: see
docs/architecture.md, "Activity registers".
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congdoan.core.scoping import ScopedQuerySet
from congdoan.core.text import nfc


class Keeping(models.Model):
    """`unit` keeps `register` (a code of `registers.REGISTERS`) from `from_year` (until
    `until_year`, the last year kept, when it stopped)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        related_name="keepings",
        verbose_name=_("unit"),
    )
    register = models.CharField(_("register"), max_length=40)
    from_year = models.PositiveSmallIntegerField(_("from year"))
    until_year = models.PositiveSmallIntegerField(_("last year kept"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["register", "unit_id"]
        verbose_name = _("register kept")
        verbose_name_plural = _("registers kept")
        constraints = [
            models.UniqueConstraint(fields=["unit", "register"], name="keeping_once"),
            models.CheckConstraint(
                condition=Q(until_year__isnull=True) | Q(until_year__gte=models.F("from_year")),
                name="keeping_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} @ {self.unit_id} ({self.from_year}–{self.until_year or ''})"

    def kept_in(self, year: int) -> bool:
        return self.from_year <= year and (self.until_year is None or year <= self.until_year)


ATTACHMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def attachment_path(instance: Attachment, filename: str) -> str:
    """Stored as activities/<register>/<year>/<random>.<ext>; the name people gave the file is
    kept in `name`, never in the path. MEDIA_ROOT is never served: a scoped view streams it."""
    ext = Path(filename).suffix.lower()
    year = timezone.localdate().year
    return f"activities/{instance.content_type.app_label}/{year}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A photo, a scanned decision or a document attached to one record of a register. Scoped
    by the record's unit (copied here so the scoping door needs no join per register)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["content_type", "object_id", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_record")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name, self.caption = nfc(self.name), nfc(self.caption)
        super().save(*args, **kwargs)

    @property
    def is_image(self) -> bool:
        return Path(self.name).suffix.lower() in (".jpg", ".jpeg", ".png")


# ---------------------------------------------------------------------------------------------
# Imports (see congdoan/activities/imports.py)


class ImportKey(models.Model):
    """The natural key of a row imported into `register` (hashed), and the record it created:
    importing the same row again finds it here and creates nothing."""

    register = models.CharField(_("register"), max_length=40)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    key_hash = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        constraints = [
            models.UniqueConstraint(fields=["register", "key_hash"], name="import_key_once"),
        ]
        indexes = [models.Index(fields=["register", "object_id"], name="import_key_record")]

    def __str__(self) -> str:
        return f"{self.register}:{self.key_hash[:12]} → {self.object_id}"


def import_upload_path(instance: ImportUpload, filename: str) -> str:
    """imports/activities/<register>/<year>/<random>.<ext>, under MEDIA_ROOT (never served)."""
    ext = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    year = timezone.localdate().year
    return f"imports/activities/{instance.register}/{year}/{uuid.uuid4().hex}{ext}"


class ImportUpload(models.Model):
    """One file uploaded to import records of a register: stored with its sha256, checked (the
    result kept for the preview), then committed once."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    register = models.CharField(_("register"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=import_upload_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    result = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit__path"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self) -> str:
        return self.filename
