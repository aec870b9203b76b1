from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from congdoan.core.views import healthz

urlpatterns = [
    path("", include("congdoan.organisation.urls")),
    path("reorganisation/", include("congdoan.reorganisation.urls")),
    path("members/", include("congdoan.members.urls")),
    path("indicators/", include("congdoan.indicators.urls")),
    path("accounts/", include("congdoan.accounts.urls")),
    path("api/v1/", include(("congdoan.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Signed-in users only (docs/security.md): the schema is the code's, but a deployment that
    # holds personal data tells strangers nothing, not even which endpoints it serves.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
