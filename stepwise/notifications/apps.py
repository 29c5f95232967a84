from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "stepwise.notifications"
    label = "notifications"
    verbose_name = "Notifications"
