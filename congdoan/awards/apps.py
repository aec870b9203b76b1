from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AwardsConfig(AppConfig):
    """Awards (khen thưởng): the catalogue of award forms versioned by regulation, the
    eligibility rules checked when an award is recorded, decisions with their recipients
    (also awards from outside the union), tallies, and the awards on the member page."""

    name = "congdoan.awards"
    label = "awards"
    verbose_name = _("Awards")

    def ready(self) -> None:
        from congdoan.core.audit import REASON_LABELS

        for reason, label in {
            "award_decision_create": pgettext_lazy("change reason", "Record an award decision"),
            "award_decision_update": pgettext_lazy("change reason", "Update an award decision"),
            "award_decision_delete": pgettext_lazy("change reason", "Delete an award decision"),
            "award_add": pgettext_lazy("change reason", "Add a recipient to an award decision"),
            "award_delete": pgettext_lazy("change reason", "Remove an award"),
            "award_nomination_create": pgettext_lazy("change reason", "Propose an award"),
            "award_nomination_update": pgettext_lazy("change reason", "Update a nomination"),
            "award_nomination_delete": pgettext_lazy("change reason", "Delete a nomination"),
            "award_nomination_submit": pgettext_lazy(
                "change reason", "Submit a nomination to the council"
            ),
            "award_nomination_withdraw": pgettext_lazy("change reason", "Withdraw a nomination"),
            "award_nomination_review": pgettext_lazy("change reason", "Council's review"),
            "award_nomination_decide": pgettext_lazy(
                "change reason", "Award a nomination by decision"
            ),
        }.items():
            REASON_LABELS.setdefault(reason, label)
        self._member_section()
        self._unit_section()

    def _member_section(self) -> None:
        from congdoan.members.selectors import MemberSection, register_member_section

        register_member_section(
            MemberSection(
                key="awards",
                title=_("Awards"),
                template="awards/partials/member_awards.html",
                context=_member_context,
            )
        )

    def _unit_section(self) -> None:
        from congdoan.organisation.selectors.units import UnitSection, register_unit_section

        register_unit_section(
            UnitSection(
                key="awards",
                title=_("Awards received"),
                template="awards/partials/unit_awards.html",
                context=_unit_context,
            )
        )


def _unit_context(user: Any, unit: Any) -> dict[str, Any]:
    from congdoan.awards.selectors import unit_section

    return unit_section(user, unit)


def _member_context(user: Any, member: Any) -> dict[str, Any]:
    from congdoan.awards.selectors import member_section

    return member_section(user, member)
