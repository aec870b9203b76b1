"""Writes to the care register: records with their funding lines, and campaigns.

Every service needs "activities.manage" on the unit it writes for (a record's giving unit, a
campaign's organiser); `actor=None` is work of the system (the demo, an import committed by its
job). A member or a campaign the actor cannot see is "not found", in the same words as one
that does not exist, and a refusal names nothing outside the actor's scope.

A record's `value` is the sum of its funding lines and `mobilised` the sum of its donor lines:
the services write them with the lines, and a value the caller states must equal that sum.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.care.models import (
    MONEY_DIGITS,
    Beneficiary,
    Campaign,
    CareKind,
    CareRecord,
    EconomyForm,
    Funding,
    FundSource,
    HouseWork,
    RecipientKind,
)
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import number, short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, require
from congdoan.core.text import nfc
from congdoan.organisation.models import Unit

MAX_MONEY = Decimal(10) ** MONEY_DIGITS - 1
MAX_LINES = 20
MAX_QUANTITY = 1_000_000
# The fields `care_record_create` takes besides unit, kind, day and beneficiary, and those
# `care_record_update` may change.
RECORD_FIELDS = (
    "kind", "on", "campaign", "beneficiary", "member", "person_name", "recipient_kind",
    "citizen_id", "phone", "date_of_birth", "address", "quantity", "house_work", "handover_on",
    "economy_form", "description",
)  # fmt: skip
TEXT_FIELDS = (
    "person_name", "recipient_kind", "citizen_id", "phone", "address", "house_work",
    "economy_form", "description",
)  # fmt: skip
# The stored values of each choice, as sets (an import checks every row against them).
SOURCES = frozenset(FundSource.values)
BENEFICIARIES = frozenset(Beneficiary.values)
RECIPIENTS = frozenset(RecipientKind.values)
KINDS = frozenset(CareKind.values)
WORKS = frozenset(HouseWork.values)
FORMS = frozenset(EconomyForm.values)
_DIGITS = re.compile(r"^(\d{9}|\d{12})$")
_PHONE = re.compile(r"^\+?[\d .]{6,20}$")


@dataclass(frozen=True)
class Line:
    """A funding line as the caller gives it."""

    source: str
    amount: Any
    donor: str = ""


def _label(unit: Unit) -> str:
    return f"{unit.short_name or unit.name} ({unit.code})"


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Funding lines


def money(value: Any, field: str = "funding") -> Decimal:
    """An amount of đồng: a whole number from 0 up to the largest the register stores."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
        raise RuleViolation(
            _("Enter an amount in đồng as a whole number, such as 500000."), field=field
        )
    if amount > MAX_MONEY:
        raise RuleViolation(_("The amount is too large."), field=field)
    return amount


def _line(raw: Line | dict[str, Any]) -> Line:
    if isinstance(raw, dict):
        raw = Line(raw.get("source", ""), raw.get("amount"), raw.get("donor") or "")
    return Line(str(raw.source or ""), raw.amount, nfc(raw.donor))


def check_funding(kind: str, given: Iterable[Line | dict[str, Any]]) -> list[Line]:
    """The funding lines, checked: known sources, amounts above zero, a donor named on each
    donor line (and only there), each source (and donor) once; at least one line except for a
    visit, which may bring nothing."""
    lines = [_line(g) for g in given]
    if len(lines) > MAX_LINES:
        raise RuleViolation(
            _("A record has at most %(n)s funding lines.") % {"n": MAX_LINES}, field="funding"
        )
    seen: set[tuple[str, str]] = set()
    out = []
    for line in lines:
        if line.source not in SOURCES:
            raise RuleViolation(
                _("Unknown funding source %(source)s.") % {"source": line.source}, field="funding"
            )
        amount = money(line.amount)
        if amount == 0:
            raise RuleViolation(_("Each funding line needs an amount above 0."), field="funding")
        donor = line.donor if line.source == FundSource.DONOR else ""
        if line.source == FundSource.DONOR and not donor:
            raise RuleViolation(_("Name the donor of each mobilised amount."), field="funding")
        if line.donor and line.source != FundSource.DONOR:
            raise RuleViolation(
                _("Only a line of mobilised donors names a donor."), field="funding"
            )
        key = (line.source, donor.casefold())
        if key in seen:
            raise RuleViolation(
                _("The same funding source is given twice: add its amounts into one line."),
                field="funding",
            )
        seen.add(key)
        out.append(Line(line.source, amount, donor))
    if not out and kind != CareKind.VISIT:
        raise RuleViolation(_("Give at least one funding source with its amount."), field="funding")
    return out


def totals(lines: Sequence[Line], stated: Any) -> tuple[Decimal, Decimal]:
    value = sum((Decimal(x.amount) for x in lines), Decimal(0))
    mobilised = sum((Decimal(x.amount) for x in lines if x.source == FundSource.DONOR), Decimal(0))
    if value > MAX_MONEY:
        raise RuleViolation(_("The amount is too large."), field="funding")
    if stated not in (None, ""):
        given = money(stated, "value")
        if given != value:
            raise RuleViolation(
                _("The value %(value)s đồng is not the sum of the funding lines (%(sum)s đồng).")
                % {"value": number(given), "sum": number(value)},
                field="value",
            )
    return value, mobilised


def _write_lines(actor: Any, record: CareRecord, lines: Sequence[Line], reason: str) -> None:
    for old in Funding.objects.filter(record=record):
        stamp(old, actor, reason)
        old.delete()
    for line in lines:
        row = Funding(record=record, source=line.source, donor=line.donor, amount=line.amount)
        stamp(row, actor, reason)
        row.save()


def _same_lines(record: CareRecord, lines: Sequence[Line]) -> bool:
    old = sorted((f.source, f.donor, Decimal(f.amount)) for f in record.funding.all())
    return old == sorted((x.source, x.donor, Decimal(x.amount)) for x in lines)


# ---------------------------------------------------------------------------------------------
# Checks of a record


def _not_found(field: str) -> RuleViolation:
    return RuleViolation(_("Not found within your scope."), field=field)


def _check_day(record: CareRecord, today: dt.date) -> None:
    if not isinstance(record.on, dt.date):
        raise RuleViolation(_("The date is missing or invalid."), field="on")
    if record.on > today:
        raise RuleViolation(
            _("The date %(day)s is in the future.") % {"day": short_date(record.on)}, field="on"
        )
    unit = record.unit
    if not unit.active_on(record.on):
        raise RuleViolation(
            _("%(unit)s did not exist on %(day)s.")
            % {"unit": _label(unit), "day": short_date(record.on)},
            field="on",
        )


def _check_member(actor: Any, record: CareRecord) -> None:
    member = record.member
    if member is None:
        raise RuleViolation(_("Choose the member who received it."), field="member")
    if actor is not None and not path_in_scope(actor, Action.MEMBERS_VIEW, member.unit.path):
        raise _not_found("member")
    if not member.unit.path.startswith(record.unit.path):
        raise RuleViolation(
            _("This member does not belong to a union within %(unit)s.")
            % {"unit": _label(record.unit)},
            field="member",
        )


def _check_beneficiary(actor: Any, record: CareRecord) -> None:
    if record.beneficiary not in BENEFICIARIES:
        raise RuleViolation(_("Choose who received it."), field="beneficiary")
    if not isinstance(record.quantity, int) or not 1 <= record.quantity <= MAX_QUANTITY:
        raise RuleViolation(
            _("The number of portions or people must be from 1 to %(max)s.")
            % {"max": number(MAX_QUANTITY)},
            field="quantity",
        )
    if record.beneficiary == Beneficiary.MEMBER:
        _check_member(actor, record)
        if record.person_name or record.recipient_kind or _personal(record):
            raise RuleViolation(
                _(
                    "A member's record takes no other name or personal data: they are on the member's record."
                ),
                field="person_name",
            )
    else:
        if record.member is not None:
            raise RuleViolation(_("Only a member's record links a member."), field="member")
        if record.recipient_kind not in RECIPIENTS:
            raise RuleViolation(
                _("Say who they are (worker, child, family, resident)."), field="recipient_kind"
            )
    if record.beneficiary == Beneficiary.PERSON and not record.person_name:
        raise RuleViolation(_("Enter the person's full name."), field="person_name")
    if record.beneficiary == Beneficiary.GROUP and _personal(record):
        raise RuleViolation(_("A group has no personal data."), field="citizen_id")
    if record.beneficiary != Beneficiary.GROUP and record.quantity != 1:
        raise RuleViolation(
            _("One person gets one record: enter a group for several portions."),
            field="quantity",
        )


def _personal(record: CareRecord) -> bool:
    return bool(record.citizen_id or record.phone or record.date_of_birth)


def _check_personal(record: CareRecord, today: dt.date) -> None:
    if record.citizen_id and not _DIGITS.match(record.citizen_id):
        raise RuleViolation(_("A citizen ID has 12 digits (an old ID card 9)."), field="citizen_id")
    if record.phone and not _PHONE.match(record.phone):
        raise RuleViolation(_("Enter a phone number of digits only."), field="phone")
    born = record.date_of_birth
    if born is not None and (not isinstance(born, dt.date) or born > today):
        raise RuleViolation(_("The date of birth is invalid."), field="date_of_birth")


def _check_kind(record: CareRecord, today: dt.date) -> None:
    if record.kind not in KINDS:
        raise RuleViolation(_("Choose the kind of care."), field="kind")
    house = record.kind == CareKind.HOUSE
    if house:
        if record.beneficiary == Beneficiary.GROUP:
            raise RuleViolation(
                _("A house is given to a member or a named family."), field="beneficiary"
            )
        if record.house_work not in WORKS:
            raise RuleViolation(
                _("Say whether the house was built or repaired."), field="house_work"
            )
        if not record.address:
            raise RuleViolation(_("Enter the address of the house."), field="address")
        _check_handover(record, today)
    elif record.house_work or record.handover_on:
        raise RuleViolation(
            _("Only a house is built, repaired and handed over."), field="handover_on"
        )
    if record.kind == CareKind.ECONOMY:
        if record.economy_form not in FORMS:
            raise RuleViolation(
                _("Say whether the amount was lent or given."), field="economy_form"
            )
    elif record.economy_form:
        raise RuleViolation(
            _("Only support to develop household economy is lent or given."), field="economy_form"
        )


def _check_handover(record: CareRecord, today: dt.date) -> None:
    day = record.handover_on
    if day is None:
        return
    if not isinstance(day, dt.date) or day < record.on:
        raise RuleViolation(
            _("A house is handed over on or after the day its record starts (%(day)s).")
            % {"day": short_date(record.on)},
            field="handover_on",
        )
    if day > today:
        raise RuleViolation(
            _("The date %(day)s is in the future.") % {"day": short_date(day)}, field="handover_on"
        )


def _check_campaign(actor: Any, record: CareRecord, visible: set[int] | None = None) -> None:
    """The campaign is one the actor sees (`visible`: their campaigns' ids, when the caller
    read them at once), of a unit at or above the record's, and its days hold the record's."""
    campaign = record.campaign
    if campaign is None:
        return
    if not Campaign._meta.get_field("unit").is_cached(campaign):
        campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)
    if actor is not None:
        if visible is None:
            visible = set(
                Campaign.objects.visible_to(actor)
                .filter(pk=campaign.pk)
                .values_list("pk", flat=True)
            )
        if campaign.pk not in visible:
            raise _not_found("campaign")
    if not record.unit.path.startswith(campaign.unit.path):
        raise RuleViolation(
            _("%(unit)s is not a unit of %(organiser)s, which runs %(campaign)s.")
            % {
                "unit": _label(record.unit),
                "organiser": _label(campaign.unit),
                "campaign": campaign.name,
            },
            field="campaign",
        )
    if not campaign.start <= record.on <= campaign.end:
        raise RuleViolation(
            _("%(campaign)s runs from %(start)s to %(end)s: the date lies outside it.")
            % {
                "campaign": campaign.name,
                "start": short_date(campaign.start),
                "end": short_date(campaign.end),
            },
            field="on",
        )


def check_record(
    actor: Any,
    record: CareRecord,
    *,
    campaigns: set[int] | None = None,
    today: dt.date | None = None,
) -> None:
    """Every rule of one record but its funding (see the module's docstring). With its unit,
    member (and the member's unit) and campaign (and its unit) loaded, and `campaigns` (the
    ids of the campaigns the actor sees), it reads nothing from the database: imports check
    every row this way (with `today` given once)."""
    today = today or _today()
    _check_kind(record, today)
    _check_day(record, today)
    _check_beneficiary(actor, record)
    _check_personal(record, today)
    _check_campaign(actor, record, campaigns)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown care record fields: {sorted(unknown)}")
    out = dict(fields)
    for name in TEXT_FIELDS:
        if name in out:
            out[name] = nfc(out[name] or "")
    return out


# ---------------------------------------------------------------------------------------------
# Records


@transaction.atomic
def care_record_create(
    *,
    actor: Any,
    unit: Unit,
    funding: Iterable[Line | dict[str, Any]] = (),
    value: Any = None,
    **fields: Any,
) -> CareRecord:
    """Record an act of care by `unit`. `fields`: any of `RECORD_FIELDS` (kind, on and
    beneficiary are required); `funding`: its lines; `value`, when stated, must be their sum."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    record = CareRecord(unit=unit, **_clean(fields))
    check_record(actor, record)
    lines = check_funding(record.kind, funding)
    record.value, record.mobilised = totals(lines, value)
    stamp(record, actor, "care_record_create")
    record.save()
    _write_lines(actor, record, lines, "care_record_create")
    return record


@transaction.atomic
def care_record_update(
    *,
    actor: Any,
    record: CareRecord,
    funding: Iterable[Line | dict[str, Any]] | None = None,
    value: Any = None,
    unit: Unit | None = None,
    **changes: Any,
) -> CareRecord:
    """Change a record: any of `RECORD_FIELDS`, its unit, and (when `funding` is given) its
    funding lines, which replace the old ones."""
    record = CareRecord.objects.select_related("unit", "member__unit").get(pk=record.pk)
    require(actor, Action.ACTIVITIES_MANAGE, record.unit)
    changes = _clean(changes)
    if unit is not None and unit.pk != record.unit_id:
        unit = Unit.objects.get(pk=unit.pk)
        require(actor, Action.ACTIVITIES_MANAGE, unit)
        record.unit = unit
        changes["unit"] = unit
    changed = [n for n, v in changes.items() if getattr(record, n) != v]
    for name in changed:
        setattr(record, name, changes[name])
    lines = check_funding(record.kind, funding if funding is not None else _stored_lines(record))
    new_lines = funding is not None and not _same_lines(record, lines)
    record.value, record.mobilised = totals(lines, value)
    if not changed and not new_lines:
        return record
    check_record(actor, record)
    stamp(record, actor, "care_record_update")
    record.save(update_fields=[*changed, "value", "mobilised", "updated_at"])
    if new_lines:
        _write_lines(actor, record, lines, "care_record_update")
    return record


def _stored_lines(record: CareRecord) -> list[Line]:
    return [Line(f.source, f.amount, f.donor) for f in record.funding.all()]


@transaction.atomic
def care_record_delete(*, actor: Any, record: CareRecord) -> None:
    """Delete a record with its funding lines (the history keeps them). Files attached to it
    stay until they are removed (`activities.services.attachment_delete`): a record with
    attached files is refused."""
    from congdoan.activities.selectors import attachments_of

    record = CareRecord.objects.select_related("unit").get(pk=record.pk)
    require(actor, Action.ACTIVITIES_MANAGE, record.unit)
    if attachments_of(record):
        raise RuleViolation(_("Remove the files attached to the record first."))
    for line in Funding.objects.filter(record=record):
        stamp(line, actor, "care_record_delete")
        line.delete()
    stamp(record, actor, "care_record_delete")
    record.delete()


# ---------------------------------------------------------------------------------------------
# Campaigns

CAMPAIGN_FIELDS = ("name", "start", "end", "description")


def _check_campaign_fields(campaign: Campaign) -> None:
    if not campaign.name:
        raise RuleViolation(_("The name of the campaign is required."), field="name")
    for name in ("start", "end"):
        if not isinstance(getattr(campaign, name), dt.date):
            raise RuleViolation(_("The date is missing or invalid."), field=name)
    if campaign.end < campaign.start:
        raise RuleViolation(_("The campaign ends before it starts."), field="end")
    clash = Campaign.objects.filter(unit=campaign.unit, name__iexact=campaign.name)
    if clash.exclude(pk=campaign.pk).exists():
        raise RuleViolation(
            _("%(unit)s already has a campaign named %(name)s.")
            % {"unit": _label(campaign.unit), "name": campaign.name},
            field="name",
        )


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    start: dt.date,
    end: dt.date,
    description: str = "",
) -> Campaign:
    """A care campaign organised by `unit`; the units of its subtree record their care in it."""
    unit = Unit.objects.get(pk=unit.pk)
    require(actor, Action.ACTIVITIES_MANAGE, unit)
    campaign = Campaign(
        unit=unit, name=nfc(name), start=start, end=end, description=nfc(description)
    )
    _check_campaign_fields(campaign)
    stamp(campaign, actor, "campaign_create")
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, **changes: Any) -> Campaign:
    """Rename a campaign, change its dates (its records must stay inside them) or description."""
    campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)
    require(actor, Action.ACTIVITIES_MANAGE, campaign.unit)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    for name in ("name", "description"):
        if name in changes:
            changes[name] = nfc(changes[name])
    changed = [n for n, v in changes.items() if getattr(campaign, n) != v]
    if not changed:
        return campaign
    for name in changed:
        setattr(campaign, name, changes[name])
    _check_campaign_fields(campaign)
    outside = campaign.records.exclude(on__gte=campaign.start, on__lte=campaign.end).count()
    if outside:
        raise RuleViolation(
            _("%(n)s records of the campaign lie outside these dates.") % {"n": number(outside)},
            field="start",
        )
    stamp(campaign, actor, "campaign_update")
    campaign.save(update_fields=changed)
    return campaign


@transaction.atomic
def campaign_delete(*, actor: Any, campaign: Campaign) -> None:
    """Delete a campaign that no record belongs to."""
    campaign = Campaign.objects.select_related("unit").get(pk=campaign.pk)
    require(actor, Action.ACTIVITIES_MANAGE, campaign.unit)
    if campaign.records.exists():
        raise RuleViolation(
            _("Records belong to this campaign: it cannot be deleted."), field="campaign"
        )
    stamp(campaign, actor, "campaign_delete")
    campaign.delete()


# ---------------------------------------------------------------------------------------------
# Personal data of beneficiaries who are not members


def reveal_personal(
    *, user: Any, records: Sequence[CareRecord], purpose: str, where: str, kind: str = "view"
) -> set[int]:
    """The ids of `records` whose beneficiary's full personal data `user` may read, after
    logging the read with its purpose in the personal-data access log (as for members: Law
    91/2025/QH15). Records outside the permission stay masked and are not logged; no purpose,
    no reveal."""
    from congdoan.care.selectors import has_personal, may_reveal
    from congdoan.members.personal import log_access

    shown = [r for r in records if has_personal(r) and may_reveal(user, r)]
    if not shown or not (purpose or "").strip():
        return set()
    log_access(user=user, kind=kind, purpose=purpose, members=[], records=shown, where=where)
    return {r.pk for r in shown}
