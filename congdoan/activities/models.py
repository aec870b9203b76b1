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
