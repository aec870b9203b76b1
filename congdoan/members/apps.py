from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "congdoan.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from congdoan.members import worklist
        from congdoan.members.handover import RegistryMoves
        from congdoan.organisation.handover import register_member_moves

        register_member_moves(RegistryMoves())
        worklist.register()  # the home page's work list (core.worklist)
