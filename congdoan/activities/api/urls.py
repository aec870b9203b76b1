"""/api/v1/ URLs of the shared core of the registers (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.activities.api import views

router = SimpleRouter()
router.register("register-keepings", views.KeepingViewSet, basename="register-keeping")
urlpatterns = router.urls
