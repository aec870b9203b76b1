"""Property tests of the roll-up: for random trees, values and workflow steps,

- every unit's total equals its own value plus the totals of the units directly below it, and
  equals the plain sum of the values in its subtree as the tree stood at the period's end
  (approved figures likewise);
- the totals kept incrementally equal a rebuild from scratch;
- reorganising the tree after the period (moves, merges, dissolutions) changes none of the
  period's totals, and a correction entered afterwards still reaches the units above as they
  were at the period's end;
- tree changes dated inside the period (creations, moves, merges, splits, dissolutions),
  interleaved with entries and approvals, keep the incremental totals equal to a rebuild and
  to plain sums over the tree at the period's end — for the period and for a part of it that
  ends before some of the changes.
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
from congdoan.core.tests.support import unit_type
from congdoan.indicators import rollup, selectors, services
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    Sheet,
    SheetStatus,
    Total,
    Value,
)
from congdoan.indicators.periods import period_open
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
tree_ops = st.lists(
    st.tuples(
        st.sampled_from(
            ["value", "value", "value", "approve", "create", "move", "merge", "split", "dissolve"]
        ),
        st.integers(0, 100),
        st.integers(0, 100),
        st.sampled_from(CODES),
        st.one_of(st.integers(1, 10**6), st.integers(0, 10**6), st.none()),
    ),
    min_size=4,
    max_size=24,
)


def expected_totals(
    day: dt.date, period: Period | None = None
) -> dict[tuple[int, str], tuple[Decimal, Decimal, int, int]]:
    """Plain sums over subtrees, from the values (of `period`, or all) and the parents on `day`
    (no roll-up code)."""
    parents: dict[int, int | None] = {}
    for unit_id, parent_id, _valid_from in (
        UnitVersion.objects.filter(valid_from__lte=day)
        .order_by("valid_from")
        .values_list("unit_id", "parent_id", "valid_from")
    ):
        parents[unit_id] = parent_id  # the last version from on or before `day` wins
    out: dict[tuple[int, str], list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0, 0])
    values = Value.objects.select_related("indicator", "sheet")
    for v in values.filter(period=period) if period is not None else values:
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
        year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
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

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(tree_shape, tree_ops)
    def test_tree_changes_inside_the_period_keep_totals_equal_to_a_rebuild(self, shape, ops):
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
            units.append(
                org.unit_create(
                    actor=None,
                    parent=parent,
                    code=f"U{serial}",
                    name=f"Đơn vị {serial}",
                    unit_type=unit_type(CHILD.get(parent.unit_type.code, "to_cd")),
                    day=START,
                )
            )
        year = period_open(actor=None, kind=PeriodKind.YEAR, year=2023)
        half = period_open(
            actor=None, kind=PeriodKind.HALF, year=2023, number=1
        )  # ends before the later changes
        day = dt.date(2023, 1, 20)
        for serial, (kind, a, b, code, value) in enumerate(ops, start=1):
            day += dt.timedelta(days=12)
            active = list(
                Unit.objects.filter(dissolved_on__isnull=True, depth__gte=2)
                .select_related("unit_type__level")
                .order_by("pk")
            )
            everyone = list(Unit.objects.order_by("pk"))
            alive = active[1:]  # below the province
            unit = (alive or everyone)[a % len(alive or everyone)]
            # Units that may receive it: above its level, outside it, not already its parent.
            above = [
                u
                for u in active
                if u.unit_type.level.rank < unit.unit_type.level.rank
                and not u.path.startswith(unit.path)
            ] or [province]
            other = above[b % len(above)]
            period = year if b % 2 else half
            try:
                if kind == "value":
                    unit = everyone[a % len(everyone)]
                    services.values_save(
                        actor=admin, unit=unit, period=period, entries={code: value}
                    )
                elif kind == "approve":
                    sheet = Sheet.objects.filter(unit=unit, period=period).first()
                    if sheet is not None:
                        services.sheet_submit(actor=admin, sheet=sheet)
                        services.sheet_approve(actor=admin, sheet=sheet)
                elif kind == "create" and any(u.unit_type.code in CHILD for u in active):
                    parents = [u for u in active if u.unit_type.code in CHILD]
                    parent = parents[a % len(parents)]
                    org.unit_create(
                        actor=None,
                        parent=parent,
                        code=f"N{serial}",
                        name=f"Đơn vị mới {serial}",
                        unit_type=unit_type(CHILD[parent.unit_type.code]),
                        day=day,
                    )
                elif kind == "move":
                    elsewhere = [u for u in above if u.pk != unit.parent_id] or above
                    new_parent = elsewhere[b % len(elsewhere)]
                    org.unit_move(actor=None, unit=unit, new_parent=new_parent, day=day)
                elif kind == "merge" and other != unit:
                    org.units_merge(actor=None, sources=[unit], target=other, day=day)
                elif kind == "split" and len(above) >= 2:
                    second = above[(b + 1) % len(above)]
                    org.unit_split(actor=None, source=unit, targets=[other, second], day=day)
                elif kind == "dissolve":
                    org.unit_dissolve(
                        actor=None, unit=unit, day=day, children_to=other if b % 3 else None
                    )
            except RuleViolation:
                pass
        for period in (half, year):
            assert kept_totals(period) == expected_totals(period.end, period)
            assert rollup.differences(period) == []
