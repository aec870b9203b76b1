"""Writes to the member registry. Every entry point (pages, API, import, reorganisations) calls
these; each is dated (the effective date may lie in the past, not in the future), checks the
actor's scope, and records a `MemberEvent` and the audit trail (who, when, before/after).

Lifecycle: admit, update, transfer (request → confirm by the other side, or at once when the
actor's scope covers both units), suspend / resume, exit, discipline, Party referral and
admission. Reorganisations move members through `members_transfer` and `members_exit`.

Member counts: every function here that opens or closes spells or records a counted
event (admission, exit, transfer, Party referral/admission) also updates the per-unit summaries
in the same transaction, through `congdoan.members.summaries`:
    summaries.record_admissions([(unit_id, day, sex), …])       # admit, admit_many, readmit
    summaries.record_transfers([(from_id, to_id, day, sex), …], reorganisation=…)
    summaries.record_exits([(unit_id, day, sex, reason), …])
    summaries.record_party(kind, unit_id, day)
    summaries.record_sex_change(member_id, sex)                 # member_update of `sex`
Code that writes members, spells or events WITHOUT these services (imports through COPY, data
fixes) must call `summaries.refresh_units(unit_ids)` in the same transaction with every unit it
touched, or counts will disagree (`congdoan rebuild_member_summaries --check` shows where).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from congdoan.core.concurrency import Changed, EditConflict, merge
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, refusal, require
from congdoan.members import cccd, lookups, summaries, words
from congdoan.members.models import (
    AccessKind,
    Discipline,
    DuplicateFlag,
    DuplicateStatus,
    EventKind,
    ExitReason,
    Member,
    MemberEvent,
    Membership,
    MemberStatus,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.search import normalise_phone

if TYPE_CHECKING:
    from congdoan.organisation.models import ReorgEvent, Unit
    from congdoan.organisation.services.tree import ChangeSet

OPEN_STATUSES = (MemberStatus.ACTIVE, MemberStatus.SUSPENDED)
MIN_MEMBER_LEVEL_RANK = 2  # members belong to units directly above grassroots or below

# Fields a member record may be given at admission or changed later with member_update.
DETAIL_FIELDS = (
    "family_name", "middle_name", "given_name", "sex", "date_of_birth", "citizen_id",
    "ethnicity", "religion", "phone", "email", "hometown", "address", "province_code",
    "ward_code", "general_education", "professional_level", "political_theory", "job_title",
    "workplace", "card_number", "card_issued_on", "salary_base", "hardship", "disability",
    "party_member", "party_joined_on", "note",
)  # fmt: skip


def _who(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _today() -> dt.date:
    return timezone.localdate()


def _check_day(day: dt.date, what: str = "") -> None:
    if day > _today():
        raise RuleViolation(
            _("The date %(day)s lies in the future.") % {"day": short_date(day)}, field=what or None
        )


def _check_unit(unit: Unit, day: dt.date) -> None:
    if not unit.active_on(day):
        raise RuleViolation(
            _("Unit %(unit)s is not active on %(day)s.") % {"unit": unit, "day": short_date(day)}
        )
    if unit.unit_type.level.rank < MIN_MEMBER_LEVEL_RANK:
        raise RuleViolation(
            _(
                "Members belong to grassroots unions (or the unit directly above); %(unit)s is a %(type)s."
            )
            % {"unit": unit, "type": unit.unit_type.name}
        )


def check_citizen_id(
    value: Any,
    *,
    sex: str | None,
    birth: dt.date | None,
    exclude: int | None = None,
    actor: Any = None,
    where: str = "",
) -> str | None:
    """Validate a CCCD/CMND and refuse one that another member already has.

    For an actor, this is a look-up by identity number (`congdoan.members.lookups`): a number
    found on another record is logged and counted against the actor's limit, the answer names
    that record's unit only inside the actor's scope, and while the limit is reached a number
    that is not already the record's own is refused whatever it would find."""
    try:
        parsed = cccd.validate(value, sex=sex, birth_year=birth.year if birth else None)
    except cccd.InvalidCitizenId as exc:
        raise RuleViolation(exc.message, field="citizen_id") from exc
    if parsed is None:
        return None
    others = Member.objects.filter(citizen_id=parsed.value).select_related("unit")
    if exclude is not None:
        if actor is not None and others.filter(pk=exclude).exists():
            return parsed.value  # the record's own number, unchanged
        others = others.exclude(pk=exclude)
    if actor is not None:
        lookups.require_lookups(actor, kind=AccessKind.DUPLICATE, where=where, sought=parsed.value)
    existing = others.first()
    if existing is not None:
        if actor is not None:
            lookups.record_duplicates(actor, found=[existing.pk], where=where, sought=parsed.value)
        raise DuplicateCitizenId(existing, actor=actor)
    return parsed.value


def member_by_citizen_id(*, actor: Any, citizen_id: Any, where: str = "") -> Member | None:
    """The record holding a citizen ID (to request its transfer or re-admit it), for an actor:
    a look-up by identity number, limited and logged (`congdoan.members.lookups`)."""
    try:
        parsed = cccd.validate(citizen_id)
    except cccd.InvalidCitizenId:
        return None
    if parsed is None:
        return None
    lookups.require_lookups(actor, kind=AccessKind.LOOKUP, where=where, sought=parsed.value)
    existing = Member.objects.select_related("unit").filter(citizen_id=parsed.value).first()
    lookups.record_search(
        actor, sought=parsed.value, found=[existing.pk] if existing else [], where=where
    )
    return existing


@lookups.keep_log
@transaction.atomic
def transfer_request_by_citizen_id(
    *, actor: Any, citizen_id: Any, to_unit: Unit, day: dt.date, note: str = "", where: str = ""
) -> TransferRequest:
    """Ask for the transfer to `to_unit` of the current member holding `citizen_id`, wherever
    they are: the path offered when an admission finds the number registered elsewhere. The
    unit holding the record sees the request and who made it, and confirms or refuses it."""
    require(actor, Action.MEMBERS_CHANGE, to_unit)
    member = member_by_citizen_id(actor=actor, citizen_id=citizen_id, where=where)
    if member is None or not member.is_current:
        raise RuleViolation(_("No current member holds this citizen ID."), field="citizen_id")
    return transfer_request(actor=actor, member=member, to_unit=to_unit, day=day, note=note)


class DuplicateCitizenId(RuleViolation):
    """The citizen ID belongs to another record, `existing`. The message names its unit only
    when the actor may see members there (`visible`); otherwise it names nothing and points to
    the transfer request (or re-admission), which the unit holding the record decides."""

    def __init__(self, existing: Member, *, actor: Any = None):
        self.existing = existing
        self.visible = actor is None or path_in_scope(
            actor, Action.MEMBERS_VIEW, existing.unit.path
        )
        if self.visible:
            if existing.is_current:
                message = _(
                    "This citizen ID is already registered to a member of %(unit)s. A person is "
                    "a member once: request a transfer to your unit instead."
                ) % {"unit": existing.unit}
            else:
                message = _(
                    "This citizen ID belongs to a former member (left on %(day)s, last unit "
                    "%(unit)s): re-admit that record instead of creating a new one."
                ) % {"day": short_date(existing.exited_on), "unit": existing.unit}
        elif existing.is_current:
            message = _(
                "This citizen ID is already registered to a member of a unit outside your scope. "
                "A person is a member once: request a transfer to your unit; the unit that holds "
                "the record will see your request and decide."
            )
        else:
            message = _(
                "This citizen ID belongs to a former member whose record lies outside your scope: "
                "re-admit that record instead of creating a new one."
            )
        super().__init__(message, field="citizen_id")


def flag_duplicates(member: Member) -> list[DuplicateFlag]:
    """Flag other records with the same folded name and date of birth for review."""
    if member.date_of_birth is None:
        return []
    others = Member.objects.filter(
        name_fold=member.name_fold, date_of_birth=member.date_of_birth
    ).exclude(pk=member.pk)
    flags = []
    for other in others:
        # one flag per pair: the pair may already be flagged the other way round.
        existing = DuplicateFlag.objects.filter(member=other, other=member).first()
        if existing is not None:
            flags.append(existing)
            continue
        flag, _created = DuplicateFlag.objects.get_or_create(
            member=member, other=other, defaults={"reason": "name+dob"}
        )
        flags.append(flag)
    return flags


def _clean_details(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields {sorted(unknown)}")
    if "phone" in values:
        values["phone"] = normalise_phone(values["phone"])
    if "card_number" in values:
        # an emptied card number is NULL, not "": the column is unique.
        values["card_number"] = str(values["card_number"] or "").strip().upper() or None
    if values.get("party_joined_on"):
        values["party_member"] = True
    return values


@lookups.keep_log
@transaction.atomic
def member_admit(
    *,
    actor: Any,
    unit: Unit,
    family_name: str,
    given_name: str,
    sex: str,
    admitted_on: dt.date,
    middle_name: str = "",
    date_of_birth: dt.date | None = None,
    citizen_id: Any = None,
    card_number: str | None = None,
    allocate_card: bool = False,
    where: str = "",
    **details: Any,
) -> Member:
    """Admit a new member (kết nạp) to `unit` on `admitted_on`. `where`: the page or API call,
    for the log of identity-number look-ups."""
    require(actor, Action.MEMBERS_CHANGE, unit)
    _check_day(admitted_on, "admitted_on")
    _check_unit(unit, admitted_on)
    if not (family_name or "").strip() or not (given_name or "").strip():
        raise RuleViolation(_("Family name and given name are required."), field="given_name")
    if date_of_birth and date_of_birth >= admitted_on:
        raise RuleViolation(
            _("The date of birth must precede the admission."), field="date_of_birth"
        )
    details = _clean_details(details)
    member = Member(
        unit=unit,
        family_name=family_name,
        middle_name=middle_name,
        given_name=given_name,
        sex=sex,
        date_of_birth=date_of_birth,
        citizen_id=check_citizen_id(
            citizen_id, sex=sex, birth=date_of_birth, actor=actor, where=where
        ),
        card_number=(card_number or "").strip().upper() or None,
        admitted_on=admitted_on,
        **details,
    )
    if member.card_number is None and allocate_card:
        from congdoan.members.cards import allocate

        member.card_number = allocate(unit, admitted_on)[0]
        member.card_issued_on = member.card_issued_on or admitted_on
    if member.card_number and Member.objects.filter(card_number=member.card_number).exists():
        raise RuleViolation(
            _("Card number %(card)s is already used.") % {"card": member.card_number},
            field="card_number",
        )
    stamp(member, actor, "member_admit")
    member.save()
    Membership.objects.create(member=member, unit=unit, start=admitted_on)
    summaries.record_admissions([(unit.pk, admitted_on, member.sex)])
    MemberEvent.objects.create(
        member=member, kind=EventKind.ADMIT, date=admitted_on, to_unit=unit, actor=_who(actor)
    )
    flag_duplicates(member)
    return member


@transaction.atomic
def members_admit_many(
    *, actor: Any, members: Sequence[Member], change_reason: str = "member_admit"
) -> list[Member]:
    """Admit many prepared, already validated members at once (imports, demo data).

    Each `Member` must have its unit, names, sex and `admitted_on` set; the caller has checked
    scope, units, citizen IDs and card numbers (as `member_admit` does one by one). Writes the
    members, their history rows, spells and admission events in a few bulk statements.
    """
    from simple_history.utils import bulk_create_with_history

    who = _who(actor)
    for m in members:
        m.refresh_derived()
        m.phone = normalise_phone(m.phone)
    created = bulk_create_with_history(
        list(members),
        Member,
        batch_size=2000,
        default_user=who,
        default_change_reason=change_reason,
    )
    if created and created[0].pk is None:  # backends without RETURNING: fetch the ids back
        raise RuntimeError("bulk_create did not return primary keys")
    words.sync(created)
    Membership.objects.bulk_create(
        [Membership(member=m, unit_id=m.unit_id, start=m.admitted_on) for m in created],
        batch_size=5000,
    )
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=m, kind=EventKind.ADMIT, date=m.admitted_on, to_unit_id=m.unit_id, actor=who
            )
            for m in created
        ],
        batch_size=5000,
    )
    summaries.record_admissions((m.unit_id, m.admitted_on, m.sex) for m in created)
    return created


@transaction.atomic
def members_import_write(
    *,
    actor: Any,
    unit: Unit,
    new: Sequence[dict[str, Any]] = (),
    updates: Sequence[tuple[int, dict[str, Any]]] = (),
    similar: Sequence[tuple[int, int]] = (),
    import_job: Any = None,
    change_reason: str = "member_import",
    progress: Any = None,
) -> list[int]:
    """Write a checked member import in bulk (used by `congdoan.members.imports`).

    `new`: values of new members (field attnames, `unit_id` and `admitted_on` included, names
    NFC), all in `unit`'s subtree; `updates`: (member id, {field: new value}) of members in that
    subtree; `similar`: (index in `new`, id of an existing member) pairs with the same name and
    date of birth, flagged for review (a negative `other` -k-1 names new member k). The caller
    has checked every row (`imports.matching`); the unique constraints on citizen ID and card
    number are the last guard. On PostgreSQL new members, their history rows, spells and
    admission events are written with COPY; elsewhere through `members_admit_many`. Per-unit
    summaries are kept up to date in this transaction. Returns the ids of the new members.
    """
    from congdoan.core.scoping import path_range_q
    from congdoan.members.imports import bulk
    from congdoan.organisation.models import Unit as UnitModel

    require(actor, Action.MEMBERS_CHANGE, unit)
    unit_ids = {v["unit_id"] for v in new}
    inside = set(
        UnitModel.objects.filter(path_range_q("path", unit.path), pk__in=unit_ids).values_list(
            "pk", flat=True
        )
    )
    if unit_ids - inside:
        raise refusal(actor, unit)
    update_ids = [member_id for member_id, _values in updates]
    for start in range(0, len(update_ids), 2000):
        chunk = update_ids[start : start + 2000]
        if (
            Member.objects.filter(pk__in=chunk)
            .exclude(path_range_q("unit__path", unit.path))
            .exists()
        ):
            raise refusal(actor, unit)
    job_id = getattr(import_job, "pk", None)
    if not new:
        ids: list[int] = []
    elif connection.vendor == "postgresql":
        ids = bulk.write_new_postgresql(
            new=new,
            actor_id=getattr(_who(actor), "pk", None),
            reason=change_reason,
            import_job_id=job_id,
            progress=progress,
        )
        summaries.record_admissions((v["unit_id"], v["admitted_on"], v["sex"]) for v in new)
    else:
        # members_admit_many records the admissions in the summaries itself.
        ids = bulk.write_new_generic(
            new=new, actor=actor, reason=change_reason, import_job_id=job_id
        )
    for member_id, sex in bulk.write_updates(updates=updates, actor=actor, reason=change_reason):
        summaries.record_sex_change(member_id, sex)
    bulk.write_flags(
        [(ids[index], ids[-other - 1] if other < 0 else other) for index, other in similar]
    )
    return ids


@lookups.keep_log
@transaction.atomic
def member_update(
    *, actor: Any, member: Member, where: str = "", loaded: int | None = None, **values: Any
) -> Member:
    """Correct or complete a member's record (not a lifecycle change). `where`: the page or
    API call, for the log of identity-number look-ups. `loaded`: the record the form was opened
    on (`selectors.member_state`): only what the user changed is written, and a field someone
    else changed meanwhile raises `EditConflict` (core/concurrency.py)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("unit").get(pk=member.pk)
    require(actor, Action.MEMBERS_CHANGE, member.unit)
    values = _clean_details(values)
    if loaded is not None:
        values = _changed_by_me(member, loaded, values)
    sex = values.get("sex", member.sex)
    birth = values.get("date_of_birth", member.date_of_birth)
    # the same rule as at admission.
    if birth and birth >= member.admitted_on:
        raise RuleViolation(
            _("The date of birth must precede the admission."), field="date_of_birth"
        )
    if "citizen_id" in values or "sex" in values or "date_of_birth" in values:
        values["citizen_id"] = check_citizen_id(
            values.get("citizen_id", member.citizen_id),
            sex=sex,
            birth=birth,
            exclude=member.pk,
            actor=actor,
            where=where,
        )
    if (
        values.get("card_number")
        and Member.objects.filter(card_number=values["card_number"]).exclude(pk=member.pk).exists()
    ):
        raise RuleViolation(
            _("Card number %(card)s is already used.") % {"card": values["card_number"]},
            field="card_number",
        )
    changed = [f for f, v in values.items() if getattr(member, f) != v]
    if not changed:
        return member
    for f in changed:
        setattr(member, f, values[f])
    stamp(member, actor, "member_update")
    member.save(update_fields=[*changed, "updated_at"])
    if {"family_name", "middle_name", "given_name", "date_of_birth"} & set(changed):
        flag_duplicates(member)
    if "sex" in changed:
        summaries.record_sex_change(member.pk, member.sex)
    return member


# The fields whose new value an edit conflict repeats in its message; the others (personal
# data) are only named.
SHOWN_IN_CONFLICTS = (
    "family_name", "middle_name", "given_name", "sex", "general_education",
    "professional_level", "political_theory", "job_title", "workplace", "card_number",
    "card_issued_on",
)  # fmt: skip


def _field(name: str) -> Any:
    return Member._meta.get_field(name)


def _comparable(value: Any) -> Any:
    return value.pk if hasattr(value, "_meta") else value


def _changed_by_me(member: Member, loaded: int, values: dict[str, Any]) -> dict[str, Any]:
    """The values the user changed on the record as loaded (core/concurrency.py)."""
    from congdoan.members.selectors import member_state

    shown_row = Member.history.filter(id=member.pk, history_id=loaded).first()
    if shown_row is None:
        raise RuleViolation(_("This form is out of date: open the record again."))
    attname = {f: _field(f).attname for f in values}
    mine = {f: _comparable(v) for f, v in values.items()}
    shown = {f: getattr(shown_row, attname[f]) for f in values}
    stored = {f: getattr(member, attname[f]) for f in values}
    write, conflicts = merge(mine, shown, stored)
    if conflicts:
        last = (
            Member.history.filter(id=member.pk).select_related("history_user").latest("history_id")
        )
        changed = [
            Changed(
                name=f,
                label=str(_field(f).verbose_name),
                now=_shown(member, f) if f in SHOWN_IN_CONFLICTS else None,
            )
            for f in conflicts
        ]
        who = last.history_user
        raise EditConflict(
            _(
                "%(who)s saved this record at %(when)s, after you opened it, and changed what "
                "you changed too: %(fields)s. Nothing was saved; what you entered is still in "
                "the form. Check it and save again to keep your values."
            )
            % {
                "who": str(who) if who else _("the system"),
                "when": date_format(timezone.localtime(last.history_date), "SHORT_DATETIME_FORMAT"),
                "fields": "; ".join(
                    c.label if c.now is None else f"{c.label} ({_('now')}: {c.now})"
                    for c in changed
                ),
            },
            changed=changed,
            state=member_state(member),
        )
    return {f: values[f] for f in write}


def _shown(member: Member, name: str) -> str:
    value = getattr(member, name)
    if _field(name).choices and value:
        return str(getattr(member, f"get_{name}_display")())
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return short_date(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Transfers


def _open_members(unit: Unit, member_ids: Sequence[int] | None) -> list[Member]:
    qs = Member.objects.filter(unit=unit, status__in=OPEN_STATUSES)
    if member_ids is not None:
        qs = qs.filter(pk__in=member_ids)
    return list(qs.order_by("pk"))


def _close_spells(members: list[Member], unit: Unit, day: dt.date) -> None:
    spells = list(
        Membership.objects.filter(member__in=members, unit=unit, end__isnull=True).select_related(
            "member"
        )
    )
    late = [s for s in spells if s.start > day]
    if late:
        raise RuleViolation(
            _(
                "%(n)s members (e.g. %(name)s) joined %(unit)s on %(start)s, after the effective "
                "date %(day)s."
            )
            % {
                "n": len(late),
                "name": late[0].member.full_name,
                "unit": unit,
                "start": short_date(late[0].start),
                "day": short_date(day),
            }
        )
    for s in spells:
        s.end = day
    Membership.objects.bulk_update(spells, ["end"], batch_size=1000)


@transaction.atomic
def members_transfer(
    *,
    actor: Any,
    from_unit: Unit,
    to_unit: Unit,
    day: dt.date,
    reorg_event: ReorgEvent | None = None,
    member_ids: Sequence[int] | None = None,
    note: str = "",
    changes: ChangeSet | None = None,
) -> int:
    """Move the open members of `from_unit` (or those listed) to `to_unit` on `day`.

    The caller has checked permissions (reorganisation services, transfer_confirm)."""
    members = _open_members(from_unit, member_ids)
    if not members:
        return 0
    _close_spells(members, from_unit, day)
    who = _who(actor)
    Membership.objects.bulk_create(
        [Membership(member=m, unit=to_unit, start=day) for m in members], batch_size=1000
    )
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=m,
                kind=EventKind.TRANSFER,
                date=day,
                from_unit=from_unit,
                to_unit=to_unit,
                reorg_event=reorg_event,
                actor=who,
                note=note,
            )
            for m in members
        ],
        batch_size=1000,
    )
    for m in members:
        m.unit = to_unit
    bulk_update_with_history(
        members,
        Member,
        ["unit"],
        batch_size=1000,
        default_user=who,
        default_change_reason="member_transfer",
    )
    summaries.record_transfers(
        [(from_unit.pk, to_unit.pk, day, m.sex) for m in members],
        reorganisation=reorg_event is not None,
    )
    if changes is not None:
        changes.add(
            "member_transfer",
            _("%(n)s members move from %(old)s to %(new)s")
            % {"n": len(members), "old": from_unit, "new": to_unit},
            unit=from_unit.code,
            count=len(members),
        )
    return len(members)


@transaction.atomic
def transfer_request(
    *, actor: Any, member: Member, to_unit: Unit, day: dt.date, note: str = ""
) -> TransferRequest:
    """Start a transfer (chuyển sinh hoạt). Either side may start it; the other side confirms.

    When the actor may change members in both units, the transfer is done at once.
    """
    member = Member.objects.select_related("unit").get(pk=member.pk)
    from_unit = member.unit
    _check_day(day, "day")
    if not member.is_current:
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    if to_unit.pk == from_unit.pk:
        raise RuleViolation(
            _("The member already belongs to %(unit)s.") % {"unit": to_unit}, field="to_unit"
        )
    _check_unit(to_unit, day)
    on_from = actor is None or path_in_scope(actor, Action.MEMBERS_CHANGE, from_unit.path)
    on_to = actor is None or path_in_scope(actor, Action.MEMBERS_CHANGE, to_unit.path)
    if not (on_from or on_to):
        raise refusal(actor, to_unit)
    if TransferRequest.objects.filter(member=member, status=TransferStatus.PENDING).exists():
        raise RuleViolation(_("A transfer of this member is already awaiting confirmation."))
    request = TransferRequest(
        member=member,
        from_unit=from_unit,
        to_unit=to_unit,
        day=day,
        note=note,
        requested_by=_who(actor),
    )
    stamp(request, actor, "transfer_request")
    request.save()
    if on_from and on_to:
        return transfer_confirm(actor=actor, request=request)
    return request


def _other_side(request: TransferRequest) -> Unit:
    """The unit that must confirm: the one the requester does not act for."""
    requester = request.requested_by
    if requester is not None and path_in_scope(
        requester, Action.MEMBERS_CHANGE, request.from_unit.path
    ):
        return request.to_unit
    return request.from_unit


@transaction.atomic
def transfer_confirm(*, actor: Any, request: TransferRequest) -> TransferRequest:
    request = (
        # of=self: PostgreSQL refuses FOR UPDATE on the outer join of requested_by.
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related("member", "from_unit", "to_unit", "requested_by")
        .get(pk=request.pk)
    )
    if request.status != TransferStatus.PENDING:
        raise RuleViolation(_("This transfer is no longer awaiting confirmation."))
    confirmer = _other_side(request)
    both = actor is None or (
        path_in_scope(actor, Action.MEMBERS_CHANGE, request.from_unit.path)
        and path_in_scope(actor, Action.MEMBERS_CHANGE, request.to_unit.path)
    )
    if not both:
        require(actor, Action.MEMBERS_CHANGE, confirmer)
    if request.member.unit_id != request.from_unit_id or not request.member.is_current:
        raise RuleViolation(_("The member is no longer in %(unit)s.") % {"unit": request.from_unit})
    _check_unit(request.to_unit, request.day)  # it may have been dissolved since
    members_transfer(
        actor=actor,
        from_unit=request.from_unit,
        to_unit=request.to_unit,
        day=request.day,
        member_ids=[request.member_id],
        note=request.note,
    )
    request.status = TransferStatus.CONFIRMED
    request.decided_by = _who(actor)
    request.decided_at = timezone.now()
    stamp(request, actor, "transfer_confirm")
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


@transaction.atomic
def transfer_reject(*, actor: Any, request: TransferRequest, reason: str = "") -> TransferRequest:
    request = (
        # of=self: PostgreSQL refuses FOR UPDATE on the outer join of requested_by.
        TransferRequest.objects.select_for_update(of=("self",))
        .select_related("from_unit", "to_unit", "requested_by")
        .get(pk=request.pk)
    )
    if request.status != TransferStatus.PENDING:
        raise RuleViolation(_("This transfer is no longer awaiting confirmation."))
    require(actor, Action.MEMBERS_CHANGE, _other_side(request))
    request.status = TransferStatus.REJECTED
    request.decided_by = _who(actor)
    request.decided_at = timezone.now()
    request.decision_note = reason
    stamp(request, actor, "transfer_reject")
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return request


@transaction.atomic
def transfer_cancel(*, actor: Any, request: TransferRequest) -> TransferRequest:
    request = (
        TransferRequest.objects.select_for_update()
        .select_related("from_unit", "to_unit")
        .get(pk=request.pk)
    )
    if request.status != TransferStatus.PENDING:
        raise RuleViolation(_("This transfer is no longer awaiting confirmation."))
    side = request.to_unit if _other_side(request) == request.from_unit else request.from_unit
    require(actor, Action.MEMBERS_CHANGE, side)
    request.status = TransferStatus.CANCELLED
    request.decided_by = _who(actor)
    request.decided_at = timezone.now()
    stamp(request, actor, "transfer_cancel")
    request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


# ---------------------------------------------------------------------------------------------
# Suspension, exit, discipline, Party


def _member_for_change(actor: Any, member: Member, day: dt.date) -> Member:
    member = Member.objects.select_related("unit").get(pk=member.pk)
    require(actor, Action.MEMBERS_CHANGE, member.unit)
    _check_day(day, "day")
    if day < member.admitted_on:
        raise RuleViolation(
            _("The date %(day)s precedes the admission (%(admitted)s).")
            % {"day": short_date(day), "admitted": short_date(member.admitted_on)},
            field="day",
        )
    last = member.events.order_by("-date").values_list("date", flat=True).first()
    if last and day < last and not member.is_current:
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    return member


def _event(member: Member, kind: str, day: dt.date, actor: Any, **extra: Any) -> MemberEvent:
    return MemberEvent.objects.create(
        member=member, kind=kind, date=day, actor=_who(actor), **extra
    )


@transaction.atomic
def member_suspend(*, actor: Any, member: Member, day: dt.date, note: str = "") -> Member:
    """Suspend membership (tạm dừng sinh hoạt), e.g. while unemployed."""
    member = _member_for_change(actor, member, day)
    if member.status != MemberStatus.ACTIVE:
        raise RuleViolation(_("Only an active member can be suspended."))
    member.status = MemberStatus.SUSPENDED
    member.suspended_on = day
    stamp(member, actor, "member_suspend")
    member.save(update_fields=["status", "suspended_on"])
    _event(member, EventKind.SUSPEND, day, actor, from_unit=member.unit, note=note)
    return member


@transaction.atomic
def member_resume(*, actor: Any, member: Member, day: dt.date, note: str = "") -> Member:
    member = _member_for_change(actor, member, day)
    if member.status != MemberStatus.SUSPENDED:
        raise RuleViolation(_("Only a suspended member can resume."))
    if member.suspended_on and day < member.suspended_on:
        raise RuleViolation(
            _("The member was suspended on %(day)s.") % {"day": short_date(member.suspended_on)},
            field="day",
        )
    member.status = MemberStatus.ACTIVE
    member.suspended_on = None
    stamp(member, actor, "member_resume")
    member.save(update_fields=["status", "suspended_on"])
    _event(member, EventKind.RESUME, day, actor, to_unit=member.unit, note=note)
    return member


@transaction.atomic
def members_exit(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    reason: str,
    reorg_event: ReorgEvent | None = None,
    member_ids: Sequence[int] | None = None,
    note: str = "",
    changes: ChangeSet | None = None,
) -> int:
    """The open members of `unit` (or those listed) leave the union on `day` for `reason`."""
    members = _open_members(unit, member_ids)
    if not members:
        return 0
    _close_spells(members, unit, day)
    who = _who(actor)
    MemberEvent.objects.bulk_create(
        [
            MemberEvent(
                member=m,
                kind=EventKind.EXIT,
                date=day,
                from_unit=unit,
                reason=reason,
                reorg_event=reorg_event,
                actor=who,
                note=note,
            )
            for m in members
        ],
        batch_size=1000,
    )
    for m in members:
        m.status = MemberStatus.EXITED
        m.exited_on = day
        m.exit_reason = reason
        m.suspended_on = None
    bulk_update_with_history(
        members,
        Member,
        ["status", "exited_on", "exit_reason", "suspended_on"],
        batch_size=1000,
        default_user=who,
        default_change_reason="member_exit",
    )
    summaries.record_exits([(unit.pk, day, m.sex, reason) for m in members])
    TransferRequest.objects.filter(member__in=members, status=TransferStatus.PENDING).update(
        status=TransferStatus.CANCELLED, decided_at=timezone.now()
    )
    if changes is not None:
        changes.add(
            "member_exit",
            _("%(n)s members of %(unit)s leave the union") % {"n": len(members), "unit": unit},
            unit=unit.code,
            count=len(members),
        )
    return len(members)


@transaction.atomic
def member_exit(*, actor: Any, member: Member, day: dt.date, reason: str, note: str = "") -> Member:
    """One member leaves the union (ra khỏi tổ chức công đoàn)."""
    member = _member_for_change(actor, member, day)
    if not member.is_current:
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    if reason not in ExitReason.values:
        raise RuleViolation(_("Unknown reason."), field="reason")
    members_exit(
        actor=actor, unit=member.unit, day=day, reason=reason, member_ids=[member.pk], note=note
    )
    return Member.objects.get(pk=member.pk)


@transaction.atomic
def member_readmit(
    *, actor: Any, member: Member, unit: Unit, day: dt.date, note: str = ""
) -> Member:
    """A former member joins again: the same record, a new admission event and spell."""
    member = Member.objects.select_related("unit").get(pk=member.pk)
    require(actor, Action.MEMBERS_CHANGE, unit)
    _check_day(day, "day")
    _check_unit(unit, day)
    if member.is_current:
        raise RuleViolation(_("%(member)s is still a member.") % {"member": member})
    if member.exited_on and day < member.exited_on:
        raise RuleViolation(
            _("The member left on %(day)s.") % {"day": short_date(member.exited_on)}, field="day"
        )
    member.unit = unit
    member.status = MemberStatus.ACTIVE
    member.admitted_on = day
    member.exited_on = None
    member.exit_reason = ""
    stamp(member, actor, "member_readmit")
    member.save(update_fields=["unit", "status", "admitted_on", "exited_on", "exit_reason"])
    Membership.objects.create(member=member, unit=unit, start=day)
    summaries.record_admissions([(unit.pk, day, member.sex)])
    _event(member, EventKind.ADMIT, day, actor, to_unit=unit, note=note)
    return member


@transaction.atomic
def member_discipline(
    *, actor: Any, member: Member, day: dt.date, level: str, decision_ref: str = "", note: str = ""
) -> Member:
    """Reprimand, warning or expulsion (khiển trách, cảnh cáo, khai trừ); expulsion ends membership."""
    member = _member_for_change(actor, member, day)
    if level not in Discipline.values:
        raise RuleViolation(_("Unknown discipline."), field="level")
    if not member.is_current:
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    _event(
        member,
        EventKind.DISCIPLINE,
        day,
        actor,
        from_unit=member.unit,
        reason=level,
        decision_ref=decision_ref,
        note=note,
    )
    if level == Discipline.EXPULSION:
        members_exit(
            actor=actor,
            unit=member.unit,
            day=day,
            reason=ExitReason.EXPELLED,
            member_ids=[member.pk],
            note=decision_ref,
        )
    return Member.objects.get(pk=member.pk)


@transaction.atomic
def member_party_referral(*, actor: Any, member: Member, day: dt.date, note: str = "") -> Member:
    """Referral of an outstanding member to the Party (giới thiệu đoàn viên ưu tú)."""
    member = _member_for_change(actor, member, day)
    if not member.is_current:  # former members are not referred or admitted
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    if member.party_member:
        raise RuleViolation(_("%(member)s is already a Party member.") % {"member": member})
    member.party_referred_on = day
    stamp(member, actor, "member_party_referral")
    member.save(update_fields=["party_referred_on"])
    _event(member, EventKind.PARTY_REFERRAL, day, actor, from_unit=member.unit, note=note)
    summaries.record_party(EventKind.PARTY_REFERRAL, member.unit_id, day)
    return member


@transaction.atomic
def member_party_admission(*, actor: Any, member: Member, day: dt.date, note: str = "") -> Member:
    """The member was admitted to the Party (kết nạp Đảng)."""
    member = _member_for_change(actor, member, day)
    if not member.is_current:  # former members are not referred or admitted
        raise RuleViolation(_("%(member)s is no longer a member.") % {"member": member})
    if member.party_member:
        raise RuleViolation(_("%(member)s is already a Party member.") % {"member": member})
    member.party_member = True
    member.party_joined_on = day
    stamp(member, actor, "member_party_admission")
    member.save(update_fields=["party_member", "party_joined_on"])
    _event(member, EventKind.PARTY_ADMISSION, day, actor, from_unit=member.unit, note=note)
    summaries.record_party(EventKind.PARTY_ADMISSION, member.unit_id, day)
    return member


# ---------------------------------------------------------------------------------------------
# Duplicate review


@transaction.atomic
def duplicate_resolve(*, actor: Any, flag: DuplicateFlag, status: str) -> DuplicateFlag:
    """Close a likely-duplicate pair: "distinct" (different people) or "resolved" (handled, e.g.
    one record was corrected, exited or transferred). Either member's unit may decide."""
    flag = (
        DuplicateFlag.objects.select_for_update()
        .select_related("member__unit", "other__unit")
        .get(pk=flag.pk)
    )
    if status not in (DuplicateStatus.DISTINCT, DuplicateStatus.RESOLVED):
        raise RuleViolation(_("Unknown decision."), field="status")
    if actor is not None and not (
        path_in_scope(actor, Action.MEMBERS_CHANGE, flag.member.unit.path)
        or path_in_scope(actor, Action.MEMBERS_CHANGE, flag.other.unit.path)
    ):
        raise refusal(actor, flag.member.unit)
    if flag.status != DuplicateStatus.OPEN:
        raise RuleViolation(_("This pair has already been reviewed."))
    flag.status = status
    flag.reviewed_by = _who(actor)
    flag.reviewed_at = timezone.now()
    flag.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return flag


__all__ = [
    "DuplicateCitizenId",
    "IntegrityError",
    "check_citizen_id",
    "duplicate_resolve",
    "flag_duplicates",
    "member_admit",
    "member_by_citizen_id",
    "member_discipline",
    "member_exit",
    "member_party_admission",
    "member_party_referral",
    "member_readmit",
    "member_resume",
    "member_suspend",
    "member_update",
    "members_admit_many",
    "members_exit",
    "members_import_write",
    "members_transfer",
    "transfer_cancel",
    "transfer_confirm",
    "transfer_reject",
    "transfer_request",
    "transfer_request_by_citizen_id",
]
