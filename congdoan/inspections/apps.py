from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InspectionsConfig(AppConfig):
    """Inspections and supervision by the UBKT and the BCH of each level: events, the units
    inspected, findings, recommendations and their follow-up; and the complaints and
    denunciations a unit handles (a register of their own)."""

    name = "congdoan.inspections"
    label = "inspections"
    verbose_name = _("Inspections and supervision")

    def ready(self) -> None:
        from congdoan.activities import registers
        from congdoan.core.audit import REASON_LABELS
        from congdoan.core.permissions import Action
        from congdoan.inspections.indicator_definitions import (
            COMPLAINT_DEFINITIONS,
            INSPECTION_DEFINITIONS,
        )

        registers.add(
            registers.Register(
                code="inspections",
                label=_("Inspections and supervision"),
                model="inspections.Inspection",
                manage_action=Action.INSPECTION_MANAGE,
                list_url="inspections:list",
                definitions=INSPECTION_DEFINITIONS,
                description=_(
                    "Inspections and supervisions the unit conducted: events and the units "
                    "they covered."
                ),
            )
        )
        registers.add(
            registers.Register(
                code="complaints",
                label=_("Complaints and denunciations"),
                model="inspections.Complaint",
                manage_action=Action.INSPECTION_MANAGE,
                list_url="inspections:complaints",
                definitions=COMPLAINT_DEFINITIONS,
                description=_(
                    "Cases of complaint and denunciation the unit received and resolved."
                ),
            )
        )
        for reason, label in {
            "inspection_create": pgettext_lazy("change reason", "Record an inspection"),
            "inspection_update": pgettext_lazy("change reason", "Update an inspection"),
            "inspection_delete": pgettext_lazy("change reason", "Delete an inspection"),
            "inspected_add": pgettext_lazy("change reason", "Add a unit inspected"),
            "inspected_remove": pgettext_lazy("change reason", "Remove a unit inspected"),
            "recommendation_add": pgettext_lazy("change reason", "Add a recommendation"),
            "recommendation_update": pgettext_lazy("change reason", "Update a recommendation"),
            "recommendation_remove": pgettext_lazy("change reason", "Remove a recommendation"),
            "follow_up_add": pgettext_lazy("change reason", "Record a follow-up"),
            "follow_up_remove": pgettext_lazy("change reason", "Remove a follow-up"),
            "complaint_create": pgettext_lazy("change reason", "Record a complaint"),
            "complaint_update": pgettext_lazy("change reason", "Update a complaint"),
            "complaint_delete": pgettext_lazy("change reason", "Delete a complaint"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
