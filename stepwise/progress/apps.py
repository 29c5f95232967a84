from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "stepwise.progress"
    label = "progress"
    verbose_name = "Progress"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.progress.navigation import register_navigation

        register_navigation()
