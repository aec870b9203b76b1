"""Indicator pages: a unit's dashboard, its units below (an htmx fragment sorted by any column),
charts as PNG and ranking tables.

Views only translate: the data comes from `indicators.dashboards` (a plain `Dashboard` object),
charts from `indicators.charts`. Units are fetched with `get_visible_or_404` under
"indicators.view" (404 for "missing" and "not yours" alike), pages, fragment and charts alike.

    indicators:dashboard           dashboard/<unit>/[<period>/]   ?sort=…&page=…&key=<code>…
    indicators:dashboard_children  dashboard/<unit>/<period>/children/   ?sort=…&page=…  (fragment)
    indicators:dashboard_trend     dashboard/<unit>/<period>/trend/   ?key=<code>…  (fragment)
    indicators:dashboard_chart     dashboard/<unit>/<period>/chart.png   ?indicator=<code>&kind=trend|children
    indicators:ranking             ranking/<unit>/<period>/   ?by=<code>|pct:<code>|achievement&among=siblings|cluster:<id>
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from congdoan.core.permissions import Action
from congdoan.core.scoping import get_visible_or_404
from congdoan.indicators import dashboards
from congdoan.indicators.models import Indicator, Period
from congdoan.organisation.models import Unit

PERIODS_LISTED = 40


def _unit(request: HttpRequest, pk: int) -> Unit:
    return get_visible_or_404(Unit, request.user, Action.INDICATORS_VIEW, pk=pk)


def _keys(request: HttpRequest) -> list[str] | None:
    codes = [c for c in request.GET.getlist("key") if c]
    return codes or None


def _page(request: HttpRequest) -> int:
    """`?page=` of the table of units below (1 when missing or not a number)."""
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _links(request: HttpRequest, unit: Unit, period: Period) -> dict[str, Any]:
    keys = _keys(request)
    return {
        "page_url": reverse("indicators:dashboard", kwargs={"pk": unit.pk, "period": period.pk}),
        "fragment_url": reverse(
            "indicators:dashboard_children", kwargs={"pk": unit.pk, "period": period.pk}
        ),
        "key_query": urlencode([("key", k) for k in keys or []]),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int, period: int | None = None) -> HttpResponse:
    """The dashboard of a unit for a period (the latest year period without one)."""
    unit = _unit(request, pk)
    chosen = (
        get_object_or_404(Period, pk=period) if period is not None else dashboards.default_period()
    )
    data = dashboards.dashboard(
        request.user,
        unit,
        chosen,
        key_codes=_keys(request),
        sort=request.GET.get("sort"),
        page=_page(request),
        with_trends=False,  # loaded after the page (`dashboard_trend`): five periods' figures
    )
    periods = list(Period.objects.order_by("-end", "kind")[:PERIODS_LISTED])
    return render(
        request,
        "indicators/dashboard/dashboard.html",
        {
            "unit": unit,
            "period": chosen,
            "periods": periods,
            "d": data,
            "table": data.children,
            **_links(request, unit, chosen),
        },
    )


@login_required
@require_GET
def dashboard_children(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """The table of the units below, sorted by `?sort=` (htmx swaps it into the dashboard)."""
    unit = _unit(request, pk)
    chosen = get_object_or_404(Period, pk=period)
    inds = dashboards.key_indicators(unit, chosen, _keys(request))
    table = dashboards.children_table(
        request.user, unit, chosen, inds, sort=request.GET.get("sort"), page=_page(request)
    )
    return render(
        request,
        "indicators/partials/dashboard_children.html",
        {"unit": unit, "period": chosen, "table": table, **_links(request, unit, chosen)},
    )


@login_required
@require_GET
def dashboard_trend(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """The key figures over time (htmx loads it into the dashboard once the page is shown)."""
    unit = _unit(request, pk)
    chosen = get_object_or_404(Period, pk=period)
    inds = dashboards.key_indicators(unit, chosen, _keys(request))
    return render(
        request,
        "indicators/partials/dashboard_trend.html",
        {"unit": unit, "period": chosen, "trends": dashboards.trends(unit, chosen, inds)},
    )


@login_required
@require_GET
def dashboard_chart(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """A chart as PNG: `kind=trend` (the unit's figure over periods) or `kind=children` (the
    units below side by side) of `indicator=<code>`."""
    from congdoan.indicators import charts  # matplotlib is loaded only for charts

    unit = _unit(request, pk)
    chosen = get_object_or_404(Period, pk=period)
    kind = request.GET.get("kind", "trend")
    code = request.GET.get("indicator", "")
    indicator = Indicator.objects.filter(code=code).select_related("group").first()
    if indicator is None or kind not in ("trend", "children"):
        raise Http404
    if kind == "trend":
        png = charts.trend_png(dashboards.trend(unit, chosen, indicator))
    else:
        png = charts.children_png(dashboards.children_bars(request.user, unit, chosen, indicator))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_GET
def ranking(request: HttpRequest, pk: int, period: int) -> HttpResponse:
    """The unit's peers (units under the same parent, or a cluster) ranked by one criterion."""
    unit = _unit(request, pk)
    chosen = get_object_or_404(Period, pk=period)
    among = request.GET.get("among", "siblings")
    table = dashboards.ranking_table(
        request.user,
        unit,
        chosen,
        by=request.GET.get("by") or None,
        among=among,
        key_codes=_keys(request),
    )
    if table is None:
        raise Http404
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
            **_links(request, unit, chosen),
        },
    )


def _criteria(table: dashboards.RankingTable) -> list[tuple[str, str]]:
    """The criteria offered on the ranking page: targets reached, then each key figure."""
    out = [(dashboards.ACHIEVEMENT, dashboards.by_label(dashboards.ACHIEVEMENT, {}))]
    infos = {i.code: i for i in table.key}
    for info in table.key:
        out.append((info.code, info.label))
        out.append((f"pct:{info.code}", dashboards.by_label(f"pct:{info.code}", infos)))
    return out


urlpatterns: list[URLPattern] = [
    path("dashboard/<int:pk>/", dashboard, name="dashboard"),
    path("dashboard/<int:pk>/<int:period>/", dashboard, name="dashboard"),
    path(
        "dashboard/<int:pk>/<int:period>/children/",
        dashboard_children,
        name="dashboard_children",
    ),
    path("dashboard/<int:pk>/<int:period>/trend/", dashboard_trend, name="dashboard_trend"),
    path("dashboard/<int:pk>/<int:period>/chart.png", dashboard_chart, name="dashboard_chart"),
    path("ranking/<int:pk>/<int:period>/", ranking, name="ranking"),
]
