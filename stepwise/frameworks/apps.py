from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "stepwise.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.frameworks.navigation import register_navigation

        register_navigation()
