"""Tests: fast hashing, emails kept in memory, tasks run at once."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASE_URL, DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not DATABASE_URL:
    # A real file, not SQLite's shared in-memory database: threads in the race tests and the
    # browser tests' live server must see SQLite's true locking (busy timeouts, IMMEDIATE
    # transactions), which shared-cache memory databases do not honour. One file per process
    # so parallel runs do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"stepwise-test-{os.getpid()}.sqlite3")
    }
SITE_URL = "http://testserver"
