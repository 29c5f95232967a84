"""Asking for final sign-off, and withdrawing the request."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from stepwise.organisations.tests.factories import MembershipFactory
from stepwise.progress.models import SignOffRequest
from stepwise.progress.services import (
    enrolment_sign_off,
    sign_off_return,
)
from stepwise.progress.services import sign_off_request as ask_for_sign_off
from stepwise.progress.states import EnrolmentState

from .learner_support import (
    PIN,
    confirm,
    confirm_everything_needed,
    read,
    records,
    sign_in_redirect,
)


def sign_off_url(enrolment) -> str:
    return reverse("progress:sign_off_request", args=[enrolment.pk])


class TestAskingForSignOff:
    def test_anonymous_people_are_asked_to_sign_in(self, client, enrolment):
        assert sign_in_redirect(client.get(sign_off_url(enrolment)))
        assert sign_in_redirect(client.post(sign_off_url(enrolment), {"agree": "on"}))
        withdraw = reverse("progress:sign_off_withdraw", args=[enrolment.pk])
        assert sign_in_redirect(client.post(withdraw))
        assert not SignOffRequest.objects.exists()

    def test_another_learners_enrolment_is_not_found(self, client_for, trust, enrolment):
        someone = MembershipFactory(trust=trust, is_learner=True).person
        client = client_for(someone)
        assert client.get(sign_off_url(enrolment)).status_code == 404
        assert client.post(sign_off_url(enrolment), {"agree": "on"}).status_code == 404
        withdraw = reverse("progress:sign_off_withdraw", args=[enrolment.pk])
        assert client.post(withdraw).status_code == 404

    def test_before_everything_is_confirmed_it_says_what_is_missing(
        self, client_for, learner, assessor, enrolment
    ):
        confirm(enrolment, records(enrolment)[:2], assessor)
        client = client_for(learner)
        html = read(client.get(sign_off_url(enrolment)))
        assert "2 of 9 required proficiencies and 0 of at least 1 optional confirmed" in html
        assert 'name="agree"' not in html
        response = client.post(sign_off_url(enrolment), {"agree": "on"})
        assert "Not ready for sign-off" in read(response)
        assert not SignOffRequest.objects.exists()

    def test_the_learner_agrees_to_the_declaration_and_asks(
        self, client_for, learner, assessor, educator, enrolment
    ):
        confirm_everything_needed(enrolment, assessor)
        client = client_for(learner)
        html = read(client.get(sign_off_url(enrolment)))
        assert enrolment.version.learner_declaration in html
        assert "I agree with this declaration" in html

        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(sign_off_url(enrolment), {"agree": "on"})

        assert response.url == sign_off_url(enrolment)
        request = SignOffRequest.objects.get()
        assert (request.educator, request.state) == (educator, SignOffRequest.State.WAITING)
        assert mail.outbox[-1].to == [educator.email]
        html = read(client.get(sign_off_url(enrolment)))
        assert f"You have asked {educator.full_name} to sign off your record" in html
        assert "Your request is waiting" in html
        assert reverse("progress:sign_off_withdraw", args=[enrolment.pk]) in html
        # A double click, or another tab: nothing is asked twice.
        response = client.post(sign_off_url(enrolment), {"agree": "on"})
        assert "This enrolment is waiting for sign-off, so it cannot be changed." in read(response)
        assert SignOffRequest.objects.count() == 1

    def test_the_declaration_must_be_agreed(self, client_for, learner, assessor, enrolment):
        confirm_everything_needed(enrolment, assessor)
        response = client_for(learner).post(sign_off_url(enrolment), {})
        html = read(response)
        assert "<title>Error: " in html
        assert "Tick the box to agree with the declaration" in html
        assert not SignOffRequest.objects.exists()

    def test_withdrawing_the_request(self, client_for, learner, assessor, enrolment):
        confirm_everything_needed(enrolment, assessor)
        ask_for_sign_off(enrolment=enrolment, by=learner, declaration_agreed=True)
        client = client_for(learner)
        withdraw = reverse("progress:sign_off_withdraw", args=[enrolment.pk])

        response = client.post(withdraw)

        enrolment.refresh_from_db()
        assert enrolment.state == EnrolmentState.ACTIVE
        assert SignOffRequest.objects.get().state == SignOffRequest.State.WITHDRAWN
        assert "Your request for sign-off has been withdrawn" in read(client.get(response.url))
        client.post(withdraw)
        assert "There is no request for sign-off waiting" in read(client.get(response.url))

    def test_comments_from_a_returned_request_are_shown(
        self, client_for, learner, assessor, educator, enrolment
    ):
        confirm_everything_needed(enrolment, assessor)
        ask_for_sign_off(enrolment=enrolment, by=learner, declaration_agreed=True)
        sign_off_return(enrolment=enrolment, by=educator, comments="Add your reflections on 2.1")
        html = read(client_for(learner).get(sign_off_url(enrolment)))
        assert "Your last request" in html
        assert "Returned with comments" in html
        assert "Add your reflections on 2.1" in html
        assert 'name="agree"' in html

    def test_a_signed_off_enrolment_is_read_only(
        self, client_for, learner, assessor, educator, enrolment
    ):
        confirm_everything_needed(enrolment, assessor)
        ask_for_sign_off(enrolment=enrolment, by=learner, declaration_agreed=True)
        enrolment_sign_off(
            enrolment=enrolment,
            by=educator,
            declaration_agreed=True,
            registration_body=PIN[0],
            registration_number=PIN[1],
        )
        client = client_for(learner)
        html = read(client.get(sign_off_url(enrolment)))
        assert "This enrolment was signed off on" in html
        assert 'name="agree"' not in html
        response = client.post(sign_off_url(enrolment), {"agree": "on"})
        assert "This enrolment is signed off, so it cannot be changed." in read(response)
        response = client.post(reverse("progress:sign_off_withdraw", args=[enrolment.pk]))
        assert "There is no request for sign-off waiting" in read(client.get(response.url))
