"""What the services of the app share: names of units in messages, dates, the subtree rule and
the look-up of members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.core.text import nfc
from congdoan.organisation.models import Unit

MAX_MONEY = Decimal(10) ** 18  # đồng: far above any benefit, inside the column


def label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def fresh_unit(unit: Any, field: str = "unit") -> Unit:
    """The unit from the database (a form may hand over a stale or unsaved one)."""
    if unit is None or getattr(unit, "pk", None) is None:
        raise RuleViolation(_("Choose the unit."), field=field)
    found = Unit.objects.filter(pk=unit.pk).first()
    if found is None:
        raise RuleViolation(_("This unit was not found within your scope."), field=field)
    return found


def text(value: Any, field: str, *, required: bool = False, limit: int = 0) -> str:
    out = nfc(str(value or "")).strip()
    if required and not out:
        raise RuleViolation(_("This field is required."), field=field)
    if limit and len(out) > limit:
        raise RuleViolation(
            _("At most %(limit)s characters, please.") % {"limit": limit}, field=field
        )
    return out


def day(value: Any, field: str, *, past: bool = False) -> dt.date:
    """A date (and, with `past`, not after today)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RuleViolation(_("Enter a valid date."), field=field)
    if past and value > timezone.localdate():
        raise RuleViolation(
            _("%(day)s is in the future: record what has happened.") % {"day": short_date(value)},
            field=field,
        )
    return value


def money(value: Any, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise RuleViolation(_("Enter an amount in đồng."), field=field) from exc
    if not amount.is_finite() or amount < 0 or amount >= MAX_MONEY:
        raise RuleViolation(_("Enter an amount in đồng, from 0."), field=field)
    return amount.quantize(Decimal(1))


def active_on(unit: Unit, when: dt.date, field: str) -> None:
    if unit.dissolved_on is not None and when > unit.dissolved_on:
        raise RuleViolation(
            _("%(unit)s was dissolved on %(day)s.")
            % {"unit": label(unit), "day": short_date(unit.dissolved_on)},
            field=field,
        )


def within(actor: Any, unit: Unit, top: Unit, field: str, what: str) -> None:
    """`unit` lies in `top`'s subtree; otherwise a refusal that names `unit` only when the actor
    may see it (`what` says what `top` organises)."""
    if unit.path.startswith(top.path):
        return
    if actor is None or path_in_scope(actor, Action.ORGANISATION_VIEW, unit.path):
        raise RuleViolation(
            _("%(unit)s is not under %(top)s, which organises %(what)s.")
            % {"unit": label(unit), "top": label(top), "what": what},
            field=field,
        )
    raise RuleViolation(_("This unit was not found within your scope."), field=field)


def member_in(actor: Any, member: Any, top: Unit, field: str = "member") -> Any:
    """The member, fresh from the database, seen by the actor and belonging to a union within
    `top`'s subtree (a member the actor may not see is "not found", whoever it is)."""
    from congdoan.members.models import Member

    pk: Any = getattr(member, "pk", None)
    found = Member.objects.select_related("unit").filter(pk=pk).first() if pk else None
    if found is None or (
        actor is not None and not path_in_scope(actor, Action.MEMBERS_VIEW, found.unit.path)
    ):
        raise RuleViolation(_("This member was not found within your scope."), field=field)
    member_under(found, top, field)
    return found


def member_under(member: Any, top: Unit, field: str = "member") -> None:
    """The member (read with its unit) belongs to a union within `top`'s subtree."""
    if not member.unit.path.startswith(top.path):
        raise RuleViolation(
            _("%(name)s does not belong to a union within %(unit)s.")
            % {"name": member.full_name, "unit": label(top)},
            field=field,
        )
