"""/api/v1/ URLs of the accounts app (names prefixed "api:")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congdoan.accounts.api import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")
router.register("roles", views.RoleViewSet, basename="role")
router.register("grants", views.GrantViewSet, basename="grant")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
