"""Writes shared by the registers: keeping a register, and attaching files to records.

Keeping a register is the choice of the unit that keeps it ("from 2026 our grassroots union
records its care in congdoan, and no longer types the totals"): it needs the register's
manage action on the unit. It is refused while the unit has entered figures of the register's
indicators for periods ending in a year it would keep: a figure comes from one place per unit
and period (docs/architecture.md, "Activity registers").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from congdoan.activities import registers
from congdoan.activities.models import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    Attachment,
    Keeping,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.indicators.models import Indicator, Source, Value
from congdoan.organisation.models import Unit

MIN_YEAR, MAX_YEAR = 2000, 2200


def _register(code: str) -> registers.Register:
    register = registers.get(code)
    if register is None:
        raise RuleViolation(_("There is no register %(code)s.") % {"code": code}, field="register")
    return register


def _year(value: Any, field: str) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleViolation(
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field=field,
        )
    return year


def entered_figures(unit: Unit, register: registers.Register, from_year: int) -> list[Value]:
    """The unit's entered figures that keeping `register` from `from_year` would double."""
    indicators = Indicator.objects.filter(
        source=Source.ENTERED, derivation__in=register.definitions
    )
    return list(
        Value.objects.filter(unit=unit, indicator__in=indicators, period__end__year__gte=from_year)
        .select_related("indicator", "period")
        .order_by("period__start", "indicator__order")
    )


@transaction.atomic
def keeping_start(*, actor: Any, unit: Unit, register: str, from_year: int) -> Keeping:
    """`unit` keeps `register` from `from_year` on (again, if it had stopped)."""
    reg = _register(register)
    require(actor, reg.manage_action, unit)
    year = _year(from_year, "from_year")
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    doubled = entered_figures(unit, reg, year)
    if doubled:
        shown = "; ".join(f"{v.indicator.name} – {v.period.label}" for v in doubled[:5])
        more = len(doubled) - 5
        raise RuleViolation(
            _(
                "%(unit)s has entered figures this register would count again: %(figures)s%(more)s. "
                "Remove them from the figures first, or keep the register from a later year."
            )
            % {
                "unit": unit.name,
                "figures": shown,
                "more": (_(" and %(n)s more") % {"n": number(more)}) if more > 0 else "",
            },
            field="from_year",
        )
    keeping = Keeping.objects.filter(unit=unit, register=reg.code).first()
    if keeping is None:
        keeping = Keeping(unit=unit, register=reg.code, from_year=year)
    elif keeping.until_year is None and keeping.from_year <= year:
        raise RuleViolation(
            _("%(unit)s already keeps this register since %(year)s.")
            % {"unit": unit.name, "year": keeping.from_year},
            field="from_year",
        )
    else:
        keeping.from_year = min(keeping.from_year, year) if keeping.until_year is None else year
        if keeping.until_year is not None and keeping.until_year >= year - 1:
            # Taken up again right after stopping: one unbroken span.
            keeping.from_year = Keeping.objects.get(pk=keeping.pk).from_year
        keeping.until_year = None
    stamp(keeping, actor, "keeping_start")
    keeping.save()
    return keeping


@transaction.atomic
def keeping_stop(*, actor: Any, unit: Unit, register: str, last_year: int) -> Keeping:
    """`unit` stops keeping `register` after `last_year`: from the next year on it enters the
    figures again, and its records of later years are no longer counted."""
    reg = _register(register)
    require(actor, reg.manage_action, unit)
    year = _year(last_year, "last_year")
    keeping = Keeping.objects.select_for_update().filter(unit=unit, register=reg.code).first()
    if keeping is None or keeping.until_year is not None:
        raise RuleViolation(
            _("%(unit)s does not keep this register.") % {"unit": unit.name}, field="register"
        )
    if year < keeping.from_year:
        raise RuleViolation(
            _("The last year kept cannot be before the first (%(year)s).")
            % {"year": keeping.from_year},
            field="last_year",
        )
    keeping.until_year = year
    stamp(keeping, actor, "keeping_stop")
    keeping.save(update_fields=["until_year"])
    return keeping


# ---------------------------------------------------------------------------------------------
# Attachments

SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def check_attachment(upload: Any) -> None:
    """A photo (.jpg .png), a scan (.pdf) or a document (.docx .xlsx .doc .xls), at most
    10 MB, whose first bytes are those of its kind (a renamed executable is refused)."""
    name = Path(str(getattr(upload, "name", "") or "")).name
    ext = Path(name).suffix.lower()
    if ext not in ATTACHMENT_EXTENSIONS:
        raise RuleViolation(
            _(
                "The file %(name)s is not accepted: attach a photo (.jpg, .png), a scan (.pdf) "
                "or a document (.docx, .xlsx, .doc, .xls)."
            )
            % {"name": name},
            field="file",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise RuleViolation(_("The file %(name)s is empty.") % {"name": name}, field="file")
    if size > ATTACHMENT_MAX_BYTES:
        raise RuleViolation(
            _("The file %(name)s is %(size)s MB; an attachment may be at most %(limit)s MB.")
            % {
                "name": name,
                "size": number(size / 1024 / 1024, 1),
                "limit": ATTACHMENT_MAX_BYTES // 1024 // 1024,
            },
            field="file",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES[ext]):
        raise RuleViolation(
            _("The file %(name)s is not a real %(kind)s file.") % {"name": name, "kind": ext},
            field="file",
        )


def _record_unit(record: Model) -> Unit:
    unit = getattr(record, "unit", None)
    assert isinstance(unit, Unit), f"{type(record).__name__} has no unit"
    return unit


def manage_action(record: Model) -> Action:
    label = f"{record._meta.app_label}.{record._meta.object_name}"
    for reg in registers.REGISTERS.values():
        if label in (reg.model, *reg.attachable):
            return reg.manage_action
    raise RuleViolation(_("Files cannot be attached to this record."), field="file")


@transaction.atomic
def attachment_add(*, actor: Any, record: Model, upload: Any, caption: str = "") -> Attachment:
    """Attach an uploaded file to a record of a register (the register's manage action on the
    record's unit)."""
    unit = _record_unit(record)
    require(actor, manage_action(record), unit)
    check_attachment(upload)
    if len(caption) > 300:
        raise RuleViolation(_("The caption is too long: at most 300 characters."), field="caption")
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        unit=unit,
        name=Path(str(upload.name)).name[:255],
        size=int(upload.size),
        caption=caption,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(Path(str(upload.name)).name, upload, save=False)
    stamp(attachment, actor, "attachment_add")
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    """Remove an attached file (its history row keeps who attached and removed it); the stored
    file is deleted once the transaction commits."""
    record = attachment.record
    require(actor, manage_action(record) if record else Action.ACTIVITIES_MANAGE, attachment.unit)
    name = attachment.file.name
    storage = attachment.file.storage
    stamp(attachment, actor, "attachment_delete")
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)
