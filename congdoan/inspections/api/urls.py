"""/api/v1/ URLs of the inspections app (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.inspections.api import views

router = SimpleRouter()
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("inspection-targets", views.InspectedViewSet, basename="inspection-target")
router.register(
    "inspection-recommendations", views.RecommendationViewSet, basename="inspection-recommendation"
)
router.register("inspection-follow-ups", views.FollowUpViewSet, basename="inspection-follow-up")
router.register("complaints", views.ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
