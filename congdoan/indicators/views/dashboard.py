"""Indicator pages: a unit's dashboard, its units below (an htmx fragment sorted by any column),
charts as PNG and ranking tables.

Views only translate: the data comes from `indicators.dashboards` (a plain `Dashboard` object),
charts from `indicators.charts`. Every view goes through `IndicatorPageMixin`: the unit within
"indicators.view" (404 for "missing" and "not yours" alike) and a period that has been opened
(404 otherwise), pages, fragment and charts alike.

    indicators:dashboard           dashboard/<unit>/[<period>/]   ?sort=…&page=…&rows=…&key=<code>…
    indicators:dashboard_children  dashboard/<unit>/<period>/children/   ?sort=…&page=…&rows=…
                                   (fragment)
    indicators:dashboard_trend     dashboard/<unit>/<period>/trend/   ?key=<code>…  (fragment)
    indicators:dashboard_chart     dashboard/<unit>/<period>/chart.png   ?indicator=<code>&kind=trend|children
    indicators:ranking             ranking/<unit>/<period>/   ?by=<code>|pct:<code>|achievement&among=siblings|cluster:<id>
    indicators:dashboard_xlsx      dashboard/<unit>/<period>/export.xlsx   ?sort=…&key=<code>…
    indicators:dashboard_pdf       dashboard/<unit>/<period>/export.pdf    ?sort=…&key=<code>…
    indicators:ranking_xlsx        ranking/<unit>/<period>/export.xlsx     ?by=…&among=…&key=…

The exports (`indicators.exports`) hold what the page shows, every unit below at once.

The table of the units below has its units down the side (`?rows=units`, 50 a page) or across
the top (`?rows=indicators`, 20 a page); every link of the table keeps the choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views import View

from congdoan.core.pdf import pdf_response
from congdoan.core.replicas import ReplicaReadsMixin
from congdoan.indicators import dashboards, exports, selectors
from congdoan.indicators.dashboards import cards
from congdoan.indicators.models import Period
from congdoan.indicators.views.base import IndicatorPageMixin
from congdoan.organisation.models import Unit

PERIODS_LISTED = 40


def _keys(request: HttpRequest) -> list[str] | None:
    codes = [c for c in request.GET.getlist("key") if c]
    return codes or None


def _page(request: HttpRequest) -> int:
    """`?page=` of the table of units below (1 when missing or not a number)."""
    value = request.GET.get("page", "")
    return int(value) if value.isdecimal() and int(value) > 0 else 1


def rows_of(request: HttpRequest) -> str:
    """`?rows=`: the units down the side of the table of the units below (the default) or
    across its top."""
    across = request.GET.get("rows") == dashboards.UNITS_ACROSS
    return dashboards.UNITS_ACROSS if across else dashboards.UNITS_DOWN


def per_page(rows: str) -> int:
    return dashboards.PAGE_COLUMNS if rows == dashboards.UNITS_ACROSS else dashboards.PAGE_ROWS


def _links(request: HttpRequest, unit: Unit, period: Period) -> dict[str, Any]:
    keys = [("key", k) for k in _keys(request) or []]
    rows = rows_of(request)
    kwargs = {"pk": unit.pk, "period": period.pk}
    page_url = reverse("indicators:dashboard", kwargs=kwargs)
    fragment_url = reverse("indicators:dashboard_children", kwargs=kwargs)
    sort = request.GET.get("sort", "")
    turned = [
        (
            choice,
            urlencode([("sort", sort), ("rows", choice), *keys]),
        )
        for choice in (dashboards.UNITS_DOWN, dashboards.UNITS_ACROSS)
    ]
    return {
        "page_url": page_url,
        "fragment_url": fragment_url,
        "key_query": urlencode(keys),
        "rows": rows,
        "table_query": urlencode([("rows", rows), *keys]),
        "turn_links": turned,
        "export_query": urlencode([("sort", sort), *keys]),
    }


class DashboardPageMixin(ReplicaReadsMixin, IndicatorPageMixin):
    """The dashboard's pages, fragments and charts: GET only; the unit is `pk`; read from the
    replica when there is one (core/replicas.py)."""

    http_method_names: Sequence[str] = ["get"]


class DashboardView(DashboardPageMixin, View):
    """The dashboard of a unit for a period (without one: the latest year period that has
    begun, or a page saying that no period has been opened yet)."""

    def get(self, request: HttpRequest, pk: int, period: int | None = None) -> HttpResponse:
        unit = self.get_unit(pk)
        chosen = self.get_period(period) if period is not None else dashboards.default_period()
        if chosen is None:
            return render(request, "indicators/dashboard/no_period.html", {"unit": unit})
        data = dashboards.dashboard(
            request.user,
            unit,
            chosen,
            key_codes=_keys(request),
            sort=request.GET.get("sort"),
            page=_page(request),
            with_trends=False,  # loaded after the page (`dashboard_trend`): five periods' figures
            per_page=per_page(rows_of(request)),
        )
        periods = selectors.periods_latest(limit=PERIODS_LISTED, ordering=("-end", "kind"))
        return render(
            request,
            "indicators/dashboard/dashboard.html",
            {
                "unit": unit,
                "period": chosen,
                "periods": periods,
                "d": data,
                "table": data.children,
                "cards": cards.cards(unit, chosen),
                **_links(request, unit, chosen),
            },
        )


class DashboardChildrenView(DashboardPageMixin, View):
    """The table of the units below, sorted by `?sort=` (htmx swaps it into the dashboard)."""

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        unit, chosen = self.unit_and_period(pk, period)
        inds = dashboards.key_indicators(unit, chosen, _keys(request))
        table = dashboards.children_table(
            request.user,
            unit,
            chosen,
            inds,
            sort=request.GET.get("sort"),
            page=_page(request),
            per_page=per_page(rows_of(request)),
        )
        return render(
            request,
            "indicators/partials/dashboard_children.html",
            {"unit": unit, "period": chosen, "table": table, **_links(request, unit, chosen)},
        )


class DashboardTrendView(DashboardPageMixin, View):
    """The key figures over time (htmx loads it into the dashboard once the page is shown)."""

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        unit, chosen = self.unit_and_period(pk, period)
        inds = dashboards.key_indicators(unit, chosen, _keys(request))
        return render(
            request,
            "indicators/partials/dashboard_trend.html",
            {"unit": unit, "period": chosen, "trends": dashboards.trends(unit, chosen, inds)},
        )


class DashboardChartView(DashboardPageMixin, View):
    """A chart as PNG: `kind=trend` (the unit's figure over periods) or `kind=children` (the
    units below side by side) of `indicator=<code>`."""

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        from congdoan.indicators import charts  # matplotlib is loaded only for charts

        unit, chosen = self.unit_and_period(pk, period)
        kind = request.GET.get("kind", "trend")
        indicator = selectors.indicator_by_code(request.GET.get("indicator", ""))
        if indicator is None or kind not in ("trend", "children"):
            raise Http404
        if kind == "trend":
            png = charts.trend_png(dashboards.trend(unit, chosen, indicator))
        else:
            bars = dashboards.children_bars(request.user, unit, chosen, indicator)
            png = charts.children_png(bars)
        response = HttpResponse(png, content_type="image/png")
        response["Cache-Control"] = "private, max-age=300"
        return response


class RankingView(DashboardPageMixin, View):
    """The unit's peers (units under the same parent, or a cluster) ranked by one criterion."""

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        unit, chosen = self.unit_and_period(pk, period)
        table = _ranking(request, unit, chosen)
        clusters = [(f"cluster:{c.pk}", c.name) for c in dashboards.unit_clusters(unit, chosen)]
        return render(
            request,
            "indicators/dashboard/ranking.html",
            {
                "unit": unit,
                "period": chosen,
                "table": table,
                "clusters": clusters,
                "criteria": _criteria(table),
                "ranking_query": urlencode(
                    [("by", table.by), ("among", table.among)]
                    + [("key", k) for k in _keys(request) or []]
                ),
                **_links(request, unit, chosen),
            },
        )


def _ranking(request: HttpRequest, unit: Unit, period: Period) -> dashboards.RankingTable:
    table = dashboards.ranking_table(
        request.user,
        unit,
        period,
        by=request.GET.get("by") or None,
        among=request.GET.get("among", "siblings"),
        key_codes=_keys(request),
    )
    if table is None:
        raise Http404
    return table


class DashboardExportView(DashboardPageMixin, View):
    """The dashboard as Excel or PDF: key figures, every unit below within scope, ranks."""

    kind = "xlsx"

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        unit, chosen = self.unit_and_period(pk, period)
        data = dashboards.dashboard(
            request.user,
            unit,
            chosen,
            key_codes=_keys(request),
            sort=request.GET.get("sort"),
            page=None,
            with_trends=False,
        )
        name = exports.filename(_("dashboard"), unit.code, chosen.label, self.kind)
        if self.kind == "pdf":
            return pdf_response(exports.dashboard_pdf(data), name)
        return _xlsx_response(exports.dashboard_xlsx(data), name)


class RankingExportView(DashboardPageMixin, View):
    """The ranking page as Excel."""

    def get(self, request: HttpRequest, pk: int, period: int) -> HttpResponse:
        unit, chosen = self.unit_and_period(pk, period)
        table = _ranking(request, unit, chosen)
        data = exports.ranking_xlsx(table, unit_name=unit.name, period_label=chosen.label)
        name = exports.filename(_("ranking"), unit.code, chosen.label, "xlsx")
        return _xlsx_response(data, name)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _criteria(table: dashboards.RankingTable) -> list[tuple[str, str]]:
    """The criteria offered on the ranking page: targets reached, then each key figure."""
    out = [(dashboards.ACHIEVEMENT, dashboards.by_label(dashboards.ACHIEVEMENT, {}))]
    infos = {i.code: i for i in table.key}
    for info in table.key:
        out.append((info.code, info.label))
        out.append((f"pct:{info.code}", dashboards.by_label(f"pct:{info.code}", infos)))
    return out


urlpatterns: list[URLPattern] = [
    path("dashboard/<int:pk>/", DashboardView.as_view(), name="dashboard"),
    path("dashboard/<int:pk>/<int:period>/", DashboardView.as_view(), name="dashboard"),
    path(
        "dashboard/<int:pk>/<int:period>/children/",
        DashboardChildrenView.as_view(),
        name="dashboard_children",
    ),
    path(
        "dashboard/<int:pk>/<int:period>/trend/",
        DashboardTrendView.as_view(),
        name="dashboard_trend",
    ),
    path(
        "dashboard/<int:pk>/<int:period>/chart.png",
        DashboardChartView.as_view(),
        name="dashboard_chart",
    ),
    path("ranking/<int:pk>/<int:period>/", RankingView.as_view(), name="ranking"),
    path(
        "dashboard/<int:pk>/<int:period>/export.xlsx",
        DashboardExportView.as_view(kind="xlsx"),
        name="dashboard_xlsx",
    ),
    path(
        "dashboard/<int:pk>/<int:period>/export.pdf",
        DashboardExportView.as_view(kind="pdf"),
        name="dashboard_pdf",
    ),
    path(
        "ranking/<int:pk>/<int:period>/export.xlsx",
        RankingExportView.as_view(),
        name="ranking_xlsx",
    ),
]
