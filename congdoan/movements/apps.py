from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    """Movements and models: emulation works, replicated and "Dân vận khéo" models, cultural
    and sports activities, training classes, quizzes, collective labour agreements, workplace
    dialogues and worker / civil-servant conferences."""

    name = "congdoan.movements"
    label = "movements"
    verbose_name = _("Movements and models")
