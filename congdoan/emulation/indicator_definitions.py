"""Indicators derived from the emulation registers (see `congdoan.indicators.derived`).

- `emulation_registered_grassroots`: 1 for a grassroots union registered (a unit registration,
  not withdrawn by the period's end) for a movement of a year within the period; the engine adds
  them up over subtrees: "N CĐCS đăng ký thi đua", and with the grassroots unions at the end
  (`cdcs_cuoi_ky`) the share, a formula.
- `emulation_pledges`: the pledges (`meetings.Pledge`) signed in the period in the clusters a
  unit organises: "12 cụm ký giao ước thi đua".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from congdoan.emulation.models import Registration
from congdoan.indicators.derived import register
from congdoan.indicators.selectors.units import chunks
from congdoan.meetings.models import Pledge

REGISTERED_GRASSROOTS = "emulation_registered_grassroots"
PLEDGES = "emulation_pledges"


@register(REGISTERED_GRASSROOTS, _("Grassroots unions registered for emulation (register)"))
def registered_grassroots(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for chunk in chunks(unit_ids):
        rows = (
            Registration.objects.filter(
                unit_id__any=chunk,
                unit__unit_type__is_grassroots=True,
                member__isnull=True,
                year__gte=period.start.year,
                year__lte=period.end.year,
                registered_on__lte=period.end,
            )
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=period.end))
            .values_list("unit_id", flat=True)
            .distinct()
        )
        out.update({u: Decimal(1) for u in rows})
    return out


@register(PLEDGES, _("Emulation pledges signed in the clusters organised (register)"))
def pledges(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for chunk in chunks(unit_ids):
        rows = (
            Pledge.objects.filter(
                cluster__organiser_id__any=chunk,
                signed_on__gte=period.start,
                signed_on__lte=period.end,
            )
            .values("cluster__organiser_id")
            .annotate(n=Count("pk"))
        )
        out.update({r["cluster__organiser_id"]: Decimal(r["n"]) for r in rows})
    return out
