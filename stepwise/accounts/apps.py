from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "stepwise.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.accounts import confirm_first, signed_in
        from stepwise.accounts.navigation import register_navigation

        register_navigation()
        confirm_first.connect()
        signed_in.connect()
