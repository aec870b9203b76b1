from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "congdoan.indicators"
    label = "indicators"
    verbose_name = _("Targets and indicators")

    def ready(self) -> None:
        from congdoan.indicators import reorganise, worklist
        from congdoan.organisation.services.tree import tree_changed, unit_work_handed_over

        tree_changed.connect(reorganise.on_tree_changed, dispatch_uid="indicators.totals")
        unit_work_handed_over.connect(
            reorganise.on_work_handed_over, dispatch_uid="indicators.targets"
        )
        worklist.register()  # the home page's work list (core.worklist)
