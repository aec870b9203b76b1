from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    """The welfare programme ("Vì phúc lợi đoàn viên"): agreements with partners (banks, shops,
    clinics) giving members benefits, and the members' uses of them with the value received."""

    name = "congdoan.welfare"
    label = "welfare"
    verbose_name = _("Welfare agreements")
