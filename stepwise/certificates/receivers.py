"""What the certificates app does when something happens in the apps below it."""

from stepwise.certificates.services import certificate_issue


def issue_on_sign_off(sender, *, enrolment, signer, signer_registration, **kwargs) -> None:
    """progress's `enrolment_signed_off`: inside the sign-off transaction, so a certificate
    that cannot be issued undoes the sign-off."""
    certificate_issue(enrolment=enrolment, signer=signer, signer_registration=signer_registration)
