from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GradingConfig(AppConfig):
    """Grading of grassroots unions (đánh giá, xếp loại chất lượng hoạt động CĐCS, domain §5):
    versioned schemes of criteria, points and categories, the yearly (or school-year) grading
    of each grassroots union, and what it feeds: indicators, the report and nominations."""

    name = "congdoan.grading"
    label = "grading"
    verbose_name = _("Grading of grassroots unions")

    def ready(self) -> None:
        from congdoan.core.audit import REASON_LABELS
        from congdoan.grading import reorganise
        from congdoan.organisation.services.tree import unit_work_handed_over

        unit_work_handed_over.connect(reorganise.on_work_handed_over, dispatch_uid="grading.drafts")
        for reason, label in {
            "grading_create": pgettext_lazy("change reason", "Grade a grassroots union"),
            "grading_update": pgettext_lazy("change reason", "Change a grading"),
            "grading_confirm": pgettext_lazy("change reason", "Confirm a grading"),
            "grading_delete": pgettext_lazy("change reason", "Delete a grading"),
            "grading_handover": pgettext_lazy(
                "change reason", "Hand a draft grading over to the receiving unit"
            ),
        }.items():
            REASON_LABELS.setdefault(reason, label)
        self._unit_section()

    def _unit_section(self) -> None:
        from congdoan.organisation.selectors.units import UnitSection, register_unit_section

        register_unit_section(
            UnitSection(
                key="grading",
                title=_("Grading of the grassroots union"),
                template="grading/partials/unit_section.html",
                context=_unit_context,
            )
        )


def _unit_context(user: Any, unit: Any) -> dict[str, Any] | None:
    from congdoan.grading.selectors import unit_section

    return unit_section(user, unit)
