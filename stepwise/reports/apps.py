from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "stepwise.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from stepwise.reports.navigation import register_navigation

        register_navigation()
