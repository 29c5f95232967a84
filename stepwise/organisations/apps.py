from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stepwise.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.accounts.mfa import register_staff_check
        from stepwise.organisations.access import holds_staff_role
        from stepwise.organisations.navigation import register_navigation

        register_navigation()
        # Staff in a Trust must use two-step sign-in; accounts cannot see Trust roles itself.
        register_staff_check("trust roles", holds_staff_role)
