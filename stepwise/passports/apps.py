from django.apps import AppConfig


class PassportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "stepwise.passports"
    verbose_name = "Learner passports"
