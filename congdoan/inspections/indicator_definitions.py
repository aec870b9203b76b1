"""Derived indicators of the inspections and complaints registers (see
`congdoan.activities.registers`).

For each kind of inspection or supervision, two figures of a unit over a period:

- events (*cuộc*): the inspections of that kind the unit conducted whose **start date** lies in
  the period (an inspection running from December to January counts in December's year, once);
- units (*đơn vị*): the **distinct** units and outside bodies covered by those inspections. A
  unit inspected twice by the same conducting unit in the period counts once for it; a unit of
  the tree is the same unit by its id, a body outside the tree by its name (case, diacritics and
  spacing ignored). Over a subtree the engine adds these figures up per conducting unit: a
  grassroots union inspected by its district in March and by the province in May counts once
  for each, twice in the province's total — the way reports add "tại 119 đơn vị" up the tree.

They feed the catalogue's entered indicators (kt_dieu_le_cuoc / _dv, kt_tai_chinh_…, kt_qcdc_…,
giam_sat_…, gs_217_…: `migrations/0002_derivations`) for the units keeping the register. An
inspection of the handling of complaints has no indicator of its own (the report section tells
it); `khieu_nai` counts the cases of complaint or denunciation a unit **resolved** in the period
(by the day resolved), from the complaints register.

Each load is one query grouped by unit (and kind), counting only the records of units keeping the
register in the record's year (`registers.kept_q`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.inspections.models import Complaint, Inspection, InspectionKind

REGISTER = "inspections"
COMPLAINTS = "complaints"

# kind → (indicator code prefix, events definition, units definition, labels)
KINDS: dict[str, tuple[str, str, str, Promise, Promise]] = {
    InspectionKind.CHARTER: (
        "kt_dieu_le",
        "inspections_charter_events",
        "inspections_charter_units",
        _("Charter compliance inspections (register)"),
        _("Units inspected for Charter compliance (register)"),
    ),
    InspectionKind.FINANCE: (
        "kt_tai_chinh",
        "inspections_finance_events",
        "inspections_finance_units",
        _("Inspections of finance and assets (register)"),
        _("Units inspected for finance and assets (register)"),
    ),
    InspectionKind.DEMOCRACY: (
        "kt_qcdc",
        "inspections_democracy_events",
        "inspections_democracy_units",
        _("Inspections of the grassroots democracy rules (register)"),
        _("Units inspected for the grassroots democracy rules (register)"),
    ),
    InspectionKind.POLICY: (
        "giam_sat",
        "supervisions_policy_events",
        "supervisions_policy_units",
        _("Supervisions of policy implementation (register)"),
        _("Units supervised (register)"),
    ),
    InspectionKind.PARTY_217: (
        "gs_217",
        "supervisions_217_events",
        "supervisions_217_units",
        _("Supervisions under Decision 217-QĐ/TW (register)"),
        _("Units supervised under Decision 217-QĐ/TW (register)"),
    ),
}
COMPLAINTS_RESOLVED = "complaints_resolved"
INSPECTION_DEFINITIONS = tuple(name for k in KINDS.values() for name in (k[1], k[2]))
COMPLAINT_DEFINITIONS = (COMPLAINTS_RESOLVED,)
# indicator code → definition (the data migration's map; kept equal to it by a test)
DERIVATIONS = {
    **{f"{prefix}_cuoc": events for prefix, events, _u, _l1, _l2 in KINDS.values()},
    **{f"{prefix}_dv": units for prefix, _e, units, _l1, _l2 in KINDS.values()},
    "khieu_nai": COMPLAINTS_RESOLVED,
}

Counts = dict[tuple[int, str], tuple[int, int]]  # (unit, kind) → (events, distinct units)


def load(unit_ids: Sequence[int], period: Any) -> Counts:
    """Each unit's own inspections by kind: events and distinct units covered."""
    rows = (
        Inspection.objects.filter(registers.units_q(unit_ids))
        .filter(registers.kept_q(REGISTER, period.start, period.end, day="started_on"))
        .order_by()
        .values("unit_id", "kind")
        .annotate(events=Count("pk", distinct=True), units=Count("targets__key", distinct=True))
        .values_list("unit_id", "kind", "events", "units")
    )
    return {(u, kind): (events, units) for u, kind, events, units in rows}


def _pick(kind: str, position: int) -> Callable[[Counts], dict[int, Decimal]]:
    def pick(counts: Counts) -> dict[int, Decimal]:
        return {u: Decimal(c[position]) for (u, k), c in counts.items() if k == kind}

    return pick


def load_complaints(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    """Each unit's cases of complaint or denunciation resolved in the period."""
    rows = (
        Complaint.objects.filter(registers.units_q(unit_ids))
        .filter(registers.kept_q(COMPLAINTS, period.start, period.end, day="resolved_on"))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    return {u: Decimal(n) for u, n in rows}


registers.derive(
    REGISTER,
    load,
    {
        name: (label, _pick(kind, position))
        for kind, (_prefix, events, units, events_label, units_label) in KINDS.items()
        for name, label, position in ((events, events_label, 0), (units, units_label, 1))
    },
)
registers.derive(
    COMPLAINTS,
    load_complaints,
    {COMPLAINTS_RESOLVED: (_("Complaints and denunciations resolved (register)"), lambda d: d)},
)
