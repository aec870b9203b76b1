"""The derived indicators: counted from the records of the units keeping the register, within the
period's days, added up over the tree as it stood at the period's end, next to the figures the
other units enter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import Indicator, PeriodKind, Source
from congdoan.indicators.periods import period_open
from congdoan.meetings import services as meetings
from congdoan.movements import indicator_definitions as defs
from congdoan.movements import services
from congdoan.movements.tests.helpers import keep

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2025)


def value(unit, period, code):
    return selectors.unit_figures(unit.pk, period)[code].value


def add(unit, kind, day, **fields):
    return services.activity_create(
        actor=None, unit=unit, kind=kind, title=fields.pop("title", "Việc"), on=day, **fields
    )


def test_the_catalogue_names_the_registers_definitions():
    entered = dict(
        Indicator.objects.filter(source=Source.ENTERED, derivation__startswith="movements_")
        .values_list("code", "derivation")
    )  # fmt: skip
    assert entered == {
        "cong_trinh_thi_dua": defs.WORKS, "mo_hinh": defs.MODELS, "hd_vhtt": defs.CULTURE,
        "lop_tap_huan": defs.CLASSES, "luot_tap_huan": defs.TRAINEES, "doi_thoai": defs.DIALOGUES,
        "tu_ky_moi": defs.NEW_AGREEMENTS, "dn_co_tu": defs.ENTERPRISES_WITH_AGREEMENT,
        "hn_nld": defs.WORKERS_CONFERENCES, "hn_cbccvc": defs.CIVIL_CONFERENCES,
    }  # fmt: skip
    new = Indicator.objects.get(code="ty_le_cdcs_tuyen_truyen_so")
    assert new.source == Source.FORMULA and "cdcs_cuoi_ky" in new.formula
    assert Indicator.objects.get(code="ty_le_cdcs_tuyen_truyen").source == Source.ENTERED


def test_the_migration_is_idempotent_and_reversible():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("congdoan.movements.migrations.0002_indicators")
    migration.forwards(apps, None)
    assert Indicator.objects.filter(code="mo_hinh_dvk").count() == 1
    migration.backwards(apps, None)
    assert not Indicator.objects.filter(code="mo_hinh_dvk").exists()
    assert Indicator.objects.get(code="mo_hinh").derivation == ""
    migration.forwards(apps, None)
    assert Indicator.objects.get(code="mo_hinh").derivation == defs.MODELS


def test_activity_figures_count_the_keepers_records_in_the_period(world, year):
    keep(world, world.grass_a1)
    add(world.grass_a1, "work", dt.date(2025, 1, 1), for_congress=True, event="Đại hội")
    add(world.grass_a1, "work", dt.date(2025, 12, 31))
    add(world.grass_a1, "work", dt.date(2026, 1, 1), for_congress=True, event="Đại hội")
    add(world.grass_a1, "model", dt.date(2025, 5, 1), dan_van_kheo=True)
    add(world.grass_a1, "model", dt.date(2025, 5, 2))
    add(world.grass_a1, "training", dt.date(2025, 3, 1), participants=30)
    add(world.grass_a1, "training", dt.date(2025, 4, 1), participants=12)
    add(world.grass_a2, "work", dt.date(2025, 6, 1))  # A2 does not keep the register
    figs = selectors.unit_figures(world.unit_a.pk, year)
    assert figs["cong_trinh_thi_dua"].value == 2 and figs["cong_trinh_thi_dua"].from_records == 2
    assert figs["cong_trinh_dai_hoi"].value == 1
    assert (figs["mo_hinh"].value, figs["mo_hinh_dvk"].value) == (2, 1)
    assert (figs["lop_tap_huan"].value, figs["luot_tap_huan"].value) == (2, 42)


def test_propaganda_counts_each_grassroots_union_once_and_gives_the_share(world, year):
    for unit in (world.grass_a1, world.grass_a2, world.group_a1, world.unit_a):
        keep(world, unit)
    for day in (dt.date(2025, 2, 1), dt.date(2025, 3, 1)):
        add(world.grass_a1, "propaganda", day, title="Nghị quyết 02-NQ/TW")
    add(world.group_a1, "propaganda", dt.date(2025, 2, 1))  # a union group is not a CĐCS
    add(world.unit_a, "propaganda", dt.date(2025, 2, 1))  # nor a district federation
    figs = selectors.unit_figures(world.unit_a.pk, year)
    assert figs["cdcs_tuyen_truyen"].value == 1
    assert figs["cdcs_cuoi_ky"].value == 2
    assert figs["ty_le_cdcs_tuyen_truyen_so"].value == 50
    assert value(world.province, year, "ty_le_cdcs_tuyen_truyen_so") == Decimal(100) / 3


def test_enterprises_with_an_agreement_in_force_at_the_end(world, year):
    keep(world, world.grass_a1)
    create = services.agreement_create
    create(actor=None, unit=world.grass_a1, signed_on=dt.date(2023, 6, 1),
           expires_on=dt.date(2026, 5, 31))  # fmt: skip  # in force, signed earlier
    create(actor=None, unit=world.grass_a1, signed_on=dt.date(2025, 6, 1),
           expires_on=dt.date(2027, 5, 31), renewed=True)  # fmt: skip  # same enterprise
    create(actor=None, unit=world.grass_a1, enterprise="Chi nhánh Hai", signed_on=dt.date(2025, 3, 1),
           expires_on=dt.date(2025, 12, 30))  # fmt: skip  # ended before the end
    create(actor=None, unit=world.grass_a1, enterprise="Chi nhánh Ba", signed_on=dt.date(2025, 9, 1),
           expires_on=dt.date(2028, 8, 31))  # fmt: skip
    figs = selectors.unit_figures(world.grass_a1.pk, year)
    assert figs["dn_co_tu"].value == 2
    assert figs["tu_ky_moi"].value == 2  # the renewal is not new


def test_conferences_come_from_the_meetings(world, year):
    keep(world, world.grass_a1)
    for kind, day in (("workers", dt.date(2025, 1, 20)), ("civil", dt.date(2025, 2, 1)),
                      ("workers", dt.date(2024, 12, 20)), ("bch", dt.date(2025, 3, 1))):  # fmt: skip
        meetings.meeting_create(actor=None, unit=world.grass_a1, kind=kind, held_on=day)
    figs = selectors.unit_figures(world.grass_a1.pk, year)
    assert (figs["hn_nld"].value, figs["hn_cbccvc"].value) == (1, 1)


def test_entered_and_counted_figures_add_up_once(world, year):
    keep(world, world.grass_a1)
    add(world.grass_a1, "dialogue", dt.date(2025, 4, 1))
    add(world.grass_a1, "dialogue", dt.date(2025, 5, 1))
    add(world.grass_a2, "dialogue", dt.date(2025, 5, 1))  # not kept: not counted
    ind.values_save(actor=world.officer_a, unit=world.grass_a2, period=year,
                    entries={"doi_thoai": "3"})  # fmt: skip
    ind.values_save(actor=world.national, unit=world.grass_b1, period=year,
                    entries={"doi_thoai": "4"})  # fmt: skip
    assert value(world.unit_a, year, "doi_thoai") == 5
    assert value(world.province, year, "doi_thoai") == 9
    with pytest.raises(ind.EntryErrors):
        ind.values_save(actor=world.officer_a, unit=world.grass_a1, period=year,
                        entries={"doi_thoai": "1"})  # fmt: skip


def test_each_read_is_one_query(
    world, year, django_assert_num_queries, django_assert_max_num_queries
):
    from congdoan.indicators import derived

    keep(world, world.grass_a1)
    add(world.grass_a1, "culture", dt.date(2025, 4, 1))
    ids = [world.grass_a1.pk, world.grass_a2.pk, world.unit_a.pk]
    found = derived.definitions()
    for name in (defs.WORKS, defs.NEW_AGREEMENTS, defs.WORKERS_CONFERENCES,
                 defs.ENTERPRISES_WITH_AGREEMENT):  # fmt: skip
        with django_assert_num_queries(1):
            found[name].load(ids, year)
    with django_assert_max_num_queries(2):  # the subtree's paths at the end, then one read
        assert found[defs.CULTURE].subtree([world.unit_a.pk], year) is not None


def test_the_figure_follows_the_tree_at_the_periods_end(world, year):
    from congdoan.organisation import services as org

    keep(world, world.grass_a1)
    add(world.grass_a1, "work", dt.date(2025, 2, 1))
    add(world.grass_a1, "propaganda", dt.date(2025, 2, 1))
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2026, 3, 1))
    a, b = (selectors.unit_figures(u.pk, year) for u in (world.unit_a, world.unit_b))
    assert (a["cong_trinh_thi_dua"].value, a["cdcs_tuyen_truyen"].value) == (1, 1)
    assert not b["cong_trinh_thi_dua"].value and b["cdcs_tuyen_truyen"].value == 0
