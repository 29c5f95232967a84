"""Wrong security codes are limited as wrong passwords are (docs/adr/0017): someone who has the
password gets 5 guesses at the code per 15 minutes on new devices, and cannot lock the person
out of a device they have signed in on before."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from stepwise.accounts import mfa
from stepwise.accounts.tests import two_step
from stepwise.accounts.tests.factories import TEST_PASSWORD
from stepwise.core.tests.throttling import clock, fresh_counts, production_cache

__all__ = ["clock", "fresh_counts", "production_cache"]

pytestmark = pytest.mark.usefixtures("production_cache")

VERIFY = reverse("accounts:mfa_verify")
LOCKED = "Too many wrong security codes"


def password_step(client, person):
    response = client.post(
        reverse("accounts:sign_in"), {"email": person.email, "password": TEST_PASSWORD}
    )
    assert response.url.startswith(VERIFY)


def right_code(person) -> str:
    return two_step.code_for(TOTPDevice.objects.get(user=person))


def wrong_code(person) -> str:
    device = TOTPDevice.objects.get(user=person)
    return f"{(int(mfa.code_now(device.key)) + 500_000) % 1_000_000:06d}"


def test_five_wrong_codes_hold_new_devices_back_but_never_a_known_one(assessor, settings, clock):
    two_step.app_for(assessor)
    # The assessor's ward tablet: she signed in on it before, both steps.
    tablet = Client()
    password_step(tablet, assessor)
    assert tablet.post(VERIFY, {"code": right_code(assessor)}).status_code == 302
    tablet.post(reverse("accounts:sign_out"))

    # Someone with her password guesses codes from elsewhere.
    attacker = Client()
    password_step(attacker, assessor)
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        page = attacker.post(VERIFY, {"code": wrong_code(assessor)}).content.decode()
        assert "The security code is not right" in page
    page = attacker.post(VERIFY, {"code": right_code(assessor)}).content.decode()
    assert LOCKED in page and "Try again in 15 minutes" in page
    assert "nhsuk-error-summary" in page
    # Signing in again from a cleared browser buys no fresh count.
    fresh = Client()
    password_step(fresh, assessor)
    assert LOCKED in fresh.post(VERIFY, {"code": right_code(assessor)}).content.decode()

    # Her tablet is not held back.
    password_step(tablet, assessor)
    assert tablet.post(VERIFY, {"code": right_code(assessor)}).url == reverse("core:home")

    # The window ends by itself.
    clock.advance(15 * 60)
    assert attacker.post(VERIFY, {"code": right_code(assessor)}).status_code == 302


def test_a_right_code_does_not_count(assessor, settings, clock):
    two_step.app_for(assessor)
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT + 2):
        client = Client()
        password_step(client, assessor)
        assert client.post(VERIFY, {"code": right_code(assessor)}).status_code == 302
