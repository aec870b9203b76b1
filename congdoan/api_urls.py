"""REST API v1: every app's endpoints under /api/v1/ (names prefixed with "api:")."""

from django.urls import include, path

urlpatterns = [
    path("", include("congdoan.organisation.api.urls")),
    path("", include("congdoan.reorganisation.api.urls")),
    path("", include("congdoan.members.api.urls")),
    path("", include("congdoan.indicators.api.urls")),
    path("", include("congdoan.meetings.api.urls")),
    path("", include("congdoan.activities.api.urls")),
    path("", include("congdoan.care.api.urls")),
    path("", include("congdoan.welfare.api.urls")),
    path("", include("congdoan.initiatives.api.urls")),
    path("", include("congdoan.inspections.api.urls")),
    path("", include("congdoan.movements.api.urls")),
    path("", include("congdoan.emulation.api.urls")),
    path("", include("congdoan.grading.api.urls")),
    path("", include("congdoan.awards.api.urls")),
    path("", include("congdoan.reports.api.urls")),
    path("", include("congdoan.accounts.api.urls")),
]
