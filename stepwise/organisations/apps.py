from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stepwise.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.organisations.navigation import register_navigation

        register_navigation()
