from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "congdoan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models import Field, ForeignObject

        from congdoan.core.lookups import AnyOf

        Field.register_lookup(AnyOf)
        ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own
