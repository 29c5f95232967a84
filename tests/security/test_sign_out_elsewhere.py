"""Sign out of all other devices (ASVS 5.0 V7.4.3, V7.5.1): after giving their password again,
a person ends every other session they hold, on any device, and keeps this one."""

from django.test import Client
from django.urls import reverse

from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD

HOME = reverse("progress:mine")
PAGE = reverse("accounts:sign_out_elsewhere")


def device(person) -> Client:
    client = two_step.sign_in(Client(), person)  # staff pass the second step too
    assert client.get(HOME).status_code == 200
    return client


def signed_out(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response.url.startswith(reverse("accounts:sign_in"))


def test_other_devices_are_signed_out_and_this_one_stays(learner, assessor, security_events):
    here, tablet, phone, colleague = (
        device(learner),
        device(learner),
        device(learner),
        device(assessor),
    )
    response = here.post(PAGE, {"current_password": TEST_PASSWORD})
    assert response.url == reverse("core:home")
    assert "You have signed out of all other devices" in here.get(response.url).content.decode()
    assert not signed_out(here)
    assert signed_out(tablet) and signed_out(phone)
    assert not signed_out(colleague)
    [event] = security_events("signed_out_elsewhere")
    assert (event["user_id"], event["outcome"]) == (learner.pk, "success")


def test_the_password_is_asked_for_again(learner):
    here, tablet = device(learner), device(learner)
    for wrong in ("", "not-my-password-at-all"):
        html = here.post(PAGE, {"current_password": wrong}).content.decode()
        assert "There is a problem" in html
    assert not signed_out(tablet) and not signed_out(here)


def test_the_page_is_found_from_the_home_page(client_for, learner):
    assert PAGE in client_for(learner).get(reverse("core:home")).content.decode()
