"""One place per figure: a unit keeping a register has its figure counted from its records, a
unit that does not enters it, and the totals above add both, each once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from congdoan.activities import services
from congdoan.activities.models import Keeping
from congdoan.activities.tests import helpers
from congdoan.activities.tests.helpers import INDICATOR, meetings
from congdoan.core.exceptions import RuleViolation
from congdoan.core.tests.support import MARKER_A
from congdoan.indicators import selectors
from congdoan.indicators import services as ind
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def register(db):
    helpers.install()
    yield
    helpers.uninstall()


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2025)


def keep(world, unit, year=2025):
    return services.keeping_start(
        actor=world.national, unit=unit, register=helpers.CODE, from_year=year
    )


def figure(unit, period):
    return selectors.unit_figures(unit.pk, period)[INDICATOR]


def test_a_keeping_unit_is_counted_from_its_records(world, year):
    keep(world, world.grass_a1)
    meetings(world.grass_a1, dt.date(2025, 1, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 1))
    meetings(world.grass_a1, dt.date(2024, 12, 31))
    fig = figure(world.grass_a1, year)
    assert fig.value == 2
    assert fig.from_records == 2 and fig.is_approved


def test_records_of_a_unit_that_does_not_keep_the_register_are_not_counted(world, year):
    meetings(world.grass_a1, dt.date(2025, 3, 1))
    assert figure(world.grass_a1, year).value is None


def test_records_count_only_in_the_years_kept(world):
    keep(world, world.grass_a1, 2025)
    meetings(world.grass_a1, dt.date(2024, 6, 1), dt.date(2025, 6, 1))
    whole = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    assert figure(world.grass_a1, whole).value is None


def test_a_keeping_unit_cannot_enter_the_figure(world, year):
    keep(world, world.grass_a1)
    with pytest.raises(ind.EntryErrors) as exc:
        ind.values_save(
            actor=world.officer_a, unit=world.grass_a1, period=year, entries={INDICATOR: "4"}
        )
    assert "records" in exc.value.errors[0][1] or "sổ" in exc.value.errors[0][1]


def test_entered_and_counted_figures_add_up_once_above(world, year):
    keep(world, world.grass_a1)
    meetings(world.grass_a1, dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1))
    ind.values_save(
        actor=world.officer_a, unit=world.grass_a2, period=year, entries={INDICATOR: "5"}
    )
    ind.values_save(
        actor=world.national, unit=world.grass_b1, period=year, entries={INDICATOR: "7"}
    )
    assert figure(world.unit_a, year).value == 8
    assert figure(world.province, year).value == 15
    combined = selectors.combine(
        [selectors.unit_figures(u.pk, year) for u in (world.unit_a, world.unit_b)],
        selectors.indicators_in(year),
    )
    assert combined[INDICATOR].value == 15
    assert combined[INDICATOR].from_records == 3


def test_the_figure_follows_the_tree_at_the_period_end(world, year):
    from congdoan.organisation import services as org

    keep(world, world.grass_a1)
    meetings(world.grass_a1, dt.date(2025, 2, 1))
    org.unit_move(actor=None, unit=world.grass_a1, new_parent=world.unit_b, day=dt.date(2026, 3, 1))
    assert figure(world.unit_a, year).value == 1
    assert figure(world.unit_b, year).value in (None, 0)


def test_keeping_is_refused_while_entered_figures_would_be_doubled(world, year):
    ind.values_save(
        actor=world.officer_a, unit=world.grass_a2, period=year, entries={INDICATOR: "5"}
    )
    with pytest.raises(RuleViolation) as exc:
        keep(world, world.grass_a2, 2025)
    assert "2025" in str(exc.value) and exc.value.field == "from_year"
    assert not Keeping.objects.exists()
    keep(world, world.grass_a2, 2026)  # a later year is fine


def test_keeping_by_an_officer_outside_names_nothing(world):
    with pytest.raises(RuleViolation) as exc:
        services.keeping_start(
            actor=world.officer_b, unit=world.grass_a1, register=helpers.CODE, from_year=2025
        )
    assert MARKER_A not in str(exc.value)


def test_stop_and_start_again_with_history(world, year):
    keeping = keep(world, world.grass_a1)
    services.keeping_stop(
        actor=world.officer_a, unit=world.grass_a1, register=helpers.CODE, last_year=2025
    )
    meetings(world.grass_a1, dt.date(2026, 5, 1))
    y2026 = period_open(actor=None, kind=PeriodKind.YEAR, year=2026)
    assert figure(world.grass_a1, y2026).value is None
    ind.values_save(
        actor=world.officer_a, unit=world.grass_a1, period=y2026, entries={INDICATOR: "2"}
    )
    assert figure(world.grass_a1, y2026).value == 2
    reasons = list(
        keeping.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["keeping_start", "keeping_stop"]
    with pytest.raises(RuleViolation):
        services.keeping_stop(
            actor=world.officer_a, unit=world.grass_a1, register=helpers.CODE, last_year=2026
        )


def test_the_sheet_shows_the_counted_figure_read_only_with_a_link(client_of, world, year):
    keep(world, world.grass_a1)
    meetings(world.grass_a1, dt.date(2025, 2, 1), dt.date(2025, 9, 1))
    page = client_of("officer_a").get(
        reverse("indicators:sheet", args=[world.grass_a1.pk, year.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    row = html[html.index(f'id="row-{INDICATOR}"') :]
    row = row[: row.index("</tr>")]
    assert f'name="v-{INDICATOR}"' not in row
    assert f"/meetings/?unit={world.grass_a1.pk}&amp;period={year.pk}" in row
    assert ">2<" in row


def test_the_keeping_page(client_of, world):
    client = client_of("officer_a")
    url = f"/activities/unit/{world.grass_a1.pk}/registers/"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"register": helpers.CODE, "step": "start", "year": "2025"})
    assert answer.status_code == 302
    assert Keeping.objects.get().from_year == 2025
    assert client_of("officer_b").get(url).status_code == 404


def test_excel_upload_refuses_a_kept_figure(world, year):
    from congdoan.indicators import excel

    keep(world, world.grass_a1)
    data = excel.template_for(world.officer_a, world.grass_a1, year, children=False)
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_filelike(__import__("io").BytesIO(data))
        .get_sheet_by_index(0)
        .to_python()
    )
    codes = next(r for r in rows if INDICATOR in [str(c) for c in r])
    col = [str(c) for c in codes].index(INDICATOR)
    assert Decimal(0) == Decimal(0)  # the cell is blank: the figure is not pre-filled
    assert all(r[col] in ("", None) for r in rows[rows.index(codes) + 2 :])


def test_the_dashboard_shows_the_register_card(client_of, world, year):
    keep(world, world.grass_a1)
    meetings(world.grass_a1, dt.date(2025, 2, 1), dt.date(2025, 9, 1))
    url = reverse("indicators:dashboard", args=[world.unit_a.pk, year.pk])
    html = client_of("officer_a").get(url).content.decode()
    card = html[html.index(f'id="card-{helpers.CODE}"') :]
    assert f"/meetings/?unit={world.unit_a.pk}&amp;period={year.pk}" in card[:600]
