"""Indicator pages (prefix /indicators/). Each area of views/ lists its own patterns."""

from congdoan.indicators.views import dashboard, entry, excel

app_name = "indicators"

urlpatterns = [*entry.urlpatterns, *excel.urlpatterns, *dashboard.urlpatterns]
