"""/api/v1/ URLs of the member app (names prefixed "api:")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from congdoan.members.api import views

router = SimpleRouter()
router.register("members", views.MemberViewSet, basename="member")
router.register("member-transfers", views.TransferRequestViewSet, basename="member-transfer")
router.register("member-imports", views.ImportJobViewSet, basename="member-import")
router.register("member-duplicates", views.DuplicateViewSet, basename="member-duplicate")

urlpatterns = [
    path("member-counts/", views.MemberCountsView.as_view(), name="member-counts"),
    path("member-counts/cluster/", views.ClusterCountsView.as_view(), name="member-counts-cluster"),
    *router.urls,
]
