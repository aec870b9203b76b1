"""Reads of the awards: the regulation in force, the awards of a member or a unit, tallies.

Reads use `Action.ORGANISATION_VIEW`: an award is seen from its decision's recording unit and
from its recipient (`models.AwardQuerySet.visible_to`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congdoan.awards.models import COLLECTIVE_KINDS, Award, Decision, Kind, Regulation
from congdoan.core.formats import number
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope

VIEW = Action.ORGANISATION_VIEW


def regulation_in_force(day: dt.date) -> Regulation | None:
    """The regulation in force on `day` (the latest to start, when two overlap)."""
    return (
        Regulation.objects.filter(in_force_from__lte=day)
        .filter(Q(in_force_until__isnull=True) | Q(in_force_until__gte=day))
        .order_by("-in_force_from")
        .first()
    )


def decisions_visible(user: Any) -> QuerySet[Decision]:
    return Decision.objects.visible_to(user, VIEW).select_related(
        "issuer_unit", "recorded_by_unit", "regulation"
    )


def awards_visible(user: Any) -> QuerySet[Award]:
    return Award.objects.visible_to(user, VIEW).select_related(
        "form", "decision__issuer_unit", "unit", "member"
    )


def member_awards(user: Any, member: Any) -> list[Award]:
    """A member's awards that `user` may see, newest decision first."""
    return list(
        awards_visible(user)
        .filter(member=member)
        .order_by("-decision__signed_on", "-decision_id", "pk")[:200]
    )


def unit_awards(user: Any, unit: Any) -> list[Award]:
    """The awards `unit` received (as a collective) that `user` may see, newest first."""
    return list(
        awards_visible(user)
        .filter(unit=unit)
        .order_by("-decision__signed_on", "-decision_id", "pk")[:200]
    )


def member_section(user: Any, member: Any) -> dict[str, Any]:
    """The context of the member page's awards section (the page checked the member)."""
    return {"rows": member_awards(user, member), "member_id": member.pk}


@dataclass
class FormTally:
    """How many recipients one form has: collectives (units, outside bodies) and individuals
    (members, outside persons); flags also list their recipients by name."""

    form_id: int
    form: str
    kind: str
    collective: int = 0
    individual: int = 0
    recipients: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """ "12 tập thể, 3 cá nhân"."""
        return _("%(collective)s collectives, %(individual)s individuals") % {
            "collective": number(self.collective),
            "individual": number(self.individual),
        }


def tallies(user: Any, issuer: Any = None, year: int | None = None) -> list[FormTally]:
    """Per form, in the catalogue's order: the recipients of the awards `user` may see,
    optionally of one issuer (a unit, or the name of an outside issuer) and one emulation year."""
    qs = awards_visible(user)
    if isinstance(issuer, str):
        qs = qs.filter(decision__issuer_unit__isnull=True, decision__issuer_name=issuer)
    elif issuer is not None:
        qs = qs.filter(decision__issuer_unit=issuer)
    if year is not None:
        qs = qs.filter(year=year)
    result: dict[int, FormTally] = {}
    for award in qs.order_by("form__regulation", "form__order", "form__name", "pk"):
        row = result.setdefault(
            award.form_id, FormTally(award.form_id, award.form.name, award.form.kind)
        )
        if award.recipient_kind in COLLECTIVE_KINDS:
            row.collective += 1
        else:
            row.individual += 1
        if award.form.kind == Kind.FLAG:
            row.recipients.append(award.recipient_label)
    return list(result.values())


def can_record(user: Any, unit: Any) -> bool:
    return path_in_scope(user, Action.ACTIVITIES_MANAGE, unit.path)
