from django.contrib import admin
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
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
