from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "stepwise.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Here, not at import: the pages read models, which are loaded only now.
        from stepwise.notifications.navigation import register_navigation

        register_navigation()
