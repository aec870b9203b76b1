from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MovementsConfig(AppConfig):
    """Movements and models: emulation works, replicated and "Dân vận khéo" models, cultural
    and sports activities, training classes, propaganda of resolutions, collective labour
    agreements and workplace dialogues; worker / civil-servant conferences are counted from the
    meetings app."""

    name = "congdoan.movements"
    label = "movements"
    verbose_name = _("Movements and models")

    def ready(self) -> None:
        from congdoan.activities import registers
        from congdoan.core.audit import REASON_LABELS
        from congdoan.core.permissions import Action
        from congdoan.movements.indicator_definitions import DEFINITIONS
        from congdoan.movements.models import REGISTER

        for reason, label in {
            "movement_activity_create": pgettext_lazy("change reason", "Record an activity"),
            "movement_activity_update": pgettext_lazy("change reason", "Update an activity"),
            "movement_activity_delete": pgettext_lazy("change reason", "Delete an activity"),
            "agreement_create": pgettext_lazy("change reason", "Record a collective agreement"),
            "agreement_update": pgettext_lazy("change reason", "Update a collective agreement"),
            "agreement_delete": pgettext_lazy("change reason", "Delete a collective agreement"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
        registers.add(
            registers.Register(
                code=REGISTER,
                label=_("Movements and models"),
                model="movements.Activity",
                manage_action=Action.ACTIVITIES_MANAGE,
                list_url="movements:list",
                definitions=DEFINITIONS,
                attachable=("movements.Agreement",),
                description=_(
                    "Emulation works, models, cultural and sports activities, training "
                    "classes, propaganda of resolutions, workplace dialogues and collective "
                    "agreements; workers' and civil servants' conferences from the meetings."
                ),
            )
        )
