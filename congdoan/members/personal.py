"""Personal data of members: the one place that decides what a user may see, and that logs it.

Rules (Personal Data Protection Law 91/2025/QH15; domain.md §2):

- The full citizen ID (CCCD/CMND), ethnicity, religion and Party data (`Member.SENSITIVE_FIELDS`)
  are shown only to users holding "members.view_personal" on the member's unit (the roles that
  hold it require a second factor, enforced by the accounts middleware), and only after they
  state a purpose. Everyone else sees `member.masked_citizen_id` and no sensitive field: not in
  lists, pages, fragments, audit trails, errors or logs.
- Every view or export of full personal data writes one `PersonalDataAccess` row: who, when,
  which members, why and where (`log_access`).
- A member may ask for everything held about them (`subject_export_data`, JSON or PDF).
- Former members' personal data is erased after `settings.MEMBER_RETENTION_YEARS` years
  (`purge_former_members`, run by `congdoan purge_former_members`).

`MemberProfile` is what templates and exports read: built `masked` by default, `revealed` only
through `reveal()` (which checks the permission and writes the log row first).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_q
from congdoan.core.text import nfc
from congdoan.members import words
from congdoan.members.models import (
    AccessKind,
    DuplicateFlag,
    EventKind,
    Member,
    MemberEvent,
    Membership,
    MemberStatus,
    PersonalDataAccess,
    TransferRequest,
)

if TYPE_CHECKING:
    from congdoan.core.audit import AuditEntry

log = logging.getLogger("congdoan.members.personal")

PARTY_EVENTS = (EventKind.PARTY_REFERRAL, EventKind.PARTY_ADMISSION)
PARTY_REASONS = ("member_party_referral", "member_party_admission")
HIDDEN = "•••"


class Purpose(models.TextChoices):
    """Common reasons to read a member's full personal data (the form adds free text)."""

    MEMBER_REQUEST = "member_request", gettext_lazy("At the member's own request")
    VERIFY_IDENTITY = "verify_identity", gettext_lazy("Verify identity (admission, transfer)")
    DUPLICATE = "duplicate", gettext_lazy("Check a possible duplicate record")
    CARE = "care", gettext_lazy("Care and support for the member")
    PARTY = "party", gettext_lazy("Party development (referral, admission)")
    INSPECTION = "inspection", gettext_lazy("Inspection, complaint or discipline")
    OTHER = "other", gettext_lazy("Other (describe below)")


def purpose_text(code: str, detail: str = "") -> str:
    """The purpose as stored in the log: the chosen reason, then the officer's words."""
    label = str(Purpose(code).label) if code in Purpose.values else ""
    detail = nfc(detail)
    if code == Purpose.OTHER or not label:
        return detail[:300]
    return (f"{label}: {detail}" if detail else label)[:300]


# ---------------------------------------------------------------------------------------------
# Who may see what


def can_view_personal(user: Any, member: Member) -> bool:
    """Whether `user` may read `member`'s full personal data (after stating a purpose)."""
    return path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, member.unit.path)


def personal_q(user: Any, field: str = "unit__path") -> models.Q | None:
    """Limits a member queryset to where the user may read personal data; None = everywhere."""
    return scope_q(user, Action.MEMBERS_VIEW_PERSONAL, field)


def can_view_personal_of_all(user: Any, members: models.QuerySet[Member]) -> bool:
    """Whether `user` may read the personal data of every member of `members` (an export)."""
    q = personal_q(user)
    return q is None or not members.exclude(q).exists()


@dataclass(frozen=True)
class MemberProfile:
    """A member as a user may see them. `revealed` is True only after `reveal()` logged it."""

    member: Member
    revealed: bool = False

    @property
    def citizen_id(self) -> str:
        value = self.member.citizen_id or ""
        return value if self.revealed else self.member.masked_citizen_id

    @property
    def citizen_id_kind(self) -> str:
        value = self.member.citizen_id or ""
        if not value:
            return ""
        return _("Old ID card (CMND)") if len(value) == 9 else _("Citizen ID (CCCD)")

    def _sensitive(self, value: Any) -> Any:
        return value if self.revealed else None

    @property
    def ethnicity(self) -> Any:
        return self._sensitive(self.member.ethnicity)

    @property
    def religion(self) -> Any:
        return self._sensitive(self.member.religion)

    @property
    def party_member(self) -> bool | None:
        return self._sensitive(self.member.party_member)

    @property
    def party_joined_on(self) -> dt.date | None:
        return self._sensitive(self.member.party_joined_on)

    @property
    def party_referred_on(self) -> dt.date | None:
        return self._sensitive(self.member.party_referred_on)


def profile(member: Member) -> MemberProfile:
    """The masked profile every user with "members.view" gets."""
    return MemberProfile(member, revealed=False)


def reveal(*, user: Any, member: Member, purpose: str, where: str) -> MemberProfile:
    """The full profile for this request, after checking the permission and logging the read."""
    if not can_view_personal(user, member):
        raise PermissionDenied
    log_access(user=user, kind=AccessKind.VIEW, purpose=purpose, members=[member], where=where)
    return MemberProfile(member, revealed=True)


def record_label(record: models.Model) -> str:
    """How the access log names a record that is not a member: "care.carerecord:12"."""
    return f"{record._meta.label_lower}:{record.pk}"


@transaction.atomic
def log_access(
    *,
    user: Any,
    kind: str,
    purpose: str,
    members: Iterable[Member | int],
    where: str = "",
    records: Iterable[models.Model] = (),
) -> PersonalDataAccess:
    """Record one read (view, export or data-subject export) of full personal data.

    `members` may be member objects or ids (exports pass ids, in any number: the links are
    written in batches). `records` are records of other registers whose personal data of
    people who are not members was read (a care record's beneficiary); the row names them.
    """
    purpose = nfc(purpose)
    if not purpose:
        raise RuleViolation(_("State the purpose of viewing personal data."), field="purpose")
    if kind not in AccessKind.values:
        raise ValueError(f"unknown access kind {kind!r}")
    ids = sorted({m if isinstance(m, int) else m.pk for m in members})
    access = PersonalDataAccess.objects.create(
        user=user,
        kind=kind,
        purpose=purpose[:300],
        member_count=len(ids),
        records=sorted({record_label(r) for r in records}),
        where=(where or "")[:300],
    )
    through = PersonalDataAccess.members.through
    through.objects.bulk_create(
        [through(personaldataaccess_id=access.pk, member_id=i) for i in ids], batch_size=5000
    )
    # The log line names record ids only, never personal data.
    log.info(
        "personal data %s by user %s: %s member(s), first ids %s, where %s",
        kind,
        getattr(user, "pk", None),
        len(ids),
        ids[:10],
        where,
    )
    return access


# ---------------------------------------------------------------------------------------------
# Timelines and audit trails without sensitive data


def visible_events(events: Iterable[MemberEvent], *, revealed: bool) -> list[MemberEvent]:
    """Party referral and admission are Party data: only in a revealed view."""
    return [e for e in events if revealed or e.kind not in PARTY_EVENTS]


def sensitive_labels() -> set[str]:
    """Field names as the audit trail shows them (capitalised verbose names)."""
    return {_label(name) for name in Member.SENSITIVE_FIELDS}


def _label(name: str) -> str:
    f = Member._meta.get_field(name)
    return str(capfirst(str(getattr(f, "verbose_name", name))))


def audit_formatters(*, revealed: bool) -> dict[str, Any]:
    """Value formatters for `core.audit.audit_trail` over member history rows."""
    if revealed:
        return {}
    from congdoan.members.cccd import mask

    hidden = {name: (lambda _value: HIDDEN) for name in Member.SENSITIVE_FIELDS}
    return {**hidden, "citizen_id": lambda value: mask(str(value))}


def mask_audit(entries: list[AuditEntry], *, revealed: bool) -> list[AuditEntry]:
    """Drop sensitive changes (and entries that were only about them, such as a Party
    admission) from an audit trail shown to someone who did not reveal the record."""
    if revealed:
        return entries
    # The citizen ID stays (its formatter masks it); the other sensitive fields go.
    labels = sensitive_labels() - {_label("citizen_id")}
    out: list[AuditEntry] = []
    for entry in entries:
        if entry.reason in PARTY_REASONS:
            continue
        kept = [c for c in entry.changes if c.field not in labels]
        if entry.changes and not kept:
            continue
        entry.changes = kept
        out.append(entry)
    return out


# ---------------------------------------------------------------------------------------------
# Data-subject export: everything held about one member


def _json(value: Any) -> Any:
    """A value of the export as JSON has it: dates in ISO 8601 (local time), amounts as text."""
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def _shown(value: Any) -> str:
    """A value of the export as the PDF shows it: Vietnamese dates and numbers."""
    from congdoan.core import formats

    if value is None or value == "":
        return "—"
    if value is True or value is False:
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{short_date(local.date())} {local:%H:%M}"
    if isinstance(value, dt.date):
        return short_date(value)
    if hasattr(value, "as_tuple"):  # Decimal
        return formats.number(value)
    if isinstance(value, dict) and "code" in value:  # ethnicity
        return f"{value['name']} ({value['code']})"
    return str(value)


def _unit(unit: Any) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"code": unit.code, "name": unit.name}


RECORD_FIELDS = (
    "family_name", "middle_name", "given_name", "full_name", "sex", "date_of_birth",
    "citizen_id", "phone", "email", "hometown", "address", "province_code", "ward_code",
    "general_education", "professional_level", "political_theory", "job_title", "workplace",
    "card_number", "card_issued_on", "status", "admitted_on", "suspended_on", "exited_on",
    "exit_reason", "party_member", "party_joined_on", "party_referred_on", "salary_base",
    "hardship", "disability", "note", "created_at", "updated_at",
)  # fmt: skip


@dataclass
class SubjectExport:
    """Everything held about one member, as plain data with its dates as dates (`as_dict` for
    JSON, `record_rows` and the template's filters for the PDF)."""

    generated_at: dt.datetime
    generated_by: str
    purpose: str
    record: dict[str, Any]
    labels: dict[str, str]
    unit: dict[str, Any] | None
    spells: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    committee_seats: list[dict[str, Any]] = field(default_factory=list)
    transfers: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    personal_data_reads: list[dict[str, Any]] = field(default_factory=list)

    def record_rows(self) -> list[tuple[str, str]]:
        """(label, value as shown) of every field of the record, for the PDF."""
        return [(self.labels.get(name, name), _shown(v)) for name, v in self.record.items()]

    def as_dict(self) -> dict[str, Any]:
        return _json(
            {
                "generated_at": self.generated_at,
                "generated_by": self.generated_by,
                "purpose": self.purpose,
                "record": self.record,
                "unit": self.unit,
                "spells": self.spells,
                "events": self.events,
                "committee_seats": self.committee_seats,
                "transfers": self.transfers,
                "changes": self.changes,
                "personal_data_reads": self.personal_data_reads,
            }
        )


def subject_export_data(*, user: Any, member: Member, purpose: str, where: str) -> SubjectExport:
    """Everything held about `member` (for a user with the personal-data permission on their
    unit); logged as a data-subject export. Reads made by this export are listed too."""
    from congdoan.core.audit import audit_trail

    if not can_view_personal(user, member):
        raise PermissionDenied
    log_access(
        user=user, kind=AccessKind.SUBJECT_EXPORT, purpose=purpose, members=[member], where=where
    )
    member = Member.objects.select_related("unit", "ethnicity", "religion").get(pk=member.pk)
    record: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for name in RECORD_FIELDS:
        value = getattr(member, name)
        display = getattr(member, f"get_{name}_display", None)
        record[name] = display() if display and value else value
        labels[name] = _label(name)
    record["ethnicity"] = (
        {"code": member.ethnicity.code, "name": member.ethnicity.name} if member.ethnicity else None
    )
    record["religion"] = member.religion.name if member.religion else None
    labels["ethnicity"] = _label("ethnicity")
    labels["religion"] = _label("religion")

    spells = [
        {"unit": _unit(s.unit), "start": s.start, "end": s.end}
        for s in Membership.objects.filter(member=member).select_related("unit").order_by("start")
    ]
    events = [
        {
            "date": e.date,
            "kind": str(e.get_kind_display()),
            "from_unit": _unit(e.from_unit),
            "to_unit": _unit(e.to_unit),
            "reason": e.reason,
            "decision_ref": e.decision_ref,
            "note": e.note,
            "recorded_at": e.recorded_at,
        }
        for e in MemberEvent.objects.filter(member=member)
        .select_related("from_unit", "to_unit")
        .order_by("date", "id")
    ]
    seats = [
        {
            "unit": _unit(s.term.unit),
            "term": s.term.label,
            "committee": str(s.get_committee_display()),
            "position": s.position.name,
            "from": s.start_date,
            "until": s.end_date,
        }
        for s in member.seats.select_related("term__unit", "position").order_by("start_date")
    ]
    transfers = [
        {
            "from_unit": _unit(t.from_unit),
            "to_unit": _unit(t.to_unit),
            "date": t.day,
            "status": str(t.get_status_display()),
            "note": t.note,
            "decision_note": t.decision_note,
            "requested_at": t.requested_at,
            "decided_at": t.decided_at,
        }
        for t in TransferRequest.objects.filter(member=member)
        .select_related("from_unit", "to_unit")
        .order_by("requested_at")
    ]
    changes = [
        {
            "when": e.when,
            "who": e.who,
            "reason": e.reason_label,
            "kind": e.kind,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in e.changes],
        }
        for e in audit_trail(member.history.all(), limit=10_000)
    ]
    reads = [
        {
            "at": a.at,
            "user": str(a.user),
            "kind": str(a.get_kind_display()),
            "purpose": a.purpose,
            "where": a.where,
        }
        for a in PersonalDataAccess.objects.filter(members=member)
        .select_related("user")
        .order_by("at")
    ]
    return SubjectExport(
        generated_at=timezone.now(),
        generated_by=str(user),
        purpose=nfc(purpose),
        record=record,
        labels=labels,
        unit=_unit(member.unit),
        spells=spells,
        events=events,
        committee_seats=seats,
        transfers=transfers,
        changes=changes,
        personal_data_reads=reads,
    )


# ---------------------------------------------------------------------------------------------
# Retention: former members' personal data is erased after a configurable number of years

ERASED_NAME = "Đã xóa theo quy định"

# Fields cleared on the member and on every history row of the member. Kept: unit, sex, status,
# dates of admission / suspension / exit and the exit reason, so that every count as of a past
# date stays the same; the year of birth (as 01/01 of that year), so that age statistics of past
# years stay right while the day and month, which identify a person, are erased.
ERASED_VALUES: dict[str, Any] = {
    "family_name": "",
    "middle_name": "",
    "given_name": ERASED_NAME,
    "full_name": ERASED_NAME,
    "citizen_id": None,
    "ethnicity": None,
    "religion": None,
    "phone": "",
    "email": "",
    "hometown": "",
    "address": "",
    "province_code": None,
    "ward_code": None,
    "general_education": "",
    "professional_level": "",
    "political_theory": "",
    "job_title": "",
    "workplace": "",
    "card_number": None,
    "card_issued_on": None,
    "party_member": False,
    "party_joined_on": None,
    "party_referred_on": None,
    "salary_base": None,
    "hardship": False,
    "disability": False,
    "note": "",
    "import_batch": None,
}


@dataclass
class PurgeReport:
    cutoff: dt.date
    dry_run: bool
    member_ids: list[int]
    by_unit: list[tuple[str, str, int]]  # (code, name, members)
    history_rows: int = 0
    events: int = 0
    transfers: int = 0
    duplicate_flags: int = 0

    @property
    def count(self) -> int:
        return len(self.member_ids)


def retention_cutoff(years: int, today: dt.date | None = None) -> dt.date:
    """Members who left before this day are purged (same day and month, `years` earlier)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def purgeable(cutoff: dt.date) -> models.QuerySet[Member]:
    """Former members who left before `cutoff` and have not been erased yet."""
    return Member.objects.filter(status=MemberStatus.EXITED, exited_on__lt=cutoff).exclude(
        given_name=ERASED_NAME, family_name=""
    )


@transaction.atomic
def purge_former_members(
    *, years: int | None = None, dry_run: bool = False, today: dt.date | None = None
) -> PurgeReport:
    """Erase the personal data of members who left more than `years` (default
    settings.MEMBER_RETENTION_YEARS) years ago: on the record and on all its history rows.
    Spells, events (dates, units, reasons) and sex are kept, so past counts do not change."""
    from django.db.models import Count
    from simple_history.utils import bulk_update_with_history

    years = settings.MEMBER_RETENTION_YEARS if years is None else years
    if years < 1:
        raise RuleViolation(_("The retention period must be at least one year."), field="years")
    cutoff = retention_cutoff(years, today)
    qs = purgeable(cutoff)
    by_unit = [
        (row["unit__code"], row["unit__name"], row["n"])
        for row in qs.values("unit__code", "unit__name")
        .annotate(n=Count("id"))
        .order_by("unit__code")
    ]
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    report = PurgeReport(cutoff=cutoff, dry_run=dry_run, member_ids=ids, by_unit=by_unit)
    History = Member.history.model
    report.history_rows = History.objects.filter(id__in=ids).count()
    report.events = MemberEvent.objects.filter(member_id__in=ids).exclude(note="").count()
    report.transfers = TransferRequest.objects.filter(member_id__in=ids).count()
    report.duplicate_flags = DuplicateFlag.objects.filter(
        models.Q(member_id__in=ids) | models.Q(other_id__in=ids)
    ).count()
    if dry_run or not ids:
        return report

    fk_values = {
        (f"{name}_id" if name in ("ethnicity", "religion", "import_batch") else name): value
        for name, value in ERASED_VALUES.items()
    }
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        members = list(Member.objects.filter(pk__in=chunk))
        for m in members:
            for name, value in fk_values.items():
                setattr(m, name, value)
            if m.date_of_birth is not None:
                m.date_of_birth = dt.date(m.date_of_birth.year, 1, 1)
            m.refresh_derived()
        # One history row per member records the purge ("member_purge", by the system).
        bulk_update_with_history(
            members,
            Member,
            [*fk_values, "date_of_birth", *Member.DERIVED_FIELDS],
            batch_size=1000,
            default_change_reason="member_purge",
        )
        words.sync(members)
        # Earlier history rows held the same personal data: erase it there too.
        History.objects.filter(id__in=chunk).update(**fk_values)
        by_birth: dict[dt.date | None, list[int]] = {}
        for m in members:
            by_birth.setdefault(m.date_of_birth, []).append(m.pk)
        for birth, member_ids in by_birth.items():  # at most one update per birth year
            History.objects.filter(id__in=member_ids).update(date_of_birth=birth)
        MemberEvent.objects.filter(member_id__in=chunk).update(note="")
        TransferRequest.objects.filter(member_id__in=chunk).update(note="", decision_note="")
        TransferRequest.history.model.objects.filter(member_id__in=chunk).update(
            note="", decision_note=""
        )
        DuplicateFlag.objects.filter(
            models.Q(member_id__in=chunk) | models.Q(other_id__in=chunk)
        ).delete()
    log.info(
        "purged the personal data of %s former members who left before %s",
        len(ids),
        short_date(cutoff),
    )
    return report
