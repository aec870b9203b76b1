"""/api/v1/ URLs of the grading app (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
