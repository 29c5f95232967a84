"""Completing a package: every required page opened, the declaration agreed, exactly once,
issuing a training certificate through the shared certificate machinery."""

import io
import threading

import pytest
from django.db import connection
from django.test import TestCase
from pypdf import PdfReader

from stepwise.certificates import credentials, structure
from stepwise.certificates.models import Certificate
from stepwise.certificates.services import certificate_revoke
from stepwise.certificates.tests.standards import schema_errors
from stepwise.certificates.verification import Outcome, check_credential
from stepwise.core.errors import ConflictError
from stepwise.training import queries
from stepwise.training.models import Completion, PageOpening, TrainingEvent
from stepwise.training.services import authoring
from stepwise.training.services.learning import package_complete, page_open
from stepwise.training.tests.conftest import complete, publish, read_all


@pytest.fixture
def membership(learner):
    return learner.memberships.current().get()


def test_the_declaration_is_required(learner, version, membership):
    read_all(learner, version)
    with pytest.raises(ConflictError, match="Agree to the declaration"):
        package_complete(
            person=learner, version=version, membership=membership, declaration_agreed=False
        )
    assert not Completion.objects.exists() and not Certificate.objects.exists()


def test_a_page_not_opened_blocks_completion_and_says_which(learner, version, membership):
    first, second = version.pages.order_by("position")
    page_open(person=learner, page=first)
    with pytest.raises(ConflictError) as refused:
        package_complete(
            person=learner, version=version, membership=membership, declaration_agreed=True
        )
    assert str(refused.value) == (
        "Open every page before completing the training. You have not opened this page yet: "
        "\u201cYour role\u201d."
    )
    assert not Completion.objects.exists() and not Certificate.objects.exists()


def test_an_optional_page_need_not_be_opened(framework_author, package, learner, membership):
    draft = authoring.version_draft(package=package, by=framework_author)
    authoring.page_save(
        version=draft,
        by=framework_author,
        title="Further reading",
        body="If you like.",
        required=False,
    )
    new = publish(package, framework_author)
    for page in new.pages.filter(required=True):
        page_open(person=learner, page=page)
    assert complete(learner, new, membership).version == new


def test_openings_are_tracked_per_person(learner, assessor, version):
    page = version.pages.first()
    page_open(person=learner, page=page)
    page_open(person=learner, page=page)
    page_open(person=assessor, page=page)
    mine = PageOpening.objects.get(person=learner, page=page)
    assert mine.times == 2 and mine.first_opened_at <= mine.last_opened_at
    assert PageOpening.objects.filter(page=page).count() == 2


def test_completing_issues_a_training_certificate(learner, version, membership, trust):
    read_all(learner, version)
    completion = complete(learner, version, membership)
    certificate = completion.certificate
    assert certificate.kind == "training_completion"
    assert certificate.holder == learner and certificate.issuer == trust
    assert certificate.achievement_name == "Using Stepwise, version 1.0"
    assert completion.declaration == "I have read the pre-reading and understand my role."
    assert TrainingEvent.objects.filter(completion=completion, kind="completed").count() == 1
    with certificate.pdf.open("rb") as handle:
        text = " ".join(
            "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages).split()
        )
    for expected in [
        "Certificate of training",
        "Pages read",
        "Welcome",
        "Your role",
        "I have read the pre-reading",
        str(certificate.serial),
    ]:
        assert expected in text, expected


def test_completing_twice_gives_one_completion(learner, version, membership):
    read_all(learner, version)
    first = complete(learner, version, membership)
    with pytest.raises(ConflictError, match="already completed this version"):
        package_complete(
            person=learner, version=version, membership=membership, declaration_agreed=True
        )
    assert Completion.objects.get() == first
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_completions_at_once_make_exactly_one(framework_author, learner):
    from stepwise.training.tests.conftest import make_package

    package = make_package(framework_author)
    version = package.versions.get()
    read_all(learner, version)
    membership = learner.memberships.current().get()
    outcomes, barrier = [], threading.Barrier(2)

    def attempt():
        try:
            barrier.wait()
            package_complete(
                person=learner, version=version, membership=membership, declaration_agreed=True
            )
            outcomes.append("completed")
        except ConflictError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["completed", "refused"]
    assert Completion.objects.count() == 1 and Certificate.objects.count() == 1


def test_another_roles_package_cannot_be_completed(framework_author, learner, membership):
    from stepwise.training.models import Audience
    from stepwise.training.tests.conftest import make_package

    package = make_package(
        framework_author, slug="assessors", title="For assessors", audience=Audience.ASSESSOR
    )
    version = package.versions.get()
    read_all(learner, version)
    with pytest.raises(ConflictError, match="another role"):
        package_complete(
            person=learner, version=version, membership=membership, declaration_agreed=True
        )


def test_completing_a_newer_version_issues_a_new_certificate_and_keeps_the_old(
    framework_author, package, version, learner, membership
):
    read_all(learner, version)
    old = complete(learner, version, membership)
    authoring.version_draft(package=package, by=framework_author)
    new_version = publish(package, framework_author)
    read_all(learner, new_version)
    new = complete(learner, new_version, membership)
    assert new.certificate != old.certificate
    assert new.certificate.version_label == "2.0"
    old.certificate.refresh_from_db()
    assert old.certificate.revoked_at is None
    assert Completion.objects.filter(person=learner).count() == 2


def test_a_validity_period_sets_the_expiry(framework_author, learner, membership):
    from stepwise.training.tests.conftest import make_package

    package = make_package(framework_author, slug="three-years", validity_months=36)
    version = package.versions.get()
    read_all(learner, version)
    completion = complete(learner, version, membership)
    assert completion.expires_at.year == completion.completed_at.year + 3
    assert queries.is_current(completion)


class TestTheOpenBadgesCredential:
    """The same schema and signature checks as Step certificates (certificates/tests)."""

    @pytest.fixture
    def certificate(self, learner, version, membership):
        read_all(learner, version)
        return complete(learner, version, membership).certificate

    def test_it_passes_the_ob3_schema_and_our_structure_checks(self, certificate):
        credential = credentials.credential_for(certificate)
        assert schema_errors(credential, "ob3-achievementcredential.schema.json") == []
        assert structure.problems_with(credential) == []
        achievement = credential["credentialSubject"]["achievement"]
        assert achievement["name"] == "Using Stepwise, version 1.0"
        assert "declaration agreed" in achievement["criteria"]["narrative"]

    def test_its_signature_verifies_and_revocation_reaches_it(self, certificate, trust_admin):
        token = credentials.signed_credential(certificate)
        check = check_credential(token)
        assert check.outcome == Outcome.VALID
        with TestCase.captureOnCommitCallbacks(execute=True):
            certificate_revoke(certificate=certificate, by=trust_admin, reason="Not them")
        assert check_credential(token).outcome == Outcome.REVOKED

    def test_its_public_page_verifies_it(self, client, certificate):
        html = client.get(f"/verify/{certificate.serial}").content.decode()
        assert "This certificate is valid" in html
        assert "Using Stepwise" in html
