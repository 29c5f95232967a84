"""How production serves (docs/adr/0018-production-server.md): PostgreSQL connections from a
pool, or persistent ones checked before reuse; sessions in Redis when there is one; and the
loopback-only settings `make serve` uses, which refuse any other host.

Each reads a settings module in a subprocess (settings are read once per process)."""

import json
import subprocess
import sys

from stepwise.core.tests.production import BASE_DIR, production_env

PROBE = """
import importlib, json, os
s = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
db = s.DATABASES["default"]
print(json.dumps({
    "pool": db.get("OPTIONS", {}).get("pool"),
    "binding": db.get("OPTIONS", {}).get("server_side_binding"),
    "prepare": db.get("OPTIONS", {}).get("prepare_threshold", "absent"),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "health_checks": db.get("CONN_HEALTH_CHECKS"),
    "sessions": s.SESSION_ENGINE.rsplit(".", 1)[1],
    "debug": s.DEBUG,
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "secure_cookies": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "session_cookie": s.SESSION_COOKIE_NAME,
    "static": s.STORAGES["staticfiles"]["BACKEND"].rsplit(".", 1)[1],
    "server_timing": s.STEPWISE_SERVER_TIMING,
    "middleware": s.MIDDLEWARE,
}))
"""
POSTGRES = "postgres://stepwise@db.example:5432/stepwise"


def _settings(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={**production_env(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _read(tmp_path, **env) -> dict:
    result = _settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_come_from_a_pool_in_each_process(tmp_path):
    settings = _read(tmp_path, DATABASE_URL=POSTGRES)
    assert settings["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert settings["conn_max_age"] == 0  # Django refuses a pool with persistent connections
    bigger = _read(tmp_path, DATABASE_URL=POSTGRES, STEPWISE_DB_POOL_SIZE="8")
    assert bigger["pool"]["max_size"] == 8


def test_without_the_pool_connections_persist_and_are_checked_before_reuse(tmp_path):
    settings = _read(tmp_path, DATABASE_URL=POSTGRES, STEPWISE_DB_POOL_SIZE="0")
    assert settings["pool"] is None
    assert settings["conn_max_age"] == 60 and settings["health_checks"] is True


def test_postgresql_is_sent_values_apart_and_keeps_repeated_queries_prepared(tmp_path):
    settings = _read(tmp_path, DATABASE_URL=POSTGRES)
    assert settings["binding"] is True and settings["prepare"] == 2
    # Behind a pooler that cannot keep prepared statements, they can be turned off.
    assert _read(tmp_path, DATABASE_URL=POSTGRES, STEPWISE_DB_PREPARE_AFTER="0")["prepare"] is None
    # SQLite has neither.
    sqlite = _read(tmp_path)
    assert sqlite["binding"] is None and sqlite["prepare"] == "absent"


def test_sessions_live_in_redis_when_there_is_one(tmp_path):
    assert _read(tmp_path)["sessions"] == "db"
    assert _read(tmp_path, REDIS_URL="redis://127.0.0.1:1/0")["sessions"] == "cache"


LOOPBACK = {
    "DJANGO_SETTINGS_MODULE": "config.settings.serve_local",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "STEPWISE_SITE_URL": "http://127.0.0.1:8000",
}


def test_serve_local_is_production_over_plain_http_on_loopback(tmp_path):
    settings = _read(tmp_path, **LOOPBACK, DATABASE_URL=POSTGRES)
    assert settings["debug"] is False
    assert settings["static"] == "CompressedManifestStaticFilesStorage"
    assert settings["pool"]["max_size"] == 4
    assert settings["ssl_redirect"] is False
    assert settings["secure_cookies"] == [False, False]
    assert settings["session_cookie"] == "sessionid"
    # Production itself keeps them.
    production = _read(tmp_path)
    assert production["ssl_redirect"] is True and production["secure_cookies"] == [True, True]
    assert production["session_cookie"] == "__Host-sessionid"
    # Only the measuring server tells each response's timings.
    assert settings["server_timing"] is True and production["server_timing"] is False


def test_static_files_are_served_straight_after_the_security_middleware(tmp_path):
    middleware = _read(tmp_path)["middleware"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert middleware.count("whitenoise.middleware.WhiteNoiseMiddleware") == 1


def test_serve_local_refuses_a_real_host_name(tmp_path):
    refused = _settings(
        tmp_path, **{**LOOPBACK, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,stepwise.nhs.uk"}
    )
    assert refused.returncode != 0
    assert "loopback only: DJANGO_ALLOWED_HOSTS" in refused.stderr


def test_serve_local_refuses_a_site_address_that_is_not_plain_loopback(tmp_path):
    for site in ("https://stepwise.nhs.uk", "http://stepwise.nhs.uk", "https://127.0.0.1"):
        refused = _settings(tmp_path, **{**LOOPBACK, "STEPWISE_SITE_URL": site})
        assert refused.returncode != 0, site
        assert "loopback only: STEPWISE_SITE_URL" in refused.stderr


GUNICORN_PROBE = """
import gc, runpy, sys
config = runpy.run_path("gunicorn.conf.py")
before = gc.get_freeze_count()
config["post_worker_init"](None)
print(config["worker_class"], before, gc.get_freeze_count() > before, sys.getswitchinterval())
"""


def test_each_worker_freezes_what_loading_made_and_lets_threads_take_turns_every_ms():
    # Full collections scanning the loaded app were the slow tail of large pages (ADR 18).
    probe = subprocess.run(
        [sys.executable, "-c", GUNICORN_PROBE], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert probe.stdout.split() == ["gthread", "0", "True", "0.001"], probe.stderr
