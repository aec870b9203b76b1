"""Indicators derived from the register of movements and models (see
`congdoan.activities.registers` and `congdoan.indicators.derived`).

Four reads, one query each, grouped by unit, counting only the records of units that keep the
register ("movements") in the record's year (`registers.kept_q`). The first three are
`registers.measures` (aggregates that add up: over a subtree the engine reads them grouped by
path at the period's end, one query per subtree read):

- the activities: works (and those dedicated to a congress), models (and the "Dân vận khéo"
  ones), cultural and sports activities, training classes and their attendees, workplace
  dialogues, and whether a grassroots union held at least one propaganda session of a
  resolution (1 or 0: a union counts once however many sessions it held, and the engine adds
  the unions up over the subtrees);
- the new collective agreements (not renewals) signed in the period;
- the workers' and civil servants' conferences, which are meetings (`meetings.Meeting`, kinds
  WORKERS and CIVIL): counted from there, never from a second table;
- and, per unit, the enterprises with an agreement in force on the period's last day (`dn_co_tu`).
  It is a stock: it counts agreements signed before the period too, of the units keeping the
  register in the period's last year (`kept_in_year_q`, the year the engine asks `keepers`
  about; `kept_q` is for records dated in the period), so a unit that starts keeping the
  register records the agreements in force that it signed earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from congdoan.activities import registers
from congdoan.meetings.models import Meeting, MeetingKind
from congdoan.movements.models import REGISTER, Activity, ActivityKind, Agreement

WORKS = "movements_works"
CONGRESS_WORKS = "movements_congress_works"
MODELS = "movements_models"
DVK_MODELS = "movements_dvk_models"
CULTURE = "movements_culture"
CLASSES = "movements_classes"
TRAINEES = "movements_trainees"
DIALOGUES = "movements_dialogues"
PROPAGANDA_GRASSROOTS = "movements_propaganda_grassroots"
NEW_AGREEMENTS = "movements_new_agreements"
ENTERPRISES_WITH_AGREEMENT = "movements_enterprises_with_agreement"
WORKERS_CONFERENCES = "movements_workers_conferences"
CIVIL_CONFERENCES = "movements_civil_conferences"

DEFINITIONS = (
    WORKS,
    CONGRESS_WORKS,
    MODELS,
    DVK_MODELS,
    CULTURE,
    CLASSES,
    TRAINEES,
    DIALOGUES,
    PROPAGANDA_GRASSROOTS,
    NEW_AGREEMENTS,
    ENTERPRISES_WITH_AGREEMENT,
    WORKERS_CONFERENCES,
    CIVIL_CONFERENCES,
)


def _kind(kind: str, **more: Any) -> Q:
    return Q(kind=kind, **more)


def _count(q: Q) -> Count:
    return Count("pk", filter=q)


K = ActivityKind
# Additive measures (registers.measures): each unit's own counts, and over a subtree the same
# aggregates grouped by path at the period's end (one query per subtree read). A grassroots
# union that held propaganda sessions counts once: a distinct count of units, which adds up
# over subtrees since a unit lies in one of them.
registers.measures(
    REGISTER,
    lambda: Activity.objects.all(),
    {
        WORKS: (_("Emulation works and tasks (register)"), _count(_kind(K.WORK))),
        CONGRESS_WORKS: (
            _("Emulation works dedicated to a congress (register)"),
            _count(_kind(K.WORK, for_congress=True)),
        ),
        MODELS: (_("Replicated models (register)"), _count(_kind(K.MODEL))),
        DVK_MODELS: (
            _("“Dân vận khéo” models (register)"),
            _count(_kind(K.MODEL, dan_van_kheo=True)),
        ),
        CULTURE: (_("Cultural and sports activities (register)"), _count(_kind(K.CULTURE))),
        CLASSES: (_("Training classes (register)"), _count(_kind(K.TRAINING))),
        TRAINEES: (
            _("Attendees of training classes (register)"),
            Sum("participants", filter=_kind(K.TRAINING)),
        ),
        DIALOGUES: (_("Workplace dialogues (register)"), _count(_kind(K.DIALOGUE))),
        PROPAGANDA_GRASSROOTS: (
            _("Grassroots unions that propagated a resolution (register)"),
            Count(
                "unit",
                distinct=True,
                filter=_kind(K.PROPAGANDA, unit__unit_type__is_grassroots=True),
            ),
        ),
    },
    day="on",
)
registers.measures(
    REGISTER,
    lambda: Agreement.objects.all(),
    {NEW_AGREEMENTS: (_("New collective agreements signed (register)"), _count(Q(renewed=False)))},
    day="signed_on",
)
registers.measures(
    REGISTER,
    lambda: Meeting.objects.filter(kind__in=[MeetingKind.WORKERS, MeetingKind.CIVIL]),
    {
        WORKERS_CONFERENCES: (
            _("Workers' conferences (meetings)"),
            _count(Q(kind=MeetingKind.WORKERS)),
        ),
        CIVIL_CONFERENCES: (
            _("Civil servants' conferences (meetings)"),
            _count(Q(kind=MeetingKind.CIVIL)),
        ),
    },
    day="held_on",
)


def load_enterprises(unit_ids: Sequence[int], period: Any) -> dict[int, Decimal]:
    """Each unit's enterprises with an agreement in force on the period's last day, of the
    units keeping the register in that year (one query). Per unit, not additive in SQL: the same
    enterprise may be counted by two units, as their entered figures would."""
    end = period.end
    rows = (
        Agreement.objects.filter(
            registers.units_q(unit_ids), signed_on__lte=end, expires_on__gte=end
        )
        .filter(registers.kept_in_year_q(REGISTER, end.year))
        .values("unit_id")
        .annotate(n=Count("enterprise_key", distinct=True))
        .values_list("unit_id", "n")
    )
    return {unit_id: Decimal(n) for unit_id, n in rows}


registers.derive(
    REGISTER,
    load_enterprises,
    {
        ENTERPRISES_WITH_AGREEMENT: (
            _("Enterprises with a collective agreement in force (register)"),
            lambda found: found,
        )
    },
)
