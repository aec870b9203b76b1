"""The figures, workflow and targets pages through HTTP, with the standard world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A, make_user
from congdoan.indicators import services
from congdoan.indicators.models import (
    Indicator,
    Period,
    PeriodKind,
    Sheet,
    SheetStatus,
    Target,
    Value,
)
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.clock import assign_target, on

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


def url(name, unit, period, **extra):
    return reverse(f"indicators:{name}", kwargs={"unit": unit.pk, "period": period.pk, **extra})


def value(unit, period, code):
    row = Value.objects.filter(unit=unit, period=period, indicator__code=code).first()
    return row.value if row else None


def status(unit, period):
    return Sheet.objects.get(unit=unit, period=period).status


# --- home -------------------------------------------------------------------------------------


def test_home_offers_units_periods_and_links(world, client_of, year):
    client = client_of("officer_a")
    page = client.get(reverse("indicators:home"), {"unit": world.grass_a1.pk, "period": year.pk})
    body = page.content.decode()
    assert page.status_code == 200
    assert world.unit_a.name in body and world.grass_a2.name in body  # top unit and children
    assert url("sheet", world.grass_a1, year) in body
    assert url("targets", world.grass_a1, year) in body
    assert year.name in body
    hits = client.get(reverse("indicators:home"), {"q": "alpha hai"}, **HX)
    assert world.grass_a2.name in hits.content.decode()
    assert "<html" not in hits.content.decode()
    assert world.grass_a1.name not in hits.content.decode()


def test_home_of_b_does_not_reveal_a(world, client_of, year):
    page = client_of("officer_b").get(reverse("indicators:home"), {"unit": world.unit_a.pk})
    assert page.status_code == 200
    assert MARKER_A not in page.content.decode()
    hits = client_of("officer_b").get(reverse("indicators:home"), {"q": "alpha"}, **HX)
    assert MARKER_A not in hits.content.decode()


def test_open_a_calendar_period(world, client_of):
    client = client_of("officer_a")
    response = client.post(
        reverse("indicators:period_open"), {"kind": "quarter", "year": 2026, "number": 3}
    )
    q3 = Period.objects.get(kind="quarter", year=2026, number=3)
    assert response.status_code == 302 and f"period={q3.pk}" in response["Location"]
    assert q3.name == "Quý III/2026"
    response = client.post(
        reverse("indicators:period_open"),
        {"kind": "quarter", "year": 2026, "number": 5},
        follow=True,
    )
    assert Period.objects.count() == 1
    assert "alert-danger" in response.content.decode()
    assert q3.history.get().history_user == world.officer_a  # who opened it


def test_who_may_open_a_period_on_the_page(world, client_of):
    """Anyone who enters or approves figures somewhere sees the form and opens a calendar period;
    a viewer sees no form and gets 403. The page offers calendar kinds only: periods with their
    own dates are created by the national level through the API."""
    client = client_of("officer_a")
    entry = make_user("entry_a1", "data_entry", world.grass_a1)
    client.force_login(entry)
    assert (
        'action="/indicators/periods/open/"'
        in client.get(reverse("indicators:home")).content.decode()
    )
    response = client.post(
        reverse("indicators:period_open"), {"kind": "year", "year": 2030, "number": 1}
    )
    assert response.status_code == 302
    assert Period.objects.get(year=2030).history.get().history_user == entry
    response = client.post(
        reverse("indicators:period_open"),
        {"kind": "custom", "year": 2030, "number": 1},
        follow=True,
    )
    assert "alert-danger" in response.content.decode()
    assert not Period.objects.filter(kind="custom").exists()

    viewer = make_user("viewer_a", "viewer", world.unit_a)
    client.force_login(viewer)
    assert "periods/open/" not in client.get(reverse("indicators:home")).content.decode()
    response = client.post(
        reverse("indicators:period_open"), {"kind": "year", "year": 2031, "number": 1}
    )
    assert response.status_code == 403
    assert not Period.objects.filter(year=2031).exists()


def test_pages_never_open_a_period(world, client_of):
    """A period nobody opened: 404 on a unit's pages; nothing is created by reading."""
    client = client_of("officer_a")
    missing = {"unit": world.grass_a1.pk, "period": 987654}
    for name in ("sheet", "children", "targets"):
        response = client.get(reverse(f"indicators:{name}", kwargs=missing))
        assert response.status_code == 404, name
    page = client.get(reverse("indicators:home"), {"unit": world.unit_a.pk})
    assert page.status_code == 200 and "Chưa mở kỳ báo cáo nào." in page.content.decode()
    assert not Period.objects.exists()


# --- entering figures ---------------------------------------------------------------------------


def test_sheet_lists_entered_and_computed_indicators(world, client_of, year):
    assign_target(
        actor=world.officer_a,
        unit=world.grass_a1,
        indicator=Indicator.objects.get(code="suat_qua"),
        period=year,
        value=8,
    )
    services.values_save(
        actor=world.officer_a, unit=world.grass_a1, period=year, entries={"suat_qua": 10}
    )
    page = client_of("officer_a").get(url("sheet", world.grass_a1, year))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="v-suat_qua"' in body and 'value="10"' in body
    assert "125%" in body  # 10 of a target of 8
    assert Indicator.objects.get(code="dv_cuoi_ky").name in body  # derived, read-only
    assert 'name="v-dv_cuoi_ky"' not in body
    assert url("sheet_submit", world.grass_a1, year) in body


def test_cell_saves_one_row_or_shows_the_error(world, client_of, year):
    client = client_of("officer_a")
    cell = url("sheet_cell", world.grass_a1, year, code="tien_qua")
    response = client.post(cell, {"v-tien_qua": "1.234.567", "c-tien_qua": "Tết"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith("<tr")
    assert 'value="1.234.567"' in body
    assert value(world.grass_a1, year, "tien_qua") == Decimal(1234567)
    assert Value.objects.get(indicator__code="tien_qua").comment == "Tết"

    response = client.post(cell, {"v-tien_qua": "abc"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in body and "abc" in body
    assert value(world.grass_a1, year, "tien_qua") == Decimal(1234567)  # unchanged

    counted = url("sheet_cell", world.grass_a1, year, code="suat_qua")
    body = client.post(counted, {"v-suat_qua": "2,5"}, **HX).content.decode()
    assert "is-invalid" in body and value(world.grass_a1, year, "suat_qua") is None
    # Without htmx the cell goes back to the sheet with a message.
    response = client.post(counted, {"v-suat_qua": "7"})
    assert response.status_code == 302 and value(world.grass_a1, year, "suat_qua") == 7


def test_save_all_is_all_or_nothing(world, client_of, year):
    client = client_of("officer_a")
    # Unit A's own sheet: it enters the share of its grassroots unions (a percentage).
    sheet = url("sheet", world.unit_a, year)
    bad = {"v-suat_qua": "12", "v-tien_qua": "x1", "v-ty_le_cdcs_tuyen_truyen": "120"}
    response = client.post(sheet, bad)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="e-tien_qua"' in body and 'id="e-ty_le_cdcs_tuyen_truyen"' in body
    assert 'id="e-suat_qua"' not in body
    assert 'value="x1"' in body  # what was typed is kept
    assert not Value.objects.exists()

    good = {"v-suat_qua": "1.234", "v-tien_qua": "2.500.000", "v-ty_le_cdcs_tuyen_truyen": "99,5"}
    response = client.post(sheet, {**good, "c-suat_qua": "quà Tết"})
    assert response.status_code == 302
    assert value(world.unit_a, year, "suat_qua") == 1234
    assert value(world.unit_a, year, "ty_le_cdcs_tuyen_truyen") == Decimal("99.5")
    page = client.get(sheet).content.decode()
    assert 'value="99,5"' in page and 'value="2.500.000"' in page
    # An empty figure removes it.
    client.post(sheet, {**good, "v-tien_qua": ""})
    assert value(world.unit_a, year, "tien_qua") is None


# --- the workflow -----------------------------------------------------------------------------


def test_submit_approve_lock_reopen(world, client_of, year):
    a = client_of("officer_a")
    unit = world.grass_a1
    assert a.post(url("sheet_submit", unit, year)).status_code == 400  # nothing entered yet
    a.post(url("sheet", unit, year), {"v-suat_qua": "10"})
    response = a.post(url("sheet_submit", unit, year))
    assert response.status_code == 302 and status(unit, year) == SheetStatus.SUBMITTED

    page = a.get(url("sheet", unit, year)).content.decode()
    assert (
        "disabled" in page
        and 'hx-post="' + url("sheet_cell", unit, year, code="suat_qua") not in page
    )
    # Frozen: neither a cell nor "save all" changes anything.
    cell = a.post(url("sheet_cell", unit, year, code="suat_qua"), {"v-suat_qua": "11"}, **HX)
    assert "is-invalid" in cell.content.decode()
    assert a.post(url("sheet", unit, year), {"v-suat_qua": "11"}).status_code == 400
    assert value(unit, year, "suat_qua") == 10

    # Officer A acts for unit A, the unit above A1.
    assert a.post(url("sheet_approve", unit, year)).status_code == 302
    assert status(unit, year) == SheetStatus.APPROVED
    assert a.post(url("sheet_lock", unit, year)).status_code == 302
    assert status(unit, year) == SheetStatus.LOCKED
    response = a.post(url("sheet_reopen", unit, year), {"reason": "  "})
    assert response.status_code == 400 and status(unit, year) == SheetStatus.LOCKED
    assert "is-invalid" in response.content.decode()
    response = a.post(url("sheet_reopen", unit, year), {"reason": "Sai số suất quà"})
    assert response.status_code == 302 and status(unit, year) == SheetStatus.DRAFT

    page = a.get(url("sheet", unit, year)).content.decode()
    assert "Sai số suất quà" in page  # the step's reason
    assert "officer_a" in page or "Cán bộ A" in page
    assert 'id="trail-title"' in page  # audit trail of the values (officer A has audit.view)


def test_unit_above_approves_and_returns(world, client_of, year):
    a = client_of("officer_a")
    a.post(url("sheet", world.unit_a, year), {"v-suat_qua": "1"})
    a.post(url("sheet_submit", world.unit_a, year))
    # Unit A's own figures are approved by the province, not by officer A.
    page = a.get(url("sheet", world.unit_a, year)).content.decode()
    assert url("sheet_approve", world.unit_a, year) not in page
    assert a.post(url("sheet_approve", world.unit_a, year)).status_code == 400
    assert status(world.unit_a, year) == SheetStatus.SUBMITTED
    national = client_of("national")
    assert national.post(url("sheet_return", world.unit_a, year)).status_code == 400
    response = national.post(url("sheet_return", world.unit_a, year), {"reason": "Thiếu số"})
    assert response.status_code == 302 and status(world.unit_a, year) == SheetStatus.DRAFT


def test_officer_b_cannot_see_or_change_a(world, client_of, year):
    services.values_save(
        actor=world.officer_a, unit=world.grass_a1, period=year, entries={"suat_qua": 3}
    )
    b = client_of("officer_b")
    for name in ("sheet", "children", "targets"):
        assert b.get(url(name, world.grass_a1, year)).status_code == 404
    posts = [
        (url("sheet", world.grass_a1, year), {"v-suat_qua": "9"}),
        (url("sheet_cell", world.grass_a1, year, code="suat_qua"), {"v-suat_qua": "9"}),
        (url("sheet_submit", world.grass_a1, year), {}),
        (url("target_set", world.unit_a, year), {"unit": world.grass_a1.pk, "value": "1"}),
        (url("targets_allocate", world.unit_a, year), {"alloc-indicator": "suat_qua"}),
    ]
    for target, data in posts:
        assert b.post(target, data, **HX).status_code == 404
    assert value(world.grass_a1, year, "suat_qua") == 3
    assert status(world.grass_a1, year) == SheetStatus.DRAFT
    assert not Target.objects.exists()


# --- the approver's work list -------------------------------------------------------------------


def test_children_list_with_statuses(world, client_of, year):
    services.values_save(
        actor=world.officer_a, unit=world.grass_a1, period=year, entries={"suat_qua": 3}
    )
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))
    page = client_of("officer_a").get(url("children", world.unit_a, year))
    body = page.content.decode()
    assert page.status_code == 200
    assert world.grass_a1.name in body and world.grass_a2.name in body
    assert url("sheet", world.grass_a2, year) in body
    assert body.count("badge text-bg-danger") >= 2  # 2024 is long past due: A2 is late
    summary = page.context["summary"]
    assert [count for _label, _badge, count in summary] == [1, 0, 1, 0, 0]
    # The province's list says, for unit A, how its own units below stand.
    page = client_of("national").get(url("children", world.province, year))
    line = next(x for x in page.context["lines"] if x.unit_id == world.unit_a.pk)
    assert line.below_total == 3
    assert [n for _label, _badge, n in line.below] == [2, 1]  # nothing entered 2, submitted 1


# --- targets --------------------------------------------------------------------------------------


@pytest.fixture
def during_2024():
    """Targets of 2024 change while 2024 runs (they close once it is over)."""
    with on(dt.date(2024, 3, 1)):
        yield


def test_targets_set_preview_and_allocate(world, client_of, year, during_2024):
    kn = Indicator.objects.get(code="phat_trien_dv")
    assign_target(actor=world.national, unit=world.unit_a, indicator=kn, period=year, value=10)
    a = client_of("officer_a")
    targets = url("targets", world.unit_a, year)
    page = a.get(targets, {"group": "to_chuc"}).content.decode()
    assert kn.name in page and world.grass_a1.name in page
    assert (
        Indicator.objects.get(code="suat_qua").name
        not in page.split("children-title")[1].split("</table>")[0]
    )

    response = a.post(
        url("target_set", world.unit_a, year),
        {"unit": world.grass_a1.pk, "indicator": "phat_trien_dv", "value": "7"},
    )
    assert response.status_code == 302
    assert Target.objects.get(unit=world.grass_a1, indicator=kn).value == 7
    page = a.get(targets).content.decode()
    assert "alert-warning" in page and "7" in page  # children add up to 7, own target 10

    # Not a unit below A: refused by the form.
    response = a.post(
        url("target_set", world.unit_a, year),
        {"unit": world.grass_b1.pk, "indicator": "phat_trien_dv", "value": "7"},
    )
    assert response.status_code == 400 and not Target.objects.filter(unit=world.grass_b1).exists()
    # Officer A cannot assign unit A's own target (that is the province's).
    response = a.post(
        url("target_set", world.province, year),
        {"unit": world.unit_a.pk, "indicator": "phat_trien_dv", "value": "99"},
    )
    assert response.status_code == 404

    preview = a.get(
        targets, {"alloc-indicator": "phat_trien_dv", "alloc-total": "", "alloc-method": "even"}
    )
    rows = preview.context["preview"]
    assert [v for _a, _w, v in rows] == ["5", "5"]
    response = a.post(
        url("targets_allocate", world.unit_a, year),
        {"alloc-indicator": "phat_trien_dv", "alloc-total": "", "alloc-method": "even"},
    )
    assert response.status_code == 302
    assert sorted(
        Target.objects.filter(unit__parent=world.unit_a).values_list("value", flat=True)
    ) == [5, 5]
    page = a.get(targets).content.decode()
    assert "alert-warning" not in page

    response = a.post(
        url("targets_allocate", world.unit_a, year),
        {"alloc-indicator": "suat_qua", "alloc-total": "", "alloc-method": "even"},
    )
    assert response.status_code == 400  # unit A has no own target for it: enter the total


# --- query budgets --------------------------------------------------------------------------------


def test_query_budgets(world, client_of, year, django_assert_max_num_queries):
    # Indicators that both grassroots unions and the unit above enter (the default data sets).
    codes = ["suat_qua", "tien_qua", "phat_trien_dv", "cong_trinh_thi_dua", "mo_hinh", "hd_vhtt"]
    for unit in (world.grass_a1, world.grass_a2, world.unit_a):
        services.values_save(
            actor=world.officer_a, unit=unit, period=year, entries=dict.fromkeys(codes, 2)
        )
    services.sheet_submit(actor=world.officer_a, sheet=services.sheet_for(world.grass_a1, year))
    client = client_of("officer_a")
    # (80: the totals kept in the activity registers are read over the subtree, a few queries
    # per register, whatever the number of units or records.)
    with django_assert_max_num_queries(80):
        assert client.get(url("sheet", world.unit_a, year)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url("children", world.unit_a, year)).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url("targets", world.unit_a, year)).status_code == 200
