"""Entering figures, continued: comments without a figure, the default data sets, and the query
budget of the sheet page whatever the number of indicators."""

from __future__ import annotations

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congdoan.core.exceptions import RuleViolation
from congdoan.indicators import rollup, selectors, services
from congdoan.indicators.models import (
    DataSet,
    DataSetItem,
    Indicator,
    PeriodKind,
    Remark,
    Sheet,
    SheetStep,
    Source,
    Total,
    Value,
)
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import assign_target
from congdoan.organisation.models import UnitType

HX = {"HTTP_HX_REQUEST": "true"}
NOTE = "Chưa tổ chức, dự kiến quý IV"
MIGRATION = import_module("congdoan.indicators.migrations.0004_remarks_and_default_data_sets")


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def url(name, unit, period, **extra):
    return reverse(f"indicators:{name}", kwargs={"unit": unit.pk, "period": period.pk, **extra})


def save(world, unit, period, entries=None, comments=None, actor=None):
    return services.values_save(
        actor=actor or world.officer_a,
        unit=unit,
        period=period,
        entries=entries or {},
        comments=comments,
    )


def total(unit, period, code):
    row = Total.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return (row.value, row.units) if row else None


def codes(unit, period):
    return {i.code for i in services.indicators_for(unit, period)}


# --- comments without a figure ------------------------------------------------------------------


def test_a_comment_without_a_figure_is_kept_and_not_counted(world, year):
    save(world, world.grass_a2, year, {"suat_qua": 3})
    save(world, world.grass_a1, year, comments={"suat_qua": f"  {NOTE} "})
    remark = Remark.objects.get(unit=world.grass_a1, period=year, indicator__code="suat_qua")
    assert remark.text == NOTE and remark.sheet == Sheet.objects.get(unit=world.grass_a1)
    assert not Value.objects.filter(unit=world.grass_a1).exists()
    history = remark.history.get()
    assert (history.history_user, history.history_change_reason) == (world.officer_a, "values_save")
    # The roll-up counts one value (A2's), not the comment.
    assert total(world.unit_a, year, "suat_qua") == (3, 1)
    figure = selectors.unit_figures(world.unit_a.pk, year)["suat_qua"]
    assert (figure.value, figure.units) == (3, 1)
    assert selectors.unit_figures(world.grass_a1.pk, year)["suat_qua"].value is None
    assert rollup.differences(year) == []
    # A sheet with nothing but comments has no figures to submit.
    with pytest.raises(RuleViolation):
        services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))

    # The figure comes: the comment goes with it, and it counts.
    save(world, world.grass_a1, year, {"suat_qua": "5"})
    assert not Remark.objects.exists()
    assert Value.objects.get(unit=world.grass_a1, indicator__code="suat_qua").comment == NOTE
    assert total(world.unit_a, year, "suat_qua") == (8, 2)

    # The figure is removed: its comment stays, as a comment without a figure.
    save(world, world.grass_a1, year, {"suat_qua": ""})
    assert not Value.objects.filter(unit=world.grass_a1).exists()
    assert Remark.objects.get(unit=world.grass_a1).text == NOTE
    assert total(world.unit_a, year, "suat_qua") == (3, 1)

    # Changed, then emptied: gone, every step in the history.
    save(world, world.grass_a1, year, comments={"suat_qua": "Dự kiến tháng 12"})
    assert Remark.objects.get(unit=world.grass_a1).text == "Dự kiến tháng 12"
    save(world, world.grass_a1, year, comments={"suat_qua": ""})
    assert not Remark.objects.exists()
    kinds = list(
        Remark.history.filter(unit=world.grass_a1)
        .order_by("history_date", "history_id")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-", "+", "~", "-"]
    assert rollup.differences(year) == []


def test_comments_are_checked_with_the_figures(world, year):
    with pytest.raises(services.EntryErrors) as exc:
        save(
            world,
            world.grass_a1,
            year,
            {"tien_qua": "abc"},
            {"suat_qua": "x" * 1001, "thanh_lap_cdcs": NOTE},
        )
    assert [code for code, _msg in exc.value.errors] == ["suat_qua", "thanh_lap_cdcs", "tien_qua"]
    assert "1.000" in exc.value.errors[0][1]
    assert not Remark.objects.exists() and not Sheet.objects.exists()
    # Only a draft changes, comments included.
    save(world, world.grass_a1, year, {"tien_qua": 1})
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))
    with pytest.raises(RuleViolation):
        save(world, world.grass_a1, year, comments={"suat_qua": NOTE})
    assert not Remark.objects.exists()


def test_a_figure_removed_without_a_comment_field_keeps_its_comment(world, year):
    """An Excel upload has no comment column: removing a figure there keeps the comment."""
    save(world, world.grass_a1, year, {"suat_qua": 2}, {"suat_qua": NOTE})
    services.values_save_many(
        actor=world.officer_a, period=year, entries_by_unit={world.grass_a1: {"suat_qua": None}}
    )
    assert not Value.objects.exists()
    assert Remark.objects.get().text == NOTE


def test_the_sheet_keeps_a_comment_without_a_figure(world, client_of, year):
    client = client_of("officer_a")
    cell = url("sheet_cell", world.grass_a1, year, code="suat_qua")
    response = client.post(cell, {"v-suat_qua": "", "c-suat_qua": NOTE}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<tr")
    assert f'value="{NOTE}"' in body and "is-invalid" not in body
    assert Remark.objects.get(unit=world.grass_a1).text == NOTE

    # "Save all": a figure removed but its comment kept, and another comment alone.
    sheet = url("sheet", world.grass_a1, year)
    client.post(sheet, {"v-tien_qua": "500.000", "c-tien_qua": "Quà Tết"})
    response = client.post(
        sheet,
        {
            "v-suat_qua": "",
            "c-suat_qua": NOTE,
            "v-tien_qua": "",
            "c-tien_qua": "Quà Tết",
            "v-hd_vhtt": "",
            "c-hd_vhtt": "Hội thao dời sang năm sau",
        },
    )
    assert response.status_code == 302
    assert not Value.objects.exists()
    assert dict(Remark.objects.values_list("indicator__code", "text")) == {
        "suat_qua": NOTE,
        "tien_qua": "Quà Tết",
        "hd_vhtt": "Hội thao dời sang năm sau",
    }
    page = client.get(sheet).content.decode()
    assert f'name="c-suat_qua" value="{NOTE}"' in page
    assert 'name="c-hd_vhtt" value="Hội thao dời sang năm sau"' in page
    trail = page.split('id="trail-title"')[1]
    assert NOTE in trail and "Hội thao dời sang năm sau" in trail


# --- default data sets ----------------------------------------------------------------------------


def test_each_level_enters_its_own_indicators(world, year):
    grassroots, district, group = (
        codes(world.grass_a1, year),
        codes(world.unit_a, year),
        codes(world.group_a1, year),
    )
    assert (
        len(grassroots) == 35
        and len(district) == 35
        and group
        == {
            "suat_qua",
            "tien_qua",
            "hd_vhtt",
        }
    )
    workplace = {"sang_kien", "gioi_thieu_dang", "hn_nld", "doi_thoai", "dn_co_tu", "thu_doan_phi"}
    only_above = {"thanh_lap_cdcs", "cdcs_danh_gia", "gs_217_cuoc", "ty_le_cdcs_tuyen_truyen"}
    assert workplace <= grassroots and not workplace & district
    assert only_above <= district and not only_above & grassroots
    assert {"suat_qua", "kt_dieu_le_cuoc", "lop_tap_huan"} <= grassroots & district
    assert codes(world.province, year) == codes(world.root, year) == district
    with pytest.raises(services.EntryErrors) as exc:
        save(world, world.unit_a, year, {"sang_kien": 3, "thanh_lap_cdcs": 1})
    assert [code for code, _msg in exc.value.errors] == ["sang_kien"]


def test_every_unit_type_has_a_data_set_of_entered_indicators(db):
    types = import_module("congdoan.organisation.migrations.0003_default_catalogues").UNIT_TYPES
    for code, *_rest in types:
        assert DataSet.objects.filter(unit_types__code=code).count() == 1, code
    items = DataSetItem.objects.select_related("indicator")
    assert items.count() == 35 + 35 + 3
    assert all(item.indicator.source == Source.ENTERED for item in items)


def test_a_type_without_data_set_enters_every_entered_indicator(world, year):
    new_type = UnitType.objects.create(
        code="thu_nghiem", name="Loại thử", level=world.grass_a2.unit_type.level
    )
    world.grass_a2.unit_type = new_type
    everything = set(Indicator.objects.filter(source=Source.ENTERED).values_list("code", flat=True))
    assert codes(world.grass_a2, year) == everything


def test_the_data_set_migration_is_reversible(world, year):
    MIGRATION.unload(apps, None)
    assert not DataSet.objects.exists()
    assert len(codes(world.grass_a1, year)) > 35  # every entered indicator again
    MIGRATION.load(apps, None)
    MIGRATION.load(apps, None)  # idempotent
    assert DataSet.objects.count() == 3 and len(codes(world.grass_a1, year)) == 35


def test_the_district_sees_what_its_grassroots_unions_enter(world, client_of, year):
    save(world, world.grass_a1, year, {"sang_kien": 4})
    save(world, world.grass_a2, year, {"sang_kien": 5})
    page = client_of("officer_a").get(url("sheet", world.unit_a, year)).content.decode()
    assert 'name="v-sang_kien"' not in page  # not the district's own figure
    row = page.split('id="below-sang_kien"')[1].split("</tr>")[0]
    assert ">9<" in row
    assert ">Thành lập công đoàn cơ sở mới<" not in page.split('id="below-title"')[1]  # empty
    # A grassroots union's union group enters nothing the union does not enter itself.
    page = client_of("officer_a").get(url("sheet", world.grass_a1, year)).content.decode()
    assert 'id="below-title"' not in page


# --- query budget -----------------------------------------------------------------------------


def _fill(world, year, unit, indicators):
    """Figures, comments without a figure, targets and history for `indicators` of `unit`."""
    entries = {i.code: (50 if i.value_type == "percent" else 2) for i in indicators[::2]}
    comments = {i.code: f"Ghi chú {i.code}" for i in indicators}
    save(world, unit, year, entries, comments, actor=world.national)
    for i in indicators:
        assign_target(actor=world.national, unit=unit, indicator=i, period=year, value=3)


def _queries(client, method, address, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address) if method == "get" else client.post(address, data, **HX)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("unit_name", ["grass_a1", "unit_a"])
def test_the_sheet_reads_the_same_queries_for_2_or_35_indicators(
    world, client_of, year, unit_name, django_assert_max_num_queries
):
    unit = getattr(world, unit_name)
    data_set = DataSet.objects.get(unit_types=unit.unit_type)
    items = list(data_set.items.order_by("order"))
    everything = services.indicators_for(unit, year)
    # Two indicators: the other items out of the data set for a while.
    DataSetItem.objects.filter(pk__in=[i.pk for i in items[2:]]).delete()
    few = services.indicators_for(unit, year)
    assert len(few) == 2
    _fill(world, year, unit, few)
    client = client_of("officer_a")
    sheet, cell = url("sheet", unit, year), url("sheet_cell", unit, year, code=few[0].code)
    client.get(sheet)  # warm up caches (session, content types)
    small = _queries(client, "get", sheet)
    small_cell = _queries(client, "post", cell, {f"v-{few[0].code}": "7"})

    DataSetItem.objects.bulk_create(items[2:])
    assert len(services.indicators_for(unit, year)) == len(everything) == 35
    _fill(world, year, unit, everything)
    with django_assert_max_num_queries(small):
        assert client.get(sheet).status_code == 200
    with django_assert_max_num_queries(small_cell):
        assert client.post(cell, {f"v-{few[0].code}": "8"}, **HX).status_code == 200
    # A small constant: auth (5), unit, period, sheet, catalogue, one `figures` read (its
    # registers' derived figures are most of it: the member registry and a few reads for each
    # activity register), the registers kept, values, comments, steps, trail (2 + 4).
    assert small <= 80
    # One row: its own figure, not the sheet's derived figures.
    assert small_cell <= 40


# --- late sheets ------------------------------------------------------------------------------


def test_a_sheet_is_late_by_its_first_submission(world, year, monkeypatch):
    """Late: first sent after the due day, or not sent by it. A sheet sent on time and then
    returned or reopened stays on time, even while it is a draft again after the due day."""
    from django.utils import timezone

    assert year.due_on is not None
    due = year.due_on

    def on(day):
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    units = {
        "returned": world.grass_a1,
        "reopened": world.grass_a2,
        "sent_late": world.grass_b1,
        "never_sent": world.group_a1,
    }
    sheets = {}
    on(due - dt.timedelta(days=5))
    for name, unit in units.items():
        sheets[name] = save(world, unit, year, {"suat_qua": 3}, actor=world.national)
        if name in ("returned", "reopened"):
            sheets[name] = services.sheet_submit(actor=world.national, sheet=sheets[name])
    on(due + dt.timedelta(days=10))
    services.sheet_return(actor=world.national, sheet=sheets["returned"], reason="Sai số quà")
    approved = services.sheet_approve(actor=world.national, sheet=sheets["reopened"])
    reopened = services.sheet_reopen(actor=world.national, sheet=approved, reason="Bổ sung")
    services.sheet_submit(actor=world.national, sheet=reopened)  # sent again, after the due day
    services.sheet_submit(actor=world.national, sheet=sheets["sent_late"])

    ids = [u.pk for u in units.values()]
    for today in (due + dt.timedelta(days=11), due - dt.timedelta(days=1)):
        states = selectors.sheet_states(ids, year, today)
        late = {name for name, unit in units.items() if states[unit.pk].late}
        overdue = today > due
        assert late == ({"sent_late", "never_sent"} if overdue else {"sent_late"}), today
    # The same through the parent's subquery (the dashboard's table).
    kids = selectors.sheet_states(
        [world.grass_a1.pk, world.grass_a2.pk],
        year,
        due + dt.timedelta(days=11),
        parent_id=world.unit_a.pk,
    )
    assert not kids[world.grass_a1.pk].late and not kids[world.grass_a2.pk].late
    assert kids[world.grass_a1.pk].status == "draft"
    # And with the units below in one query (the dashboard), within the officer's scope.
    listed, states = selectors.children_with_sheets(
        world.unit_a.pk, year, due + dt.timedelta(days=11), world.officer_a
    )
    assert sorted(listed) == sorted(
        selectors.children_on(world.unit_a.pk, year.end, world.officer_a)
    )
    assert states == selectors.sheet_states(
        [u for u, _n, _c in listed],
        year,
        due + dt.timedelta(days=11),
        parent_id=world.unit_a.pk,
        with_times=False,
    )
    assert selectors.children_with_sheets(
        world.unit_a.pk, year, due + dt.timedelta(days=11), world.officer_b
    ) == ([], {})
    first = Sheet.objects.get(pk=sheets["reopened"].pk)
    assert (
        timezone.localdate(first.first_submitted_at) < due < timezone.localdate(first.submitted_at)
    )


def test_first_submissions_are_filled_in_for_existing_sheets(world, year):
    """Migration 0005: a sheet's first submission is its first "submit" step."""
    migration = import_module("congdoan.indicators.migrations.0005_sheet_first_submitted_at")
    sheet = save(world, world.grass_a1, year, {"suat_qua": 3}, actor=world.national)
    sheet = services.sheet_submit(actor=world.national, sheet=sheet)
    first = sheet.first_submitted_at
    sheet = services.sheet_return(actor=world.national, sheet=sheet, reason="Sai")
    sheet = services.sheet_submit(actor=world.national, sheet=sheet)
    never = save(world, world.grass_a2, year, {"suat_qua": 1}, actor=world.national)
    Sheet.objects.update(first_submitted_at=None)
    migration.backfill(apps, None)
    steps = SheetStep.objects.filter(sheet=sheet, step="submit").order_by("at")
    assert steps.count() == 2
    filled = Sheet.objects.get(pk=sheet.pk).first_submitted_at
    assert filled == steps[0].at and abs(filled - first) < dt.timedelta(seconds=1)
    assert filled < steps[1].at
    assert Sheet.objects.get(pk=never.pk).first_submitted_at is None
