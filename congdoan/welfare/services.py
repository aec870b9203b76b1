"""Writes to the welfare register: agreements and their uses.

Every service needs "activities.manage" on the agreement's unit. A use's member must be one the
actor may see (otherwise: "not found", as for a member that does not exist) and belong to a
union within the agreement's unit. Dates: an agreement is valid from its signing unless told
otherwise, and a use falls within the agreement's validity, never in the future.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.selectors import attachments_of
from congdoan.activities.services import attachment_delete
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, require
from congdoan.core.text import nfc
from congdoan.organisation.models import Unit
from congdoan.welfare.models import Agreement, BenefitUse, PartnerKind, partner_key

# The fields `agreement_update` may change (the unit stays).
AGREEMENT_FIELDS = (
    "number",
    "partner_name",
    "partner_kind",
    "partner_address",
    "signed_on",
    "valid_from",
    "valid_until",
    "benefits",
    "discount_percent",
    "notes",
)
USE_FIELDS = ("member", "count", "used_on", "value", "description")
MAX_VALUE = Decimal(10) ** 15  # a thousand trillion đồng: more is a typing slip
MAX_COUNT = 10_000_000


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _day(value: Any, field: str, what: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise RuleViolation(_("%(what)s is missing or invalid.") % {"what": what}, field=field)
    if value > timezone.localdate():
        raise RuleViolation(
            _("%(what)s cannot be in the future (%(day)s).")
            % {"what": what, "day": short_date(value)},
            field=field,
        )
    return value


# ---------------------------------------------------------------------------------------------
# Agreements


def _check_texts(agreement: Agreement) -> None:
    agreement.partner_name = nfc(agreement.partner_name)
    agreement.benefits = nfc(agreement.benefits)
    if not agreement.partner_name:
        raise RuleViolation(_("The partner's name is required."), field="partner_name")
    if agreement.partner_kind not in PartnerKind.values:
        raise RuleViolation(
            _("Unknown kind of partner %(kind)s.") % {"kind": agreement.partner_kind},
            field="partner_kind",
        )
    if not agreement.benefits:
        raise RuleViolation(_("Describe the benefits the partner gives members."), field="benefits")


def _check_discount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        discount = Decimal(str(value))
    except InvalidOperation:
        discount = Decimal(-1)
    if not discount.is_finite() or not Decimal(0) <= discount <= Decimal(100):
        raise RuleViolation(
            _("The discount is a percentage from 0 to 100."), field="discount_percent"
        )
    return discount.quantize(Decimal("0.01"))


def _check_dates(agreement: Agreement) -> None:
    unit = agreement.unit
    signed = _day(agreement.signed_on, "signed_on", _("The signing date"))
    if agreement.valid_from is None:
        agreement.valid_from = signed
    if not isinstance(agreement.valid_from, dt.date):
        raise RuleViolation(_("The first day of validity is invalid."), field="valid_from")
    until = agreement.valid_until
    if until is not None and (not isinstance(until, dt.date) or until < agreement.valid_from):
        raise RuleViolation(
            _("The agreement cannot end before it starts (%(day)s).")
            % {"day": short_date(agreement.valid_from)},
            field="valid_until",
        )
    if unit.dissolved_on is not None and signed > unit.dissolved_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": _label(unit), "day": short_date(unit.dissolved_on)},
            field="signed_on",
        )


def _check_once(agreement: Agreement) -> None:
    """One agreement per unit, partner and signing day (a second is a duplicate)."""
    same = Agreement.objects.filter(unit=agreement.unit, signed_on=agreement.signed_on).exclude(
        pk=agreement.pk
    )
    key = partner_key(agreement.partner_name)
    if any(partner_key(name) == key for name in same.values_list("partner_name", flat=True)):
        raise RuleViolation(
            _("%(unit)s already has an agreement with %(partner)s signed on %(day)s.")
            % {
                "unit": _label(agreement.unit),
                "partner": agreement.partner_name,
                "day": short_date(agreement.signed_on),
            },
            field="partner_name",
        )


def _check_uses_within(agreement: Agreement) -> None:
    """Changed dates must still hold every recorded use."""
    outside = Q(used_on__lt=agreement.valid_from)
    if agreement.valid_until is not None:
        outside |= Q(used_on__gt=agreement.valid_until)
    n = BenefitUse.objects.filter(agreement=agreement).filter(outside).count()
    if n:
        raise RuleViolation(
            _("%(n)s recorded uses of this agreement fall outside these dates.") % {"n": number(n)},
            field="valid_from",
        )


def check_agreement_fields(agreement: Agreement) -> None:
    """The rules of an agreement that read no other record (the import checks them per row)."""
    _check_texts(agreement)
    agreement.discount_percent = _check_discount(agreement.discount_percent)
    _check_dates(agreement)


def _check_agreement(agreement: Agreement) -> None:
    check_agreement_fields(agreement)
    _check_once(agreement)


@transaction.atomic
def agreement_create(
    *, actor: Any, unit: Unit, partner_name: str, partner_kind: str, signed_on: dt.date,
    benefits: str, **fields: Any,
) -> Agreement:  # fmt: skip
    """Record an agreement `unit` signed. `fields`: any other of `AGREEMENT_FIELDS`."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    fields.setdefault("valid_from", None)
    agreement = Agreement(
        unit=unit, partner_name=partner_name, partner_kind=partner_kind, signed_on=signed_on,
        benefits=benefits, **fields,
    )  # fmt: skip
    _check_agreement(agreement)
    stamp(agreement, actor, "welfare_agreement_create")
    agreement.save()
    return agreement


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **changes: Any) -> Agreement:
    """Change any of `AGREEMENT_FIELDS` of an agreement (its unit stays)."""
    agreement = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    require(actor, Action.ACTIVITIES_MANAGE, agreement.unit)
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown agreement fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(agreement, name) != value]
    if not changed:
        return agreement
    for name in changed:
        setattr(agreement, name, changes[name])
    if "valid_from" in changed and agreement.valid_from is None:
        agreement.valid_from = agreement.signed_on
    _check_agreement(agreement)
    _check_uses_within(agreement)
    stamp(agreement, actor, "welfare_agreement_update")
    agreement.save(update_fields=[*sorted(set(changed)), "updated_at"])
    return agreement


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    """Delete an agreement that has no recorded uses (they are counted in the figures: delete
    them first, one by one, so that the change shows in their history)."""
    agreement = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    require(actor, Action.ACTIVITIES_MANAGE, agreement.unit)
    n = BenefitUse.objects.filter(agreement=agreement).count()
    if n:
        raise RuleViolation(
            _("This agreement has %(n)s recorded uses: delete them before the agreement.")
            % {"n": number(n)}
        )
    for attachment in attachments_of(agreement):
        attachment_delete(actor=actor, attachment=attachment)
    stamp(agreement, actor, "welfare_agreement_delete")
    agreement.delete()


# ---------------------------------------------------------------------------------------------
# Uses


def _check_member(actor: Any, member: Any, agreement: Agreement) -> Any:
    """The member, fresh from the database: one the actor may see, of a union within the
    agreement's unit. Read through the use's relation (the register's model)."""
    if member is None:
        return None
    member_model: Any = BenefitUse._meta.get_field("member").related_model
    found = member_model._default_manager.select_related("unit").filter(pk=member.pk).first()
    if found is None or (
        actor is not None and not path_in_scope(actor, Action.MEMBERS_VIEW, found.unit.path)
    ):
        raise RuleViolation(_("This member was not found within your scope."), field="member")
    if not found.unit.path.startswith(agreement.unit.path):
        raise RuleViolation(
            _("This member does not belong to a union within %(unit)s, which signed the agreement.")
            % {"unit": _label(agreement.unit)},
            field="member",
        )
    return found


def _check_count_value(use: BenefitUse) -> None:
    if use.member_id is not None:
        use.count = use.count or 1
    if not isinstance(use.count, int) or not 1 <= use.count <= MAX_COUNT:
        raise RuleViolation(
            _("The number of uses is a whole number from 1 to %(max)s.")
            % {"max": number(MAX_COUNT)},
            field="count",
        )
    try:
        value = Decimal(str(use.value if use.value not in (None, "") else 0))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value < MAX_VALUE:
        raise RuleViolation(
            _("The value of the benefit is an amount in đồng, not negative."), field="value"
        )
    use.value = value.quantize(Decimal(1))


def _check_use_day(use: BenefitUse, agreement: Agreement) -> None:
    day = _day(use.used_on, "used_on", _("The date of use"))
    if day < agreement.valid_from or (
        agreement.valid_until is not None and day > agreement.valid_until
    ):
        until = short_date(agreement.valid_until) if agreement.valid_until else "…"
        raise RuleViolation(
            _("%(day)s is outside the validity of the agreement (%(start)s – %(end)s).")
            % {"day": short_date(day), "start": short_date(agreement.valid_from), "end": until},
            field="used_on",
        )


def check_use_fields(use: BenefitUse, agreement: Agreement) -> None:
    """The rules of a use that read no other record (the import checks them per row)."""
    _check_count_value(use)
    _check_use_day(use, agreement)


@transaction.atomic
def benefit_use_create(
    *, actor: Any, agreement: Agreement, used_on: dt.date, member: Any = None, count: int = 1,
    value: Any = 0, description: str = "",
) -> BenefitUse:  # fmt: skip
    """Record uses of `agreement`: by `member` (one, unless `count` says how many times), or
    `count` uses without names, worth `value` đồng together."""
    agreement = Agreement.objects.select_related("unit").get(pk=agreement.pk)
    require(actor, Action.ACTIVITIES_MANAGE, agreement.unit)
    member = _check_member(actor, member, agreement)
    use = BenefitUse(
        agreement=agreement, unit=agreement.unit, member=member, count=count, used_on=used_on,
        value=value, description=description or "",
    )  # fmt: skip
    check_use_fields(use, agreement)
    stamp(use, actor, "welfare_use_create")
    use.save()
    return use


@transaction.atomic
def benefit_use_update(*, actor: Any, use: BenefitUse, **changes: Any) -> BenefitUse:
    """Change any of `USE_FIELDS` of a use (its agreement stays)."""
    use = BenefitUse.objects.select_related("agreement__unit").get(pk=use.pk)
    agreement = use.agreement
    require(actor, Action.ACTIVITIES_MANAGE, agreement.unit)
    unknown = set(changes) - set(USE_FIELDS)
    if unknown:
        raise TypeError(f"unknown use fields: {sorted(unknown)}")
    if "member" in changes:
        new = changes["member"]
        if (new.pk if new is not None else None) == use.member_id:
            del changes["member"]
        else:
            changes["member"] = _check_member(actor, new, agreement)
    changed = [name for name, value in changes.items() if getattr(use, name) != value]
    if not changed:
        return use
    for name in changed:
        setattr(use, name, changes[name])
    check_use_fields(use, agreement)
    stamp(use, actor, "welfare_use_update")
    use.save(update_fields=[*sorted(set(changed)), "updated_at"])
    return use


@transaction.atomic
def benefit_use_delete(*, actor: Any, use: BenefitUse) -> None:
    use = BenefitUse.objects.select_related("agreement__unit").get(pk=use.pk)
    require(actor, Action.ACTIVITIES_MANAGE, use.agreement.unit)
    stamp(use, actor, "welfare_use_delete")
    use.delete()
