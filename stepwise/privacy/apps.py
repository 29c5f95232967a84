from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "stepwise.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from stepwise.privacy.navigation import register_navigation

        register_navigation()
