from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """Initiative programmes ("1 triệu sáng kiến") in phases with targets per unit, the
    initiatives with their authors, and technical-innovation contests with entries and prizes."""

    name = "congdoan.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives and contests")
