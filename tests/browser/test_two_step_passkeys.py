"""Passkeys as the second step, in a real browser (ADR 17), with Chromium's virtual authenticator
standing for a phone's or laptop's (through the DevTools protocol). A Trust administrator's
first sign-in adds a passkey instead of an app; later sign-ins take the password, then the
passkey. The live server is at http://localhost (a secure context, and a host name a passkey
can be made for: an address such as 127.0.0.1 cannot be). Every page is checked with axe."""

import re

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from stepwise.accounts import mfa
from stepwise.accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _site_on_localhost(settings, live_server):
    assert live_server.url.startswith("http://localhost:"), live_server.url
    settings.SITE_URL = live_server.url


def virtual_authenticator(web) -> tuple:
    """A platform authenticator (fingerprint or face, already verified) in this browser."""
    devtools = web.page.context.new_cdp_session(web.page)
    devtools.send("WebAuthn.enable")
    added = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools, added["authenticatorId"]


def sign_in_with_password(web, person):
    web.visit("/sign-in/")
    web.fill("Email address", person.email)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")


def test_a_trust_admin_adds_a_passkey_then_signs_in_with_password_and_passkey(web, trust_admin):
    devtools, authenticator = virtual_authenticator(web)
    people = reverse("organisations:people")

    # Given a Trust administrator signing in for the first time, on their way to their people
    web.visit(people)
    web.fill("Email address", trust_admin.email)
    web.fill("Password", TEST_PASSWORD)
    web.submit("Sign in")
    assert web.heading() == "Set up two-step sign-in"

    # When they choose a passkey instead of an app, and add one
    web.follow("use a passkey instead")
    assert web.heading() == "Add a passkey"
    assert not web.page.get_by_text("needs JavaScript").is_visible()
    web.submit("Add a passkey")

    # Then the browser holds it, the service keeps it, and they save ten recovery codes
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(held["credentials"]) == 1
    assert held["credentials"][0]["rpId"] == "localhost"
    assert WebAuthnCredential.objects.filter(user=trust_admin).count() == 1
    assert web.heading() == "Save your recovery codes"
    assert (
        len(set(re.findall(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", web.text()))) == 10
    )
    web.submit("I have saved my recovery codes")
    assert web.page.url.endswith(people)
    web.submit("Sign out")

    # When they sign in again: the password, then the passkey
    sign_in_with_password(web, trust_admin)
    assert web.heading() == "Confirm it is you"
    web.submit("Use a passkey")

    # Then they reach a staff page, and their two-step sign-in page lists the passkey
    assert web.heading() == f"Hello, {trust_admin.full_name}"
    web.visit(people)
    web.visit(reverse("accounts:mfa_manage"))
    assert "Passkey" in web.text() and "Last used on" in web.text()

    # When they try to add a second passkey on the same device, they are told it has one
    web.follow("Add a passkey")
    web.page.get_by_role("button", name="Add a passkey").click()
    error = web.page.get_by_role("alert")
    error.wait_for()
    assert error.text_content() == "This device already has a passkey for your Stepwise account."
    web.check()
    assert WebAuthnCredential.objects.filter(user=trust_admin).count() == 1


def test_without_javascript_the_page_says_so_and_a_recovery_code_still_works(web_for, trust_admin):
    WebAuthnCredential.objects.create(
        user=trust_admin, name="Passkey", credential_id=b"elsewhere", public_key=b"-"
    )
    codes = mfa.recovery_codes_renew(person=trust_admin)
    web = web_for(javascript=False)
    sign_in_with_password(web, trust_admin)
    assert web.heading() == "Confirm it is you"
    assert "A passkey needs JavaScript" in web.text()
    assert not web.page.get_by_role("button", name="Use a passkey").is_visible()
    web.fill("Recovery code", codes[0])
    web.submit("Continue")
    assert "You have 9 recovery codes left" in web.banner()
