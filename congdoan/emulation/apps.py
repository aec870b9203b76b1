from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmulationConfig(AppConfig):
    """Emulation (thi đua, domain §5): movements with their theme and period, registrations of
    units and individuals, pledges signed inside a cluster, versioned scoring schemes, scores
    from the unit's own to the cluster's and the final one, ranking inside each cluster and the
    cluster's proposal of its leading units."""

    name = "congdoan.emulation"
    label = "emulation"
    verbose_name = _("Emulation")

    def ready(self) -> None:
        from congdoan.core.audit import REASON_LABELS

        for reason, label in {
            "movement_create": pgettext_lazy("change reason", "Launch an emulation movement"),
            "movement_update": pgettext_lazy("change reason", "Update an emulation movement"),
            "phase_add": pgettext_lazy("change reason", "Add a programme phase"),
            "registration_create": pgettext_lazy("change reason", "Register for emulation"),
            "registration_withdraw": pgettext_lazy(
                "change reason", "Withdraw an emulation registration"
            ),
            "scheme_create": pgettext_lazy("change reason", "Record a scoring scheme"),
            "scorecard_open": pgettext_lazy("change reason", "Open a scorecard"),
            "scorecard_score": pgettext_lazy("change reason", "Score emulation criteria"),
            "proposal_save": pgettext_lazy("change reason", "Propose the cluster's leading units"),
            "proposal_submit": pgettext_lazy("change reason", "Submit the cluster's proposal"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
        self._unit_section()

    def _unit_section(self) -> None:
        from congdoan.organisation.selectors.units import UnitSection, register_unit_section

        register_unit_section(
            UnitSection(
                key="emulation",
                title=_("Emulation"),
                template="emulation/partials/unit_section.html",
                context=_unit_context,
            )
        )


def _unit_context(user: Any, unit: Any) -> dict[str, Any] | None:
    from congdoan.emulation.selectors import unit_section

    return unit_section(user, unit)
