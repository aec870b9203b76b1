"""/api/v1/ URLs of the initiatives app (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.initiatives.api import views

router = SimpleRouter()
router.register("initiative-programmes", views.ProgrammeViewSet, basename="initiative-programme")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("contests", views.ContestViewSet, basename="contest")
router.register("contest-entries", views.EntryViewSet, basename="contest-entry")
router.register("contest-participants", views.ParticipantViewSet, basename="contest-participant")

urlpatterns = router.urls
