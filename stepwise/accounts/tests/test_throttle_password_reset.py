"""Password reset emails are limited per email address and per client address (issue 14,
point 5), and the limit says nothing about whether an address has an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from stepwise.core.tests.throttling import clock, fresh_counts, production_cache

__all__ = ["clock", "fresh_counts", "production_cache"]

pytestmark = pytest.mark.usefixtures("production_cache")

TOO_MANY = "Too many requests for a password reset link"
SENT = "Check your email"


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    def ask(email, address="10.0.0.1", device=None, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            response = (device or Client()).post(
                reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address, **headers
            )
        return response.content.decode()

    return ask


def test_ten_requests_send_three_emails_then_say_when_to_ask_again(learner, settings, ask, clock):
    pages = [ask(learner.email) for _ in range(10)]
    assert [SENT in page for page in pages] == [True] * 3 + [False] * 7
    assert len(mail.outbox) == 3
    refused = pages[3]
    assert TOO_MANY in refused and "nhsuk-error-summary" in refused
    assert "try again in 60 minutes" in refused
    assert "<title>Error: Reset your password" in refused
    clock.advance(60 * 60)
    assert SENT in ask(learner.email.upper())
    assert len(mail.outbox) == 4


def test_an_address_without_an_account_is_refused_at_the_same_point(db, ask, clock):
    pages = [ask("nobody@example.org") for _ in range(4)]
    assert [SENT in page for page in pages] == [True, True, True, False]
    assert TOO_MANY in pages[3]
    assert mail.outbox == []


def test_one_address_asking_for_many_accounts_is_limited(learner, settings, ask, clock):
    settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    for n in range(5):
        assert SENT in ask(f"guess{n}@example.org", address="192.0.2.1")
    assert TOO_MANY in ask(learner.email, address="192.0.2.1")
    assert SENT in ask(learner.email, address="192.0.2.2")
    assert len(mail.outbox) == 1


def test_behind_a_trusted_proxy_the_limit_is_per_client(learner, settings, ask, clock):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 1
    settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    for n in range(5):
        ask(f"guess{n}@example.org", "10.0.0.254", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert TOO_MANY in ask(learner.email, "10.0.0.254", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert SENT in ask(learner.email, "10.0.0.254", HTTP_X_FORWARDED_FOR="203.0.113.9")


def test_without_a_trusted_proxy_a_forwarded_header_does_not_escape_the_limit(
    learner, settings, ask, clock
):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 0
    settings.STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    for n in range(5):
        ask(f"guess{n}@example.org", "192.0.2.1", HTTP_X_FORWARDED_FOR=f"10.1.1.{n}")
    assert TOO_MANY in ask(learner.email, "192.0.2.1", HTTP_X_FORWARDED_FOR="10.1.1.99")
