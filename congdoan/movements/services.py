"""Writes to the register of movements and models: activities and collective agreements.

Every service needs "activities.manage" on the record's unit (`require`: a unit outside the
actor's scope is "not found", whatever it is). The unit of a record does not change: a record
made on the wrong unit is deleted and made again (both steps stay in its history).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.activities.selectors import attachments_of
from congdoan.activities.services import attachment_delete
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import require
from congdoan.core.text import nfc
from congdoan.movements.models import (
    MONEY_DIGITS,
    Activity,
    ActivityKind,
    Agreement,
    AgreementRating,
)
from congdoan.organisation.models import Unit

MIN_YEAR, MAX_YEAR = 2000, 2200
MAX_AGREEMENT_YEARS = 4  # a term of one to three years from its start (Labour Code 2019, art. 78)
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "on",
    "participants",
    "value",
    "event",
    "for_congress",
    "dan_van_kheo",
    "notes",
)
AGREEMENT_FIELDS = (
    "enterprise",
    "signed_on",
    "expires_on",
    "renewed",
    "workers",
    "rating",
    "notes",
)
TEXTS = ("title", "event", "notes", "enterprise", "rating")


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _texts(fields: dict[str, Any]) -> dict[str, Any]:
    """Texts as the models keep them ("" rather than None, NFC)."""
    return {k: (nfc(v) if k in TEXTS else v) for k, v in fields.items()}


def _unknown(fields: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def _check_day(unit: Unit, day: Any, field: str) -> None:
    if not isinstance(day, dt.date) or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise RuleViolation(_("Enter a date as dd/mm/yyyy, for example 01/07/2025."), field=field)
    if unit.dissolved_on is not None and day > unit.dissolved_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field=field,
        )


def _check_count(value: Any, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise RuleViolation(_("Enter a whole number from 0."), field=field)


def _money(value: Any) -> Decimal | None:
    """A sum of đồng, whole and not negative (None: not given)."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(_("Enter an amount in đồng."), field="value") from exc
    if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
        raise RuleViolation(_("Enter an amount in whole đồng, from 0."), field="value")
    if len(str(int(amount))) > MONEY_DIGITS:
        raise RuleViolation(_("The amount is too large."), field="value")
    return amount


# ---------------------------------------------------------------------------------------------
# Activities


def _check_kind_fields(row: Activity) -> None:
    """What only some kinds have: an event and the congress (works), "Dân vận khéo" (models),
    a value (works and models)."""
    kind = row.kind
    if (row.event or row.for_congress) and kind != ActivityKind.WORK:
        raise RuleViolation(
            _("Only an emulation work or task is dedicated to an event."), field="event"
        )
    if row.for_congress and not row.event:
        raise RuleViolation(
            _("Name the congress the work is dedicated to, e.g. “Đại hội XIII Công đoàn tỉnh”."),
            field="event",
        )
    if row.dan_van_kheo and kind != ActivityKind.MODEL:
        raise RuleViolation(_("Only a model is of the kind “Dân vận khéo”."), field="dan_van_kheo")
    if row.value is not None and kind not in (ActivityKind.WORK, ActivityKind.MODEL):
        raise RuleViolation(_("Only a work or a model has a value."), field="value")


def check_activity(row: Activity) -> None:
    """The rules of one record, on an unsaved row (the page, the API and the import)."""
    row.normalise()
    if row.kind not in ActivityKind.values:
        raise RuleViolation(_("Unknown kind %(kind)s.") % {"kind": row.kind}, field="kind")
    if not row.title:
        raise RuleViolation(_("The title is required."), field="title")
    if len(row.title) > 300 or len(row.event) > 300:
        raise RuleViolation(_("The text is too long: at most 300 characters."), field="title")
    _check_day(row.unit, row.on, "on")
    _check_count(row.participants, "participants")
    row.value = _money(row.value)
    _check_kind_fields(row)


@transaction.atomic
def activity_create(
    *, actor: Any, unit: Unit, kind: str, title: str, on: dt.date, **fields: Any
) -> Activity:
    """Record what `unit` did: a work, a model, a cultural or sports activity, a training
    class, a propaganda session or a workplace dialogue (`fields`: any of `ACTIVITY_FIELDS`)."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    _unknown(fields, ACTIVITY_FIELDS, "activity")
    row = Activity(unit=unit, **_texts({"kind": kind, "title": title, "on": on, **fields}))
    check_activity(row)
    stamp(row, actor, "movement_activity_create")
    row.save()
    return row


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, **changes: Any) -> Activity:
    """Change any of `ACTIVITY_FIELDS` of a record (its unit stays)."""
    row = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    _unknown(changes, ACTIVITY_FIELDS, "activity")
    changes = _texts(changes)
    if "value" in changes:
        changes["value"] = _money(changes["value"])
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, changes[name])
    check_activity(row)
    stamp(row, actor, "movement_activity_update")
    row.save(update_fields=[*changed, "updated_at"])
    return row


def _drop_attachments(actor: Any, row: Activity | Agreement) -> None:
    """The files attached to a record go with it (their history rows stay)."""
    for attachment in attachments_of(row):
        attachment_delete(actor=actor, attachment=attachment)


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    """Delete a record with its attached files."""
    row = Activity.objects.select_related("unit").get(pk=activity.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    _drop_attachments(actor, row)
    stamp(row, actor, "movement_activity_delete")
    row.delete()


# ---------------------------------------------------------------------------------------------
# Collective labour agreements


def _check_agreement_dates(row: Agreement) -> None:
    _check_day(row.unit, row.signed_on, "signed_on")
    if not isinstance(row.expires_on, dt.date):
        raise RuleViolation(
            _("Enter the day until which the agreement is in force."), field="expires_on"
        )
    signed = row.signed_on
    limit = dt.date(signed.year + MAX_AGREEMENT_YEARS, signed.month, min(signed.day, 28))
    if not row.signed_on < row.expires_on <= limit:
        raise RuleViolation(
            _(
                "An agreement signed on %(signed)s is in force for one to three years (Labour "
                "Code 2019, art. 78): %(day)s cannot be the day it ends."
            )
            % {"signed": short_date(row.signed_on), "day": short_date(row.expires_on)},
            field="expires_on",
        )


def check_agreement_fields(row: Agreement) -> None:
    """The rules of one agreement that need no other record (the import checks the clashes of
    a whole file in one query)."""
    row.normalise()
    if not row.enterprise:
        raise RuleViolation(_("The enterprise is required."), field="enterprise")
    if len(row.enterprise) > 300:
        raise RuleViolation(_("The text is too long: at most 300 characters."), field="enterprise")
    _check_agreement_dates(row)
    _check_count(row.workers, "workers")
    if row.rating not in ("", *AgreementRating.values):
        raise RuleViolation(_("Rate the agreement A, B or C, or leave it empty."), field="rating")


def agreement_clash(row: Agreement) -> RuleViolation:
    """The refusal of an agreement its unit already recorded (same enterprise, same day)."""
    return RuleViolation(
        _("%(unit)s already recorded the agreement with %(enterprise)s signed on %(day)s.")
        % {
            "unit": _label(row.unit),
            "enterprise": row.enterprise,
            "day": short_date(row.signed_on),
        },
        field="signed_on",
    )


def _check_agreement(row: Agreement) -> None:
    check_agreement_fields(row)
    clash = Agreement.objects.filter(
        unit=row.unit, enterprise_key=row.enterprise_key, signed_on=row.signed_on
    )
    if clash.exclude(pk=row.pk).exists():
        raise agreement_clash(row)


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    unit: Unit,
    signed_on: dt.date,
    expires_on: dt.date,
    enterprise: str = "",
    **fields: Any,
) -> Agreement:
    """Record a collective labour agreement the union of `unit` signed (`enterprise`: the
    employer, by default the unit's own name; `fields`: any of `AGREEMENT_FIELDS`)."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    _unknown(fields, AGREEMENT_FIELDS, "agreement")
    data = _texts({"enterprise": enterprise, **fields})
    row = Agreement(
        unit=unit,
        signed_on=signed_on,
        expires_on=expires_on,
        **{**data, "enterprise": data["enterprise"] or nfc(unit.name)},
    )
    _check_agreement(row)
    stamp(row, actor, "agreement_create")
    row.save()
    return row


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **changes: Any) -> Agreement:
    """Change any of `AGREEMENT_FIELDS` of an agreement (its unit stays)."""
    row = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    _unknown(changes, AGREEMENT_FIELDS, "agreement")
    changes = _texts(changes)
    changed = [name for name, value in changes.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, changes[name])
    _check_agreement(row)
    stamp(row, actor, "agreement_update")
    row.save(update_fields=[*changed, "updated_at"])
    return row


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    """Delete an agreement with its attached files."""
    row = Agreement.objects.select_related("unit").get(pk=agreement.pk)
    require(actor, Action.ACTIVITIES_MANAGE, row.unit)
    _drop_attachments(actor, row)
    stamp(row, actor, "agreement_delete")
    row.delete()
