"""Sign-in limits (issue 14, point 5): a lock that ends when its window ends, a nurse's usual
device that guesses elsewhere cannot lock, a password reset that clears the lock, and an
address limit that slows instead of locking everyone behind a hospital's address."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from stepwise.accounts.tests.factories import TEST_PASSWORD, PersonFactory
from stepwise.core.tests.throttling import clock, fresh_counts, production_cache

__all__ = ["clock", "fresh_counts", "production_cache"]

pytestmark = pytest.mark.usefixtures("production_cache")

LOCKED = "Too many attempts to sign in"
WRONG = "Enter the email address and password for your account"
NEW_PASSWORD = "a-new-and-better-passphrase"


def attempt(device, email, password="wrong-password", *, address="10.0.0.1", forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    response = device.post(
        reverse("accounts:sign_in"),
        {"email": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )
    if response.status_code == 302:
        device.post(reverse("accounts:sign_out"))  # the device stays known; the session ends
        return "signed in"
    return response.content.decode()


def signed_in(page: str) -> bool:
    return page == "signed in"


def lock(email, settings, address="10.6.6.6"):
    attacker = Client()
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        assert WRONG in attempt(attacker, email, address=address)
    return attacker


def test_five_failures_lock_the_account_on_new_devices_saying_when_to_try_again(
    client, learner, settings, clock
):
    lock(learner.email, settings)
    page = attempt(Client(), learner.email, TEST_PASSWORD, address="10.0.0.9")
    assert LOCKED in page
    assert "Try again in 15 minutes, or reset your password" in page
    assert "nhsuk-error-summary" in page
    clock.advance(14 * 60 + 30)
    assert "Try again in 1 minute," in attempt(Client(), learner.email, TEST_PASSWORD)


def test_an_unknown_email_is_locked_the_same_way(db, settings, clock):
    lock("nobody@example.org", settings)
    assert LOCKED in attempt(Client(), "nobody@example.org")


def test_the_lock_ends_with_its_window_however_the_failures_were_spread(learner, settings, clock):
    # One guess every 2 minutes: the lock must neither end early (300 s after the last guess)
    # nor stretch past the documented 15 minutes.
    attacker = Client()
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        assert WRONG in attempt(attacker, learner.email, address="10.6.6.6")
        clock.advance(2 * 60)
    clock.advance(4 * 60)  # 14 minutes after the first guess, 6 after the last
    assert LOCKED in attempt(Client(), learner.email, TEST_PASSWORD)
    clock.advance(60)  # 15:00: the window has ended
    assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD))


def test_guesses_during_the_lock_do_not_extend_it(learner, settings, clock):
    attacker = lock(learner.email, settings)
    for _ in range(14):
        clock.advance(60)
        assert LOCKED in attempt(attacker, learner.email, address="10.6.6.6")
    clock.advance(60)
    assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD))


def test_the_right_password_on_her_usual_device_works_while_guesses_lock_the_account(
    learner, settings, clock
):
    tablet = Client()
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD, address="10.0.0.1"))
    # Someone elsewhere guesses, every 5 minutes, for an hour.
    attacker = Client()
    for _ in range(12):
        for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
            attempt(attacker, learner.email, address="10.6.6.6")
        assert LOCKED in attempt(Client(), learner.email, TEST_PASSWORD, address="10.0.0.2")
        assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD, address="10.0.0.1"))
        clock.advance(5 * 60)


def test_her_usual_device_has_its_own_limit(learner, settings, clock):
    tablet = Client()
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD))
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT):
        assert WRONG in attempt(tablet, learner.email)
    assert LOCKED in attempt(tablet, learner.email, TEST_PASSWORD)
    # Her typing on the tablet does not lock her other devices, nor anyone else's tablet.
    assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD))
    colleague = PersonFactory()
    assert signed_in(attempt(tablet, colleague.email, TEST_PASSWORD))


def test_a_device_remembers_several_people_and_a_forged_cookie_counts_for_nothing(
    learner, settings, clock
):
    tablet, colleague = Client(), PersonFactory()
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD))
    assert signed_in(attempt(tablet, colleague.email, TEST_PASSWORD))
    cookie = tablet.cookies["stepwise_device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert learner.email not in cookie.value
    lock(learner.email, settings)
    lock(colleague.email, settings)
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD))
    assert signed_in(attempt(tablet, colleague.email, TEST_PASSWORD))
    # The same value, re-signed by anyone without the secret key, is not a known device.
    thief = Client()
    value, _, signature = cookie.value.rpartition(":")
    thief.cookies["stepwise_device"] = f"{value}:{signature[:-2]}xx"
    assert LOCKED in attempt(thief, learner.email, TEST_PASSWORD)


def test_a_password_reset_clears_the_lock(
    learner, settings, clock, django_capture_on_commit_callbacks
):
    lock(learner.email, settings)
    phone = Client()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post(reverse("accounts:password_reset"), {"email": learner.email})
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    changed = phone.post(link, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert changed.url == reverse("accounts:sign_in")
    assert signed_in(attempt(phone, learner.email, NEW_PASSWORD))
    # Whoever was guessing starts again from zero against the new password.
    assert WRONG in attempt(Client(), learner.email, address="10.6.6.6")


def test_the_right_password_is_not_counted_as_a_failure(learner, settings, clock):
    device = Client()
    for _ in range(settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT - 1):
        attempt(Client(), learner.email)
    for _ in range(3):
        assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD))
    assert WRONG in attempt(device, learner.email)
    assert LOCKED in attempt(device, learner.email)


def test_the_address_limit_does_not_stop_anyone_on_a_device_they_have_used(
    learner, settings, clock
):
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = 10
    tablet = Client()
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD, address="192.0.2.1"))
    spray = Client()
    for n in range(10):
        attempt(spray, f"guess{n}@example.org", address="192.0.2.1")
    assert LOCKED in attempt(spray, "guess-more@example.org", address="192.0.2.1")
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD, address="192.0.2.1"))


def test_the_address_limit_only_slows_new_devices_for_five_minutes(learner, settings, clock):
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = 10
    spray = Client()
    for n in range(10):
        attempt(spray, f"guess{n}@example.org", address="192.0.2.1")
    page = attempt(Client(), learner.email, TEST_PASSWORD, address="192.0.2.1")
    assert "Try again in 5 minutes" in page
    assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD, address="192.0.2.2"))
    clock.advance(5 * 60)
    assert signed_in(attempt(Client(), learner.email, TEST_PASSWORD, address="192.0.2.1"))


def test_behind_a_trusted_load_balancer_each_client_has_its_own_address_limit(
    learner, settings, clock
):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 1
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = 10
    balancer = "10.0.0.254"
    spray = Client()
    for n in range(10):
        attempt(spray, f"guess{n}@example.org", address=balancer, forwarded="198.51.100.7")
    # The sprayer's own address is slowed, even writing another address on the left of the
    # header; a nurse behind the same balancer is not.
    spoofed = "1.2.3.4, 198.51.100.7"
    assert LOCKED in attempt(spray, "more@example.org", address=balancer, forwarded=spoofed)
    page = attempt(
        Client(), learner.email, TEST_PASSWORD, address=balancer, forwarded="203.0.113.9"
    )
    assert signed_in(page)


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(learner, settings, clock):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 0
    settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = 10
    spray = Client()
    for n in range(10):
        attempt(spray, f"guess{n}@example.org", address="192.0.2.1", forwarded=f"10.1.1.{n}")
    page = attempt(
        Client(), learner.email, TEST_PASSWORD, address="192.0.2.1", forwarded="10.1.1.99"
    )
    assert LOCKED in page


def test_in_production_the_device_cookie_is_secure_and_bound_to_the_host(learner, settings, clock):
    settings.SESSION_COOKIE_SECURE = True
    tablet = Client()
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD))
    cookie = tablet.cookies["__Host-stepwise_device"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/"
    assert not cookie["domain"]
    lock(learner.email, settings)
    assert signed_in(attempt(tablet, learner.email, TEST_PASSWORD))
