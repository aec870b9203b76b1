from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    """Care for members (domain §4): gifts, cash support, visits, union meals, support to
    develop household economy, Mái ấm Công đoàn houses; and the welfare agreements
    ("Vì phúc lợi đoàn viên") with their uses by members."""

    name = "congdoan.care"
    label = "care"
    verbose_name = _("Care for members")
