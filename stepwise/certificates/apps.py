from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "stepwise.certificates"
    label = "certificates"
    verbose_name = "Certificates"
