from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The derived definitions the register gives the engine (indicator_definitions.py).
DEFINITIONS = (
    "care_gift_portions",
    "care_gift_money",
    "care_community_portions",
    "care_houses",
    "care_house_money",
    "care_economy_people",
    "care_economy_money",
    "care_mobilised",
    "care_members",
    "care_visits",
    "care_meals",
    "care_meal_people",
)


class CareConfig(AppConfig):
    """Care for members (domain §4): gifts, cash support, visits to sick members, union meals,
    support to develop household economy, Mái ấm Công đoàn houses; the funding of each, and the
    campaigns (Tết, Tháng Công nhân) that group them."""

    name = "congdoan.care"
    label = "care"
    verbose_name = _("Care for members")

    def ready(self) -> None:
        from congdoan.activities import registers
        from congdoan.core.audit import REASON_LABELS
        from congdoan.core.permissions import Action

        registers.add(
            registers.Register(
                code="care",
                label=_("Care for members"),
                model="care.CareRecord",
                manage_action=Action.ACTIVITIES_MANAGE,
                list_url="care:list",
                definitions=DEFINITIONS,
                description=_(
                    "Gifts, cash support, visits, union meals, support to household economy "
                    "and Mái ấm Công đoàn houses, with their funding and campaigns."
                ),
            )
        )
        for reason, label in {
            "care_record_create": pgettext_lazy("change reason", "Record care"),
            "care_record_update": pgettext_lazy("change reason", "Update a care record"),
            "care_record_delete": pgettext_lazy("change reason", "Delete a care record"),
            "campaign_create": pgettext_lazy("change reason", "Create a care campaign"),
            "campaign_update": pgettext_lazy("change reason", "Update a care campaign"),
            "campaign_delete": pgettext_lazy("change reason", "Delete a care campaign"),
        }.items():
            REASON_LABELS.setdefault(reason, label)
        self._member_section()

    def _member_section(self) -> None:
        from congdoan.care import selectors
        from congdoan.members.selectors import MemberSection, register_member_section

        register_member_section(
            MemberSection(
                key="care",
                title=_("Care and support received"),
                template="care/partials/member_care.html",
                context=selectors.member_section,
            )
        )
