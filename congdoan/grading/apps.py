from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    """Grading of grassroots unions (đánh giá, xếp loại chất lượng hoạt động CĐCS, domain §5):
    versioned schemes of criteria, points and categories, the yearly (or school-year) grading
    of each grassroots union, and what it feeds: indicators, the report and nominations."""

    name = "congdoan.grading"
    label = "grading"
    verbose_name = _("Grading of grassroots unions")
