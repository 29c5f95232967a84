"""A burst of parallel guesses gets no more password checks than the limit (issue 14, point
5): each attempt takes its place before the password is checked, atomically."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from stepwise.accounts.backends import EmailBackend
from stepwise.accounts.tests.factories import TEST_PASSWORD, PersonFactory
from stepwise.core.tests.throttling import fresh_counts

__all__ = ["fresh_counts"]

THREADS = 20


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_guesses_check_five_passwords(settings, monkeypatch, fresh_counts):
    nurse = PersonFactory()
    checked, lock = [], threading.Lock()
    real = EmailBackend.authenticate

    def authenticate(self, request, **credentials):
        with lock:
            checked.append(credentials["email"])
        time.sleep(0.05)  # as long as a real password hash takes
        return real(self, request, **credentials)

    monkeypatch.setattr(EmailBackend, "authenticate", authenticate)
    start = threading.Barrier(THREADS)

    def guesses(n):
        device = Client()
        try:
            start.wait(timeout=30)
            return [
                device.post(
                    reverse("accounts:sign_in"),
                    {"email": nurse.email, "password": f"guess-{n}-{each}"},
                    REMOTE_ADDR=f"10.0.{n}.{each + 1}",
                ).status_code
                for each in range(2)
            ]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        statuses = [each for pair in pool.map(guesses, range(THREADS)) for each in pair]
    assert statuses == [200] * 40
    assert len(checked) == settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT
    # And the nurse's own right password, from a new device, waits for the window like anyone.
    page = Client().post(
        reverse("accounts:sign_in"), {"email": nurse.email, "password": TEST_PASSWORD}
    )
    assert "Too many attempts to sign in" in page.content.decode()
    assert len(checked) == settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT
