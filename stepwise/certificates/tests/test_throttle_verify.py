"""The public check limit counts the client's address behind the trusted load balancer, not
the balancer's (issue 8, point 6), and a forwarded header from the client is not believed."""

import pytest
from django.urls import reverse

from stepwise.core.tests.throttling import clock, fresh_counts, production_cache

__all__ = ["clock", "fresh_counts", "production_cache"]

pytestmark = pytest.mark.usefixtures("production_cache", "clock")

BALANCER = "10.0.0.254"


def check(client, serial, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get(reverse("certificates:verify", args=[serial]), **headers).status_code


def test_behind_a_trusted_balancer_each_client_has_its_own_allowance(client, signed_off, settings):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 1
    settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 2
    serial = signed_off.serial
    assert [check(client, serial, BALANCER, "198.51.100.7") for _ in range(3)] == [200, 200, 429]
    # The same client writing another address on the left is still itself.
    assert check(client, serial, BALANCER, "9.9.9.9, 198.51.100.7") == 429
    # Another employer checking through the same balancer is not affected.
    assert check(client, serial, BALANCER, "203.0.113.9") == 200


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, signed_off, settings):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = 0
    settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE = 2
    serial = signed_off.serial
    statuses = [check(client, serial, "192.0.2.1", f"10.1.1.{n}") for n in range(3)]
    assert statuses == [200, 200, 429]
