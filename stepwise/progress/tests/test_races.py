"""Races with real threads, on whichever database the suite runs on: exactly one person
wins, the other is told who did it and when, and nothing is recorded twice."""

import pytest

from stepwise.certificates.models import Certificate
from stepwise.core.errors import ConflictError
from stepwise.core.tests.concurrency import at_once
from stepwise.progress.models import ConfirmationRequest, Decision, RecordEvent, SignOffRequest
from stepwise.progress.services import (
    confirmation_request,
    enrolment_sign_off,
    records_self_assess,
    request_decide,
    sign_off_request,
)
from stepwise.progress.services.confirmation import ItemDecision
from stepwise.progress.states import RecordState

from .factories import CONFIRM, REJECT, achieve, confirm_everything_required, plan, records

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_assessors_deciding_the_same_item(enrolment, learner, assessor, educator):
    first = records(enrolment)[0]
    achieve(enrolment, learner, [first])
    request = confirmation_request(
        enrolment=enrolment, by=learner, record_ids=[first.pk], unit=enrolment.unit
    )

    def decide(person, outcome):
        return lambda: request_decide(
            request=request,
            by=person,
            registration_body="NMC",
            registration_number="09B1234D",
            items=[ItemDecision(first.pk, outcome, actions=plan() if outcome == REJECT else [])],
        )

    results, errors = at_once(decide(assessor, CONFIRM), decide(educator, REJECT))
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    winner = Decision.objects.get()
    assert f"by {winner.assessor.full_name} on" in str(errors[0])
    assert RecordEvent.objects.filter(record=first, decision__isnull=False).count() == 1
    first.refresh_from_db()
    assert first.state == winner.outcome


def test_two_tabs_signing_off(enrolment, learner, assessor, educator):
    confirm_everything_required(enrolment, learner, assessor)
    sign_off_request(enrolment=enrolment, by=learner, declaration_agreed=True)

    def sign_off():
        return enrolment_sign_off(
            enrolment=enrolment,
            by=educator,
            declaration_agreed=True,
            registration_body="NMC",
            registration_number="05C7654E",
        )

    results, errors = at_once(sign_off, sign_off)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ConflictError)
    assert f"already signed off by {educator.full_name}" in str(errors[0])
    assert Certificate.objects.count() == 1
    assert SignOffRequest.objects.get().state == SignOffRequest.State.SIGNED_OFF


def test_a_double_clicked_request_for_confirmation(enrolment, learner, assessor):
    chosen = records(enrolment)[:3]
    achieve(enrolment, learner, chosen)

    def ask():
        return confirmation_request(
            enrolment=enrolment, by=learner, record_ids=[r.pk for r in chosen], assessor=assessor
        )

    results, errors = at_once(ask, ask)
    assert len(results) == 1 and len(errors) == 1
    assert "already waiting for confirmation" in str(errors[0])
    assert ConfirmationRequest.objects.count() == 1
    assert RecordEvent.objects.filter(kind="confirmation_requested").count() == 3


def test_a_double_clicked_self_assessment(enrolment, learner):
    chosen = records(enrolment)[:5]
    answers = [(r.pk, RecordState.ACHIEVED, "Done on a night shift") for r in chosen]

    def submit():
        return records_self_assess(enrolment=enrolment, by=learner, answers=answers)

    results, errors = at_once(submit, submit)
    assert errors == []
    # One submission changed the records; the other found them already so and did nothing.
    assert sorted(results) == [0, 5]
    assert RecordEvent.objects.filter(kind="self_assessed").count() == 5
