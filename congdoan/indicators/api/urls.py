"""Indicator API (under /api/v1/, names prefixed with "api:")."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from congdoan.indicators.api import excel, figures, views

router = SimpleRouter()
router.register("indicator-groups", views.IndicatorGroupViewSet, basename="indicator-group")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("period-rules", views.PeriodRuleViewSet, basename="period-rule")
router.register("data-sets", views.DataSetViewSet, basename="data-set")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("targets", views.TargetViewSet, basename="target")
router.register("sheets", views.SheetViewSet, basename="sheet")

urlpatterns: list[URLPattern | URLResolver] = [
    path("figures/", figures.FiguresView.as_view(), name="figures"),
    path("figures/cluster/", figures.ClusterFiguresView.as_view(), name="figures-cluster"),
    path("figures/template/", excel.ExcelTemplateView.as_view(), name="figures-template"),
    path("figures/upload/", excel.ExcelUploadView.as_view(), name="figures-upload"),
    path("ranking/", figures.RankingView.as_view(), name="ranking"),
    *router.urls,
]
