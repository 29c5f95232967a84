"""Tests: fast hashing, emails kept in memory, tasks run at once, a cache in memory unless
REDIS_URL names a Redis database for them."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if REDIS_URL:
    # The throttle tests against a real Redis (.ci/run). The tests clear the cache, so the URL
    # must name a database kept for them, never 0, where a Redis's other users usually are.
    if urlsplit(REDIS_URL).path.strip("/") in ("", "0"):
        raise ImproperlyConfigured(
            "For the tests, REDIS_URL must name a database of its own, which they clear: "
            "for example redis://127.0.0.1:6379/15"
        )
    CACHES = {"default": {"BACKEND": "stepwise.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASE_URL:
    # No pool in the tests: the race tests' threads and the browser tests' live server each
    # hold a connection at once, more than production's pool of a few would let them wait for.
    DATABASES["default"]["OPTIONS"].pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 60
else:
    # A real file, not SQLite's shared in-memory database: threads in the race tests and the
    # browser tests' live server must see SQLite's true locking (busy timeouts, IMMEDIATE
    # transactions), which shared-cache memory databases do not honour. One file per process
    # so parallel runs do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"stepwise-test-{os.getpid()}.sqlite3")
    }
SITE_URL = "http://testserver"
