"""/api/v1/ URLs of the awards (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.awards.api import views

router = SimpleRouter()
router.register("award-forms", views.AwardFormViewSet, basename="award-form")
router.register("award-decisions", views.DecisionViewSet, basename="award-decision")
router.register("awards", views.AwardViewSet, basename="award")
router.register("award-nominations", views.NominationViewSet, basename="award-nomination")

urlpatterns = router.urls
