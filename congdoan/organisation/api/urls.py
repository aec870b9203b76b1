"""/api/v1/ URLs of the organisation app (names prefixed "api:")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congdoan.organisation.api import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("terms", views.TermViewSet, basename="term")
router.register("levels", views.LevelViewSet, basename="level")
router.register("unit-types", views.UnitTypeViewSet, basename="unit-type")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("ownership-types", views.OwnershipTypeViewSet, basename="ownership-type")
router.register("positions", views.PositionViewSet, basename="position")

urlpatterns = [
    path("tree/", views.TreeView.as_view(), name="tree"),
    *router.urls,
]
