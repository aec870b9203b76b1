"""Indicators derived from the organisation tree (see `congdoan.indicators.derived`).

A unit founded in the period counts once, at itself; its ancestors count it through the roll-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congdoan.indicators.derived import register
from congdoan.organisation.models import Unit


def _founded(unit_ids: Sequence[int], period: Any, extra: Q) -> dict[int, Decimal]:
    qs = Unit.objects.filter(
        pk__in=list(unit_ids),
        founded_on__gte=period.start,
        founded_on__lte=period.end,
        unit_type__is_grassroots=True,
    ).filter(extra)
    return {pk: Decimal(1) for pk in qs.values_list("pk", flat=True)}


@register("new_grassroots", _("Grassroots unions founded in the period"))
def new_grassroots(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    return _founded(unit_ids, period, Q())


@register("new_grassroots_non_state", _("Grassroots unions founded in non-state enterprises"))
def new_grassroots_non_state(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    return _founded(unit_ids, period, Q(ownership__is_enterprise=True, ownership__is_state=False))


@register("grassroots_end", _("Grassroots unions at the end of the period"))
def grassroots_end(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    qs = Unit.objects.filter(
        pk__in=list(unit_ids), unit_type__is_grassroots=True, founded_on__lte=period.end
    ).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end))
    return {pk: Decimal(1) for pk in qs.values_list("pk", flat=True)}
