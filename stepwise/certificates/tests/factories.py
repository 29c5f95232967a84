"""Builders shared by the certificates tests (and any app's tests that need certificates):
certificates straight in the database, each on an enrolment of its own, without going through
sign-off. A learner signed off through the real services is the `signed_off` fixture."""

from django.utils import timezone

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates.models import FRAMEWORK_SIGN_OFF, Certificate
from stepwise.progress.models import Enrolment


def another_enrolment(enrolment) -> Enrolment:
    """A withdrawn enrolment of another learner on the same version, to hang a certificate on."""
    return Enrolment.objects.create(
        learner=PersonFactory(),
        framework=enrolment.framework,
        version=enrolment.version,
        trust=enrolment.trust,
        educator=enrolment.educator,
        enrolled_by=enrolment.educator,
        state="withdrawn",
    )


def unsaved_certificate(enrolment, **fields) -> Certificate:
    """A Step certificate for the enrolment, not yet saved: it has no status place yet."""
    values = {
        "kind": FRAMEWORK_SIGN_OFF,
        "holder": enrolment.learner,
        "issuer": enrolment.trust,
        "enrolment": enrolment,
        "learner_name": "Someone Else",
        "title": "Sample",
        "version_label": "1.0",
        "trust_name": "Trust",
        "signer_name": "Signer",
        "signer_registration": "NMC 1",
        "signed_off_at": timezone.now(),
        "recipient_salt": "s",
        "recipient_hash": "sha256$x",
    }
    return Certificate(**(values | fields))


def make_certificates(enrolment, count: int, name: str = "Learner", first_index: int = 1000):
    """Certificates on other (withdrawn) enrolments of the same Trust, straight in the database."""
    made = []
    for number in range(count):
        certificate = unsaved_certificate(
            another_enrolment(enrolment),
            learner_name=f"{name} {number:03d}",
            title="Sample step-1",
            trust_name=enrolment.trust.name,
            signer_registration="NMC 05C7654E",
            status_index=first_index + number,
            recipient_salt="salt",
            recipient_hash="sha256$0",
        )
        certificate.save(force_insert=True)
        made.append(certificate)
    return made
