from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stepwise.core"
    label = "core"
    verbose_name = "Core"
