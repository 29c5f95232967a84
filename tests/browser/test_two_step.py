"""Two-step sign-in in a real browser (issue 12, point 1): an assessor's first sign-in sets up
an authenticator app from the QR code page and shows the recovery codes once; later sign-ins
ask for the app's code, or take a recovery code instead. Every page is checked with axe."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts import mfa
from stepwise.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def sign_in_with_password(web, person):
    web.visit("/sign-in/")
    web.fill("Email address", person.email)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")


def test_an_assessor_sets_up_an_app_then_signs_in_with_its_code_or_a_recovery_code(web, assessor):
    # Given an assessor signing in for the first time, on their way to the review queue
    web.visit("/to-review/")
    assert web.heading() == "Sign in"
    web.fill("Email address", assessor.email)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")

    # Then they are asked to set up two-step sign-in, with a QR code and the key written out
    assert web.heading() == "Set up two-step sign-in"
    assert web.page.locator("svg.stepwise-qr-code title").text_content() == (
        "QR code for your authenticator app"
    )
    assert web.page.locator("svg.stepwise-qr-code").bounding_box()["width"] >= 200

    # When they enter a wrong code, they are told, in the error summary
    web.fill("Security code", "12345")
    web.submit("Continue")
    assert web.error_summary()[0].startswith("The security code is not right")

    # When they set up the app with the key and enter its code
    secret = web.set_up_authenticator()

    # Then they see ten recovery codes, once, and go on to where they were going
    assert web.heading() == "Save your recovery codes"
    codes = re.findall(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", web.text())
    assert len(set(codes)) == 10
    web.submit("I have saved my recovery codes")
    assert web.page.url.endswith("/to-review/")
    web.submit("Sign out")

    # When they sign in again, the app's code is asked for after the password
    TOTPDevice.objects.filter(user=assessor).update(last_t=-1)  # the next 30 seconds
    sign_in_with_password(web, assessor)
    assert web.heading() == "Enter your security code"
    web.fill("Security code", mfa.code_now(secret))
    web.submit("Continue")
    assert web.heading() == f"Hello, {assessor.full_name}"
    web.submit("Sign out")

    # When they have no phone, a recovery code signs them in, once
    sign_in_with_password(web, assessor)
    web.fill("Security code", codes[0])
    web.submit("Continue")
    assert "You have 9 recovery codes left" in web.banner()
    web.follow("Two-step sign-in")
    assert "9 of 10 left" in web.text()
