from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "congdoan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from congdoan.accounts.selectors import grant_paths_by_action
        from congdoan.core.scoping import register_grant_source

        register_grant_source(grant_paths_by_action)
