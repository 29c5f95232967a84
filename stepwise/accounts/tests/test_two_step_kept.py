"""Whether a learner must pass the second step, kept with their session (stepwise.accounts.mfa):
their pages ask the database nothing about it while the answer holds, and the answer is asked
again at the very next request once they set up an app or a passkey, gain a staff role in a
Trust or come to lead a network."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stepwise.accounts import mfa
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.passkey_authenticator import SoftPasskey, add
from stepwise.organisations.models import Membership, Role
from stepwise.organisations.services import membership_change_roles, membership_end
from stepwise.reports.models import NetworkLead

HOME = reverse("core:home")
PAGE = reverse("privacy:my_data")
VERIFY = reverse("accounts:mfa_verify")
SET_UP = reverse("accounts:mfa_set_up")
DEVICE_TABLES = ("otp_totp_totpdevice", "django_otp_webauthn_webauthncredential")


def signed_in(person) -> Client:
    return two_step.sign_in(Client(), person)


def asked_about_devices(client, path=PAGE) -> bool:
    """Whether opening the page read the person's apps or passkeys."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return any(table in query["sql"] for query in queries for table in DEVICE_TABLES)


def test_a_learners_pages_do_not_ask_about_the_second_step_while_the_answer_holds(learner):
    client = signed_in(learner)
    assert not asked_about_devices(client)
    assert not asked_about_devices(client, HOME)


def test_a_learner_who_sets_up_an_app_elsewhere_is_asked_for_it_at_the_next_request(learner):
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    key = mfa.new_secret()
    mfa.authenticator_add(person=learner, key=key, code=mfa.code_now(key))
    assert client.get(PAGE).url.startswith(VERIFY)


def test_a_learner_who_adds_a_passkey_elsewhere_is_asked_for_it_at_the_next_request(learner):
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    elsewhere = Client()
    elsewhere.force_login(learner, backend=two_step.BACKEND)
    assert add(elsewhere, SoftPasskey()).status_code == 200
    assert client.get(PAGE).url.startswith(VERIFY)


def test_an_app_made_in_the_platform_admin_counts_at_once(learner):
    # No service: a row saved one by one (the Django admin, a library) raises the generation.
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    two_step.app_for(learner)
    assert client.get(PAGE).url.startswith(VERIFY)


def test_a_learner_made_an_assessor_must_pass_the_second_step_at_once(learner, trust, educator):
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    membership = Membership.objects.get(person=learner)
    membership_change_roles(
        membership=membership,
        roles=[Role.LEARNER, Role.ASSESSOR],
        unit=membership.unit,
        by=educator,
    )
    assert client.get(PAGE).url.startswith(SET_UP)


def test_a_learner_who_comes_to_lead_a_network_must_pass_the_second_step_at_once(learner, trust):
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    NetworkLead.objects.create(person=learner, network=trust.parent)
    assert client.get(PAGE).url.startswith(SET_UP)


def test_using_a_device_does_not_make_the_session_ask_again(learner):
    """Only set-ups count: a device's use (its sign count, last code) leaves the answer."""
    device = two_step.app_for(learner)
    client = signed_in(learner)
    generation = type(learner).objects.get(pk=learner.pk).second_step_generation
    device.last_used_at = None
    device.save(update_fields=["last_used_at"])
    assert type(learner).objects.get(pk=learner.pk).second_step_generation == generation
    assert client.get(PAGE).status_code == 200


def test_a_session_keeps_only_not_required(assessor, learner):
    """Staff are asked afresh each time: nothing about them is kept."""
    client = signed_in(assessor)
    assert client.get(PAGE).status_code == 200
    assert mfa.NOT_REQUIRED_SESSION_KEY not in client.session
    client = signed_in(learner)
    assert client.get(PAGE).status_code == 200
    assert client.session[mfa.NOT_REQUIRED_SESSION_KEY] == [
        learner.pk,
        learner.second_step_generation,
    ]


def test_an_ended_membership_signs_the_person_out_at_once(assessor, trust_admin):
    client = signed_in(assessor)
    assert client.get(reverse("progress:to_review")).status_code == 200
    membership_end(membership=Membership.objects.get(person=assessor), by=trust_admin)
    assert client.get(PAGE).url.startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("ended", ["assessor", "learner"])
def test_memberships_are_read_afresh_for_the_header_and_the_pages(request, ended, trust):
    """Nothing about memberships is kept: a change written by any service (a conditional
    update, which sends no signal) shows in the header and the pages at the next request."""
    person = request.getfixturevalue(ended)
    client = signed_in(person)
    working_in = trust.units[0].name
    assert working_in in client.get(HOME).content.decode()
    Membership.objects.filter(person=person).update(state=Membership.State.ENDED)
    page = client.get(HOME).content.decode()
    assert working_in not in page
    assert "You are not an active member of any Trust" in page
    assert client.get(reverse("progress:to_review")).status_code == 403
