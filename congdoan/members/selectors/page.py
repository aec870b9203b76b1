"""The member page, built from sections. The first ones (profile, timeline, …) are fixed; below
them come the sections of `MEMBER_SECTIONS`, which later apps extend with
`register_member_section` (awards, care received):

    register_member_section(MemberSection(
        key="awards", title=gettext_lazy("Awards"),
        template="awards/partials/member_awards.html",
        context=lambda user, member: {"awards": awards_of(user, member)},
    ))

A section whose context has no rows says so in its own words (the default templates do). The
member itself comes to these functions already checked by the caller (`member_records` is the
base queryset of the pages' door).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.core.audit import REASON_LABELS
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope
from congdoan.members import personal
from congdoan.members.models import (
    Discipline,
    EventKind,
    ExitReason,
    Member,
    MemberEvent,
    Membership,
    TransferRequest,
    TransferStatus,
)
from congdoan.members.selectors.duplicates import DuplicateRow, duplicates_of

_MEMBER_REASONS = {
    "member_import": pgettext_lazy("change reason", "Import members"),
    "member_update": pgettext_lazy("change reason", "Correct the member record"),
    "member_suspend": pgettext_lazy("change reason", "Suspend membership"),
    "member_resume": pgettext_lazy("change reason", "Resume membership"),
    "member_readmit": pgettext_lazy("change reason", "Re-admit a member"),
    "member_party_referral": pgettext_lazy("change reason", "Referral to the Party"),
    "member_party_admission": pgettext_lazy("change reason", "Admission to the Party"),
    "member_purge": pgettext_lazy("change reason", "Erase personal data after retention"),
    "transfer_request": pgettext_lazy("change reason", "Request a transfer"),
    "transfer_confirm": pgettext_lazy("change reason", "Confirm a transfer"),
    "transfer_reject": pgettext_lazy("change reason", "Refuse a transfer"),
    "transfer_cancel": pgettext_lazy("change reason", "Withdraw a transfer request"),
}
for _reason, _label in _MEMBER_REASONS.items():
    REASON_LABELS.setdefault(_reason, _label)


def member_records() -> QuerySet[Member]:
    """Members with what their page and forms show of the unit (type, level) and catalogues;
    the page's door (`ScopedMixin.get_object`) keeps the one of the URL, within scope."""
    return Member.objects.select_related("unit__unit_type__level", "ethnicity", "religion")


def member_with_catalogues(pk: int) -> Member:
    """Member `pk` (just written by the caller) with its unit, ethnicity and religion."""
    return Member.objects.select_related("unit", "ethnicity", "religion").get(pk=pk)


def member_state(member: Member | int) -> int | None:
    """What an edit form or API call carries as the record it was opened on (`loaded`, the
    ETag): the id of the member's latest history row (core/concurrency.py)."""
    pk = member if isinstance(member, int) else member.pk
    return (
        Member.history.filter(id=pk)
        .order_by("-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


def member_events(member: Member) -> QuerySet[MemberEvent]:
    """A member's timeline, oldest first (`personal.visible_events` hides Party events)."""
    return (
        MemberEvent.objects.filter(member=member)
        .select_related("from_unit", "to_unit")
        .order_by("date", "id")
    )


def has_duplicate_flags(member: Member) -> bool:
    """Whether a record with the same name and date of birth was flagged with `member`."""
    return member.duplicate_flags.exists()


def pending_transfer(member: Member) -> TransferRequest | None:
    """The transfer of `member` that waits for a decision, if any."""
    return TransferRequest.objects.pending().filter(member=member).select_related("to_unit").first()


@dataclass(frozen=True)
class MemberSection:
    """A section of the member page that another app contributes."""

    key: str
    title: str | Promise
    template: str
    context: Callable[[Any, Member], dict[str, Any]]


MEMBER_SECTIONS: list[MemberSection] = []


def register_member_section(section: MemberSection) -> None:
    """Add a section to the member page, or replace the one with the same key."""
    for i, existing in enumerate(MEMBER_SECTIONS):
        if existing.key == section.key:
            MEMBER_SECTIONS[i] = section
            return
    MEMBER_SECTIONS.append(section)


# Awards and care received are recorded by later registers; until they register their own
# sections these say that nothing is recorded yet.
register_member_section(
    MemberSection(
        key="awards",
        title=_("Awards"),
        template="members/registry/sections/awards.html",
        context=lambda user, member: {"rows": []},
    )
)


register_member_section(
    MemberSection(
        key="care",
        title=_("Care and support received"),
        template="members/registry/sections/care.html",
        context=lambda user, member: {"rows": []},
    )
)


@dataclass
class RenderedSection:
    key: str
    title: str | Promise
    template: str
    context: dict[str, Any]


@dataclass
class MemberPage:
    member: Member
    profile: personal.MemberProfile
    crumbs: list[Any]
    events: list[MemberEvent]
    spells: list[Membership]
    seats: list[Any]
    transfers: list[TransferRequest]
    duplicates: list[DuplicateRow]
    audit: list[Any]
    sections: list[RenderedSection]
    can: dict[str, bool] = field(default_factory=dict)

    @property
    def pending_transfer(self) -> TransferRequest | None:
        return next((t for t in self.transfers if t.status == TransferStatus.PENDING), None)


def member_rights(user: Any, member: Member) -> dict[str, bool]:
    path = member.unit.path
    change = path_in_scope(user, Action.MEMBERS_CHANGE, path)
    current = member.is_current
    return {
        "change": change,
        "lifecycle": change and current,
        "readmit": change and not current,
        "personal": path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, path),
        "party": change and current and path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, path),
        "audit": path_in_scope(user, Action.AUDIT_VIEW, path),
    }


def member_page(user: Any, member: Member, *, revealed: bool = False) -> MemberPage:
    """Everything the member page shows, within the user's rights."""
    from congdoan.organisation.selectors import crumbs_for

    prof = personal.MemberProfile(member, revealed=True) if revealed else personal.profile(member)
    can = member_rights(user, member)
    return MemberPage(
        member=member,
        profile=prof,
        crumbs=crumbs_for(user, [member.unit])[member.unit.pk],
        events=_timeline(member, revealed=revealed),
        spells=list(
            Membership.objects.filter(member=member).select_related("unit").order_by("start", "id")
        ),
        seats=list(
            member.seats.select_related("term__unit", "position").order_by("-start_date", "id")
        ),
        transfers=list(
            TransferRequest.objects.filter(member=member)
            .select_related("from_unit", "to_unit", "requested_by", "decided_by")
            .order_by("-requested_at")
        ),
        duplicates=duplicates_of(user, member),
        audit=_member_audit(member, revealed=revealed) if can["audit"] else [],
        sections=[
            RenderedSection(s.key, s.title, s.template, s.context(user, member))
            for s in MEMBER_SECTIONS
        ],
        can=can,
    )


def _timeline(member: Member, *, revealed: bool) -> list[MemberEvent]:
    """The member's events as the page shows them, each with its reason in words."""
    events = personal.visible_events(
        MemberEvent.objects.filter(member=member)
        .select_related("from_unit", "to_unit", "actor")
        .order_by("date", "id"),
        revealed=revealed,
    )
    for e in events:
        e.reason_label = event_reason_label(e)  # type: ignore[attr-defined]
    return events


def _member_audit(member: Member, *, revealed: bool) -> list[Any]:
    """Changes of the record and of its transfers, personal data masked unless revealed."""
    from congdoan.core.audit import audit_trail

    return personal.mask_audit(
        audit_trail(
            member.history.all(),
            TransferRequest.history.filter(member_id=member.pk),
            formatters=personal.audit_formatters(revealed=revealed),
        ),
        revealed=revealed,
    )


def event_reason_label(event: MemberEvent) -> str:
    """The reason of an exit or the level of a discipline, in words."""
    if not event.reason:
        return ""
    if event.kind == EventKind.DISCIPLINE:
        return str(dict(Discipline.choices).get(event.reason, event.reason))
    return str(dict(ExitReason.choices).get(event.reason, event.reason))
