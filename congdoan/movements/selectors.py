"""Reads of the register of movements and models for the pages, the API and the exports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from congdoan.activities import registers
from congdoan.core.audit import AuditEntry, audit_trail
from congdoan.core.permissions import Action
from congdoan.core.scoping import path_range_q
from congdoan.core.text import fold
from congdoan.indicators.models import Period
from congdoan.movements.models import REGISTER, Activity, Agreement
from congdoan.organisation.models import Unit

VIEW = Action.INDICATORS_VIEW  # who may see a unit's figures may see the records behind them


def _words(qs: QuerySet[Any], field: str, text: str) -> QuerySet[Any]:
    """Rows whose folded `field` holds every word of `text` (case and diacritics ignored)."""
    for word in fold(text).split():
        qs = qs.filter(**{f"{field}__contains": word})
    return qs


def activities_with_unit(qs: QuerySet[Activity] | None = None) -> QuerySet[Activity]:
    qs = qs if qs is not None else Activity.objects.all()
    return qs.select_related("unit")


def filter_activities(
    qs: QuerySet[Activity],
    *,
    unit: Unit | None = None,
    period: Period | None = None,
    kind: str | None = None,
    year: int | None = None,
    text: str = "",
) -> QuerySet[Activity]:
    """Activities of `unit`'s subtree, dated in `period` (or `year`), of `kind`, with `text`."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        qs = qs.filter(on__gte=period.start, on__lte=period.end)
    if year:
        qs = qs.filter(on__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return _words(qs, "search", text) if text else qs


def activities_visible(user: Any, **filters: Any) -> QuerySet[Activity]:
    """The activities `user` may see (see `filter_activities` for `filters`)."""
    qs = activities_with_unit(Activity.objects.visible_to(user, VIEW))
    return filter_activities(qs, **filters)


def agreements_with_unit(qs: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    qs = qs if qs is not None else Agreement.objects.all()
    return qs.select_related("unit")


def filter_agreements(
    qs: QuerySet[Agreement],
    *,
    unit: Unit | None = None,
    period: Period | None = None,
    year: int | None = None,
    rating: str | None = None,
    text: str = "",
) -> QuerySet[Agreement]:
    """Agreements of `unit`'s subtree in force at some time of `period` (or signed in
    `year`), rated `rating`, whose enterprise holds `text`."""
    if unit is not None:
        qs = qs.filter(path_range_q("unit__path", unit.path))
    if period is not None:
        qs = qs.filter(signed_on__lte=period.end, expires_on__gte=period.start)
    if year:
        qs = qs.filter(signed_on__year=year)
    if rating:
        qs = qs.filter(rating=rating)
    return _words(qs, "enterprise_key", text) if text else qs


def agreements_visible(user: Any, **filters: Any) -> QuerySet[Agreement]:
    qs = agreements_with_unit(Agreement.objects.visible_to(user, VIEW))
    return filter_agreements(qs, **filters)


def activity_audit(activity: Activity, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(activity.history.all(), limit=limit)


def agreement_audit(agreement: Agreement, *, limit: int = 100) -> list[AuditEntry]:
    return audit_trail(agreement.history.all(), limit=limit)


# ---------------------------------------------------------------------------------------------
# For the filters and forms


def periods() -> QuerySet[Period]:
    """Every period, latest first (a sheet links to the records of any of them)."""
    return Period.objects.order_by("-end", "kind", "pk")


def visible_unit(user: Any, pk: int) -> Unit | None:
    return Unit.objects.visible_to(user, VIEW).filter(pk=pk).first()


def period_by_id(pk: int) -> Period | None:
    return Period.objects.filter(pk=pk).first()


def keeps(unit: Unit, year: int) -> bool:
    """Whether `unit` keeps the register in `year` (its records count in its figures)."""
    return bool(registers.keepers(REGISTER, [unit.pk], year))
