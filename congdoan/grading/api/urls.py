"""/api/v1/ URLs of the grading app (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.grading.api import views

router = SimpleRouter()
router.register("grading-schemes", views.SchemeViewSet, basename="grading-scheme")
router.register("gradings", views.GradingViewSet, basename="grading")

urlpatterns = router.urls
