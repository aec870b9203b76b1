"""/api/v1/ URLs of the care register (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.care.api import views

router = SimpleRouter()
router.register("care-records", views.CareRecordViewSet, basename="care-record")
router.register("care-campaigns", views.CampaignViewSet, basename="care-campaign")

urlpatterns = router.urls
