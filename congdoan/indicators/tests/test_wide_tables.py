"""The wide tables of the targets page and the dashboard: either way round (`?rows=`), a page of
units at a time, links that keep the choice, sums over every unit below whatever the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from congdoan.core.tests.support import MARKER_A, unit_type
from congdoan.indicators import dashboards
from congdoan.indicators.models import PeriodKind
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import enter, ind, target
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit


@pytest.fixture
def wide(world):
    """Unit A with 45 units below (A1, A2 and 43 more), each with a target of 2 new members
    (unit A's own: 100), 1 new member and 3 gifts."""
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    for i in range(43):
        org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AW{i:02d}",
            name=f"CĐCS {MARKER_A} Công ty cổ phần số {i:02d}",
            short_name="",
            unit_type=unit_type("cdcs"),
            day=dt.date(2020, 1, 1),
        )
    target(world, world.national, world.unit_a, year, phat_trien_dv=100)
    for kid in Unit.objects.filter(parent=world.unit_a):
        target(world, world.officer_a, kid, year, phat_trien_dv=2)
        enter(world, kid, year, suat_qua=3, phat_trien_dv=1)
    return year


def targets_url(world, year):
    return reverse("indicators:targets", kwargs={"unit": world.unit_a.pk, "period": year.pk})


def codes_in(html: str) -> list[str]:
    return re.findall(r">(A[12W]\d*)<", html)


def test_targets_a_unit_per_column_20_at_a_time(world, wide, client_of):
    client = client_of("officer_a")
    page = client.get(targets_url(world, wide), {"group": "to_chuc"})
    matrix = page.context["matrix"]
    assert page.context["rows"] == "indicators"
    assert (matrix.pager.count, matrix.pager.pages, len(matrix.units)) == (45, 3, 20)
    line = next(x for x in matrix.lines if x.indicator.code == "phat_trien_dv")
    # The sum is over all 45 units below, not the 20 shown; it differs from the own 100.
    assert (line.own, line.children_total, line.differs) == ("100", "90", True)
    assert line.cells == ["2"] * 20
    body = page.content.decode()
    assert 'class="wide-table"' in body and "sticky-col" in body
    assert "style=" not in body and "<script>" not in body
    assert "?group=to_chuc&amp;rows=indicators&amp;page=2" in body  # the pager keeps the group
    assert "?group=to_chuc&amp;rows=units" in body  # the layout button keeps it too
    last = client.get(targets_url(world, wide), {"group": "to_chuc", "page": "3"})
    assert len(last.context["matrix"].units) == 5
    every = [u for u, _n, _c in page.context["kids"]]
    shown = [
        u
        for n in (1, 2, 3)
        for u, _n, _c in client.get(targets_url(world, wide), {"page": str(n)})
        .context["matrix"]
        .units
    ]
    assert shown == every
    # A page past the end shows the last one.
    assert client.get(targets_url(world, wide), {"page": "99"}).context["matrix"].pager.page == 3


def test_targets_a_unit_per_row_50_at_a_time(world, wide, client_of):
    page = client_of("officer_a").get(targets_url(world, wide), {"rows": "units"})
    matrix = page.context["matrix"]
    assert (matrix.pager.pages, len(matrix.by_unit)) == (1, 45)
    new = next(i for i, x in enumerate(matrix.lines) if x.indicator.code == "phat_trien_dv")
    assert all(cells[new] == "2" for _unit, cells in matrix.by_unit)
    body = page.content.decode()
    assert "units-down" in body and len(codes_in(body)) == 45
    assert body.index("Chỉ tiêu của đơn vị") < body.index(">AW00<")  # own target, then units


def test_the_dashboard_a_unit_per_column(world, wide, client_of):
    client = client_of("officer_a")
    url = reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk, "period": wide.pk})
    down = client.get(url).content.decode()
    assert "units-across" not in down and len(codes_in(down)) == 45
    across = client.get(url, {"rows": "indicators", "sort": "-phat_trien_dv"})
    table = across.context["table"]
    assert (table.per_page, table.pages, len(table.rows)) == (20, 3, 20)
    body = across.content.decode()
    assert "units-across" in body and len(codes_in(body)) == 20
    # One line per column of the other layout (value, % of target, …), a cell per unit.
    lines = table.transposed
    assert [c.key for c, _e in lines] == [c.key for c in table.columns[1:]]
    assert all(len(entries) == 20 for _c, entries in lines)
    # Sorting, paging and turning the table keep the layout.
    fragment = reverse(
        "indicators:dashboard_children", kwargs={"pk": world.unit_a.pk, "period": wide.pk}
    )
    assert f"{fragment}?sort=-phat_trien_dv&amp;page=2&amp;rows=indicators" in body
    assert "rows=indicators" in re.search(r'href="[^"]*sort=phat_trien_dv[^"]*"', body).group(0)
    assert f"{url}?sort=-phat_trien_dv&amp;rows=units" in body
    part = client.get(fragment, {"rows": "indicators", "page": "3", "sort": "name"})
    assert len(part.context["table"].rows) == 5 and "<html" not in part.content.decode()


def test_entries_are_the_same_either_way_round(world, wide):
    inds = [ind("phat_trien_dv"), ind("suat_qua")]
    table = dashboards.children_table(world.officer_a, world.unit_a, wide, inds, per_page=20)
    grid = table.grid
    for i, (column, entries) in enumerate(table.transposed):
        assert entries == [row_entries[i] for _row, row_entries in grid], column.key
    first = grid[0][1]
    assert (first[0].text, first[0].note) == ("1", "/ 2")
    assert (first[1].text, first[1].badge) == ("50%", "text-bg-danger")  # 1 of 2 new members
    assert first[-1].late and not first[-1].numeric
