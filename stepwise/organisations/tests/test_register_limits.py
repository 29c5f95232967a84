"""Registering through a Trust's link is limited (throttle) per email address and per client
address: each registration sends a confirmation email and stores a password's hash, so
without a limit anyone could flood a stranger's inbox. Past the email's limit the page answers
as for any registration (telling nobody anything) and sends nothing; past the address's it
says so."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from stepwise.accounts.models import SelfRegistration
from stepwise.core.tests.throttling import clock, fresh_counts, production_cache

__all__ = ["clock", "fresh_counts", "production_cache"]

pytestmark = pytest.mark.usefixtures("production_cache")

PASSWORD = "a-long-new-password-42"
TOO_MANY = "Too many registrations have come from your network"


@pytest.fixture
def register(trust, django_capture_on_commit_callbacks):
    def register(email, address="10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return Client().post(
                reverse("organisations:register", args=[trust.registration_code]),
                {
                    "full_name": "Iris Novak",
                    "email": email,
                    "new_password": PASSWORD,
                    "confirm_password": PASSWORD,
                },
                REMOTE_ADDR=address,
            )

    return register


def test_fifteen_registrations_of_one_address_send_three_emails(register, clock, settings, trust):
    assert settings.STEPWISE_REGISTRATION_LIMIT_PER_EMAIL == 3
    responses = [
        register("victim@example.org" if i % 2 else "Victim@Example.org", address=f"10.0.0.{i}")
        for i in range(15)
    ]
    # Every answer is the same "check your email" page, limited or not.
    check_email = reverse("organisations:register_check_email", args=[trust.registration_code])
    assert {(response.status_code, response.url) for response in responses} == {(302, check_email)}
    assert len(mail.outbox) == 3
    assert SelfRegistration.objects.count() == 3
    # Another address is not held up, and after the hour the first may register again.
    register("someone.else@example.org")
    clock.advance(60 * 60)
    register("victim@example.org")
    assert len(mail.outbox) == 5


def test_one_client_address_is_told_when_it_has_registered_too_many(register, clock, settings):
    settings.STEPWISE_REGISTRATION_LIMIT_PER_ADDRESS = 4
    pages = [register(f"nurse{i}@example.org") for i in range(6)]
    assert [page.status_code for page in pages] == [302] * 4 + [200] * 2
    refused = pages[4].content.decode()
    assert TOO_MANY in refused and "nhsuk-error-summary" in refused
    assert "try again" in refused
    assert len(mail.outbox) == 4
    assert register("nurse9@example.org", address="10.0.0.2").status_code == 302
