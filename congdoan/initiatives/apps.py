from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The derived definitions of each register (indicator_definitions.py registers them).
INITIATIVE_DEFINITIONS = (
    "initiatives_submitted",
    "initiatives_valid",
    "initiatives_rejected",
    "initiatives_benefit",
)
CONTEST_DEFINITIONS = (
    "quizzes_held",
    "quiz_participants",
    "contest_entries",
    "contest_prizes_first",
    "contest_prizes_second",
    "contest_prizes_third",
    "contest_prizes_consolation",
)


class InitiativesConfig(AppConfig):
    """Initiative programmes ("1 triệu sáng kiến") in phases with targets per unit, the
    initiatives with their authors, and technical-innovation contests with entries and prizes."""

    name = "congdoan.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives and contests")

    def ready(self) -> None:
        from congdoan.activities import registers
        from congdoan.core.audit import REASON_LABELS
        from congdoan.core.permissions import Action

        registers.add(
            registers.Register(
                code="initiatives",
                label=_("Initiatives"),
                model="initiatives.Initiative",
                manage_action=Action.ACTIVITIES_MANAGE,
                list_url="initiatives:list",
                definitions=INITIATIVE_DEFINITIONS,
                attachable=("initiatives.Programme",),
                description=_(
                    "Initiatives submitted to the programmes, and the decisions on them."
                ),
            )
        )
        registers.add(
            registers.Register(
                code="contests",
                label=_("Contests"),
                model="initiatives.Contest",
                manage_action=Action.ACTIVITIES_MANAGE,
                list_url="initiatives:contest_list",
                definitions=CONTEST_DEFINITIONS,
                description=_(
                    "Technical-innovation contests and quizzes: entries, prizes, participants."
                ),
            )
        )
        for reason, label in {
            "programme_create": pgettext_lazy("change reason", "Record an initiative programme"),
            "programme_update": pgettext_lazy("change reason", "Update an initiative programme"),
            "programme_delete": pgettext_lazy("change reason", "Delete an initiative programme"),
            "initiative_create": pgettext_lazy("change reason", "Record an initiative"),
            "initiative_update": pgettext_lazy("change reason", "Update an initiative"),
            "initiative_decide": pgettext_lazy("change reason", "Decide on an initiative"),
            "initiative_delete": pgettext_lazy("change reason", "Delete an initiative"),
            "contest_create": pgettext_lazy("change reason", "Record a contest"),
            "contest_update": pgettext_lazy("change reason", "Update a contest"),
            "contest_delete": pgettext_lazy("change reason", "Delete a contest"),
            "entry_add": pgettext_lazy("change reason", "Add a contest entry"),
            "entry_update": pgettext_lazy("change reason", "Update a contest entry"),
            "entry_remove": pgettext_lazy("change reason", "Remove a contest entry"),
            "participant_add": pgettext_lazy("change reason", "Add quiz participants"),
            "participant_remove": pgettext_lazy("change reason", "Remove quiz participants"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
