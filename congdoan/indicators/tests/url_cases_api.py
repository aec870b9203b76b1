"""Scoping cases of the indicator API (see core/tests/test_url_scoping.py).

The catalogue and the periods are the same for everyone ("list" cases). Everything about a unit
names a unit of A's subtree: officer B gets 404. Workflow steps are posted by national first and
officer A next on the same sheet: the second call may find it already moved (400).
"""

from __future__ import annotations

from typing import Any

from congdoan.core.tests.support import MARKER_A, UrlCase


def year(world: Any) -> Any:
    if "indicators_year" not in world.extra:
        from congdoan.indicators.models import PeriodKind
        from congdoan.indicators.periods import period_open

        world.extra["indicators_year"] = period_open(actor=None, kind=PeriodKind.YEAR, year=2024)
    return world.extra["indicators_year"]


def this_year(world: Any) -> Any:
    """The current year's period: targets of a closed period (2024) can no longer change."""
    if "indicators_this_year" not in world.extra:
        from django.utils import timezone

        from congdoan.indicators.models import PeriodKind
        from congdoan.indicators.periods import period_open

        world.extra["indicators_this_year"] = period_open(
            actor=None, kind=PeriodKind.YEAR, year=timezone.localdate().year
        )
    return world.extra["indicators_this_year"]


def sheet_a1(world: Any) -> Any:
    """Figures of grassroots union A1 for 2024, submitted (so that the unit above may act)."""
    if "indicators_sheet_a1" not in world.extra:
        from congdoan.indicators import services

        sheet = services.values_save(
            actor=world.national, unit=world.grass_a1, period=year(world), entries={"suat_qua": 5}
        )
        world.extra["indicators_sheet_a1"] = services.sheet_submit(
            actor=world.national, sheet=sheet
        )
    return world.extra["indicators_sheet_a1"]


def approved_a1(world: Any) -> Any:
    if "indicators_approved_a1" not in world.extra:
        from congdoan.indicators import services

        world.extra["indicators_approved_a1"] = services.sheet_approve(
            actor=world.national, sheet=sheet_a1(world)
        )
    return world.extra["indicators_approved_a1"]


def target_a1(world: Any) -> Any:
    if "indicators_target_a1" not in world.extra:
        from congdoan.indicators.models import Indicator
        from congdoan.indicators.tests.clock import assign_target

        world.extra["indicators_target_a1"] = assign_target(
            actor=world.national,
            unit=world.grass_a1,
            indicator=Indicator.objects.get(code="suat_qua"),
            period=year(world),
            value=4,
        )
    return world.extra["indicators_target_a1"]


def cluster_a(world: Any) -> Any:
    """A cluster organised by unit A, its members A1 and A2 in 2024."""
    if "indicators_cluster_a" not in world.extra:
        from congdoan.organisation.models import Cluster, ClusterMembership

        cluster = Cluster.objects.create(
            code="cum-chi-tieu-alpha", name=f"Cụm {MARKER_A}", organiser=world.unit_a
        )
        for unit in (world.grass_a1, world.grass_a2):
            ClusterMembership.objects.create(cluster=cluster, year=2024, unit=unit)
        world.extra["indicators_cluster_a"] = cluster
    return world.extra["indicators_cluster_a"]


def _filled_template(world: Any) -> dict[str, Any]:
    """The template of the units below A, uploaded as it came (it changes nothing)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congdoan.indicators import excel

    data = excel.template_for(world.national, world.unit_a, year(world), children=True)
    return {
        "unit": "HA",
        "period": year(world).pk,
        "children": "1",
        "file": SimpleUploadedFile("so-lieu.xlsx", data, content_type=excel.XLSX),
    }


def _sheet(setup: Any = sheet_a1, method: str = "post", data: Any = None) -> UrlCase:
    return UrlCase(
        "object",
        kwargs=lambda w: {"pk": setup(w).pk},
        method=method,
        data=data,
        ok=(200, 400) if method == "post" else (200,),
    )


def _period_query(w: Any) -> str:
    return f"unit=HA&period={year(w).pk}"


def _catalogue(name: str, kwargs: Any = None) -> dict[str, UrlCase]:
    return {
        f"api:{name}-list": UrlCase("list"),
        f"api:{name}-detail": UrlCase("list", kwargs=kwargs),
    }


def _first(model_path: str) -> Any:
    def kwargs(world: Any) -> dict[str, Any]:
        from django.apps import apps

        model = apps.get_model(*model_path.split("."))
        obj = model.objects.order_by("pk").first()
        if obj is None:  # data sets: none in the default catalogue
            from congdoan.indicators.models import DataSet

            obj = DataSet.objects.create(code="cdcs", name="Biểu CĐCS")
        return {"pk": obj.pk}

    return kwargs


CASES: dict[str, UrlCase] = {
    **_catalogue("indicator-group", _first("indicators.IndicatorGroup")),
    **_catalogue("indicator", _first("indicators.Indicator")),
    **_catalogue("period-rule", _first("indicators.PeriodRule")),
    **_catalogue("data-set", _first("indicators.DataSet")),
    "api:period-list": UrlCase("list", setup=year),
    "api:period-detail": UrlCase("list", kwargs=lambda w: {"pk": year(w).pk}),
    "api:target-list": UrlCase("list", setup=target_a1, expect_marker=True),
    "api:target-detail": UrlCase("object", kwargs=lambda w: {"pk": target_a1(w).pk}),
    "api:target-allocate": UrlCase(
        "object",
        method="post",
        data=lambda w: {
            "unit": "HA",
            "indicator": "suat_qua",
            "period": this_year(w).pk,
            "total": 10,
        },
        ok=(200,),
    ),
    "api:target-gaps": UrlCase("object", query=_period_query),
    "api:sheet-list": UrlCase("list", setup=sheet_a1, expect_marker=True),
    "api:sheet-detail": _sheet(method="get"),
    "api:sheet-submit": _sheet(),
    "api:sheet-approve": _sheet(),
    "api:sheet-return": _sheet(data=lambda w: {"reason": "Thiếu số liệu"}),
    "api:sheet-lock": _sheet(approved_a1),
    "api:sheet-reopen": _sheet(approved_a1, data=lambda w: {"reason": "Sai số"}),
    "api:sheet-values": UrlCase(
        "object",
        method="post",
        data=lambda w: {"unit": "A2", "period": year(w).pk},
        ok=(200,),
    ),
    "api:sheet-states": UrlCase("object", query=_period_query),
    "api:figures": UrlCase("object", query=lambda w: f"{_period_query(w)}&children=1"),
    "api:figures-cluster": UrlCase(
        "object", query=lambda w: f"cluster={cluster_a(w).pk}&period={year(w).pk}"
    ),
    "api:figures-template": UrlCase("object", query=lambda w: f"{_period_query(w)}&children=1"),
    "api:figures-upload": UrlCase("object", method="post", data=_filled_template),
    "api:ranking": UrlCase(
        "object", query=lambda w: f"among=siblings&unit=A1&period={year(w).pk}&by=suat_qua"
    ),
}
