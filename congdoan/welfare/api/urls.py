"""/api/v1/ URLs of the welfare register (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.welfare.api import views

router = SimpleRouter()
router.register("welfare-agreements", views.AgreementViewSet, basename="welfare-agreement")
router.register("welfare-uses", views.BenefitUseViewSet, basename="welfare-use")

urlpatterns = router.urls
