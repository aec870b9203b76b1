"""Reads behind the member pages: the list, the member page, transfers, duplicates, the access log.

Every read is limited to the user's scope (`visible_to`); what a user may see of a member's
personal data is decided in `personal.py`.

The member page is built from sections. The first ones (profile, timeline, …) are fixed; below
them come the sections of `MEMBER_SECTIONS`, which later apps extend with
`register_member_section` (awards, care received):

    register_member_section(MemberSection(
        key="awards", title=gettext_lazy("Awards"),
        template="awards/partials/member_awards.html",
        context=lambda user, member: {"awards": awards_of(user, member)},
    ))

A section whose context has no rows says so in its own words (the default templates do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congdoan.core.audit import REASON_LABELS
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_q
from congdoan.members import personal, search
from congdoan.members.models import (
    Discipline,
    DuplicateFlag,
    DuplicateStatus,
    EventKind,
    ExitReason,
    Member,
    MemberEvent,
    Membership,
    PersonalDataAccess,
    TransferRequest,
    TransferStatus,
)

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

# Columns the list needs (the table reads nothing else).
LIST_FIELDS = (
    "id", "family_name", "middle_name", "given_name", "full_name", "sex", "date_of_birth",
    "citizen_id", "card_number", "status", "admitted_on", "exited_on", "phone", "unit_id",
    "given_sort", "family_sort", "middle_sort",
    "unit__id", "unit__name", "unit__short_name", "unit__code", "unit__path",
)  # fmt: skip


def member_list(user: Any) -> QuerySet[Member]:
    """The members a user may see, ready for the list (filters come from `MemberFilterSet`)."""
    return (
        Member.objects.in_vietnamese_order()
        .select_related("unit")
        .only(*LIST_FIELDS)
        .visible_to(user, Action.MEMBERS_VIEW)
    )


def covers_country(user: Any) -> bool:
    """Whether the user's list is the whole country's (a grant at the root)."""
    from congdoan.core.scoping import scope_prefixes
    from congdoan.organisation.models import Unit

    prefixes = scope_prefixes(user, Action.MEMBERS_VIEW)
    return prefixes is None or any(len(p) <= Unit.steplen for p in prefixes)


def member_page_rows(
    found: QuerySet[Member], text: str, page: int, per_page: int, *, wide: bool = True
) -> QuerySet[Member]:
    """`found` (the list filtered by `MemberFilterSet`, in the official order) narrowed to what
    pages 1…`page` need (one row more, so the paginator sees whether a page follows), when the
    user searched a name: see `search.first_matches`. `wide`: the list is the whole country's
    (most members the walk reads are in it)."""
    if not search.is_name_search(text):
        return found
    ids = search.first_matches(found, text, page * per_page + 1, wide=wide)
    if ids is search.NoWalk.SPARSE:
        return search.unindexed_order(found)
    if isinstance(ids, search.NoWalk):
        return found
    return found.filter(pk__in=ids)


# ---------------------------------------------------------------------------------------------
# The member page


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
class DuplicateRow:
    flag: DuplicateFlag
    mine: Member  # the record in the user's scope
    other: Member
    other_visible: bool


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
    from congdoan.core.audit import audit_trail
    from congdoan.organisation.selectors_pages import crumbs_for

    prof = personal.MemberProfile(member, revealed=True) if revealed else personal.profile(member)
    can = member_rights(user, member)
    events = personal.visible_events(
        MemberEvent.objects.filter(member=member)
        .select_related("from_unit", "to_unit", "actor")
        .order_by("date", "id"),
        revealed=revealed,
    )
    for e in events:
        e.reason_label = event_reason_label(e)  # type: ignore[attr-defined]
    spells = list(
        Membership.objects.filter(member=member).select_related("unit").order_by("start", "id")
    )
    seats = list(
        member.seats.select_related("term__unit", "position").order_by("-start_date", "id")
    )
    transfers = list(
        TransferRequest.objects.filter(member=member)
        .select_related("from_unit", "to_unit", "requested_by", "decided_by")
        .order_by("-requested_at")
    )
    duplicates = duplicates_of(user, member)
    audit: list[Any] = []
    if can["audit"]:
        audit = personal.mask_audit(
            audit_trail(
                member.history.all(),
                TransferRequest.history.filter(member_id=member.pk),
                formatters=personal.audit_formatters(revealed=revealed),
            ),
            revealed=revealed,
        )
    sections = [
        RenderedSection(s.key, s.title, s.template, s.context(user, member))
        for s in MEMBER_SECTIONS
    ]
    return MemberPage(
        member=member,
        profile=prof,
        crumbs=crumbs_for(user, [member.unit])[member.unit.pk],
        events=events,
        spells=spells,
        seats=seats,
        transfers=transfers,
        duplicates=duplicates,
        audit=audit,
        sections=sections,
        can=can,
    )


def event_reason_label(event: MemberEvent) -> str:
    """The reason of an exit or the level of a discipline, in words."""
    if not event.reason:
        return ""
    if event.kind == EventKind.DISCIPLINE:
        return str(dict(Discipline.choices).get(event.reason, event.reason))
    return str(dict(ExitReason.choices).get(event.reason, event.reason))


def duplicates_of(user: Any, member: Member) -> list[DuplicateRow]:
    """Open likely-duplicate pairs of `member`; the other record is named only when the user
    may see it (otherwise only its unit, which is not secret)."""
    flags = DuplicateFlag.objects.filter(
        Q(member=member) | Q(other=member), status=DuplicateStatus.OPEN
    ).select_related("member__unit", "other__unit")
    rows = []
    for flag in flags:
        other = flag.other if flag.member_id == member.pk else flag.member
        rows.append(
            DuplicateRow(
                flag, member, other, path_in_scope(user, Action.MEMBERS_VIEW, other.unit.path)
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Transfers: both the sending and the receiving unit see them


def requester_side(t: TransferRequest) -> str:
    """ "from" when the sending unit asked (the receiving unit confirms), else "to"."""
    requester = t.requested_by
    if requester is not None and path_in_scope(requester, Action.MEMBERS_CHANGE, t.from_unit.path):
        return "from"
    return "to"


@dataclass
class TransferRow:
    transfer: TransferRequest
    direction: str  # "in" (to one of my units), "out", or "within" (both sides are mine)
    can_confirm: bool
    can_cancel: bool
    member_visible: bool
    # False when the receiving side asked for a member of a unit outside its scope (from the
    # admission form, by identity number): it learns neither that unit nor the record's name.
    origin_visible: bool = True


@dataclass
class TransferLists:
    to_confirm: list[TransferRow]
    requested: list[TransferRow]
    history: list[TransferRow]


def transfer_lists(user: Any, *, history_limit: int = 200) -> TransferLists:
    """Pending transfers to confirm, pending ones my units asked for, and the latest decided."""
    base = TransferRequest.objects.visible_to(user, Action.MEMBERS_VIEW).select_related(
        "member__unit", "from_unit", "to_unit", "requested_by", "decided_by"
    )
    pending = list(base.filter(status=TransferStatus.PENDING).order_by("day", "pk"))
    decided = list(base.exclude(status=TransferStatus.PENDING).order_by("-decided_at", "-pk"))
    to_confirm: list[TransferRow] = []
    requested: list[TransferRow] = []
    for t in pending:
        row = _transfer_row(user, t)
        if row.can_confirm:
            to_confirm.append(row)
        else:
            requested.append(row)
    history = [_transfer_row(user, t) for t in decided[:history_limit]]
    return TransferLists(to_confirm=to_confirm, requested=requested, history=history)


def _transfer_row(user: Any, t: TransferRequest) -> TransferRow:
    on_from = path_in_scope(user, Action.MEMBERS_CHANGE, t.from_unit.path)
    on_to = path_in_scope(user, Action.MEMBERS_CHANGE, t.to_unit.path)
    if on_from and on_to:
        direction = "within"
    elif path_in_scope(user, Action.MEMBERS_VIEW, t.to_unit.path):
        direction = "in"
    else:
        direction = "out"
    pending = t.status == TransferStatus.PENDING
    confirmer_from = requester_side(t) == "to"
    can_confirm = pending and ((on_from and on_to) or (on_from if confirmer_from else on_to))
    can_cancel = pending and (on_to if confirmer_from else on_from)
    return TransferRow(
        transfer=t,
        direction=direction,
        can_confirm=can_confirm,
        can_cancel=can_cancel,
        member_visible=path_in_scope(user, Action.MEMBERS_VIEW, t.member.unit.path),
        origin_visible=origin_visible(user, t),
    )


def origin_visible(user: Any, t: TransferRequest) -> bool:
    """Whether `user` may know where the member of transfer `t` comes from: yes when they see
    that unit, or when the sending unit itself asked (it told the receiving unit); no when the
    receiving side asked for the holder of an identity number outside its scope."""
    return path_in_scope(user, Action.MEMBERS_VIEW, t.from_unit.path) or requester_side(t) == "from"


def pending_transfer_count(user: Any) -> int:
    return len(transfer_lists(user, history_limit=0).to_confirm)


# ---------------------------------------------------------------------------------------------
# Duplicates


def duplicate_flags(user: Any, *, status: str = DuplicateStatus.OPEN) -> list[DuplicateRow]:
    """Likely-duplicate pairs where at least one record lies in the user's scope."""
    q_member = scope_q(user, Action.MEMBERS_VIEW, "member__unit__path")
    q_other = scope_q(user, Action.MEMBERS_VIEW, "other__unit__path")
    qs = DuplicateFlag.objects.filter(status=status).select_related(
        "member__unit", "other__unit", "reviewed_by"
    )
    if q_member is not None and q_other is not None:
        qs = qs.filter(q_member | q_other)
    rows = []
    for flag in qs.order_by("-created_at", "-pk")[:500]:
        # The record in the user's scope comes first.
        if path_in_scope(user, Action.MEMBERS_VIEW, flag.member.unit.path):
            mine, other = flag.member, flag.other
        else:
            mine, other = flag.other, flag.member
        rows.append(
            DuplicateRow(
                flag=flag,
                mine=mine,
                other=other,
                other_visible=path_in_scope(user, Action.MEMBERS_VIEW, other.unit.path),
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# The personal-data access log


def access_log(user: Any) -> QuerySet[PersonalDataAccess]:
    """Reads of personal data that concern at least one member in the auditor's scope, and
    every access (look-ups by identity number that found nobody included) made by a user who
    holds a role in the auditor's scope."""
    qs = PersonalDataAccess.objects.select_related("user").order_by("-at", "-pk")
    q = scope_q(user, Action.AUDIT_VIEW, "members__unit__path")
    if q is None:
        return qs
    by_member = PersonalDataAccess.objects.filter(q).values("pk")
    by_user = PersonalDataAccess.objects.filter(user__grants__in=_grants_in_scope(user)).values(
        "pk"
    )
    return qs.filter(Q(pk__in=by_member) | Q(pk__in=by_user))


def _grants_in_scope(user: Any) -> Any:
    from congdoan.accounts.models import RoleGrant

    return RoleGrant.objects.visible_to(user, Action.AUDIT_VIEW).values("pk")


def access_members(user: Any, accesses: list[PersonalDataAccess], *, per_row: int = 5) -> None:
    """Attach to each log row the members in the auditor's scope (`shown`, at most `per_row`)
    and how many others the row concerns (`others`). One query for the page."""
    through = PersonalDataAccess.members.through
    ids = [a.pk for a in accesses]
    links = through.objects.filter(personaldataaccess_id__in=ids).select_related("member__unit")
    q = scope_q(user, Action.AUDIT_VIEW, "member__unit__path")
    if q is not None:
        links = links.filter(q)
    shown: dict[int, list[Member]] = {}
    for link in links.order_by("personaldataaccess_id", "member_id"):
        shown.setdefault(link.personaldataaccess_id, []).append(link.member)
    for a in accesses:
        mine = shown.get(a.pk, [])
        a.shown = mine[:per_row]  # type: ignore[attr-defined]
        a.in_scope = len(mine)  # type: ignore[attr-defined]
        a.others = max(a.member_count - len(mine), 0)  # type: ignore[attr-defined]


def age_band_dates(
    band: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """Birth dates (born after, born on or before) of an age band "<30", "30-39", "40-49", "50+"
    as of today: age ≥ a ⇔ born on or before today minus a years."""
    today = today or timezone.localdate()

    def years_ago(n: int) -> dt.date:
        try:
            return today.replace(year=today.year - n)
        except ValueError:
            return today.replace(year=today.year - n, day=28)

    bands: dict[str, tuple[int | None, int | None]] = {
        "lt30": (None, 30),
        "30_39": (30, 40),
        "40_49": (40, 50),
        "50plus": (50, None),
    }
    low, high = bands[band]
    # age >= low: born on or before years_ago(low); age < high: born after years_ago(high).
    born_after = years_ago(high) if high is not None else None
    born_on_or_before = years_ago(low) if low is not None else None
    return born_after, born_on_or_before
