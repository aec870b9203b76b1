"""The derived indicators of the inspections and complaints registers.

Property: for random inspections and complaints (random conducting units of the standard tree,
random units and outside bodies covered, dates around the period's boundaries), random keeping
of the registers and random entered figures of the units that do not keep them, each unit's own
derived figure equals a direct count over the register (events; distinct units per conducting
unit; cases resolved), and every subtree total (`indicators.selectors.figures`) equals the sum
over its units of what they keep or enter, each once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congdoan.activities import services as activities
from congdoan.indicators import derived, selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.inspections import indicator_definitions as defs
from congdoan.inspections import services
from congdoan.inspections.models import key_of

pytestmark = pytest.mark.django_db

UNITS = ("province", "unit_a", "unit_b", "grass_a1", "grass_a2", "group_a1", "grass_b1")
OUTSIDE = ("Công ty Một", "CÔNG TY  MỘT", "Sở Y tế")  # the first two are the same body
START, END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
EDGES = [START - dt.timedelta(days=1), START, END, END + dt.timedelta(days=1)]
day = st.one_of(
    st.sampled_from(EDGES), st.dates(START - dt.timedelta(days=5), END + dt.timedelta(days=5))
)
inspection = st.tuples(
    st.integers(0, len(UNITS) - 1),
    st.sampled_from(list(defs.KINDS)),
    day,
    st.lists(st.integers(0, len(UNITS) - 1), max_size=4),
    st.lists(st.integers(0, len(OUTSIDE) - 1), max_size=3),
)
complaint = st.tuples(st.integers(0, len(UNITS) - 1), day, st.one_of(st.none(), st.integers(0, 20)))
keeping = st.dictionaries(st.integers(0, len(UNITS) - 1), st.sampled_from([2024, 2025, 2026]))
entered = st.lists(
    st.tuples(
        st.integers(0, len(UNITS) - 1),
        st.sampled_from(sorted(defs.DERIVATIONS)),
        st.integers(0, 50),
    ),
    max_size=8,
)


def test_the_migration_map_is_the_definitions_map():
    from importlib import import_module

    module = import_module("congdoan.inspections.migrations.0002_derivations")
    assert module.DERIVATIONS == defs.DERIVATIONS
    assert set(defs.DERIVATIONS.values()) <= set(derived.definitions())
    codes = Indicator.objects.filter(code__in=list(defs.DERIVATIONS)).values_list(
        "code", "derivation"
    )
    assert dict(codes) == defs.DERIVATIONS


def _record(world, units, row) -> tuple[int, str, dt.date, set[str]] | None:
    """Create one inspection (units outside the conducting subtree dropped); its own key set."""
    conducting, kind, start, picked, outside = row
    unit = units[conducting]
    covered = [units[i] for i in dict.fromkeys(picked) if units[i].path.startswith(unit.path)]
    bodies = list(dict.fromkeys(OUTSIDE[i] for i in outside))
    bodies = [
        b
        for i, b in enumerate(bodies)
        if key_of(None, b) not in {key_of(None, x) for x in bodies[:i]}
    ]
    services.inspection_create(
        actor=None, unit=unit, kind=kind, body="ubkt", started_on=start, units=covered,
        outside=[(b, "enterprise") for b in bodies],
    )  # fmt: skip
    keys = {key_of(u.pk, "") for u in covered} | {key_of(None, b) for b in bodies}
    return unit.pk, kind, start, keys


def _expected_own(records, complaints, kept_inspections, kept_complaints):
    """{unit id: {indicator code: value}} of the keeping units, counted directly."""
    events: dict[tuple[int, str], int] = defaultdict(int)
    keys: dict[tuple[int, str], set[str]] = defaultdict(set)
    for unit_id, kind, start, covered in records:
        if START <= start <= END and unit_id in kept_inspections:
            events[(unit_id, kind)] += 1
            keys[(unit_id, kind)] |= covered
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for (unit_id, kind), n in events.items():
        prefix = defs.KINDS[kind][0]
        own[unit_id][f"{prefix}_cuoc"] = n
        own[unit_id][f"{prefix}_dv"] = len(keys[(unit_id, kind)])
    for unit_id, resolved in complaints:
        if resolved is not None and START <= resolved <= END and unit_id in kept_complaints:
            own[unit_id]["khieu_nai"] = own[unit_id].get("khieu_nai", 0) + 1
    return own


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(inspection, max_size=8),
    cases=st.lists(complaint, max_size=4),
    keep_inspections=keeping,
    keep_complaints=keeping,
    typed=entered,
)
def test_derived_figures_equal_direct_counts_and_add_up_once(
    world, rows, cases, keep_inspections, keep_complaints, typed
):
    with transaction.atomic():
        _check(world, rows, cases, keep_inspections, keep_complaints, typed)
        transaction.set_rollback(True)


def _keep(world, units, register, chosen) -> set[int]:
    """Start keeping; the units keeping the register in 2025."""
    for i, year in chosen.items():
        activities.keeping_start(actor=None, unit=units[i], register=register, from_year=year)
    return {units[i].pk for i, year in chosen.items() if year <= 2025}


def _check(world, rows, cases, keep_inspections, keep_complaints, typed):
    units = [getattr(world, name) for name in UNITS]
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    kept_i = _keep(world, units, "inspections", keep_inspections)
    kept_c = _keep(world, units, "complaints", keep_complaints)
    records = [_record(world, units, row) for row in rows]
    complaints = []
    for i, received, after in cases:
        resolved = received + dt.timedelta(days=after) if after is not None else None
        services.complaint_create(
            actor=None, unit=units[i], kind="complaint", received_on=received, summary="Đơn",
            resolved_on=resolved,
        )  # fmt: skip
        complaints.append((units[i].pk, resolved))
    own = _expected_own(records, complaints, kept_i, kept_c)
    # Units that do not keep the register enter the figure (a keeping unit cannot).
    typed_by_unit: dict[int, dict[str, int]] = defaultdict(dict)
    for i, code, value in typed:
        keeper = kept_c if code == "khieu_nai" else kept_i
        if units[i].pk not in keeper:
            typed_by_unit[units[i].pk][code] = value
    for unit in units:
        allowed = {i.code for i in ind.indicators_for(unit, period)}
        typed_by_unit[unit.pk] = {c: v for c, v in typed_by_unit[unit.pk].items() if c in allowed}
        if typed_by_unit[unit.pk]:
            entries = {c: str(v) for c, v in typed_by_unit[unit.pk].items()}
            ind.values_save(actor=world.national, unit=unit, period=period, entries=entries)
    # Each definition's own values: a direct count over the register.
    ids = [u.pk for u in units]
    for code, name in defs.DERIVATIONS.items():
        got = derived.own_values(name, ids, period)
        want = {u: Decimal(v[code]) for u, v in own.items() if v.get(code)}
        assert got == want, code
    # Subtree totals: what the units below keep or enter, each once.
    inds = list(Indicator.objects.filter(code__in=list(defs.DERIVATIONS)))
    figures = selectors.figures(ids, period, inds)
    for unit in units:
        below = [u for u in units if u.path.startswith(unit.path)]
        for code in defs.DERIVATIONS:
            want = sum(
                own.get(u.pk, {}).get(code, 0) + typed_by_unit[u.pk].get(code, 0) for u in below
            )
            assert (figures[unit.pk][code].value or 0) == want, (unit.code, code)


def test_events_and_distinct_units_over_a_year(world):
    """Two inspections of A1 by A count 2 events at 1 unit; A2 inspected by A1's parent and by
    the province counts once for each conducting unit."""
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    for unit in (world.unit_a, world.province):
        activities.keeping_start(actor=None, unit=unit, register="inspections", from_year=2025)
    for start in (dt.date(2025, 2, 1), dt.date(2025, 9, 1)):
        services.inspection_create(
            actor=None, unit=world.unit_a, kind="charter", body="ubkt", started_on=start,
            units=[world.grass_a1],
        )  # fmt: skip
    services.inspection_create(
        actor=None, unit=world.province, kind="charter", body="ubkt", started_on=dt.date(2025, 5, 1),
        units=[world.grass_a1], ended_on=dt.date(2026, 1, 10),
    )  # fmt: skip
    services.inspection_create(  # starts in 2026: not in 2025
        actor=None, unit=world.province, kind="charter", body="ubkt", started_on=dt.date(2026, 1, 2),
        units=[world.grass_a2],
    )  # fmt: skip
    figs = selectors.unit_figures(world.province.pk, period)
    assert figs["kt_dieu_le_cuoc"].value == 3 and figs["kt_dieu_le_dv"].value == 2
    figs = selectors.unit_figures(world.unit_a.pk, period)
    assert figs["kt_dieu_le_cuoc"].value == 2 and figs["kt_dieu_le_dv"].value == 1
    assert figs["kt_dieu_le_dv"].from_records == 1


def test_the_figure_follows_the_tree_at_the_period_end(world):
    from congdoan.organisation import services as org

    period = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    activities.keeping_start(
        actor=None, unit=world.grass_a1, register="inspections", from_year=2025
    )
    services.inspection_create(
        actor=None, unit=world.grass_a1, kind="finance", body="ubkt",
        started_on=dt.date(2025, 3, 1), units=[world.grass_a1],
    )  # fmt: skip
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2026, 3, 1))
    assert selectors.unit_figures(world.unit_a.pk, period)["kt_tai_chinh_cuoc"].value == 1
    assert not selectors.unit_figures(world.unit_b.pk, period)["kt_tai_chinh_cuoc"].value


def test_the_load_is_one_query(world, django_assert_num_queries):
    period = period_open(actor=None, kind=PeriodKind.YEAR, year=2025)
    with django_assert_num_queries(1):
        defs.load([world.unit_a.pk, world.unit_b.pk, world.grass_a1.pk], period)
    with django_assert_num_queries(1):
        defs.load_complaints([world.unit_a.pk], period)
