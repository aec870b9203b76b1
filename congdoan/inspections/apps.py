from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Inspections and supervision by the UBKT and the BCH of each level: events, the units
    inspected, findings, recommendations and their follow-up."""

    name = "congdoan.inspections"
    label = "inspections"
    verbose_name = _("Inspections and supervision")
