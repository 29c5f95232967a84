from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "stepwise.certificates"
    label = "certificates"
    verbose_name = "Certificates"

    def ready(self):
        from stepwise.certificates import checks, kinds  # noqa: F401  (checks registers the check)
        from stepwise.certificates.framework_sign_off import FrameworkSignOff
        from stepwise.certificates.navigation import register_navigation
        from stepwise.certificates.receivers import issue_on_sign_off
        from stepwise.progress.signals import enrolment_signed_off

        register_navigation()
        # Step certificates; kinds from apps above this one register in their own ready().
        kinds.register(FrameworkSignOff())
        enrolment_signed_off.connect(issue_on_sign_off, dispatch_uid="certificates.issue")
