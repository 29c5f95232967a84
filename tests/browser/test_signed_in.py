"""Where you are signed in, in a real browser with axe: a learner signed in on two devices
finds the other from their account page and signs it out; the other is signed out at once."""

import re

import pytest
from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def signed_in_through_the_page(web, person):
    web.visit(reverse("accounts:sign_in"))
    web.fill("Email address", person.email)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")


def test_a_learner_signs_out_a_device_left_signed_in(web_for, learner):
    # Given a learner signed in on the ward's tablet, then on her own computer
    tablet = web_for()
    signed_in_through_the_page(tablet, learner)
    computer = web_for()
    signed_in_through_the_page(computer, learner)

    # When she looks at where she is signed in from her account page
    computer.visit(reverse("accounts:account"))
    computer.follow("See the devices signed in to your account")
    assert computer.heading() == "Where you are signed in"
    rows = computer.page.locator("tbody tr")
    assert rows.count() == 2
    assert "This device" in rows.first.inner_text()

    # And signs the other one out
    computer.submit(re.compile(r"^Sign out Chrome on Linux, signed in"))
    assert "You have signed out of Chrome on Linux" in computer.banner()
    assert computer.page.locator("tbody tr").count() == 1

    # Then the tablet is signed out at its next page
    tablet.visit(reverse("progress:mine"))
    assert tablet.heading() == "Sign in"
