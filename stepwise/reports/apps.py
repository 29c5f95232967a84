from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "stepwise.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from stepwise.accounts.mfa import register_staff_condition
        from stepwise.reports.access import leads_a_network
        from stepwise.reports.models import NetworkLead
        from stepwise.reports.navigation import register_navigation

        register_navigation()
        # A network lead sees a whole network's reports: two-step sign-in, as staff.
        register_staff_condition(
            "network lead", leads_a_network, model=NetworkLead, person_field="person"
        )
