"""Writes of the awards: decisions and their awards; nominations, the council's review and the
decision made from the approved nominations.

Every service needs "activities.manage" on the decision's recording unit (the issuer itself for
a decision of the union); `actor=None` is work of the system (data migrations, the demo). A
recipient the actor cannot see is "not found", in the same words as one that does not exist.
`award_add` runs the eligibility rules (`rules.check_award`): a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congdoan.activities.services import check_attachment
from congdoan.awards import rules
from congdoan.awards.models import (
    Award,
    AwardForm,
    Decision,
    Nomination,
    NominationStatus,
    OutsideKind,
    Regulation,
)
from congdoan.awards.selectors import regulation_in_force
from congdoan.core.exceptions import RuleViolation
from congdoan.core.formats import short_date
from congdoan.core.history import stamp
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, require
from congdoan.core.text import nfc
from congdoan.members.models import Member
from congdoan.organisation.models import Unit

MANAGE = Action.ACTIVITIES_MANAGE
DECISION_FIELDS = ("number", "signed_on", "signer", "note", "regulation", "issuer_name")
# What cannot change once a decision holds awards (the awards were checked against it).
CHECKED_FIELDS = frozenset({"signed_on", "regulation", "issuer_name"})


def _regulation_for(day: Any, regulation: Regulation | None) -> Regulation:
    if not isinstance(day, dt.date):
        raise RuleViolation(_("The date is missing or invalid."), field="signed_on")
    if regulation is not None:
        return regulation
    found = regulation_in_force(day)
    if found is None:
        raise RuleViolation(
            _("No award regulation is in force on %(date)s.") % {"date": short_date(day)},
            field="signed_on",
        )
    return found


def _check_decision(decision: Decision) -> None:
    if not decision.number:
        raise RuleViolation(_("The number of the decision is required."), field="number")
    if decision.issuer_unit_id is None and not decision.issuer_name:
        raise RuleViolation(
            _("Name the issuer of the decision: a unit of the union or an issuer outside it."),
            field="issuer_name",
        )
    if decision.issuer_unit_id is not None and decision.issuer_name:
        raise RuleViolation(
            _("A decision has one issuer: a unit of the union or an issuer outside it."),
            field="issuer_name",
        )
    clash = Decision.objects.filter(
        recorded_by_unit=decision.recorded_by_unit,
        number__iexact=decision.number,
        signed_on__year=decision.signed_on.year,
    ).exclude(pk=decision.pk)
    if clash.exists():
        raise RuleViolation(
            _("%(unit)s already recorded decision %(number)s in %(year)s.")
            % {
                "unit": decision.recorded_by_unit.name,
                "number": decision.number,
                "year": decision.signed_on.year,
            },
            field="number",
        )


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    number: str,
    signed_on: dt.date,
    issuer_unit: Unit | None = None,
    issuer_name: str = "",
    recorded_by_unit: Unit | None = None,
    signer: str = "",
    regulation: Regulation | None = None,
    note: str = "",
) -> Decision:
    """A decision of `issuer_unit`, recorded by it — or, for an award a unit received from a
    level above that does not record its decisions here, by that unit (`recorded_by_unit`, in
    the issuer's subtree) —, or of an issuer outside the union named `issuer_name`, recorded
    by `recorded_by_unit`. `regulation`: the one in force on `signed_on` unless given."""
    if issuer_unit is not None:
        issuer_unit = Unit.objects.select_related("unit_type__level").get(pk=issuer_unit.pk)
        if recorded_by_unit is None or recorded_by_unit.pk == issuer_unit.pk:
            recorded_by_unit = issuer_unit
        elif not Unit.objects.get(pk=recorded_by_unit.pk).path.startswith(issuer_unit.path):
            raise RuleViolation(
                _(
                    "A decision of the union is recorded by the unit that issued it, or by a "
                    "unit below it that received the award."
                ),
                field="recorded_by_unit",
            )
    if recorded_by_unit is None:
        raise RuleViolation(_("Say which unit records the decision."), field="recorded_by_unit")
    recorded_by_unit = Unit.objects.get(pk=recorded_by_unit.pk)
    require(actor, MANAGE, recorded_by_unit)
    decision = Decision(
        issuer_unit=issuer_unit,
        issuer_name=nfc(issuer_name).strip(),
        recorded_by_unit=recorded_by_unit,
        number=nfc(number).strip(),
        signed_on=signed_on,
        signer=nfc(signer).strip(),
        regulation=_regulation_for(signed_on, regulation),
        note=nfc(note),
    )
    _check_decision(decision)
    stamp(decision, actor, "award_decision_create")
    decision.save()
    return decision


@transaction.atomic
def decision_update(*, actor: Any, decision: Decision, **changes: Any) -> Decision:
    """Change a decision's number, date, signer, note, regulation or outside issuer's name. The
    date, regulation and issuer are fixed once the decision holds awards."""
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    require(actor, MANAGE, decision.recorded_by_unit)
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"unknown decision fields: {sorted(unknown)}")
    for name in ("number", "signer", "note", "issuer_name"):
        if name in changes:
            changes[name] = nfc(changes[name]).strip()
    changed = [n for n, v in changes.items() if getattr(decision, n) != v]
    if not changed:
        return decision
    if CHECKED_FIELDS & set(changed) and decision.awards.exists():
        raise RuleViolation(
            _(
                "Decision %(number)s already holds awards: its date, regulation and issuer "
                "cannot change."
            )
            % {"number": decision.number},
            field=sorted(CHECKED_FIELDS & set(changed))[0],
        )
    for name in changed:
        setattr(decision, name, changes[name])
    if "signed_on" in changed and "regulation" not in changed:
        decision.regulation = _regulation_for(decision.signed_on, None)
        changed.append("regulation")
    _check_decision(decision)
    stamp(decision, actor, "award_decision_update")
    decision.save(update_fields=[*changed, "updated_at"])
    return decision


@transaction.atomic
def decision_delete(*, actor: Any, decision: Decision) -> None:
    """Delete a decision with its awards (the history keeps them)."""
    decision = Decision.objects.select_for_update(of=("self",)).get(pk=decision.pk)
    require(actor, MANAGE, decision.recorded_by_unit)
    for award in Award.objects.filter(decision=decision):
        stamp(award, actor, "award_decision_delete")
        award.delete()
    stamp(decision, actor, "award_decision_delete")
    decision.delete()


def _not_found() -> RuleViolation:
    return RuleViolation(_("The recipient was not found within your scope."), field="recipient")


def _sees(actor: Any, action: Action, path: str) -> bool:
    return actor is None or path_in_scope(actor, action, path)


def _recipient(
    actor: Any, unit: Unit | None, member: Any, outside_name: str, outside_kind: str
) -> dict[str, Any]:
    given = [unit is not None, member is not None, bool(outside_name.strip())]
    if sum(given) != 1:
        raise RuleViolation(
            _(
                "An award has one recipient: a unit, a member, or a body or person outside the union."
            ),
            field="recipient",
        )
    if unit is not None:
        found = Unit.objects.filter(pk=unit.pk).first()
        if found is None or not _sees(actor, Action.ORGANISATION_VIEW, found.path):
            raise _not_found()
        return {"unit": found}
    if member is not None:
        person = Member.objects.select_related("unit").filter(pk=member.pk).first()
        if person is None or not _sees(actor, Action.MEMBERS_VIEW, person.unit.path):
            raise _not_found()
        return {"member": person}
    if outside_kind not in OutsideKind.values:
        raise RuleViolation(
            _("Say whether the recipient outside the union is a body or a person."),
            field="outside_kind",
        )
    return {"outside_name": nfc(outside_name).strip(), "outside_kind": outside_kind}


@transaction.atomic
def award_add(
    *,
    actor: Any,
    decision: Decision,
    form: AwardForm,
    unit: Unit | None = None,
    member: Any = None,
    outside_name: str = "",
    outside_kind: str = "",
    year: int | None = None,
    theme: str = "",
    achievement: str = "",
    details: dict[str, Any] | None = None,
) -> Award:
    """Add a recipient of `form` to `decision`, after the eligibility rules (`rules.py`).
    `year`: the emulation year rewarded (the decision's year unless given); `details`: what the
    form's data rules need (Bằng Lao động sáng tạo: {"category": …, "benefit": đồng})."""
    # The lock serialises the additions to one decision (quota, once per person).
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("issuer_unit__unit_type__level", "recorded_by_unit", "regulation")
        .get(pk=decision.pk)
    )
    require(actor, MANAGE, decision.recorded_by_unit)
    recipient = _recipient(actor, unit, member, outside_name, outside_kind)
    form = AwardForm.objects.select_related("regulation").get(pk=form.pk)
    year = decision.signed_on.year if year is None else year
    if not isinstance(year, int) or not 1900 <= year <= decision.signed_on.year + 1:
        raise RuleViolation(_("The emulation year is missing or invalid."), field="year")
    award = Award(
        decision=decision,
        form=form,
        year=year,
        theme=nfc(theme).strip(),
        achievement=nfc(achievement),
        details=dict(details or {}),
        **recipient,
    )
    rules.check_award(award)
    stamp(award, actor, "award_add")
    award.save()
    return award


@transaction.atomic
def award_delete(*, actor: Any, award: Award) -> None:
    award = Award.objects.select_related("decision__recorded_by_unit").get(pk=award.pk)
    require(actor, MANAGE, award.decision.recorded_by_unit)
    stamp(award, actor, "award_delete")
    award.delete()


# ---------------------------------------------------------------------------------------------
# Nominations: proposing unit → the issuer's council → the decision


def _provisional_award(nomination: Nomination, day: dt.date) -> Award:
    """The award a nomination asks for, as if decided on `day` by its issuer: what the
    eligibility rules read."""
    issuer = nomination.issuer_unit
    decision = Decision(
        issuer_unit=issuer,
        recorded_by_unit=issuer,
        number=_("(nomination)"),
        signed_on=day,
        regulation=_regulation_for(day, None),
    )
    return Award(
        decision=decision,
        form=nomination.form,
        unit=nomination.unit,
        member=nomination.member,
        outside_name=nomination.outside_name,
        outside_kind=nomination.outside_kind,
        year=nomination.year,
        theme=nomination.theme,
        achievement=nomination.achievement,
        details=nomination.details,
    )


def _check_nomination(nomination: Nomination, today: dt.date) -> None:
    proposing, issuer = nomination.proposing_unit, nomination.issuer_unit
    if not proposing.path.startswith(issuer.path):
        raise RuleViolation(
            _("%(unit)s proposes awards to itself or to a level above it, not to %(issuer)s.")
            % {"unit": proposing.name, "issuer": issuer.name},
            field="issuer_unit",
        )
    path = (
        nomination.unit.path
        if nomination.unit is not None
        else nomination.member.unit.path
        if nomination.member is not None
        else None
    )
    if path is not None and not path.startswith(proposing.path):
        raise RuleViolation(
            _("%(unit)s proposes awards for its own units and members only.")
            % {"unit": proposing.name},
            field="recipient",
        )
    if not isinstance(nomination.year, int) or not 1900 <= nomination.year <= today.year + 1:
        raise RuleViolation(_("The emulation year is missing or invalid."), field="year")
    rules.check_award(_provisional_award(nomination, today))


NOMINATION_FIELDS = ("form", "year", "theme", "achievement", "details", "issuer_unit")


@transaction.atomic
def nomination_create(
    *,
    actor: Any,
    proposing_unit: Unit,
    issuer_unit: Unit,
    form: AwardForm,
    year: int,
    unit: Unit | None = None,
    member: Any = None,
    outside_name: str = "",
    outside_kind: str = "",
    theme: str = "",
    achievement: str = "",
    details: dict[str, Any] | None = None,
    dossier: Any = None,
    today: dt.date | None = None,
) -> Nomination:
    """`proposing_unit` proposes that `issuer_unit` (itself or an ancestor) confer `form` on one
    recipient of its subtree (or outside the union). The eligibility rules run now, as of
    `today`; a refusal writes nothing. The nomination starts as a draft."""
    today = today or timezone.localdate()
    proposing_unit = Unit.objects.get(pk=proposing_unit.pk)
    require(actor, MANAGE, proposing_unit)
    issuer = Unit.objects.select_related("unit_type__level").filter(pk=issuer_unit.pk).first()
    if issuer is None:
        raise RuleViolation(_("The issuing unit was not found."), field="issuer_unit")
    recipient = _recipient(actor, unit, member, outside_name, outside_kind)
    nomination = Nomination(
        proposing_unit=proposing_unit,
        issuer_unit=issuer,
        form=AwardForm.objects.select_related("regulation").get(pk=form.pk),
        year=year,
        theme=nfc(theme).strip(),
        achievement=nfc(achievement),
        details=dict(details or {}),
        **recipient,
    )
    _check_nomination(nomination, today)
    if dossier:
        check_attachment(dossier)
        nomination.dossier = dossier
    stamp(nomination, actor, "award_nomination_create")
    nomination.save()
    return nomination


def _locked_nomination(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related(
            "proposing_unit", "issuer_unit__unit_type__level", "form__regulation", "unit"
        )
        .select_related("member__unit")
        .get(pk=nomination.pk)
    )


@transaction.atomic
def nomination_update(
    *, actor: Any, nomination: Nomination, today: dt.date | None = None, **changes: Any
) -> Nomination:
    """Change a draft nomination's form, year, theme, achievement, details, issuer or
    dossier (`dossier=`); the rules run again."""
    nomination = _locked_nomination(nomination)
    require(actor, MANAGE, nomination.proposing_unit)
    if not nomination.is_open:
        raise RuleViolation(
            _("Only a draft nomination can be changed; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    dossier = changes.pop("dossier", None)
    unknown = set(changes) - set(NOMINATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown nomination fields: {sorted(unknown)}")
    for name in ("theme", "achievement"):
        if name in changes:
            changes[name] = nfc(changes[name]).strip()
    changed = [n for n, v in changes.items() if getattr(nomination, n) != v]
    for name in changed:
        setattr(nomination, name, changes[name])
    _check_nomination(nomination, today or timezone.localdate())
    if dossier:
        check_attachment(dossier)
        nomination.dossier = dossier
        changed.append("dossier")
    if not changed:
        return nomination
    stamp(nomination, actor, "award_nomination_update")
    nomination.save(update_fields=[*changed, "updated_at"])
    return nomination


@transaction.atomic
def nomination_delete(*, actor: Any, nomination: Nomination) -> None:
    nomination = _locked_nomination(nomination)
    require(actor, MANAGE, nomination.proposing_unit)
    if nomination.status not in (NominationStatus.DRAFT, NominationStatus.REJECTED):
        raise RuleViolation(
            _("A nomination “%(status)s” cannot be deleted; withdraw it first.")
            % {"status": nomination.get_status_display()}
        )
    stamp(nomination, actor, "award_nomination_delete")
    nomination.delete()


def _set_status(
    nomination: Nomination, actor: Any, reason: str, status: str, **fields: Any
) -> Nomination:
    nomination.status = status
    for name, value in fields.items():
        setattr(nomination, name, value)
    stamp(nomination, actor, reason)
    nomination.save(update_fields=["status", *fields, "updated_at"])
    return nomination


@transaction.atomic
def nomination_submit(
    *, actor: Any, nomination: Nomination, today: dt.date | None = None
) -> Nomination:
    """Send a draft to the issuer's council (the rules run again)."""
    today = today or timezone.localdate()
    nomination = _locked_nomination(nomination)
    require(actor, MANAGE, nomination.proposing_unit)
    if nomination.status != NominationStatus.DRAFT:
        raise RuleViolation(
            _("Only a draft nomination can be submitted; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    _check_nomination(nomination, today)
    return _set_status(
        nomination, actor, "award_nomination_submit", NominationStatus.SUBMITTED, submitted_on=today
    )


@transaction.atomic
def nomination_withdraw(*, actor: Any, nomination: Nomination) -> Nomination:
    """The proposing unit takes back a nomination the council has not reviewed yet."""
    nomination = _locked_nomination(nomination)
    require(actor, MANAGE, nomination.proposing_unit)
    if nomination.status != NominationStatus.SUBMITTED:
        raise RuleViolation(
            _("Only a nomination awaiting the council can be withdrawn; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    return _set_status(
        nomination, actor, "award_nomination_withdraw", NominationStatus.DRAFT, submitted_on=None
    )


@transaction.atomic
def nomination_review(
    *,
    actor: Any,
    nomination: Nomination,
    approve: bool,
    council_on: dt.date,
    note: str = "",
) -> Nomination:
    """The issuer's Emulation and Rewards Council approves or turns down a submitted
    nomination (it may change its mind until the decision is made)."""
    nomination = _locked_nomination(nomination)
    require(actor, MANAGE, nomination.issuer_unit)
    reviewable = (NominationStatus.SUBMITTED, NominationStatus.APPROVED, NominationStatus.REJECTED)
    if nomination.status not in reviewable:
        raise RuleViolation(
            _("The council reviews submitted nominations; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    if not isinstance(council_on, dt.date):
        raise RuleViolation(_("The date is missing or invalid."), field="council_on")
    if nomination.submitted_on and council_on < nomination.submitted_on:
        raise RuleViolation(
            _(
                "The council cannot meet on %(date)s, before the nomination was submitted (%(submitted)s)."
            )
            % {"date": short_date(council_on), "submitted": short_date(nomination.submitted_on)},
            field="council_on",
        )
    status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
    return _set_status(
        nomination,
        actor,
        "award_nomination_review",
        status,
        council_on=council_on,
        council_note=nfc(note).strip(),
    )


@transaction.atomic
def decision_from_nominations(
    *,
    actor: Any,
    issuer_unit: Unit,
    nominations: list[Nomination],
    number: str,
    signed_on: dt.date,
    signer: str = "",
    note: str = "",
) -> Decision:
    """The issuer's decision conferring the awards its council approved: every nomination
    becomes an award of the new decision (the rules run again, as of the decision), all or
    nothing; a refusal names the nomination."""
    if not nominations:
        raise RuleViolation(_("Choose the approved nominations the decision confers."))
    decision = decision_create(
        actor=actor,
        issuer_unit=issuer_unit,
        number=number,
        signed_on=signed_on,
        signer=signer,
        note=note,
    )
    for position, item in enumerate(sorted(nominations, key=lambda n: n.pk), start=1):
        nomination = _locked_nomination(item)
        if nomination.issuer_unit_id != decision.issuer_unit_id:
            raise RuleViolation(
                _("Nomination %(number)s is addressed to %(issuer)s, not to %(unit)s.")
                % {
                    "number": nomination.pk,
                    "issuer": nomination.issuer_unit.name,
                    "unit": issuer_unit.name,
                },
                row=position,
            )
        if nomination.status != NominationStatus.APPROVED:
            raise RuleViolation(
                _(
                    "Nomination %(number)s (%(recipient)s) is “%(status)s”, not approved by the council."
                )
                % {
                    "number": nomination.pk,
                    "recipient": nomination.recipient_label,
                    "status": nomination.get_status_display(),
                },
                row=position,
            )
        try:
            award = award_add(
                actor=actor,
                decision=decision,
                form=nomination.form,
                unit=nomination.unit,
                member=nomination.member,
                outside_name=nomination.outside_name,
                outside_kind=nomination.outside_kind,
                year=nomination.year,
                theme=nomination.theme,
                achievement=nomination.achievement,
                details=nomination.details,
            )
        except RuleViolation as refusal:
            raise RuleViolation(
                _("Nomination %(number)s: %(reason)s")
                % {"number": nomination.pk, "reason": refusal.message},
                field=refusal.field,
                row=position,
            ) from refusal
        _set_status(
            nomination, actor, "award_nomination_decide", NominationStatus.DECIDED, award=award
        )
    return decision


@transaction.atomic
def nominations_from_proposal(
    *,
    actor: Any,
    proposal: Any,
    issuer_unit: Unit,
    form: AwardForm,
    units: list[Unit] | None = None,
    today: dt.date | None = None,
) -> list[Nomination]:
    """The cluster's organiser turns its submitted proposal of leading units (emulation
    `ClusterProposal`) into draft nominations of `form` to `issuer_unit` — the chosen `units`
    of it, all by default —, each with its place in the cluster as the achievement. A unit
    already nominated for that form, issuer and year is not nominated twice. All or nothing."""
    from congdoan.emulation.models import ProposalStatus

    organiser = proposal.cluster.organiser
    require(actor, MANAGE, organiser)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise RuleViolation(_("Only a submitted proposal of the cluster can be nominated."))
    chosen = {u.pk for u in units} if units is not None else None
    made = []
    for entry in proposal.entries.select_related("unit").order_by("order"):
        if chosen is not None and entry.unit_id not in chosen:
            continue
        exists = Nomination.objects.filter(
            unit=entry.unit, form=form, issuer_unit=issuer_unit, year=proposal.year
        ).exists()
        if exists:
            continue
        place = (
            _("ranked %(rank)s of the cluster %(cluster)s, %(total)s points")
            % {"rank": entry.rank, "cluster": proposal.cluster.name, "total": entry.total}
            if entry.rank
            else proposal.cluster.name
        )
        made.append(
            nomination_create(
                actor=actor,
                proposing_unit=organiser,
                issuer_unit=issuer_unit,
                form=form,
                year=proposal.year,
                unit=entry.unit,
                achievement=f"{entry.award} ({place})" if entry.award else str(place),
                today=today,
            )
        )
    return made
