"""Tests: fast hashing, emails kept in memory, tasks run at once."""

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
    # Tests use an in-memory database; the file settings stay for the real service.
    DATABASES["default"]["TEST"] = {"NAME": ""}
SITE_URL = "http://testserver"
