"""Reads of inspections and complaints for the pages, the API, the reports and the forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_in_scope, path_range_q, scope_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period
from congdoan.inspections.models import (
    Complaint,
    FollowUp,
    Inspected,
    Inspection,
    Recommendation,
)
from congdoan.organisation.models import Unit, UnitVersion

VIEW = Action.INDICATORS_VIEW
CONDUCTED, INSPECTED = "conducted", "inspected"


def _targets_seen(user: Any) -> QuerySet[Inspected]:
    """Units inspected the user may see on a list: all those of the inspections whose
    conducting unit is in the user's scope, and those within the user's scope."""
    qs = Inspected.objects.select_related("unit")
    conducted = scope_q(user, VIEW, "inspection__unit__path")
    if conducted is None:
        return qs
    own = scope_q(user, VIEW, "unit__path")
    assert own is not None
    return qs.filter(conducted | own)


def inspections_visible(user: Any) -> QuerySet[Inspection]:
    """Inspections `user` may see (conducted or undergone within the scope), with what the list
    shows."""
    return (
        Inspection.objects.visible_to(user, VIEW)
        .select_related("unit")
        .prefetch_related(Prefetch("targets", queryset=_targets_seen(user)))
    )


def filter_inspections(
    qs: QuerySet[Inspection],
    *,
    unit: Unit | None = None,
    side: str = CONDUCTED,
    period: Period | None = None,
    kind: str | None = None,
    body: str | None = None,
    text: str | None = None,
) -> QuerySet[Inspection]:
    """Inspections conducted in `unit`'s subtree (`side` "conducted") or of units of its
    subtree (`side` "inspected"), started within `period`, of `kind` and `body`, whose subject,
    decision, partners or units inspected hold every word of `text`."""
    if unit is not None:
        if side == INSPECTED:
            below = Inspected.objects.filter(
                path_range_q("unit__path", unit.path), inspection=OuterRef("pk")
            )
            qs = qs.filter(Exists(below))
        else:
            qs = qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        qs = qs.filter(started_on__gte=period.start, started_on__lte=period.end)
    if kind:
        qs = qs.filter(kind=kind)
    if body:
        qs = qs.filter(body=body)
    for word in fold(text or "").split():
        qs = qs.filter(search_text__contains=word)
    return qs


def inspection_full(qs: QuerySet[Inspection] | None = None) -> QuerySet[Inspection]:
    """Inspections with their units inspected, recommendations and follow-ups loaded."""
    recommendations = Recommendation.objects.select_related("target__unit").prefetch_related(
        "follow_ups"
    )
    qs = qs if qs is not None else Inspection.objects.all()
    targets: Prefetch[Any] = Prefetch("targets", queryset=Inspected.objects.select_related("unit"))
    advice: Prefetch[Any] = Prefetch("recommendations", queryset=recommendations)
    return qs.select_related("unit").prefetch_related(targets, advice)


@dataclass
class InspectionPage:
    """What a user sees of one inspection: everything when the conducting unit is in the user's
    scope (`full`); otherwise only the units inspected within the scope (the others counted, not
    named) and the recommendations addressed to them or to all."""

    inspection: Inspection
    full: bool
    targets: list[Inspected] = field(default_factory=list)
    others: int = 0
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.recommendations if r.done)


def inspection_page(user: Any, inspection: Inspection) -> InspectionPage:
    """`inspection` as `user` sees it (loaded through `inspection_full`)."""
    targets = list(inspection.targets.all())
    recommendations = list(inspection.recommendations.all())
    if path_in_scope(user, VIEW, inspection.unit.path):
        return InspectionPage(inspection, True, targets, 0, recommendations)
    mine = [t for t in targets if t.unit is not None and path_in_scope(user, VIEW, t.unit.path)]
    ids = {t.pk for t in mine}
    shown = [r for r in recommendations if r.target_id is None or r.target_id in ids]
    return InspectionPage(inspection, False, mine, len(targets) - len(mine), shown)


def inspection_audit(inspection: Inspection, *, limit: int = 100) -> list[AuditEntry]:
    """Changes to the inspection, its units, recommendations and follow-ups, newest first."""
    return audit_trail(
        inspection.history.all(),
        Inspected.history.filter(inspection_id=inspection.pk),
        Recommendation.history.filter(inspection_id=inspection.pk),
        FollowUp.history.filter(
            recommendation_id__in=Recommendation.history.filter(inspection_id=inspection.pk).values(
                "id"
            )
        ),
        limit=limit,
    )


def inspection_with_unit() -> QuerySet[Inspection]:
    return Inspection.objects.select_related("unit")


def targets_with_inspection() -> QuerySet[Inspected]:
    return Inspected.objects.select_related("inspection__unit", "unit")


def recommendations_with_inspection() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related("inspection__unit", "target__unit")


def follow_ups_with_inspection() -> QuerySet[FollowUp]:
    return FollowUp.objects.select_related("recommendation__inspection__unit")


def targets_for_api(qs: QuerySet[Inspected]) -> QuerySet[Inspected]:
    return qs.select_related("inspection", "unit")


def recommendations_for_api(qs: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return qs.select_related("inspection").prefetch_related("follow_ups")


def follow_ups_for_api(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return qs.select_related("recommendation")


# ---------------------------------------------------------------------------------------------
# Complaints


def complaints_visible(user: Any) -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(user, VIEW).select_related("unit")


def filter_complaints(
    qs: QuerySet[Complaint],
    *,
    unit: Unit | None = None,
    period: Period | None = None,
    kind: str | None = None,
    state: str | None = None,
    text: str | None = None,
) -> QuerySet[Complaint]:
    """Complaints handled in `unit`'s subtree, received or resolved within `period`, of `kind`,
    open or resolved (`state`), whose content holds `text`."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        received = Q(received_on__gte=period.start, received_on__lte=period.end)
        resolved = Q(resolved_on__gte=period.start, resolved_on__lte=period.end)
        qs = qs.filter(received | resolved)
    if kind:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(resolved_on__isnull=True)
    elif state == "resolved":
        qs = qs.filter(resolved_on__isnull=False)
    for word in (text or "").split():
        qs = qs.filter(summary__icontains=word)
    return qs


def complaint_audit(complaint: Complaint, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(complaint.history.all(), limit=limit)


def may_see_sender(user: Any, complaint: Complaint) -> bool:
    """Who sent a complaint is shown to those who may see personal data of its unit."""
    return path_in_scope(user, Action.MEMBERS_VIEW_PERSONAL, complaint.unit.path)


def masked(name: str) -> str:
    """ "Nguyễn Văn An" → "N. V. A." (the initials); "" stays ""."""
    return " ".join(f"{w[0]}." for w in name.split() if w)


# ---------------------------------------------------------------------------------------------
# For the forms and filters


def periods() -> QuerySet[Period]:
    """The periods a list may be narrowed to, latest first."""
    return Period.objects.order_by("-end", "kind", "start")


def visible_unit(user: Any, pk: int) -> Unit | None:
    return Unit.objects.visible_to(user, VIEW).filter(pk=pk).first()


def targets_of(inspection: Inspection) -> QuerySet[Inspected]:
    return Inspected.objects.filter(inspection=inspection).select_related("unit")


def units_visible(user: Any, ids: list[int]) -> list[Unit]:
    """The units of these ids the user may see (the units an inspection covers, by id)."""
    return list(Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).filter(pk__in=ids))


def units_by_codes(user: Any, codes: set[str]) -> dict[str, Unit]:
    """The units of these codes the user may see, by code (one query for a whole file)."""
    qs = Unit.objects.visible_to(user, Action.ORGANISATION_VIEW).filter(code__in=list(codes))
    return {u.code: u for u in qs}


def versions_of(unit_ids: set[int]) -> dict[int, list[tuple[Any, Any, str]]]:
    """Every version of these units: (valid from, valid to or None, path), by unit."""
    out: dict[int, list[tuple[Any, Any, str]]] = {}
    rows = UnitVersion.objects.filter(unit_id__in=list(unit_ids)).values_list(
        "unit_id", "valid_from", "valid_to", "path"
    )
    for unit_id, start, end, path in rows:
        out.setdefault(unit_id, []).append((start, end, path))
    return out


def conducted_visible(user: Any, qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Of `qs`, the inspections conducted by units of the user's scope (exports: a whole
    record, with every unit it covered)."""
    q = scope_q(user, VIEW, "unit__path")
    return qs if q is None else qs.filter(q)


def inspections_for_export(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    targets = Inspected.objects.select_related("unit").order_by("pk")
    return qs.select_related("unit").prefetch_related(Prefetch("targets", queryset=targets))


def complaints_for_export(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return qs.select_related("unit")
