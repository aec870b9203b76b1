"""The personal-data access log, as an auditor may see it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from congdoan.core.permissions import Action
from congdoan.core.scoping import scope_q
from congdoan.members.models import Member, PersonalDataAccess


def access_log(
    user: Any, *, kind: str = "", member: Member | None = None
) -> QuerySet[PersonalDataAccess]:
    """Reads of personal data that concern at least one member in the auditor's scope, and
    every access (look-ups by identity number that found nobody included) made by a user who
    holds a role in the auditor's scope; of one kind, or about one member, when given."""
    qs = PersonalDataAccess.objects.select_related("user").order_by("-at", "-pk")
    if kind:
        qs = qs.filter(kind=kind)
    if member is not None:
        qs = qs.filter(members=member)
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
