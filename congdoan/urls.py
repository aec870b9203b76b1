from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerSplitView

from congdoan.core.api.schema import SchemaView
from congdoan.core.views import healthz


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on their own: the icon among the static files (its
    hashed name in production), for everyone, signed in or not."""

    permanent = False

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("congdoan/favicon.ico")


urlpatterns = [
    path("", include("congdoan.organisation.urls")),
    path("reorganisation/", include("congdoan.reorganisation.urls")),
    path("members/", include("congdoan.members.urls")),
    path("indicators/", include("congdoan.indicators.urls")),
    path("meetings/", include("congdoan.meetings.urls")),
    path("activities/", include("congdoan.activities.urls")),
    path("care/", include("congdoan.care.urls")),
    path("welfare/", include("congdoan.welfare.urls")),
    path("initiatives/", include("congdoan.initiatives.urls")),
    path("inspections/", include("congdoan.inspections.urls")),
    path("movements/", include("congdoan.movements.urls")),
    path("emulation/", include("congdoan.emulation.urls")),
    path("grading/", include("congdoan.grading.urls")),
    path("awards/", include("congdoan.awards.urls")),
    path("reports/", include("congdoan.reports.urls")),
    path("accounts/", include("congdoan.accounts.urls")),
    path("api/v1/", include(("congdoan.api_urls", "api"))),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    # Signed-in users only (docs/security.md): the schema is the code's, but a deployment that
    # holds personal data tells strangers nothing, not even which endpoints it serves.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
