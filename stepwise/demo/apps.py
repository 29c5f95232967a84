from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stepwise.demo"
    label = "demo"
    verbose_name = "Demo data"
