"""/api/v1/reorganisation/… URLs (names prefixed "api:")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congdoan.reorganisation.api import views

router = SimpleRouter()
router.register("reorganisation/events", views.EventViewSet, basename="reorganisation-event")
router.register("reorganisation/plans", views.PlanViewSet, basename="reorganisation-plan")

urlpatterns = [
    path("reorganisation/create/", views.CreateView.as_view(), name="reorganisation-create"),
    path("reorganisation/update/", views.UpdateView.as_view(), name="reorganisation-update"),
    path("reorganisation/move/", views.MoveView.as_view(), name="reorganisation-move"),
    path("reorganisation/merge/", views.MergeView.as_view(), name="reorganisation-merge"),
    path("reorganisation/split/", views.SplitView.as_view(), name="reorganisation-split"),
    path("reorganisation/dissolve/", views.DissolveView.as_view(), name="reorganisation-dissolve"),
    *router.urls,
]
