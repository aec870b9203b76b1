from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReorganisationConfig(AppConfig):
    """Reorganisation workflows (wizard, plans) on top of the organisation services.

    The records (ReorgEvent, LineageLink, ReorgPlan, UnitVersion) live in the organisation app.
    """

    name = "congdoan.reorganisation"
    label = "reorganisation"
    verbose_name = _("Reorganisation")
