"""/api/v1/ URLs of the register of movements and models (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.movements.api import views

router = SimpleRouter()
router.register("movement-activities", views.ActivityViewSet, basename="movement-activity")
router.register("labour-agreements", views.AgreementViewSet, basename="labour-agreement")

urlpatterns = router.urls
