from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stepwise.organisations"
    label = "organisations"
    verbose_name = "Organisations"
