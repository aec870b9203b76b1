"""/api/v1/ URLs of the meetings app (names prefixed "api:")."""

from rest_framework.routers import SimpleRouter

from congdoan.meetings.api import views

router = SimpleRouter()
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("meeting-attendees", views.AttendeeViewSet, basename="meeting-attendee")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("pledges", views.PledgeViewSet, basename="pledge")

urlpatterns = router.urls
