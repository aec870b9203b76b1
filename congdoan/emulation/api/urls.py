"""/api/v1/ URLs of the emulation app (names prefixed "api:")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congdoan.emulation.api import views

router = SimpleRouter()
router.register("emulation-movements", views.MovementViewSet, basename="emulation-movement")
router.register(
    "emulation-registrations", views.RegistrationViewSet, basename="emulation-registration"
)
router.register("scoring-schemes", views.SchemeViewSet, basename="scoring-scheme")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("cluster-proposals", views.ProposalViewSet, basename="cluster-proposal")

urlpatterns = [
    *router.urls,
    path(
        "emulation/clusters/<int:pk>/ranking/",
        views.RankingView.as_view(),
        name="emulation-cluster-ranking",
    ),
]
