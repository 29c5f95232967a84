"""A package version may name a feedback form (the feedback app's): people are asked it once
they have opened every required page, and must answer it before completing. Forms the
feedback team aims at people after training are asked on completion."""

import pytest
from django.urls import reverse

from stepwise.core.errors import ConflictError
from stepwise.feedback.models import Form, Invitation
from stepwise.feedback.tests.factories import full_answers, published_form
from stepwise.training.services import authoring
from stepwise.training.services.learning import package_complete, page_open
from stepwise.training.tests.conftest import complete, publish


@pytest.fixture
def with_feedback(framework_author, package):
    form = published_form(title="After your training")
    draft = authoring.version_draft(package=package, by=framework_author)
    authoring.version_update(
        version=draft,
        by=framework_author,
        declaration=draft.declaration,
        validity_months="",
        feedback_form=form,
    )
    return publish(package, framework_author)


def test_the_form_is_asked_once_every_required_page_is_open(learner, with_feedback):
    form = with_feedback.feedback_form
    first, second = with_feedback.pages.order_by("position")
    page_open(person=learner, page=first)
    assert not Invitation.objects.filter(form=form, person=learner).exists()
    page_open(person=learner, page=second)
    invitation = Invitation.objects.get(form=form, person=learner)
    assert invitation.moment == Form.Trigger.AFTER_TRAINING


def test_completion_needs_the_answer(client_for, learner, with_feedback):
    membership = learner.memberships.current().get()
    for page in with_feedback.pages.all():
        page_open(person=learner, page=page)
    with pytest.raises(ConflictError, match="Answer the feedback form \u201cAfter your training"):
        package_complete(
            person=learner, version=with_feedback, membership=membership, declaration_agreed=True
        )
    client = client_for(learner)
    form = with_feedback.feedback_form
    client.post(reverse("feedback:answer", args=[form.slug]), full_answers(form))
    assert complete(learner, with_feedback, membership).version == with_feedback


def test_a_draft_cannot_name_an_unpublished_form(framework_author, package):
    from django.core.exceptions import ValidationError

    from stepwise.feedback.building import form_create

    unpublished = form_create(by=framework_author, title="Not yet", anonymous=False)
    draft = authoring.version_draft(package=package, by=framework_author)
    with pytest.raises(ValidationError):
        authoring.version_update(
            version=draft,
            by=framework_author,
            declaration="I have read it.",
            validity_months="",
            feedback_form=unpublished,
        )


def test_forms_aimed_at_people_after_training_are_asked_on_completion(learner, version):
    after = published_form(title="How was training?", trigger=Form.Trigger.AFTER_TRAINING)
    elsewhere = published_form(
        title="For assessors", trigger=Form.Trigger.AFTER_TRAINING, roles=["assessor"]
    )
    for page in version.pages.all():
        page_open(person=learner, page=page)
    assert not Invitation.objects.filter(person=learner).exists()
    complete(learner, version, learner.memberships.current().get())
    assert Invitation.objects.filter(form=after, person=learner).exists()
    assert not Invitation.objects.filter(form=elsewhere, person=learner).exists()
