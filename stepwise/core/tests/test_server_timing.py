"""When measuring (config.settings.serve_local), each response says the CPU and time its
request took, for `make loadtest`'s median CPU a request (issue 13); otherwise nothing."""

import re

from django.test import Client
from django.urls import reverse

TIMING = re.compile(r"^cpu;dur=(\d+\.\d\d), app;dur=(\d+\.\d\d)$")


def test_a_real_site_does_not_tell_its_timings(db):
    assert "Server-Timing" not in Client().get(reverse("accounts:sign_in")).headers


def test_when_measuring_each_response_says_its_cpu_and_time(db, settings):
    settings.STEPWISE_SERVER_TIMING = True
    # A new client loads the middleware chain with the setting as it is now.
    response = Client().get(reverse("accounts:sign_in"))
    found = TIMING.match(response.headers["Server-Timing"])
    assert found, response.headers["Server-Timing"]
    cpu, total = float(found.group(1)), float(found.group(2))
    # A page takes some CPU, and the thread cannot spend more CPU than the time that passed.
    assert 0 < cpu <= total + 0.01
