"""A learner, an assessor and an educator each open the training for their role, read its
pages, answer its feedback form, agree to its declaration and get a training certificate,
which an anonymous visitor then checks at the address its QR code holds. Every page is
checked with axe."""

import io
import re

import pytest
from pypdf import PdfReader

from stepwise.certificates.models import Certificate
from stepwise.certificates.tests.conftest import fresh_throttle, signing_keys
from stepwise.feedback.building import form_create, question_add
from stepwise.feedback.building import version_publish as form_publish
from stepwise.feedback.models import Question
from stepwise.progress.models import Decision
from stepwise.progress.services import confirmation_request, records_self_assess
from stepwise.progress.states import RecordState
from stepwise.progress.tests.conftest import enrolment, offered, version
from stepwise.training.models import Audience
from stepwise.training.services import authoring
from stepwise.training.services.rules import rule_set
from stepwise.training.tests.conftest import make_package, publish

__all__ = ["enrolment", "fresh_throttle", "offered", "signing_keys", "version"]

pytestmark = pytest.mark.browser

TITLES = {
    Audience.LEARNER: "Training for learners",
    Audience.ASSESSOR: "Training for assessors",
    Audience.EDUCATOR: "Training for educators",
}


def training_with_feedback(author, audience) -> str:
    """A published package for the role, two pages and a user guide, with a feedback form."""
    title = TITLES[audience]
    package = make_package(
        author,
        slug=audience.value,
        title=title,
        audience=audience,
        validity_months=36,
        pages=(
            ("Your role", "## What you do\n\n" + "You keep patients safe. " * 170),
            ("Keeping records", "Write down what you did and why. " * 30),
            ("User guide", "Open **To review** to see what waits for you. " * 20),
        ),
    )
    form = form_create(by=author, title="How was the training?", anonymous=False)
    question_add(
        version=form.versions.get(),
        by=author,
        kind=Question.Kind.SINGLE,
        text="Was the training clear?",
        choices=["Yes", "Partly", "No"],
    )
    form_publish(version=form.versions.get(), by=author)
    draft = authoring.version_draft(package=package, by=author)
    authoring.version_update(
        version=draft,
        by=author,
        declaration="I have read the pre-reading and understand my role.",
        validity_months=36,
        feedback_form=form,
    )
    publish(package, author)
    return title


def next_page(web, label: str) -> None:
    """The pagination's next link, whose label names where it goes."""
    link = web.page.locator(".nhsuk-pagination a[rel=next]")
    assert label in link.inner_text()
    web.follow(" ".join(link.inner_text().split()), within=".nhsuk-pagination")


def complete_training(web, title: str) -> Certificate:
    """From the home page: the package, each page in turn, the feedback form, the declaration."""
    web.visit("/")
    web.follow("Training")
    assert web.heading() == "Your training"
    web.follow(title)
    assert web.heading() == title
    assert "at 200 words a minute" in web.text()
    web.follow("Your role")
    # 683 words: 3 minutes 30 seconds at 200 words a minute, rounded up to half minutes.
    assert "Estimated reading time: 3 minutes 30 seconds" in web.text()
    assert web.page.get_by_role("heading", level=3, name="What you do").count() == 1
    next_page(web, "Keeping records")
    next_page(web, "User guide")

    # The declaration refuses while the feedback form waits, and says which form.
    next_page(web, "Agree to the declaration")
    web.choose("I agree with this declaration")
    web.submit("Complete the training")
    assert web.error_summary() == [
        "Answer the feedback form \u201cHow was the training?\u201d before completing the training."
    ]
    web.follow("How was the training?")
    web.choose("Yes")
    web.submit("Send answers")
    assert "were sent" in web.text()

    web.visit("/")
    web.follow("Training")
    web.follow(title)
    web.submit("Agree to the declaration")
    assert web.heading() == f"Complete {title}"
    web.submit("Complete the training")
    assert web.error_summary() == ["Agree to the declaration to complete the training"]
    web.choose("I agree with this declaration")
    web.submit("Complete the training")
    assert f"You have completed {title}" in web.banner()
    assert "Completed on" in web.text() and "valid until" in web.text()
    return Certificate.objects.get(title=title)


def verify_from_the_qr_address(web, web_for, certificate: Certificate, holder) -> None:
    """The PDF the holder downloads prints the address its QR code holds; anyone opens it."""
    pdf = web.page.request.get(web.url(f"/certificates/{certificate.serial}/download/"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split()
    )
    assert "Certificate of training" in text
    address = re.search(r"https?://\S+/verify/[0-9a-f-]{36}", text).group(0)
    assert address == certificate.verify_url

    anyone = web_for()
    anyone.visit(address.removeprefix(anyone.base_url))
    assert anyone.heading() == "This certificate is valid"
    assert holder.full_name in anyone.text()
    assert certificate.title in anyone.text()
    assert holder.email not in anyone.text()


def test_a_learner_completes_their_training(web_for, learner, framework_author):
    title = training_with_feedback(framework_author, Audience.LEARNER)
    web = web_for(learner)
    web.visit("/")
    assert f"Start here: {title}" in web.text()
    certificate = complete_training(web, title)
    web.visit("/")
    assert "Start here" not in web.text()
    web.visit(f"/training/{Audience.LEARNER.value}/")
    verify_from_the_qr_address(web, web_for, certificate, learner)


def test_an_assessor_trains_when_the_trust_requires_it(
    web_for, trust, trust_admin, assessor, learner, enrolment, framework_author
):
    title = training_with_feedback(framework_author, Audience.ASSESSOR)
    rule_set(
        trust=trust,
        by=trust_admin,
        membership=trust_admin.memberships.current().get(),
        assessors_must_train=True,
        educators_must_train=False,
    )
    records = list(enrolment.records.filter(proficiency__optional=False)[:1])
    records_self_assess(
        enrolment=enrolment,
        by=learner,
        answers=[(r.pk, RecordState.ACHIEVED, "Did it") for r in records],
    )
    waiting = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[r.pk for r in records], assessor=assessor
    )

    # The review page says why a decision would be refused, and where to train.
    web = web_for(assessor)
    web.visit(f"/to-review/{waiting.pk}/")
    assert "Training needed first" in web.text()
    web.follow("Go to your training")
    assert web.heading() == "Your training"

    certificate = complete_training(web, title)
    web.visit(f"/to-review/{waiting.pk}/")
    assert "Training needed first" not in web.text()
    assert not Decision.objects.exists()
    verify_from_the_qr_address(web, web_for, certificate, assessor)


def test_an_educator_completes_training_and_sees_the_records(
    web_for, educator, learner, framework_author
):
    title = training_with_feedback(framework_author, Audience.EDUCATOR)
    web = web_for(educator)
    certificate = complete_training(web, title)
    web.visit("/")
    web.follow("Training records")
    assert web.heading() == "Training records"
    web.follow("1 educator/manager completed")
    assert educator.full_name in web.text()
    verify_from_the_qr_address(web, web_for, certificate, educator)


def test_an_author_writes_reviews_and_publishes_a_package(web_for, framework_author):
    web = web_for(framework_author)
    web.visit("/")
    web.follow("Training packages")
    assert web.heading() == "Training packages"
    web.submit("Create a training package")
    web.submit("Create the package")
    assert web.error_summary() == [
        "Enter the title",
        "Enter a short name for web addresses",
        "Choose who the package is for",
    ]
    web.fill("Title", "Using Stepwise")
    web.fill("Short name for web addresses", "using-stepwise")
    web.choose("Everyone")
    web.submit("Create the package")
    assert web.heading() == "Version 1.0"

    for title, body in (("Signing in", "# Your account\n\nUse your work email."), ("Help", "Ask.")):
        web.submit("Add a page")
        web.fill("Page title", title)
        web.fill("Text", body)
        web.submit("Save the page")
        assert f"The page {title} has been saved" in web.banner()
    web.submit("Move up Help")
    items = web.page.locator("#pages + p + ol > li").all_inner_texts()
    assert items[0].startswith("Help") and items[1].startswith("Signing in")

    web.submit("Send for review")
    web.submit("Send for review")
    assert "sent for review" in web.banner()
    web.submit("Return to draft")
    web.submit("Return to draft")
    assert web.error_summary() == ["Say what needs to change"]
    web.fill("What needs to change?", "Say where to find the password reset.")
    web.submit("Return to draft")
    web.submit("Send for review")
    web.submit("Send for review")
    web.submit("Publish")
    web.submit("Publish version 1.0")
    assert "has been published" in web.banner()
    assert "It cannot change" in web.text()
