"""Fixtures for the throttle tests: a clock moved by hand instead of sleeping, counts that start
at zero, and the cache production has when the counts live in the database."""

import time
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.core.cache.backends import db as db_cache
from django.core.management import call_command
from django.utils import timezone

# A time on a boundary of every window the tests use (a minute, 5 and 15 minutes, an hour).
START = 1_800_000_000.0


class Clock:
    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now

    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now, tz=UTC)

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """The whole service sees this time: time.time(), Django's timezone.now(), and the copy of
    it the database cache imported (its entries expire by it)."""
    fake = Clock(START)
    monkeypatch.setattr(time, "time", fake.time)
    monkeypatch.setattr(timezone, "now", fake.datetime)
    monkeypatch.setattr(db_cache, "tz_now", fake.datetime)
    return fake


@pytest.fixture
def fresh_counts():
    """Counts in the cache (Redis, when the tests run with REDIS_URL) outlive a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def production_cache(settings, db, fresh_counts):
    """Without Redis, production's cache is the database cache: use it here too, so nothing
    relies on the test settings' in-memory cache counting atomically."""
    if settings.STEPWISE_THROTTLE_STORE == "database":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "stepwise_test_cache",
            }
        }
        call_command("createcachetable", verbosity=0)
    return settings.CACHES["default"]["BACKEND"]
