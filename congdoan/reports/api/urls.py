"""Report API (under /api/v1/, names "api:…")."""

from rest_framework.routers import SimpleRouter

from congdoan.reports.api import views

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("report-versions", views.GenerationViewSet, basename="report-version")
router.register("report-templates", views.TemplateViewSet, basename="report-template")
urlpatterns = router.urls
