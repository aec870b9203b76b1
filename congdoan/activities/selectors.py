"""Reads shared by the registers: who keeps which register, a record's attachments."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import NoReverseMatch, reverse

from congdoan.activities import registers
from congdoan.activities.models import Attachment, Keeping
from congdoan.organisation.models import Unit


@dataclass
class KeepingRow:
    register: registers.Register
    keeping: Keeping | None
    url: str = ""

    def records_url(self, unit: Unit) -> str:
        return f"{reverse(self.register.list_url)}?unit={unit.pk}"

    @property
    def active(self) -> bool:
        return self.keeping is not None and self.keeping.until_year is None


def keepings_of(unit: Unit) -> list[KeepingRow]:
    """Every register, with the unit's keeping of it (None when it never kept it)."""
    kept = {k.register: k for k in Keeping.objects.filter(unit=unit)}
    rows = []
    for reg in registers.REGISTERS.values():
        row = KeepingRow(reg, kept.get(reg.code))
        try:
            row.url = row.records_url(unit)
        except NoReverseMatch:  # a register whose pages are not installed
            continue
        rows.append(row)
    return rows


def attachments_of(record: Model) -> list[Attachment]:
    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ).select_related("uploaded_by")
    )
