from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "stepwise.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"
