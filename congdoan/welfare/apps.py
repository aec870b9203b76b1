from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The derived definitions of the register (indicator_definitions.py).
DEFINITIONS = (
    "welfare_agreements_signed",
    "welfare_agreements_in_force",
    "welfare_beneficiaries",
    "welfare_uses",
    "welfare_value",
)


class WelfareConfig(AppConfig):
    """The welfare programme ("Vì phúc lợi đoàn viên"): agreements with partners (banks, shops,
    clinics) giving members benefits, and the members' uses of them with the value received."""

    name = "congdoan.welfare"
    label = "welfare"
    verbose_name = _("Welfare agreements")

    def ready(self) -> None:
        from congdoan.activities import registers
        from congdoan.core.audit import REASON_LABELS
        from congdoan.core.permissions import Action
        from congdoan.members.selectors import MemberSection, register_member_section
        from congdoan.welfare.models import REGISTER

        for reason, label in {
            "welfare_agreement_create": pgettext_lazy(
                "change reason", "Record a welfare agreement"
            ),
            "welfare_agreement_update": pgettext_lazy(
                "change reason", "Update a welfare agreement"
            ),
            "welfare_agreement_delete": pgettext_lazy(
                "change reason", "Delete a welfare agreement"
            ),
            "welfare_use_create": pgettext_lazy(
                "change reason", "Record a use of a welfare agreement"
            ),
            "welfare_use_update": pgettext_lazy(
                "change reason", "Correct a use of a welfare agreement"
            ),
            "welfare_use_delete": pgettext_lazy(
                "change reason", "Delete a use of a welfare agreement"
            ),
        }.items():
            REASON_LABELS.setdefault(reason, label)

        registers.add(
            registers.Register(
                code=REGISTER,
                label=_("Welfare agreements"),
                model="welfare.Agreement",
                manage_action=Action.ACTIVITIES_MANAGE,
                list_url="welfare:list",
                definitions=DEFINITIONS,
                description=_(
                    "Agreements with partners giving members benefits, and the uses members make "
                    "of them with the value of the benefit."
                ),
            )
        )
        register_member_section(
            MemberSection(
                key="welfare",
                title=_("Welfare benefits used"),
                template="welfare/partials/member_welfare.html",
                context=_member_context,
            )
        )


def _member_context(user: Any, member: Any) -> dict[str, Any]:
    """The member page's section: the member's uses (the page checked the member)."""
    from congdoan.welfare.selectors import member_uses

    return {"rows": member_uses(user, member)}
