from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "stepwise.certificates"
    label = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from stepwise.certificates import checks  # noqa: F401  (registers the check)
