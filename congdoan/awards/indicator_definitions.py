"""Indicators derived from the awards (see `congdoan.indicators.derived`): what the units of a
subtree and their members received in the period, by form and by issuer — the figures a
congress report states ("20 Kỷ niệm chương; 12 Cờ thi đua; Bằng khen cho 61 tập thể, 199 cá
nhân").

One load per read, grouped by the unit that owns each award: the receiving unit, the member's
unit (as it is now: a member who moved counts where they are), or, for a recipient outside the
union, the unit that recorded the decision. Awards count in the period their decision was
signed. Not a register that units choose to keep: every unit's awards count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from congdoan.activities.registers import WHOLE_TREE
from congdoan.awards.models import Award, IssuerLevel, Kind
from congdoan.indicators import derived

Loaded = dict[str, dict[int, Decimal]]
COLLECTIVE = Q(unit__isnull=False) | Q(outside_kind="body")

# name: (label, filter over the awards)
PICKS: dict[str, tuple[Any, Q]] = {
    "awards_flags": (_("Emulation flags received"), Q(form__kind=Kind.FLAG)),
    "awards_merit_collective": (
        _("Certificates of merit received by collectives"),
        Q(form__kind=Kind.CERTIFICATE_OF_MERIT) & COLLECTIVE,
    ),
    "awards_merit_individual": (
        _("Certificates of merit received by individuals"),
        Q(form__kind=Kind.CERTIFICATE_OF_MERIT) & ~COLLECTIVE,
    ),
    "awards_certificate_collective": (
        _("Certificates of commendation received by collectives"),
        Q(form__kind=Kind.CERTIFICATE) & COLLECTIVE,
    ),
    "awards_certificate_individual": (
        _("Certificates of commendation received by individuals"),
        Q(form__kind=Kind.CERTIFICATE) & ~COLLECTIVE,
    ),
    "awards_medals": (_("Commemorative medals received"), Q(form__kind=Kind.MEDAL)),
    "awards_creative_labour": (
        _("Creative labour certificates received"),
        Q(form__kind=Kind.CREATIVE_LABOUR),
    ),
    "awards_from_confederation": (
        _("Awards of the Confederation received"),
        Q(form__issuer_level=IssuerLevel.CONFEDERATION),
    ),
    "awards_from_province": (
        _("Awards of the provincial federation or sector union received"),
        Q(form__issuer_level=IssuerLevel.PROVINCE_OR_SECTOR),
    ),
    "awards_from_outside": (
        _("Awards from outside the union received"),
        Q(form__issuer_level=IssuerLevel.OUTSIDE),
    ),
}


def load(unit_ids: Sequence[int], period: Any) -> Loaded:
    """Per definition, per owning unit: the awards of decisions signed in the period."""
    rows = Award.objects.filter(decision__signed_on__range=(period.start, period.end)).annotate(
        owner=Coalesce("unit_id", "member__unit_id", "decision__recorded_by_unit_id")
    )
    if len(unit_ids) <= WHOLE_TREE:  # a national read takes every row (`own_values` filters)
        rows = rows.filter(owner__any=list(unit_ids))
    aggregates = {name: Count("pk", filter=q) for name, (_label, q) in PICKS.items()}
    result: Loaded = defaultdict(dict)
    for found in rows.order_by().values("owner").annotate(**aggregates):
        row = cast(dict[str, Any], found)
        for name in PICKS:
            if row[name]:
                result[name][row["owner"]] = Decimal(row[name])
    return result


def _pick(name: str) -> Callable[[Loaded], dict[int, Decimal]]:
    return lambda loaded: loaded.get(name, {})


derived.register_shared(load, {name: (label, _pick(name)) for name, (label, _q) in PICKS.items()})
