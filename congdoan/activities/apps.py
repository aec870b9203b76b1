from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivitiesConfig(AppConfig):
    """What the registers of activities share (domain §4): which unit keeps which register
    (`Keeping`, the "one place" rule of a unit's figures), attachments of records, and the
    registry of registers. The registers themselves are apps of their own (care, initiatives,
    inspections, movements)."""

    name = "congdoan.activities"
    label = "activities"
    verbose_name = _("Activity registers")

    def ready(self) -> None:
        from congdoan.activities.registers import dashboard_cards, keepers_of
        from congdoan.core.audit import REASON_LABELS
        from congdoan.indicators import derived
        from congdoan.indicators.dashboards import cards

        cards.register_provider(dashboard_cards)
        derived.set_keepers(keepers_of)

        for reason, label in {
            "keeping_start": pgettext_lazy("change reason", "Start keeping a register"),
            "keeping_stop": pgettext_lazy("change reason", "Stop keeping a register"),
            "attachment_add": pgettext_lazy("change reason", "Attach a file"),
            "attachment_delete": pgettext_lazy("change reason", "Remove an attached file"),
            "record_import": pgettext_lazy("change reason", "Import from a file"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
