from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "stepwise.progress"
    label = "progress"
    verbose_name = "Progress"
