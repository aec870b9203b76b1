from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Periodic reports (báo cáo sơ kết / tổng kết) generated from the data, and their news items.

    Every app may contribute sections in a `report_sections.py` module (see sections.py).
    """

    name = "congdoan.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        autodiscover_modules("report_sections")
