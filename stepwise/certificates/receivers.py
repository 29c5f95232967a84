"""What the certificates app does when something happens in the apps below it."""

from stepwise.certificates.framework_sign_off import description_of
from stepwise.certificates.models import FRAMEWORK_SIGN_OFF
from stepwise.certificates.services import certificate_issue


def issue_on_sign_off(sender, *, enrolment, signer, signer_registration, **kwargs) -> None:
    """progress's `enrolment_signed_off`: inside the sign-off transaction, so a certificate
    that cannot be issued undoes the sign-off. A Step certificate, by the Trust the learner
    was signed off at."""
    version = enrolment.version
    certificate_issue(
        kind=FRAMEWORK_SIGN_OFF,
        holder=enrolment.learner,
        issuer=enrolment.trust,
        enrolment=enrolment,
        title=version.framework.title,
        version_label=version.label,
        description=description_of(version),
        signed_off_at=enrolment.signed_off_at,
        by=signer,
        signer=signer,
        signer_registration=signer_registration,
    )
