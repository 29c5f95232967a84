"""Account lifecycle (ASVS V7): leaving a Trust or being deactivated signs a person out on
every device at once; changing the password signs out every other session and keeps this one;
a reset signs out all; a leaver's record and history are kept."""

import pytest
from django.test import Client
from django.urls import reverse

from stepwise.accounts.models import User
from stepwise.accounts.services import sessions_end
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD, reset_link
from stepwise.organisations.models import Membership, MembershipEvent
from stepwise.progress.models import EnrolmentEvent, RecordEvent
from stepwise.progress.tests.conftest import enrolment, offered, version  # noqa: F401
from stepwise.progress.tests.factories import achieve, records

BACKEND = "stepwise.accounts.backends.EmailBackend"
NEW_PASSWORD = "ward-7-night-shift-kettle"
HOME = reverse("progress:mine")


def device(person) -> Client:
    """Another browser (a ward tablet, a phone) where the person is signed in."""
    client = two_step.sign_in(Client(), person)
    assert client.get(HOME).status_code == 200
    return client


def signed_out(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response.url.startswith(reverse("accounts:sign_in"))


def test_ending_a_membership_signs_the_leaver_out_everywhere_at_once(learner, trust, trust_admin):
    tablet, phone = device(learner), device(learner)
    admin = device(trust_admin)
    membership = Membership.objects.get(person=learner, trust=trust)
    response = admin.post(
        reverse("organisations:membership_end", args=[membership.pk]), {"reason": "Left"}
    )
    assert response.status_code == 302
    assert signed_out(tablet) and signed_out(phone)
    # Whoever ended it stays signed in.
    assert not signed_out(admin)


def test_a_leaver_signs_in_again_and_finds_their_record_and_history_kept(
    client,
    learner,
    trust,
    trust_admin,
    enrolment,  # noqa: F811
):
    achieve(enrolment, learner, records(enrolment)[:2])
    membership = Membership.objects.get(person=learner, trust=trust)
    before = (EnrolmentEvent.objects.count(), RecordEvent.objects.count())
    device(trust_admin).post(
        reverse("organisations:membership_end", args=[membership.pk]), {"reason": "Left"}
    )
    membership.refresh_from_db()
    assert membership.state == Membership.State.ENDED
    assert MembershipEvent.objects.filter(membership=membership, kind="ended").exists()
    assert (EnrolmentEvent.objects.count(), RecordEvent.objects.count()) == before
    response = client.post(
        reverse("accounts:sign_in"), {"email": learner.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("progress:enrolment_history", args=[enrolment.pk]))
    assert page.status_code == 200
    assert str(enrolment.version) in page.content.decode()


def test_deactivating_a_person_signs_them_out_at_once(learner):
    tablet = device(learner)
    User.objects.filter(pk=learner.pk).update(is_active=False)
    assert signed_out(tablet)


def test_changing_the_password_signs_out_every_other_session_and_keeps_this_one(learner):
    here, elsewhere = device(learner), device(learner)
    response = here.post(
        reverse("accounts:change_password"),
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert not signed_out(here)
    assert signed_out(elsewhere)


def test_a_password_reset_signs_out_every_session(client, learner):
    tablet = device(learner)
    path = reset_link(client, learner)
    response = client.post(path, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert response.url == reverse("accounts:sign_in")
    assert signed_out(tablet)


@pytest.mark.django_db
def test_ending_sessions_keeps_the_password_and_signing_in_again_works(client, learner):
    tablet = device(learner)
    sessions_end(person=learner)
    sessions_end(person=learner)
    assert signed_out(tablet)
    learner.refresh_from_db()
    assert learner.session_generation == 2
    assert learner.check_password(TEST_PASSWORD)
    assert client.login(email=learner.email, password=TEST_PASSWORD)
    assert not signed_out(client)


def test_sessions_from_before_the_generation_existed_stay_valid(learner):
    # Generation 0 hashes as Django does, so deploying this signs nobody out.
    from django.contrib.auth.base_user import AbstractBaseUser

    assert learner.session_generation == 0
    assert learner.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(learner)
