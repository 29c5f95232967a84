"""A second kind of certificate needs no copy of the machinery: a kind registered here, as a
training app would register one, saying only what it certifies (its PDF body, its achievement)
is issued, drawn, checked on its page and as a credential, downloaded and revoked."""

import io

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from stepwise.certificates import credentials, kinds, structure
from stepwise.certificates.kinds import CertificateKind, Line, Section
from stepwise.certificates.models import Certificate, CertificateEvent
from stepwise.certificates.services import certificate_issue, certificate_revoke
from stepwise.certificates.status import bit_is_set, decode_list, status_list_credential
from stepwise.certificates.tests.standards import schema_errors
from stepwise.certificates.verification import Outcome, check_credential
from stepwise.notifications.models import Notification


class PumpTraining(CertificateKind):
    """Only what is particular to the kind: the rest is CertificateKind's defaults."""

    code = "test_pump_training"
    pdf_heading = "Certificate of training"
    body_heading = "Training completed"
    subject_label = "Training"
    how_issued = "Issued when a learner completes the training package."
    evidence_of = "completed training"

    def body(self, certificate):
        return [
            Section(
                "Infusion pumps",
                [
                    Line("1", "Pre-reading: the pump's safety checks", "Read"),
                    Line("2", "Video: setting up a giving set", "Watched"),
                ],
            )
        ]

    def achievement(self, certificate):
        return {
            "id": f"{settings.SITE_URL}/training/pumps",
            "type": ["Achievement"],
            "achievementType": credentials.ACHIEVEMENT_TYPE,
            "name": certificate.achievement_name,
            "description": certificate.description,
            "criteria": {
                "narrative": "Every page read, every video watched, the declaration made."
            },
        }

    def holder_url(self, certificate):
        return reverse("certificates:download", args=[certificate.serial])


@pytest.fixture
def pump_training():
    kind = PumpTraining()
    kinds.register(kind)
    yield kind
    kinds.unregister(kind.code)


@pytest.fixture
def training_certificate(pump_training, learner, trust) -> Certificate:
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate = certificate_issue(
            kind=pump_training.code,
            holder=learner,
            issuer=trust,
            title="Safe use of infusion pumps",
            description="Setting up and checking volumetric infusion pumps.",
            signed_off_at=timezone.now(),
            by=learner,
        )
    certificate.refresh_from_db()
    return certificate


def test_it_is_issued_with_the_machinery_every_kind_shares(training_certificate, learner):
    certificate = training_certificate
    assert certificate.enrolment is None
    assert certificate.holder == learner
    assert certificate.learner_name == learner.full_name
    assert certificate.signer_name == ""
    assert certificate.recipient_hash.startswith("sha256$")
    assert [event.kind for event in certificate.events.all()] == [
        CertificateEvent.Kind.ISSUED,
        CertificateEvent.Kind.PDF_MADE,
    ]


def test_its_pdf_says_what_the_kind_says_around_the_shared_parts(training_certificate, trust):
    with training_certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    for expected in [
        "Certificate of training",
        "Safe use of infusion pumps",
        "Training completed",
        "Pre-reading: the pump's safety checks",
        "Watched",
        trust.name,
        str(training_certificate.serial),
        f"http://testserver/verify/{training_certificate.serial}",
    ]:
        assert expected in text, expected
    assert "Proficiencies" not in text


def test_its_page_and_credential_verify(client, training_certificate):
    html = client.get(f"/verify/{training_certificate.serial}").content.decode()
    assert "This certificate is valid" in html
    assert "Training" in html and "Safe use of infusion pumps" in html
    assert "Issued when a learner completes the training package." in html

    credential = credentials.credential_for(training_certificate)
    assert schema_errors(credential, "ob3-achievementcredential.schema.json") == []
    assert structure.problems_with(credential) == []
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["description"] == "Setting up and checking volumetric infusion pumps."
    check = check_credential(credentials.signed_credential(training_certificate))
    assert check.outcome == Outcome.VALID
    assert check.summary.achievement == "Safe use of infusion pumps"


def test_its_holder_downloads_it(client_for, learner, training_certificate):
    client = client_for(learner)
    pdf = client.get(reverse("certificates:download", args=[training_certificate.serial]))
    assert pdf["Content-Type"] == "application/pdf"
    token = client.get(reverse("certificates:credential", args=[training_certificate.serial]))
    assert token.content.count(b".") == 2


def test_revoking_it_reaches_its_page_its_status_list_and_its_holder(
    client, training_certificate, trust_admin, learner, trust
):
    token = credentials.signed_credential(training_certificate)
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_revoke(
            certificate=training_certificate, by=trust_admin, reason="Completed for someone else"
        )
    html = client.get(f"/verify/{training_certificate.serial}").content.decode()
    assert "This certificate has been revoked" in html
    assert "Do not rely on it as evidence of completed training." in html
    listed = status_list_credential(trust.pk, training_certificate.status_list)
    bits = decode_list(listed["credentialSubject"]["encodedList"])
    assert bit_is_set(bits, training_certificate.status_index)
    assert check_credential(token).outcome == Outcome.REVOKED
    notice = Notification.objects.filter(person=learner).latest("pk")
    assert notice.text.startswith("Your certificate for Safe use of infusion pumps was revoked")
    assert notice.url == reverse("certificates:download", args=[training_certificate.serial])


def test_its_page_costs_what_a_step_certificates_page_costs(
    client,
    signed_off,
    training_certificate,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    client.get(f"/verify/{signed_off.serial}")  # the same warm caches for both
    with django_assert_max_num_queries(10) as step:
        client.get(f"/verify/{signed_off.serial}")
    with django_assert_num_queries(len(step.captured_queries)):
        client.get(f"/verify/{training_certificate.serial}")


def test_a_kind_no_app_registered_is_refused(learner, trust):
    with pytest.raises(kinds.UnknownKind):
        certificate_issue(
            kind="not_installed",
            holder=learner,
            issuer=trust,
            title="Anything",
            description="",
            signed_off_at=timezone.now(),
            by=learner,
        )
    assert not Certificate.objects.exists()
