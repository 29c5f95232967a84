"""A learner with something in every part of their record, made through the real services."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stepwise.certificates.tests.conftest import sign_off, signing_keys
from stepwise.core.models import AccessRecord
from stepwise.feedback.services import Given, answer
from stepwise.feedback.tests.factories import asked_form
from stepwise.frameworks.models import TrustFramework
from stepwise.organisations.models import Membership
from stepwise.progress.services import confirmation_request, enrolment_create, evidence_add
from stepwise.progress.tests.conftest import build_version, enrolment, offered, version
from stepwise.progress.tests.factories import REJECT, achieve, decide, records
from stepwise.training.tests.conftest import complete, make_package, read_all

__all__ = ["build_version", "enrolment", "offered", "signing_keys", "version"]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
FORMULA = '=HYPERLINK("http://evil.example")'


def answers_to(version) -> dict:
    given = {}
    for question in version.questions.all():
        if question.kind in ("short_text", "long_text"):
            given[question.pk] = Given(text=FORMULA)
        elif question.kind == "multiple":
            given[question.pk] = Given(numbers=(0,))
        else:
            given[question.pk] = Given(number=1)
    return given


@pytest.fixture
def full_record(trust, learner, assessor, educator, framework_author, enrolment, other_learner):
    """Every kind of thing held about `learner`: returns what the test checks for."""
    learner.job_title = "=SUM(A1:A9)"
    learner.save()
    membership = Membership.objects.get(person=learner, trust=trust)
    certificate = sign_off(enrolment, learner, assessor, educator, make_pdf=True)

    second = build_version(slug="step-2")
    TrustFramework.objects.create(trust=trust, framework=second.framework)
    rejected = enrolment_create(
        learner=learner,
        version=second,
        trust=trust,
        educator=educator,
        assessors=[assessor],
        by=educator,
    )
    first = records(rejected)[0]
    evidence = evidence_add(
        record=first,
        by=learner,
        upload=SimpleUploadedFile("../../etc/passwd.pdf", PDF, "application/pdf"),
    )
    achieve(rejected, learner, [first])
    decide(
        confirmation_request(
            enrolment=rejected, by=learner, record_ids=[first.pk], assessor=assessor
        ),
        assessor,
        [(first, REJECT)],
    )

    form = asked_form(learner, title="Pilot check-in")
    answer(
        person=learner,
        version=form.versions.get(state="published"),
        given=answers_to(form.versions.get(state="published")),
        membership=membership,
    )
    anonymous = asked_form(learner, title="Anonymous survey", anonymous=True)
    anonymous_version = anonymous.versions.get(state="published")
    anonymous_answers = answers_to(anonymous_version)
    for key in anonymous_answers:
        if anonymous_answers[key].text:
            anonymous_answers[key] = Given(text="Nobody may know I wrote this")
    answer(person=learner, version=anonymous_version, given=anonymous_answers)

    package = make_package(framework_author).versions.get(state="published")
    read_all(learner, package)
    completion = complete(learner, package, membership)

    AccessRecord.objects.create(
        viewer=assessor,
        subject=learner,
        trust=trust,
        what="Opened the record",
        path="/x",
        address="192.0.2.1",
    )
    AccessRecord.objects.create(
        viewer=assessor,
        subject=other_learner,
        trust=trust,
        what="Someone else's",
        path="/y",
        address="192.0.2.1",
    )
    return {
        "certificates": [certificate, completion.certificate],
        "evidence": evidence,
    }
