"""Property tests of the roll-up: for random trees, values and workflow steps,

- every unit's total equals its own value plus the totals of the units directly below it, and
  equals the plain sum of the values in its subtree as the tree stood at the period's end
  (approved figures likewise);
- the totals kept incrementally equal a rebuild from scratch;
- reorganising the tree after the period (moves, merges, dissolutions) changes none of the
  period's totals, and a correction entered afterwards still reaches the units above as they
  were at the period's end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from congdoan.accounts.models import User
from congdoan.core.exceptions import RuleViolation
from congdoan.core.testing import unit_type
from congdoan.indicators import rollup, selectors, services
from congdoan.indicators.models import Indicator, PeriodKind, Sheet, SheetStatus, Total, Value
from congdoan.indicators.periods import period_get
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit, UnitVersion

START = dt.date(2020, 1, 1)
CODES = ("suat_qua", "tien_qua", "phat_trien_dv")
CHILD = {"ldld_tinh": "ldld_huyen", "ldld_huyen": "cdcs", "cdcs": "to_cd"}

tree_shape = st.lists(st.integers(0, 100), min_size=1, max_size=12)
entries = st.lists(
    st.tuples(
        st.integers(0, 100),
        st.sampled_from(CODES),
        st.one_of(st.none(), st.integers(0, 10**6)),
    ),
    min_size=1,
    max_size=25,
)
steps = st.lists(
    st.tuples(st.integers(0, 100), st.sampled_from(["submit", "approve", "lock", "reopen"])),
    max_size=15,
)
reorgs = st.lists(
    st.tuples(
        st.sampled_from(["move", "merge", "dissolve"]), st.integers(0, 100), st.integers(0, 100)
    ),
    max_size=6,
)


def expected_totals(day: dt.date) -> dict[tuple[int, str], tuple[Decimal, Decimal, int, int]]:
    """Plain sums over subtrees, from the values and the parents on `day` (no roll-up code)."""
    parents: dict[int, int | None] = {}
    for unit_id, parent_id, _valid_from in (
        UnitVersion.objects.filter(valid_from__lte=day)
        .order_by("valid_from")
        .values_list("unit_id", "parent_id", "valid_from")
    ):
        parents[unit_id] = parent_id  # the last version from on or before `day` wins
    out: dict[tuple[int, str], list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0])
    for v in Value.objects.select_related("indicator", "sheet"):
        approved = v.sheet.status in (SheetStatus.APPROVED, SheetStatus.LOCKED)
        node: int | None = v.unit_id
        while node is not None:
            row = out[(node, v.indicator.code)]
            row[0] += v.value
            row[1] += v.value if approved else 0
            row[2] += 1
            row[3] += int(approved)
            node = parents.get(node)
    # Totals are kept for units with units below them (the others' total is their own value).
    with_children = {p for p in parents.values() if p is not None}
    return {k: (r[0], r[1], r[2], r[3]) for k, r in out.items() if r[2] and k[0] in with_children}


def kept_totals(period) -> dict[tuple[int, str], tuple[Decimal, Decimal, int, int]]:
    return {
        (t.unit_id, t.indicator.code): (t.value, t.approved, t.units, t.approved_units)
        for t in Total.objects.filter(period=period).select_related("indicator")
    }


class RollupProperties(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(tree_shape, entries, steps, reorgs, entries)
    def test_totals_add_up_and_survive_reorganisation(
        self, shape, values, workflow, changes, later
    ):
        admin = User.objects.create_superuser(username="root-admin", password="x")
        root = org.unit_create_root(code="R", name="Gốc", unit_type=unit_type("tld"), day=START)
        province = org.unit_create(
            actor=None,
            parent=root,
            code="P",
            name="Tỉnh",
            unit_type=unit_type("ldld_tinh"),
            day=START,
        )
        units = [province]
        for serial, pick in enumerate(shape, start=1):
            parents = [u for u in units if u.unit_type.code in CHILD]
            parent = parents[pick % len(parents)]
            child_type = CHILD.get(parent.unit_type.code, "to_cd")
            units.append(
                org.unit_create(
                    actor=None,
                    parent=parent,
                    code=f"U{serial}",
                    name=f"Đơn vị {serial}",
                    unit_type=unit_type(child_type),
                    day=START,
                )
            )
        everyone = [root, *units]
        year = period_get(PeriodKind.YEAR, 2023)
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=CODES)}

        for pick, code, value in values:
            unit = everyone[pick % len(everyone)]
            # A sheet already submitted refuses the change, and nothing changes.
            with contextlib.suppress(RuleViolation):
                services.values_save(actor=admin, unit=unit, period=year, entries={code: value})
        for pick, action in workflow:
            sheet = Sheet.objects.filter(period=year).order_by("pk")
            if not sheet:
                break
            target = list(sheet)[pick % len(sheet)]
            try:
                if action == "submit":
                    services.sheet_submit(actor=admin, sheet=target)
                elif action == "approve":
                    services.sheet_approve(actor=admin, sheet=target)
                elif action == "lock":
                    services.sheet_lock(actor=admin, sheet=target)
                else:
                    services.sheet_reopen(actor=admin, sheet=target, reason="Sửa số liệu")
            except RuleViolation:
                pass

        kept = kept_totals(year)
        assert kept == expected_totals(year.end)
        # A unit's total is its own value plus its children's totals.
        own = {
            (v.unit_id, v.indicator.code): v.value
            for v in Value.objects.select_related("indicator")
        }
        for unit in everyone:
            for code in CODES:
                children = list(Unit.objects.filter(parent=unit).values_list("pk", flat=True))
                # A child's total: kept, or its own value when nothing is below it.
                parts = own.get((unit.pk, code), Decimal(0)) + sum(
                    (
                        kept[(c, code)][0] if (c, code) in kept else own.get((c, code), Decimal(0))
                        for c in children
                    ),
                    Decimal(0),
                )
                if children:
                    assert kept.get((unit.pk, code), (Decimal(0),))[0] == parts
                else:
                    assert (unit.pk, code) not in kept
                # And the engine's figure is that total.
                figure = selectors.unit_figures(unit.pk, year, [indicators[code]])[code]
                assert (figure.value or Decimal(0)) == parts
        assert rollup.differences(year) == []

        # Reorganise after the period: the period's totals do not move.
        day = dt.date(2024, 3, 1)
        for kind, a, b in changes:
            alive = list(
                Unit.objects.filter(dissolved_on__isnull=True, depth__gte=3).order_by("pk")
            )
            if not alive:
                break
            unit = alive[a % len(alive)]
            other = [province, *alive][b % (len(alive) + 1)]
            try:
                if kind == "move":
                    org.unit_move(actor=None, unit=unit, new_parent=other, day=day)
                elif kind == "merge" and other != unit and other != province:
                    org.units_merge(actor=None, sources=[unit], target=other, day=day)
                elif kind == "dissolve":
                    org.unit_dissolve(
                        actor=None, unit=unit, day=day, members_to=None, children_to=None
                    )
            except RuleViolation:
                pass
            day += dt.timedelta(days=7)
        assert kept_totals(year) == kept
        rollup.rebuild([year])
        assert kept_totals(year) == kept

        # Corrections after the reorganisation still follow the tree of the period's end.
        for pick, code, value in later:
            unit = everyone[pick % len(everyone)]
            with contextlib.suppress(RuleViolation):
                services.values_save(actor=admin, unit=unit, period=year, entries={code: value})
        assert kept_totals(year) == expected_totals(year.end)
        assert rollup.differences(year) == []
