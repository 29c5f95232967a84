"""The cache REDIS_URL names: production's Redis client is installed, and the test settings use
that Redis (a database of its own) instead of memory, so the throttle tests can run against it."""

import os
import subprocess
import sys

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from stepwise.core.redis_cache import RedisCache
from stepwise.core.tests.production import BASE_DIR, production_env

CACHE_PROBE = """
import django
django.setup()
from django.core.cache import caches
print(type(caches["default"]).__name__)
caches["default"]._cache  # the Redis client, which imports redis: no server needed to make it
print("client ready")
"""
# The settings module alone, without starting Django: quicker.
SETTINGS_PROBE = """
import importlib, os
settings = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[1])
"""


def _probe(env: dict, code: str = CACHE_PROBE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_with_redis_url_make_a_redis_client(tmp_path):
    # Nothing listens on port 1: making the client must not need the server.
    result = _probe({**production_env(tmp_path), "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "client", "ready"]


def test_the_test_settings_use_redis_when_redis_url_names_a_database_of_its_own():
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    assert _probe(env, SETTINGS_PROBE).stdout.strip() == "LocMemCache"
    redis_env = {**env, "REDIS_URL": "redis://127.0.0.1:1/15"}
    assert _probe(redis_env, SETTINGS_PROBE).stdout.strip() == "RedisCache"
    refused = _probe({**env, "REDIS_URL": "redis://127.0.0.1:1/0"}, SETTINGS_PROBE)
    assert refused.returncode != 0
    assert "REDIS_URL must name a database of its own" in refused.stderr


def test_this_run_uses_the_cache_the_environment_names(db):
    # In the Redis run (.ci/run) a value written here is in that Redis; otherwise in memory.
    cache.set("stepwise-cache-probe", "here", 30)
    url = os.environ.get("REDIS_URL", "")
    if url:
        assert redis.Redis.from_url(url).exists(cache.make_key("stepwise-cache-probe")) == 1
    else:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert cache.get("stepwise-cache-probe") == "here"


def test_the_redis_cache_keeps_one_client_per_pool_instead_of_one_per_call():
    # Nothing listens on port 1: making clients needs no server.
    kept = RedisCache("redis://127.0.0.1:1/15", {})._cache
    reading = kept.get_client("a")
    assert isinstance(reading, redis.Redis)
    assert kept.get_client("b") is reading
    assert kept.get_client("c", write=True) is kept.get_client("d", write=True)
    assert reading.connection_pool is kept._get_connection_pool(write=False)
    # Django's own makes a new one each time (about 50 µs each).
    assert DjangoRedisCache("redis://127.0.0.1:1/15", {})._cache.get_client() is not (
        DjangoRedisCache("redis://127.0.0.1:1/15", {})._cache.get_client()
    )


def test_replicas_keep_a_client_each():
    kept = RedisCache("redis://127.0.0.1:1/15,redis://127.0.0.1:2/15", {})._cache
    assert kept.get_client(write=True).connection_pool is kept._get_connection_pool(write=True)
    writer = kept.get_client(write=True)
    assert writer.connection_pool.connection_kwargs["port"] == 1
