"""Indicator pages (prefix /indicators/). Each area of views/ lists its own patterns."""

from congdoan.indicators.views import dashboard, entry, excel, targets

app_name = "indicators"

urlpatterns = [
    *entry.urlpatterns,
    *targets.urlpatterns,
    *excel.urlpatterns,
    *dashboard.urlpatterns,
]
