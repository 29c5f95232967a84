"""Answering twice at the same moment, in real threads, on whichever database the suite
runs on: exactly one response is stored, the other is told it was already answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once
from stepwise.feedback.building import builtins_install
from stepwise.feedback.models import Answer, Form, Invitation, Respondent, Response
from stepwise.feedback.queries import published_version
from stepwise.feedback.reminders import remind
from stepwise.feedback.services import Given, answer
from stepwise.feedback.tests.factories import asked_form
from stepwise.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("anonymous", [False, True])
def test_two_answers_at_once_store_one(learner, anonymous):
    form = asked_form(learner, anonymous=anonymous)
    version = published_version(form)
    first = version.questions.order_by("position").first()

    def answering(point):
        return lambda: answer(
            person=learner, version=version, given={first.pk: Given(number=point)}
        )

    results, errors = at_once(answering(2), answering(5))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    assert Response.objects.count() == 1
    assert Respondent.objects.count() == 1
    assert Answer.objects.count() == 1


def test_two_daily_runs_at_once_remind_once(learner):
    form = asked_form(learner)
    Invitation.objects.update(asked_at=timezone.now() - timedelta(days=8))
    now = timezone.now()
    results, errors = at_once(lambda: remind(now), lambda: remind(now))
    assert errors == []
    assert sorted(results) == [0, 1]
    assert Invitation.objects.get(form=form).reminders_sent == 1
    assert Notification.objects.filter(person=learner, text__startswith="Reminder").count() == 1


def test_the_built_in_forms_added_twice_at_once_are_added_once(platform_admin):
    results, errors = at_once(
        lambda: builtins_install(by=platform_admin), lambda: builtins_install(by=platform_admin)
    )
    assert errors == []
    assert Form.objects.count() == 3
    assert {form.slug for form in results[0]} == {form.slug for form in results[1]}
