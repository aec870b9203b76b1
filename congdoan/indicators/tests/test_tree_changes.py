"""Targets and totals when the tree changes inside a running or a past period.

- Totals: every kind of tree change (move, create under a unit with values, dissolve, merge,
  split, a parent written by `record_versions`, a rename), dated inside the running year or
  backdated into a past one, leaves each period's totals equal to a rebuild and the figures read
  by `selectors.unit_figures` equal to plain sums over the tree at the period's end; periods that
  ended before the change keep every total. A move touches a bounded number of queries and rows.
- Targets: a merged, split or dissolved unit hands its targets of the periods still open to the
  receiving unit, with the actor in the history and a line in the change set; a dry run changes
  nothing but reports the line.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from congdoan.core.tests.support import START, unit_type
from congdoan.indicators import rollup, selectors, services
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    Sheet,
    Target,
    Total,
    Value,
)
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import assign_target
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit, UnitVersion

D = Decimal
CODES = ("suat_qua", "tien_qua")
PAST = dt.date(2024, 6, 15)  # inside the year 2024, after its first quarter


def today() -> dt.date:
    return timezone.localdate()


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


@pytest.fixture
def periods(world) -> list[Period]:
    """Figures of the first quarter of 2024, of 2024 and of the running year, for most units;
    the sheets of B1 approved."""
    world.extra["hc"] = org.unit_create(
        actor=None,
        parent=world.province,
        code="HC",
        name="LĐLĐ huyện Gamma",
        unit_type=unit_type("ldld_huyen"),
        day=START,
    )
    out = [
        period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=1),
        period_open(actor=None, kind=PeriodKind.YEAR, year=2024),
        period_open(actor=None, kind=PeriodKind.YEAR, year=today().year),
    ]
    figures = {
        world.province: 1,
        world.unit_a: 2,
        world.grass_a1: 10,
        world.group_a1: 20,
        world.grass_a2: 40,
        world.unit_b: 80,
        world.grass_b1: 160,
    }
    for n, period in enumerate(out, start=1):
        services.values_save_many(
            actor=world.national,
            period=period,
            entries_by_unit={
                u: {"suat_qua": v * n, "tien_qua": v * n * 1000} for u, v in figures.items()
            },
        )
        sheet = Sheet.objects.get(unit=world.grass_b1, period=period)
        services.sheet_submit(actor=world.national, sheet=sheet)
        services.sheet_approve(actor=world.national, sheet=sheet)
    return out


def kept(period: Period) -> dict[tuple[int, int], tuple]:
    return {
        (t.unit_id, t.indicator_id): (t.pk, t.value, t.approved, t.units, t.approved_units)
        for t in Total.objects.filter(period=period)
    }


def plain_sums(period: Period, code: str) -> dict[int, Decimal]:
    """Each unit's subtree sum on the period's last day, from the values and the parents."""
    parents: dict[int, int | None] = {}
    for unit_id, parent_id in (
        UnitVersion.objects.filter(valid_from__lte=period.end)
        .order_by("valid_from")
        .values_list("unit_id", "parent_id")
    ):
        parents[unit_id] = parent_id  # the last version on or before the end wins
    out: dict[int, Decimal] = defaultdict(Decimal)
    for unit_id, value in Value.objects.filter(period=period, indicator__code=code).values_list(
        "unit_id", "value"
    ):
        node: int | None = unit_id
        while node is not None:
            out[node] += value
            node = parents.get(node)
    return out


def check(period: Period) -> None:
    assert rollup.differences(period) == []
    inds = list(Indicator.objects.filter(code__in=CODES))
    figures = selectors.figures(list(Unit.objects.values_list("pk", flat=True)), period, inds)
    for code in CODES:
        sums = plain_sums(period, code)
        for unit_id, figs in figures.items():
            assert (figs[code].value or D(0)) == sums.get(unit_id, D(0)), (unit_id, code)


def change(world, kind: str, day: dt.date) -> None:
    if kind == "move":  # a grassroots union with a union group below it
        org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=day)
    elif kind == "create":  # the first unit below a grassroots union with figures
        org.unit_create(
            actor=None,
            parent=world.grass_a2,
            code="A2T1",
            name="Tổ CĐ mới",
            unit_type=unit_type("to_cd"),
            day=day,
        )
    elif kind == "dissolve":  # B loses its only unit below
        org.unit_dissolve(
            actor=None,
            unit=world.unit_b,
            day=day,
            members_to=world.unit_a,
            children_to=world.unit_a,
        )
    elif kind == "dissolve_leaf":  # no receiving unit: the tree does not change
        org.unit_dissolve(actor=None, unit=world.group_a1, day=day)
    elif kind == "merge":
        org.units_merge(actor=None, sources=[world.unit_b], target=world.unit_a, day=day)
    elif kind == "split":
        org.unit_split(
            actor=None,
            source=world.unit_a,
            targets=[world.unit_b, world.extra["hc"]],
            child_targets={world.grass_a1.pk: world.extra["hc"]},
            day=day,
        )
    elif kind == "record_versions":  # any writer of placements, here without a service
        unit = fresh(world.grass_a2)
        Unit.objects.move(unit, fresh(world.grass_b1).parent, "last-child")
        unit = fresh(unit)
        unit.parent = world.unit_b
        unit.save(update_fields=["parent"])
        org.record_versions([unit.pk], day, None)
    elif kind == "rename":
        org.unit_update(actor=None, unit=world.unit_a, day=day, name="LĐLĐ huyện Alpha mới")
    else:
        raise AssertionError(kind)


KINDS = ["move", "create", "dissolve", "dissolve_leaf", "merge", "split", "record_versions"]


@pytest.mark.parametrize("when", ["running", "backdated"])
@pytest.mark.parametrize("kind", [*KINDS, "rename"])
def test_totals_follow_a_tree_change(world, periods, kind, when):
    day = today() if when == "running" else PAST
    before = {p.pk: kept(p) for p in periods}
    change(world, kind, day)
    for period in periods:
        check(period)
        if period.end < day:  # the change came after the period: not one total moved
            assert kept(period) == before[period.pk]
    hit = [p for p in periods if p.end >= day]
    assert hit, "the change lies inside at least one period"
    for period in hit:
        units_with_totals = set(
            Total.objects.filter(period=period).values_list("unit_id", flat=True)
        )
        if kind == "create":
            assert world.grass_a2.pk in units_with_totals
        if kind in ("dissolve", "merge"):
            assert world.unit_b.pk not in units_with_totals
        if kind == "split":
            assert world.unit_a.pk not in units_with_totals
            assert world.extra["hc"].pk in units_with_totals
        if kind == "move":
            b = selectors.unit_figures(world.unit_b.pk, period, None)["suat_qua"]
            n = periods.index(period) + 1
            assert b.value == (80 + 160 + 10 + 20) * n
            assert (b.units, b.approved_units) == (4, 1)


def test_a_change_after_a_period_changes_none_of_its_totals(world, periods):
    """Backdated into 2024 after its first quarter: the quarter's rows stay as they were (same
    rows, same figures), the year's follow the change."""
    quarter, year = periods[0], periods[1]
    before_quarter, before_year = kept(quarter), kept(year)
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=PAST)
    assert kept(quarter) == before_quarter
    assert kept(year) != before_year
    check(year)


def test_many_changes_in_a_row_stay_equal_to_a_rebuild(world, periods):
    day = PAST
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=day)
    org.unit_create(
        actor=None,
        parent=world.grass_a2,
        code="A2T1",
        name="Tổ CĐ mới",
        unit_type=unit_type("to_cd"),
        day=day + dt.timedelta(days=1),
    )
    org.units_merge(
        actor=None, sources=[world.unit_b], target=world.extra["hc"], day=day + dt.timedelta(2)
    )
    # Unit moved and dissolved on the same day: its version is withdrawn, it stands where it was.
    moved = org.unit_move(
        actor=None, unit=world.grass_a2, new_parent=world.extra["hc"], day=day + dt.timedelta(3)
    )
    org.unit_dissolve(
        actor=None, unit=moved, day=day + dt.timedelta(3), children_to=world.extra["hc"]
    )
    services.values_save(
        actor=world.national, unit=world.group_a1, period=periods[1], entries={"suat_qua": 7}
    )
    for period in periods:
        check(period)


def _province(world, code: str, districts: int, per_district: int) -> list[Unit]:
    """A province of `districts` × `per_district` grassroots unions, with the running year's
    figures for every unit."""
    cdcs, huyen = unit_type("cdcs"), unit_type("ldld_huyen")
    province = org.unit_create(
        actor=None,
        parent=world.root,
        code=code,
        name=f"LĐLĐ tỉnh {code}",
        unit_type=unit_type("ldld_tinh"),
        day=START,
    )
    tops = [
        org.unit_create(
            actor=None,
            parent=province,
            code=f"{code}D{d}",
            name=f"Huyện {d}",
            unit_type=huyen,
            day=START,
        )
        for d in range(districts)
    ]
    grass = [
        org.unit_create(
            actor=None,
            parent=top,
            code=f"{top.code}G{g}",
            name=f"CĐCS {g}",
            unit_type=cdcs,
            day=START,
        )
        for top in tops
        for g in range(per_district)
    ]
    services.values_save_many(
        actor=world.national,
        period=period_open(actor=None, kind=PeriodKind.YEAR, year=today().year),
        entries_by_unit={
            u: {"suat_qua": i, "tien_qua": i * 1000, "phat_trien_dv": 1}
            for i, u in enumerate([province, *tops, *grass], start=1)
        },
    )
    return [province, *tops]


def _move(world, province: Unit, tops: list[Unit]) -> tuple[int, int]:
    """Move a grassroots union to another district; (queries, writes of totals)."""
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=today().year)
    # The rows above the two districts stay as they were (same rows, same figures).
    above = {k: v for k, v in kept(period).items() if k[0] in (province.pk, world.root.pk)}
    unit = Unit.objects.get(code=f"{tops[0].code}G1")
    with CaptureQueriesContext(connection) as ctx:
        org.unit_move(actor=None, unit=unit, new_parent=tops[1], day=today())
    assert {k: v for k, v in kept(period).items() if k[0] in (province.pk, world.root.pk)} == above
    check(period)
    writes = [
        q
        for q in ctx.captured_queries
        if Total._meta.db_table in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "DELETE", "UPDATE"))
    ]
    return len(ctx.captured_queries), len(writes)


def test_a_move_costs_the_same_in_a_small_and_a_large_province(world):
    small_province, *small_tops = _province(world, "PS", 3, 4)
    large_province, *large_tops = _province(world, "PL", 3, 40)
    small = _move(world, small_province, small_tops)
    large = _move(world, large_province, large_tops)
    assert small == large
    queries, writes = large
    assert writes == 2  # the changed rows of the two districts: one delete, one insert
    # The move itself (about 28: units, versions, event, history) and the refresh of the
    # running year (about 15, whatever the size of the tree).
    assert queries <= 45, queries


# --- targets of a unit that is merged, split or dissolved ----------------------------------------


def ind(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def targets_of(unit: Unit) -> dict[tuple[str, str], Decimal]:
    return {
        (t.period.name, t.indicator.code): t.value
        for t in Target.objects.filter(unit=unit).select_related("period", "indicator")
    }


@pytest.fixture
def targets(world) -> dict[str, Period]:
    """B's targets for the first quarter of 2024, 2024 and the running year; A's for the
    running year (one summed indicator and one ratio)."""
    world.extra["hc"] = org.unit_create(
        actor=None,
        parent=world.province,
        code="HC",
        name="LĐLĐ huyện Gamma",
        unit_type=unit_type("ldld_huyen"),
        day=START,
    )
    out = {
        "quarter": period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=1),
        "past": period_open(actor=None, kind=PeriodKind.YEAR, year=2024),
        "year": period_open(actor=None, kind=PeriodKind.YEAR, year=today().year),
    }

    def assign(unit: Unit, code: str, period: Period, value: int) -> None:
        assign_target(
            actor=world.national, unit=unit, indicator=ind(code), period=period, value=value
        )

    for period in out.values():
        assign(world.unit_b, "suat_qua", period, 10)
    assign(world.unit_b, "tien_qua", out["year"], 1000)
    assign(world.unit_b, "ty_le_cdcs_tuyen_truyen", out["year"], 80)
    assign(world.unit_a, "suat_qua", out["year"], 5)
    assign(world.unit_a, "ty_le_cdcs_tuyen_truyen", out["year"], 90)
    services.values_save(
        actor=world.national, unit=world.unit_b, period=out["year"], entries={"suat_qua": 3}
    )
    return out


def test_a_merge_adds_the_targets_of_the_open_periods_up(world, targets):
    year, past, quarter = targets["year"].name, targets["past"].name, targets["quarter"].name
    changes = org.ChangeSet()
    org.units_merge(
        actor=world.national,
        sources=[world.unit_b],
        target=world.unit_a,
        day=today(),
        changes=changes,
    )
    assert targets_of(world.unit_a) == {
        (year, "suat_qua"): D(15),  # 5 + 10
        (year, "tien_qua"): D(1000),  # taken over
        (year, "ty_le_cdcs_tuyen_truyen"): D(90),  # a ratio: A keeps its own
    }
    # Periods over before the merge keep B's targets; the open one's went to A.
    assert targets_of(world.unit_b) == {(past, "suat_qua"): D(10), (quarter, "suat_qua"): D(10)}
    created = Target.objects.get(unit=world.unit_a, indicator__code="tien_qua")
    assert created.assigned_by_id == world.province.pk
    # Who and when: a history row per target written or removed, with the actor.
    rows = Target.history.filter(history_change_reason="target_handover")
    assert {(r.unit_id, r.history_type) for r in rows} == {
        (world.unit_a.pk, "~"),
        (world.unit_a.pk, "+"),
        (world.unit_b.pk, "-"),
    }
    assert rows.count() == 5
    assert {r.history_user_id for r in rows} == {world.national.pk}
    # B's values stay B's.
    assert Value.objects.filter(unit=world.unit_b, indicator__code="suat_qua").count() == 1
    [line] = [c for c in changes.items if c.kind == "target_transfer"]
    assert (line.unit, line.count) == ("HB", 3)
    assert "HB" in line.text and "HA" in line.text


def test_a_backdated_merge_hands_over_the_targets_of_periods_open_on_its_day(world, targets):
    org.units_merge(actor=None, sources=[world.unit_b], target=world.unit_a, day=PAST)
    assert targets_of(world.unit_b) == {(targets["quarter"].name, "suat_qua"): D(10)}
    assert targets_of(world.unit_a)[(targets["past"].name, "suat_qua")] == D(10)
    assert targets_of(world.unit_a)[(targets["year"].name, "suat_qua")] == D(15)
    # Without an actor (a system job) the history rows name nobody.
    rows = Target.history.filter(history_change_reason="target_handover")
    assert rows.exists() and not rows.filter(history_user__isnull=False).exists()


def test_a_dry_run_changes_nothing_but_reports_the_handover(world, targets):
    def state():
        return (
            sorted(Target.objects.values_list("unit_id", "indicator_id", "period_id", "value")),
            sorted(Total.objects.values_list("unit_id", "indicator_id", "period_id", "value")),
            sorted(Value.objects.values_list("unit_id", "indicator_id", "period_id", "value")),
            Target.history.count(),
        )

    before = state()
    changes = org.dry_run(
        org.units_merge,
        actor=world.national,
        sources=[world.unit_b],
        target=world.unit_a,
        day=today(),
    )
    assert state() == before
    [line] = [c for c in changes.items if c.kind == "target_transfer"]
    assert line.count == 3


def test_a_split_hands_the_targets_to_the_first_receiving_unit(world, targets):
    hc, year = world.extra["hc"], targets["year"].name
    changes = org.ChangeSet()
    org.unit_split(
        actor=world.national,
        source=world.unit_b,
        targets=[hc, world.unit_a],
        day=today(),
        changes=changes,
    )
    assert targets_of(hc) == {
        (year, "suat_qua"): D(10),
        (year, "tien_qua"): D(1000),
        (year, "ty_le_cdcs_tuyen_truyen"): D(80),
    }
    assert targets_of(world.unit_a)[(year, "suat_qua")] == D(5)
    assert [c.count for c in changes.items if c.kind == "target_transfer"] == [3]


def test_a_dissolution_without_a_receiving_unit_keeps_the_targets(world, targets):
    year = targets["year"]
    assign_target(
        actor=world.national, unit=world.grass_b1, indicator=ind("suat_qua"), period=year, value=4
    )
    changes = org.ChangeSet()
    org.unit_dissolve(actor=None, unit=world.grass_b1, day=today(), changes=changes)
    assert targets_of(world.grass_b1) == {(year.name, "suat_qua"): D(4)}
    assert not [c for c in changes.items if c.kind == "target_transfer"]
