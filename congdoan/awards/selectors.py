"""Reads of the awards: the regulation in force, the awards of a member or a unit, tallies.

Reads use `Action.ORGANISATION_VIEW`: an award is seen from its decision's recording unit and
from its recipient (`models.AwardQuerySet.visible_to`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from congdoan.awards.models import (
    Award,
    AwardForm,
    Decision,
    Kind,
    Nomination,
    NominationStatus,
    OutsideKind,
    Regulation,
)
from congdoan.core.formats import number
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, scope_prefixes, scope_q
from congdoan.members.models import Member
from congdoan.organisation.models import Unit

VIEW = Action.ORGANISATION_VIEW
MANAGE = Action.ACTIVITIES_MANAGE


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


def unit_section(user: Any, unit: Any) -> dict[str, Any]:
    """The context of the unit page's awards section (the page checked the unit): the awards,
    and which of their decisions the user may open (a higher level's decision is named, not
    linked)."""
    rows = unit_awards(user, unit)
    opened = set(
        decisions_visible(user)
        .filter(pk__in={a.decision_id for a in rows})
        .values_list("pk", flat=True)
    )
    return {"rows": rows, "decisions": {a.pk for a in rows if a.decision_id in opened}}


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
    optionally of one issuer (a unit, or the name of an outside issuer) and one emulation year.
    Two queries: the counts per form, and the names of the flags' recipients."""
    qs = awards_visible(user)
    if isinstance(issuer, str):
        qs = qs.filter(decision__issuer_unit__isnull=True, decision__issuer_name=issuer)
    elif issuer is not None:
        qs = qs.filter(decision__issuer_unit=issuer)
    if year is not None:
        qs = qs.filter(year=year)
    return _tally(qs)


def issuers_in_year(user: Any, year: int) -> list[tuple[str, str]]:
    """The issuers of the awards of `year` that `user` sees, as (key, name): "u<id>" for a
    unit of the union, "o:<name>" for an issuer outside it."""
    rows = (
        awards_visible(user)
        .filter(year=year)
        .order_by()
        .values_list(
            "decision__issuer_unit_id", "decision__issuer_unit__name", "decision__issuer_name"
        )
        .distinct()
    )
    out = {
        (f"u{unit_id}" if unit_id else f"o:{name}", unit_name or name)
        for unit_id, unit_name, name in rows
    }
    return sorted(out, key=lambda item: (item[0][0], item[1]))


def issuer_of_key(user: Any, key: str) -> Any:
    """The issuer a key of `issuers_in_year` names (a unit the user may see, or the outside
    issuer's name); None for a key naming nothing."""
    if key.startswith("o:") and len(key) > 2:
        return key[2:]
    if key.startswith("u") and key[1:].isdecimal():
        return Unit.objects.visible_to(user, VIEW).filter(pk=int(key[1:])).first()
    return None


def decision_tallies(decision: Decision) -> list[FormTally]:
    """The tallies of one decision (the page checked the decision)."""
    return _tally(Award.objects.filter(decision=decision))


def _tally(qs: QuerySet[Award]) -> list[FormTally]:
    collective = Q(unit__isnull=False) | Q(outside_kind=OutsideKind.BODY)
    rows = (
        qs.order_by()
        .values("form_id", "form__name", "form__kind", "form__regulation_id", "form__order")
        .annotate(
            collective=Count("pk", filter=collective),
            individual=Count("pk", filter=~collective),
        )
        .order_by("form__regulation_id", "form__order", "form__name")
    )
    result = {
        r["form_id"]: FormTally(
            r["form_id"], r["form__name"], r["form__kind"], r["collective"], r["individual"]
        )
        for r in rows
    }
    flags = qs.filter(form__kind=Kind.FLAG).select_related("unit", "member").order_by("pk")
    for award in flags:
        result[award.form_id].recipients.append(award.recipient_label)
    return list(result.values())


# ---------------------------------------------------------------------------------------------
# Nominations and the council


def nominations_visible(user: Any) -> QuerySet[Nomination]:
    """The nominations `user` sees: made by a unit of their scope or addressed to one."""
    return Nomination.objects.visible_to(user, VIEW).select_related(
        "proposing_unit", "issuer_unit", "form", "unit", "member__unit", "award__decision"
    )


def council_queue(user: Any, issuer: Unit, year: int | None = None) -> list[Nomination]:
    """What `issuer`'s council has before it: the nominations submitted to it, approved or
    turned down, not yet awarded (the page checked that `user` manages `issuer`)."""
    qs = (
        Nomination.objects.filter(
            issuer_unit=issuer,
            status__in=[
                NominationStatus.SUBMITTED,
                NominationStatus.APPROVED,
                NominationStatus.REJECTED,
            ],
        )
        .select_related("proposing_unit", "form", "unit", "member__unit")
        .order_by("status", "form__order", "proposing_unit__path", "pk")
    )
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs[:2000])


def issuers_for(user: Any) -> list[Unit]:
    """The units the user may address nominations to: those they manage and every unit above
    them, top first (a unit proposes to itself or to a level above it)."""
    prefixes = scope_prefixes(user, MANAGE)
    if prefixes is None:
        return list(Unit.objects.filter(depth=1, dissolved_on__isnull=True).order_by("path"))
    paths = {p[:i] for p in prefixes for i in range(Unit.steplen, len(p) + 1, Unit.steplen)}
    return list(
        Unit.objects.filter(path__in=paths, dissolved_on__isnull=True)
        .select_related("unit_type__level")
        .order_by("path")
    )


def managed_issuers(user: Any) -> list[Unit]:
    """The units whose council's queue the user may open: issuers of received nominations that
    they manage."""
    q = scope_q(user, MANAGE, "issuer_unit__path")
    qs = Nomination.objects.all() if q is None else Nomination.objects.filter(q)
    ids = qs.order_by().values_list("issuer_unit_id", flat=True).distinct()
    return list(Unit.objects.filter(pk__in=ids).order_by("path")[:200])


def forms_in_force(day: dt.date) -> list[AwardForm]:
    regulation = regulation_in_force(day)
    if regulation is None:
        return []
    return list(regulation.forms.order_by("order", "name"))


def member_by_card(user: Any, card_number: str) -> Member | None:
    """The member with this card number whom `user` may see (None otherwise)."""
    return (
        Member.objects.visible_to(user, Action.MEMBERS_VIEW)
        .select_related("unit")
        .filter(card_number=card_number.strip())
        .first()
    )


def decision_awards(decision: Decision) -> list[Award]:
    return list(
        decision.awards.select_related("form", "unit", "member__unit").order_by(
            "form__order", "form__name", "pk"
        )
    )


def can_record(user: Any, unit: Any) -> bool:
    return path_in_scope(user, Action.ACTIVITIES_MANAGE, unit.path)


# ---------------------------------------------------------------------------------------------
# Single look-ups for the pages and the API (they check scope themselves)


def award_with_decision() -> QuerySet[Award]:
    return Award.objects.select_related("decision__recorded_by_unit", "form")


def unit_by_id(pk: int) -> Unit | None:
    return Unit.objects.select_related("unit_type__level").filter(pk=pk).first()


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code.strip().upper()).first()


def form_by_id(pk: int) -> AwardForm | None:
    return AwardForm.objects.select_related("regulation").filter(pk=pk).first()


def regulations() -> list[Regulation]:
    return list(Regulation.objects.order_by("-in_force_from").prefetch_related("forms"))


def nominations_before(issuer: Unit, ids: list[int]) -> dict[int, Nomination]:
    """The nominations among `ids` addressed to `issuer` (the caller checked the issuer)."""
    return {n.pk: n for n in Nomination.objects.filter(issuer_unit=issuer, pk__in=ids)}


def proposals_to_nominate(user: Any, year: int | None = None) -> list[Any]:
    """The submitted proposals of leading units (emulation) of the clusters whose organiser the
    user manages: what they may turn into nominations."""
    from congdoan.emulation.selectors import submitted_proposals

    qs = submitted_proposals(user, year=year).select_related("cluster__organiser")
    return [
        p for p in qs.order_by("-year", "cluster__name")[:50]
        if path_in_scope(user, MANAGE, p.cluster.organiser.path)
    ]  # fmt: skip


def proposal_for(user: Any, pk: int) -> Any:
    """One submitted proposal the user sees, or None (the page then checks that they manage
    the cluster's organiser)."""
    from congdoan.emulation.selectors import submitted_proposals

    return submitted_proposals(user).select_related("cluster__organiser").filter(pk=pk).first()
