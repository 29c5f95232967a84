import time
from datetime import timedelta

from django.core.cache import cache
from django.urls import reverse

from stepwise.accounts import throttle
from stepwise.accounts.tests.factories import TEST_PASSWORD

LOCKED = "Too many attempts to sign in"


def attempt(client, email, password="wrong-password", address="10.0.0.1"):
    return client.post(
        reverse("accounts:sign_in"),
        {"email": email, "password": password},
        REMOTE_ADDR=address,
    ).content.decode()


def test_an_account_is_locked_after_five_failures_even_with_the_right_password(
    client, learner, settings
):
    cache.clear()
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        attempt(client, learner.email)
    assert LOCKED in attempt(client, learner.email, TEST_PASSWORD)


def test_an_unknown_email_is_locked_the_same_way(client, db, settings):
    cache.clear()
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        attempt(client, "nobody@example.org")
    assert LOCKED in attempt(client, "nobody@example.org")


def test_one_address_trying_many_accounts_is_locked(client, learner, settings):
    cache.clear()
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = 3
    for n in range(3):
        attempt(client, f"guess{n}@example.org", address="10.9.9.9")
    assert LOCKED in attempt(client, learner.email, TEST_PASSWORD, address="10.9.9.9")
    # Someone else on another address is not affected.
    assert LOCKED not in attempt(client, learner.email, TEST_PASSWORD, address="10.1.1.1")


def test_the_lock_expires_after_the_cool_off(learner, settings, monkeypatch):
    cache.clear()
    settings.STEPWISE_SIGN_IN_COOL_OFF = timedelta(minutes=15)
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        throttle.record_failure(learner.email, "10.0.0.2")
    assert throttle.is_locked(learner.email, "10.0.0.2")
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert not throttle.is_locked(learner.email, "10.0.0.2")


def test_a_successful_sign_in_clears_the_account_count(client, learner):
    cache.clear()
    for _ in range(4):
        attempt(client, learner.email)
    attempt(client, learner.email, TEST_PASSWORD)
    client.logout()
    assert not throttle.is_locked(learner.email, "10.0.0.1")
    assert cache.get(throttle._keys(learner.email, "10.0.0.1")[0][0]) is None
