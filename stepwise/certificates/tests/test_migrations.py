"""Certificates issued before a migration keep working after it: those from before digital
credentials get their status place and hashed email; those from before certificates had
kinds become Step certificates that still verify, on their page and as credentials."""

import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase
from django.utils import timezone

from stepwise.accounts.tests.factories import PersonFactory
from stepwise.certificates import credentials
from stepwise.certificates.framework_sign_off import description_of
from stepwise.certificates.models import FRAMEWORK_SIGN_OFF, Certificate
from stepwise.certificates.pdf import render_certificate
from stepwise.certificates.services import certificate_revoke, recipient_identity
from stepwise.certificates.tests.factories import another_enrolment, make_certificates
from stepwise.certificates.tests.standards import schema_errors
from stepwise.certificates.verification import Outcome, check_credential

BEFORE_CREDENTIALS = [("certificates", "0001_initial")]
WITH_CREDENTIALS = [("certificates", "0003_status_index_required")]
WITH_KINDS = [("certificates", "0005_holder_and_issuer_required")]


@pytest.fixture
def migrate():
    """Migrate certificates to a state and return that state's models; afterwards, back to
    the latest migrations, so the tests after this one find the tables they expect."""

    def to(target):
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        executor.loader.build_graph()
        return executor.loader.project_state(target).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_certificates_are_filled_in(signed_off, migrate):
    make_certificates(signed_off.enrolment, 2)
    old = migrate(BEFORE_CREDENTIALS).get_model("certificates", "Certificate")
    emails = dict(old.objects.values_list("pk", "enrolment__learner__email"))
    assert len(emails) == 3

    new = migrate(WITH_CREDENTIALS).get_model("certificates", "Certificate")
    places = set()
    for certificate in new.objects.all():
        assert certificate.status_list == 1
        places.add(certificate.status_index)
        digest = hashlib.sha256(
            (emails[certificate.pk] + certificate.recipient_salt).encode()
        ).hexdigest()
        assert certificate.recipient_hash == f"sha256${digest}"
    assert len(places) == 3


def _issue_the_old_way(models, enrolment):
    """A certificate as sign-off issued them before kinds: only the enrolment says who holds
    it and which Trust issued it."""
    learner, version = enrolment.learner, enrolment.version
    salt, identity = recipient_identity(learner.email)
    return models.get_model("certificates", "Certificate").objects.create(
        enrolment_id=enrolment.pk,
        learner_name=learner.full_name,
        learner_registration=learner.registration,
        framework_title=version.framework.title,
        version_label=version.label,
        trust_name=enrolment.trust.name,
        signer_name="Chloe Davies",
        signer_registration="NMC 05C7654E",
        signed_off_at=timezone.now(),
        status_list=1,
        status_index=777,
        recipient_salt=salt,
        recipient_hash=identity,
    )


@pytest.mark.django_db(transaction=True)
def test_step_certificates_from_before_kinds_still_verify(
    signed_off, migrate, client, trust, trust_admin
):
    # A credential the learner downloaded before the migration.
    kept_token = credentials.signed_credential(signed_off)
    other = another_enrolment(signed_off.enrolment)
    other.learner.email = "old.way@example.org"
    other.learner.save()

    old = _issue_the_old_way(migrate(WITH_CREDENTIALS), other)

    migrate(WITH_KINDS)
    # Then on to the latest migrations, which the code below is written for.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    certificate = Certificate.objects.get(pk=old.pk)
    assert certificate.kind == FRAMEWORK_SIGN_OFF
    assert certificate.holder == other.learner
    assert certificate.issuer == trust
    assert certificate.title == other.version.framework.title
    assert certificate.description == description_of(other.version)
    assert Certificate.objects.get(pk=signed_off.pk).holder == signed_off.enrolment.learner

    # The credential kept from before still checks as valid.
    assert check_credential(kept_token).outcome == Outcome.VALID

    # The old certificate's page, credential and PDF.
    page = client.get(f"/verify/{certificate.serial}").content.decode()
    assert "This certificate is valid" in page
    assert f"{certificate.title}, version {certificate.version_label}" in page
    credential = credentials.credential_for(certificate)
    assert schema_errors(credential, "ob3-achievementcredential.schema.json") == []
    assert credential["credentialSubject"]["achievement"]["description"] == (
        description_of(other.version)
    )
    assert credential["credentialStatus"]["statusListCredential"].endswith(
        f"/issuers/{trust.pk}/status/1"
    )
    token = credentials.signed_credential(certificate)
    assert check_credential(token).outcome == Outcome.VALID
    assert render_certificate(certificate.pk).startswith(b"%PDF")

    # Revoking it reaches its page and its credential's status, and not the other's.
    with TestCase.captureOnCommitCallbacks(execute=True):
        certificate_revoke(certificate=certificate, by=trust_admin, reason="Issued in error")
    assert "This certificate has been revoked" in client.get(f"/verify/{certificate.serial}").text
    assert check_credential(token).outcome == Outcome.REVOKED
    assert check_credential(kept_token).outcome == Outcome.VALID


def test_a_step_certificate_needs_its_enrolment(trust):
    learner = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            kind=FRAMEWORK_SIGN_OFF,
            holder=learner,
            issuer=trust,
            learner_name=learner.full_name,
            title="Step 1",
            trust_name=trust.name,
            signed_off_at=timezone.now(),
            status_index=99,
        )
