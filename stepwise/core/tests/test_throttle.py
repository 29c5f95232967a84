"""The counting under every limit: fixed windows that end by themselves, atomic under a burst,
in both stores (the table, and the cache: Redis when the tests run with REDIS_URL); and the
client's address behind trusted proxies (issue 8, point 6)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory

from stepwise.core import throttle
from stepwise.core.models import AttemptCount
from stepwise.core.tests.throttling import START, clock, fresh_counts

__all__ = ["clock", "fresh_counts"]

FIFTEEN_MINUTES = throttle.Limit("test-account", 5, 15 * 60)
OTHER = throttle.Limit("test-address", 2, 5 * 60)


@pytest.fixture(params=["database", "cache"])
def store(request, settings, fresh_counts):
    """Both ways of counting; "cache" is Redis when REDIS_URL is set, else the test cache."""
    settings.STEPWISE_THROTTLE_STORE = request.param
    return request.param


def take(limit=FIFTEEN_MINUTES, key="nurse@example.org"):
    return throttle.attempt((limit, key))


@pytest.mark.django_db
class TestWindows:
    def test_the_limit_is_allowed_then_refused_until_the_window_ends(self, store, clock):
        assert [take().refused for _ in range(6)] == [False] * 5 + [True]
        assert take().retry_after == 15 * 60
        clock.advance(15 * 60 - 1)
        assert take().retry_after == 1
        clock.advance(1)
        assert not take().refused

    def test_refused_attempts_neither_extend_the_window_nor_count(self, store, clock):
        for _ in range(5):
            take()
        for _ in range(14):
            clock.advance(60)
            assert take().refused
        clock.advance(60)
        assert [take().refused for _ in range(6)] == [False] * 5 + [True]

    def test_released_places_are_given_back(self, store, clock):
        for _ in range(4):
            take()
        take().release()
        take().release()
        assert not take().refused
        assert take().refused

    def test_a_refused_attempt_holds_no_place_in_its_other_limits(self, store, clock):
        for _ in range(5):
            take()
        refused = throttle.attempt((OTHER, "10.0.0.1"), (FIFTEEN_MINUTES, "nurse@example.org"))
        assert refused.refused and refused.retry_after == 15 * 60
        assert [take(OTHER, "10.0.0.1").refused for _ in range(3)] == [False, False, True]

    def test_the_longest_wait_is_given_when_several_limits_are_full(self, store, clock):
        for _ in range(5):
            take()
        for _ in range(2):
            take(OTHER, "10.0.0.1")
        clock.advance(60)
        both = throttle.attempt((OTHER, "10.0.0.1"), (FIFTEEN_MINUTES, "nurse@example.org"))
        assert both.retry_after == 14 * 60

    def test_limits_and_keys_are_counted_apart(self, store, clock):
        for _ in range(5):
            take()
        assert not take(key="colleague@example.org").refused
        assert not take(throttle.Limit("test-other", 5, 15 * 60)).refused


@pytest.mark.django_db
def test_the_table_keeps_no_email_and_sweeps_windows_that_have_ended(settings, clock):
    settings.STEPWISE_THROTTLE_STORE = "database"
    take(key="nurse@example.org")
    row = AttemptCount.objects.get()
    assert "nurse" not in row.key and len(row.key) == 64
    assert row.ends_at.timestamp() == START + 15 * 60
    clock.advance(15 * 60 + 1)
    take(key="someone.else@example.org")
    assert AttemptCount.objects.count() == 1


def test_counting_in_a_cache_that_cannot_count_atomically_is_refused(settings):
    settings.STEPWISE_THROTTLE_STORE = "cache"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "x"}
    }
    with pytest.raises(ImproperlyConfigured, match="not atomic"):
        take()


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_attempts_gets_no_more_places_than_the_limit(store):
    start = threading.Barrier(20)

    def two_attempts(_thread):
        try:
            start.wait(timeout=30)
            return [take().refused, take().refused]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        refused = [each for pair in pool.map(two_attempts, range(20)) for each in pair]
    assert refused.count(False) == 5


def address(proxies, remote="192.0.2.10", forwarded=None, settings=None):
    settings.STEPWISE_TRUSTED_PROXY_COUNT = proxies
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return throttle.client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the header is whatever the client wrote.
        (0, "192.0.2.10", "203.0.113.5", "192.0.2.10"),
        (0, "192.0.2.10", None, "192.0.2.10"),
        # One load balancer: the address it appended; entries on the left are the client's own.
        (1, "10.0.0.254", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.254", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.254", None, "10.0.0.254"),
        # A CDN then a load balancer: the CDN saw the client, the balancer saw the CDN.
        (2, "10.0.0.254", "1.1.1.1, 203.0.113.5, 198.51.100.1", "203.0.113.5"),
        # Fewer entries than proxies (one was skipped): the leftmost.
        (2, "10.0.0.254", "203.0.113.5", "203.0.113.5"),
        # Not an address: REMOTE_ADDR.
        (1, "10.0.0.254", "not-an-address", "10.0.0.254"),
        (1, "10.0.0.254", "203.0.113.5:51234", "203.0.113.5"),
        # IPv6 by its /64, which one household or device holds whole.
        (1, "10.0.0.254", "2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        (0, "2001:db8:1:2:bbbb::9", None, "2001:db8:1:2::/64"),
        (0, "::ffff:192.0.2.44", None, "192.0.2.44"),
        (0, "", None, "unknown"),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, remote, forwarded, expected):
    assert address(proxies, remote, forwarded, settings=settings) == expected
