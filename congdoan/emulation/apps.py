from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmulationConfig(AppConfig):
    """Emulation (thi đua, domain §5): movements with their theme and period, registrations of
    units and individuals, pledges signed inside a cluster, versioned scoring schemes, scores
    from the unit's own to the cluster's and the final one, ranking inside each cluster and the
    cluster's proposal of its leading units."""

    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = _("Emulation")
