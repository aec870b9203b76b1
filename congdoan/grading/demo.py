"""Demo gradings of the grassroots unions of LĐLĐ tỉnh Lai Châu, built through the services
(actor None: system work).

`load(today=…)` grades every grassroots union of the province for the last full year (the
period ending in `today.year - 1`: the calendar year, or the school year for education unions
under the education scheme), graded by its parent, with a realistic spread of categories: about
a quarter excellent, half good, a fifth completed and one in twenty not completed, the points of
each criterion varying a little around the union's level. Unions founded less than the scheme's
months before the period's end are left ungraded (the service refuses them). Nine in ten
gradings are confirmed by a decision of mid-January. Deterministic; returns the number of
gradings created (nothing when the province is missing or already has gradings).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q

from congdoan.core.exceptions import RuleViolation
from congdoan.core.scoping import path_range_q
from congdoan.grading import selectors, services
from congdoan.grading.models import Grading
from congdoan.organisation.models import Unit

PROVINCE = "LC"
# Share of the maximum points by level, in twenty: 5 excellent, 10 good, 4 completed, 1 not.
LEVELS = [0.95] * 5 + [0.8] * 10 + [0.62] * 4 + [0.4]
HALF = Decimal("0.5")


def _points(maximum: Decimal, share: float, rng: random.Random) -> Decimal:
    value = Decimal(str(float(maximum) * min(1.0, max(0.0, share + rng.uniform(-0.06, 0.06)))))
    return min(maximum, (value / HALF).quantize(Decimal(1)) * HALF)


def load(*, today: dt.date, province_code: str = PROVINCE) -> int:
    """Add the demo gradings (see the module's docstring); the number created."""
    province = Unit.objects.filter(code=province_code).first()
    if province is None:
        return 0
    if Grading.objects.filter(path_range_q("unit__path", province.path)).exists():
        return 0
    year = today.year - 1
    end = dt.date(year, 12, 31)
    unions = (
        Unit.objects.filter(path_range_q("path", province.path), unit_type__is_grassroots=True)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
        .select_related("unit_type", "sector", "ownership")
        .order_by("path")
    )
    decided = min(today, dt.date(today.year, 1, 15))
    sheets: dict[int, list[selectors.Block]] = {}
    created = 0
    for index, unit in enumerate(unions):
        scheme = selectors.scheme_for(unit, year)
        if scheme is None:
            continue
        rng = random.Random(f"{unit.code}-{year}")  # noqa: S311 - a demo spread, not a secret
        share = LEVELS[rng.randrange(len(LEVELS))]
        scores = {
            block_line.criterion.code: _points(block_line.criterion.max_points, share, rng)
            for block in sheets.setdefault(scheme.pk, selectors.sheet(scheme))
            for block_line in block.lines
        }
        try:
            grading = services.grading_create(
                actor=None, unit=unit, year=year, scheme=scheme, scores=scores
            )
        except RuleViolation:
            continue  # too young, or no unit above it to grade it
        created += 1
        if index % 10 != 9 and decided >= grading.period_start:
            number = f"{(index // 40) + 1:02d}/QĐ-CĐ"
            services.grading_confirm(
                actor=None, grading=grading, decision_number=number, decision_date=decided
            )
    return created
