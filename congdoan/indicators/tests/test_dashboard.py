"""Dashboards and rankings: the data object (through services and the selector), the pages,
the htmx fragment and the charts through HTTP, scoping and a query budget."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from congdoan.core.tests.support import MARKER_A, MARKER_B, unit_type
from congdoan.indicators import charts, dashboards, selectors, services
from congdoan.indicators.models import Period, PeriodKind, Sheet
from congdoan.indicators.periods import period_open
from congdoan.indicators.tests.figures_world import build_figures, enter, ind
from congdoan.organisation import services as org
from congdoan.organisation.models import Unit

D = Decimal
TODAY = dt.date(2026, 6, 1)
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def year(db):
    return period_open(actor=None, kind=PeriodKind.YEAR, year=2024)


@pytest.fixture
def figures(world, year):
    """See `figures_world.build_figures`."""
    return build_figures(world, year)


def key_of(d: dashboards.Dashboard, code: str) -> dashboards.KeyFigure:
    return next(k for k in d.key if k.indicator.code == code)


# --- the data object -------------------------------------------------------------------------


def test_key_figures_targets_approval_and_year_before(world, figures):
    d = dashboards.dashboard(world.officer_a, world.unit_a, figures, today=TODAY)
    # Indicators with a target, and the member counts from the register always.
    assert [k.indicator.code for k in d.key] == [
        "dv_cuoi_ky",
        "dv_nu_cuoi_ky",
        "phat_trien_dv",
        "suat_qua",
    ]
    new = key_of(d, "phat_trien_dv")
    assert (new.value, new.target, new.percent, new.status) == (12, 10, 120, "exceeded")
    assert new.percent_text == "120%"
    gifts = key_of(d, "suat_qua")
    assert (gifts.value, gifts.target, gifts.percent_text, gifts.status) == (18, 20, "90%", "below")
    # A1's figures are approved, A2's are not.
    assert not gifts.approved and (gifts.approved_units, gifts.units) == (1, 2)
    with translation.override("en"):
        assert "(1 of 2 units approved)" in gifts.approval_text
    members = key_of(d, "dv_cuoi_ky")
    assert members.value == 1 and members.approved
    assert not d.all_approved
    # The same period a year earlier.
    assert d.previous_name == "Năm 2023"
    assert (gifts.previous, gifts.change, gifts.change_text) == (9, 9, "+9 (+100%)")
    assert new.previous is None and new.change is None
    # 2 targets: one exceeded, one not reached.
    a = d.achievement
    assert (a.reached, a.total, a.exceeded) == (1, 2, 1)
    assert d.achievement_text == a.text


def test_key_indicators_without_targets_are_those_with_figures(world, year):
    enter(world, world.grass_a1, year, sang_kien=3, dn_co_cd=2, dn_co_tu=1)
    codes = [i.code for i in dashboards.key_indicators(world.unit_a, year)]
    assert codes == [
        "dv_cuoi_ky",
        "dv_nu_cuoi_ky",
        "sang_kien",
        "dn_co_cd",
        "dn_co_tu",
        "ty_le_dn_co_tu",
    ]
    d = dashboards.dashboard(world.officer_a, world.unit_a, year, key_codes=["ty_le_dn_co_tu"])
    assert [k.value_text for k in d.key] == ["50%"]
    assert d.achievement_text == ""


def test_children_sorted_by_any_column(world, figures):
    inds = dashboards.key_indicators(world.unit_a, figures)

    def order(sort):
        table = dashboards.children_table(
            world.officer_a, world.unit_a, figures, inds, sort=sort, today=TODAY
        )
        return [r.code for r in table.rows]

    assert order(None) == ["A2", "A1"]  # by name: "… Hai" before "… Một"
    assert order("-name") == ["A1", "A2"]
    assert order("-suat_qua") == ["A1", "A2"]
    assert order("suat_qua") == ["A2", "A1"]
    assert order("-pct:phat_trien_dv") == ["A1", "A2"]  # 8/4 = 200%, 4/8 = 50%
    assert order("pct:phat_trien_dv") == ["A2", "A1"]
    assert order("-achievement") == ["A1", "A2"]
    assert order("status") == ["A2", "A1"]  # draft before approved
    assert order("nonsense") == order("name")

    table = dashboards.children_table(
        world.officer_a, world.unit_a, figures, inds, sort="-suat_qua", today=TODAY
    )
    a1, a2 = table.rows
    assert a1.sheet_status == "approved" and a1.sheet_status_label
    assert a2.sheet_status == "draft" and a2.late  # due 15/01/2025, still a draft
    assert a1.cells[3].percent_text == "" and a1.cells[2].percent_text == "200%"
    assert table.with_target == {"phat_trien_dv"}
    header = {c.key: c for c in table.columns}
    assert header["suat_qua"].active and header["suat_qua"].descending
    assert header["suat_qua"].next_sort == "suat_qua"
    assert header["pct:phat_trien_dv"].next_sort == "-pct:phat_trien_dv"
    assert header["name"].next_sort == "name"
    assert "pct:suat_qua" not in header  # no child has a target for it


def test_ranks_among_siblings_and_in_a_cluster(world, figures):
    d = dashboards.dashboard(world.officer_a, world.unit_a, figures, today=TODAY)
    assert d.rank_by == "achievement"
    siblings, cluster = d.ranks
    # B reached 2 of 2 targets, A 1 of 2.
    assert (siblings.among, siblings.rank, siblings.of, siblings.text) == (
        "siblings",
        2,
        2,
        "thứ 2/2",
    )
    assert cluster.among == f"cluster:{world.extra['cluster'].pk}" and cluster.text == "thứ 2/2"
    assert "Cụm 1" in cluster.label
    # Each key figure's rank among the siblings: A has more new members than B.
    assert key_of(d, "phat_trien_dv").sibling_rank == "thứ nhất/2"
    assert key_of(d, "suat_qua").sibling_rank == "thứ 2/2"
    # Officer A sees A's row only; B is ranked but not listed, and no total is shown.
    (table,) = d.clusters
    assert [r.code for r in table.rows] == ["HA"] and table.hidden == 1 and not table.total
    national = dashboards.dashboard(world.national, world.unit_a, figures, today=TODAY)
    table = national.clusters[0]
    assert [(r.code, r.rank_text) for r in table.rows] == [("HB", "thứ nhất/2"), ("HA", "thứ 2/2")]
    assert table.total[2].value == 22  # new members over the cluster

    by_value = dashboards.ranking_table(
        world.national, world.unit_a, figures, by="suat_qua", among="siblings"
    )
    assert by_value is not None
    assert [(r.code, r.rank, r.value) for r in by_value.rows] == [("HB", 1, 25), ("HA", 2, 18)]
    assert (
        dashboards.ranking_table(world.national, world.unit_a, figures, among="cluster:0") is None
    )
    assert dashboards.ranking_table(world.national, world.unit_a, figures, by="no_such") is None
    # The root has no siblings.
    assert dashboards.dashboard(world.national, world.root, figures).ranks == []


def test_trend_over_five_years_or_the_months_of_a_year(world, figures):
    series = dashboards.trend(world.unit_a, figures, ind("suat_qua"))
    # The same period over the last five years: those that have been opened (never opened here).
    assert [p.label for p in series.points] == ["Năm 2023", "Năm 2024"]
    assert [p.value for p in series.points] == [9, 18]
    assert series.points[-1].target == 20
    # A year whose months exist: the months.
    for month, gifts in ((1, 2), (2, 5)):
        enter(
            world,
            world.grass_a1,
            period_open(actor=None, kind=PeriodKind.MONTH, year=2024, number=month),
            suat_qua=gifts,
        )
    series = dashboards.trend(world.unit_a, figures, ind("suat_qua"))
    assert [(p.label, p.value) for p in series.points] == [("Tháng 1/2024", 2), ("Tháng 2/2024", 5)]
    # Any other period: the same period over five years.
    q1 = period_open(actor=None, kind=PeriodKind.QUARTER, year=2024, number=1)
    for year in (2019, 2020):
        period_open(actor=None, kind=PeriodKind.QUARTER, year=year, number=1)
    assert [p.name for p in dashboards.trend_periods(q1)] == ["Quý I/2020", "Quý I/2024"]
    assert not Period.objects.filter(kind=PeriodKind.QUARTER, year=2022).exists()


def test_without_a_period_the_dashboard_says_none_is_open(world, client_of):
    """The dashboard of a unit without a period: the latest year period that has begun; when
    none has been opened, a page that says so (reading never opens a period)."""
    client = client_of("officer_a")
    page = client.get(reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk}))
    assert page.status_code == 200 and "Chưa mở kỳ báo cáo nào." in page.content.decode()
    assert dashboards.default_period(TODAY) is None
    year = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    assert dashboards.default_period(TODAY) == year
    page = client.get(reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk}))
    assert page.status_code == 200 and year.name in page.content.decode()
    missing = {"pk": world.unit_a.pk, "period": 987654}
    assert client.get(reverse("indicators:dashboard", kwargs=missing)).status_code == 404
    assert Period.objects.count() == 1


def test_formats():
    assert dashboards.format_value(D("3800000000"), "money") == "3,8 tỷ đồng"
    assert dashboards.format_value(D("1234567"), "count") == "1.234.567"
    assert dashboards.format_value(D("12.50"), "decimal") == "12,5"
    assert dashboards.format_value(D("25"), "percent") == "25%"
    assert dashboards.format_change(D("-3"), "count") == "−3"
    assert charts.tick(1500.0) == "1.500" and charts.tick(2.5) == "2,5"


# --- charts (pure) ---------------------------------------------------------------------------


def _opens(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG)
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover
        import matplotlib.image as mpimg

        return mpimg.imread(io.BytesIO(png), format="png").shape[:2]
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
        return image.size


def test_charts_render_without_the_database():
    info = dashboards.IndicatorInfo("tien_qua", "Giá trị quà", "", "đồng", "money", False)
    series = dashboards.TrendSeries(
        info,
        "Giá trị quà thăm hỏi — LĐLĐ huyện Đông Hưng",
        [
            dashboards.TrendPoint(1, "Năm 2023", D("2960000000"), None, "money"),
            dashboards.TrendPoint(2, "Năm 2024", D("3800000000"), D("3500000000"), "money"),
        ],
    )
    width, height = _opens(charts.trend_png(series))
    assert width > 300 and height > 150
    bars = dashboards.ChildrenBars(
        info, "Giá trị quà", [("CĐCS Công ty Đồng Tâm", D("1500000"), D("1000000"))]
    )
    _opens(charts.children_png(bars))
    empty = dashboards.TrendSeries(
        info, "Trống", [dashboards.TrendPoint(1, "Năm 2024", None, None)]
    )
    _opens(charts.trend_png(empty))
    _opens(charts.children_png(dashboards.ChildrenBars(info, "Trống", [])))


# --- pages through HTTP ----------------------------------------------------------------------


def _url(name, world, period, **kwargs):
    return reverse(f"indicators:{name}", kwargs={"pk": world.unit_a.pk, "period": period.pk})


def test_dashboard_page(world, figures, client_of):
    client = client_of("officer_a")
    response = client.get(_url("dashboard", world, figures))
    assert response.status_code == 200
    body = response.content.decode()
    assert MARKER_A in body and "120%" in body and "thứ 2/2" in body
    assert 'id="dashboard-children"' in body and "kind=trend" in body and "kind=children" in body
    assert "<script>" not in body and "style=" not in body  # CSP: no inline scripts or styles
    assert MARKER_B not in body  # B is ranked, never listed, for officer A
    # Without a period: the latest year period.
    response = client.get(reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk}))
    assert response.status_code == 200 and response.context["period"] == figures


def test_children_fragment_sorts(world, figures, client_of):
    client = client_of("officer_a")
    url = _url("dashboard_children", world, figures)
    for sort, first in (("-suat_qua", "A1"), ("suat_qua", "A2")):
        response = client.get(f"{url}?sort={sort}", HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        body = response.content.decode()
        assert "<html" not in body and 'id="dashboard-children"' in body
        rows = [body.index(f"{MARKER_A} Một"), body.index(f"{MARKER_A} Hai")]
        assert (rows[0] < rows[1]) == (first == "A1")
        assert 'hx-get="' in body and 'hx-target="#dashboard-children"' in body


@pytest.mark.parametrize("kind", ["trend", "children"])
def test_chart_is_a_png(world, figures, client_of, kind):
    response = client_of("officer_a").get(
        _url("dashboard_chart", world, figures), {"indicator": "suat_qua", "kind": kind}
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    _opens(response.content)


def test_chart_and_ranking_refuse_unknown_parameters(world, figures, client_of):
    client = client_of("officer_a")
    url = _url("dashboard_chart", world, figures)
    assert client.get(url, {"indicator": "nope"}).status_code == 404
    assert client.get(url, {"indicator": "suat_qua", "kind": "pie"}).status_code == 404
    url = _url("ranking", world, figures)
    assert client.get(url, {"among": "cluster:999999"}).status_code == 404


def test_ranking_page(world, figures, client_of):
    cluster = world.extra["cluster"]
    url = _url("ranking", world, figures)
    response = client_of("national").get(url, {"by": "suat_qua", "among": f"cluster:{cluster.pk}"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cụm 1" in body and MARKER_B in body and "thứ nhất/2" in body
    response = client_of("officer_a").get(url, {"by": "pct:phat_trien_dv"})
    body = response.content.decode()
    assert response.status_code == 200 and "thứ nhất/2" in body and MARKER_B not in body


def test_officer_b_gets_404_for_unit_a(world, figures, client_of):
    client = client_of("officer_b")
    for name, query in (
        ("dashboard", {}),
        ("dashboard_children", {"sort": "-suat_qua"}),
        ("dashboard_chart", {"indicator": "suat_qua", "kind": "trend"}),
        ("ranking", {}),
    ):
        response = client.get(_url(name, world, figures), query)
        assert response.status_code == 404, name
        assert MARKER_A.encode() not in response.content
    assert (
        client.get(reverse("indicators:dashboard", kwargs={"pk": world.unit_a.pk})).status_code
        == 404
    )
    # B's own dashboard works.
    own = reverse("indicators:dashboard", kwargs={"pk": world.unit_b.pk, "period": figures.pk})
    assert client.get(own).status_code == 200


def _add_units(world, n: int, period) -> None:
    for i in range(n):
        unit = org.unit_create(
            actor=None,
            parent=world.unit_a,
            code=f"AX{i}",
            name=f"CĐCS {MARKER_A} thêm {i}",
            short_name="",
            unit_type=unit_type("cdcs"),
            day=dt.date(2020, 1, 1),
        )
        enter(world, unit, period, suat_qua=i + 1, phat_trien_dv=1)


def test_dashboard_query_budget(world, figures, client_of, django_assert_max_num_queries):
    client = client_of("officer_a")
    url = _url("dashboard", world, figures)
    client.get(url)  # warm caches (content types, scope)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _add_units(world, 12, figures)
    many = count()
    assert many == few, f"{few} queries with 2 units below, {many} with 14"
    with django_assert_max_num_queries(120):  # about 110 today, mostly the member counts of 5 years
        client.get(url)
    fragment = _url("dashboard_children", world, figures)
    # (34: suat_qua may be kept in the care register, whose subtree totals are 3 more reads.)
    with django_assert_max_num_queries(34):
        client.get(fragment, {"sort": "-suat_qua"})


def test_selector_uses_scope_for_the_units_below(world, figures):
    # The national admin sees A's units below; so does officer A; nobody sees B's under A.
    for user in (world.national, world.officer_a):
        d = dashboards.dashboard(user, world.unit_a, figures, with_trends=False)
        assert [r.code for r in d.children.rows] == ["A2", "A1"]
    assert selectors.children_on(world.unit_a.pk, figures.end, world.officer_b) == []


def test_the_table_of_units_below_is_paged(world, figures, client_of):
    """60 units below: 50 rows a page; sorting by a figure orders every unit below before the
    page is cut; the late count and the "% of target" columns hold for every page."""
    _add_units(world, 58, figures)  # with A1 and A2: 60 units below A; suat_qua 1…58, 15, 3
    table = dashboards.children_table(
        world.officer_a, world.unit_a, figures, [ind("suat_qua")], sort="-suat_qua", today=TODAY
    )
    assert (table.count, table.pages, table.page, len(table.rows)) == (60, 2, 1, 50)
    assert (table.first_row, table.last_row) == (1, 50)
    every = dashboards.children_table(
        world.officer_a,
        world.unit_a,
        figures,
        [ind("suat_qua")],
        sort="-suat_qua",
        page=None,
        today=TODAY,
    )
    assert len(every.rows) == 60
    values = [r.cells[0].value for r in every.rows]
    assert values == sorted(values, reverse=True) and values[0] == 58
    second = dashboards.children_table(
        world.officer_a,
        world.unit_a,
        figures,
        [ind("suat_qua")],
        sort="-suat_qua",
        page=2,
        today=TODAY,
    )
    assert [r.code for r in table.rows + second.rows] == [r.code for r in every.rows]
    assert (second.first_row, second.last_row) == (51, 60)
    # Late: the year's sheets were due early in 2025; A1's was sent only now, the others never.
    assert table.late == second.late == 60
    # A1 and A2 have a target for phat_trien_dv: its % column is on both pages, though page 2
    # (the 10 smallest gift counts, A2 among them) may hold no such unit.
    kn = [ind("phat_trien_dv")]
    by_name = [
        dashboards.children_table(
            world.officer_a, world.unit_a, figures, kn, page=p, today=TODAY
        ).with_target
        for p in (1, 2)
    ]
    assert by_name == [{"phat_trien_dv"}, {"phat_trien_dv"}]
    # A page number past the end shows the last page.
    assert (
        dashboards.children_table(
            world.officer_a, world.unit_a, figures, kn, page=9, today=TODAY
        ).page
        == 2
    )
    # Through HTTP: the fragment's second page and the links to it.
    client = client_of("officer_a")
    html = client.get(_url("dashboard", world, figures)).content.decode()
    assert "page=2" in html and "1–50" in html
    fragment = client.get(
        _url("dashboard_children", world, figures), {"sort": "-suat_qua", "page": "2"}
    ).content.decode()
    assert "51–60" in fragment and ">AX0<" in fragment and ">AX57<" not in fragment


@pytest.mark.parametrize("sort", ["name", "-name", "status", "-status"])
def test_pages_by_name_or_sheet_follow_the_table_order(world, figures, sort):
    """By name or sheet status the pages are cut without computing figures: the two pages
    together are the table of every unit below, sorted the same way."""
    _add_units(world, 58, figures)
    for i, unit in enumerate(Unit.objects.filter(code__startswith="AX").order_by("code")[:20]):
        sheet = Sheet.objects.get(unit=unit, period=figures)
        sheet = services.sheet_submit(actor=world.national, sheet=sheet)
        if i % 2:
            services.sheet_approve(actor=world.national, sheet=sheet)
    kn = [ind("suat_qua")]

    def table(page):
        return dashboards.children_table(
            world.officer_a, world.unit_a, figures, kn, sort=sort, page=page, today=TODAY
        )

    every = table(None)
    assert [r.code for r in table(1).rows + table(2).rows] == [r.code for r in every.rows]
    statuses = {r.sheet_status for r in every.rows}
    assert {"submitted", "approved", "draft"} <= statuses
    if sort.endswith("status"):
        order = [dashboards.tables._status_order(r.sheet_status) for r in every.rows]
        assert order == sorted(order, reverse=sort.startswith("-"))


def test_money_in_tables_is_in_millions(world, figures):
    enter(world, world.grass_a2, figures, tien_qua=135_512_000)
    table = dashboards.children_table(
        world.officer_a, world.unit_a, figures, [ind("tien_qua")], today=TODAY
    )
    cell = next(r for r in table.rows if r.code == "A2").cells[0]
    assert cell.table_text == "135,5"
    assert cell.value_text == "hơn 135,5 triệu đồng"  # cards keep the reports' wording
    assert "triệu đồng" in table.columns[1].label


def test_the_trend_is_loaded_after_the_page(world, figures, client_of):
    client = client_of("officer_a")
    page = client.get(_url("dashboard", world, figures)).content.decode()
    trend_url = _url("dashboard_trend", world, figures)
    assert f'hx-get="{trend_url}"' in page and "dashboard-trend" in page
    fragment = client.get(trend_url, HTTP_HX_REQUEST="true").content.decode()
    # The gifts of A: 9 in 2023, 18 in 2024 (the five years up to the period).
    assert "Năm 2023" in fragment and "Năm 2024" in fragment
    assert ">9<" in fragment and ">18<" in fragment
