"""Writes of the awards: decisions and their awards.

Every service needs "activities.manage" on the decision's recording unit (the issuer itself for
a decision of the union); `actor=None` is work of the system (data migrations, the demo). A
recipient the actor cannot see is "not found", in the same words as one that does not exist.
`award_add` runs the eligibility rules (`rules.check_award`): a refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from congdoan.awards import rules
from congdoan.awards.models import Award, AwardForm, Decision, OutsideKind, Regulation
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
    """A decision of `issuer_unit` (recorded by it), or of an issuer outside the union named
    `issuer_name`, recorded by `recorded_by_unit`. `regulation`: the one in force on
    `signed_on` unless given."""
    if issuer_unit is not None:
        issuer_unit = Unit.objects.select_related("unit_type__level").get(pk=issuer_unit.pk)
        if recorded_by_unit is not None and recorded_by_unit.pk != issuer_unit.pk:
            raise RuleViolation(
                _("A decision of the union is recorded by the unit that issued it."),
                field="recorded_by_unit",
            )
        recorded_by_unit = issuer_unit
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
