"""Settings shared by every environment. Values that vary come from environment variables."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config.env import env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("STEPWISE_DATA_DIR", str(BASE_DIR / "data")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-never-used-in-production")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_URL = env_str("STEPWISE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # Two-step sign-in's devices (stepwise.accounts.mfa); before our apps, so accounts' admin
    # can take their admin pages away.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "stepwise.core",
    "stepwise.organisations",
    "stepwise.accounts",
    "stepwise.frameworks",
    "stepwise.progress",
    "stepwise.certificates",
    "stepwise.notifications",
    "stepwise.passports",
    "stepwise.reports",
    "stepwise.feedback",
    "stepwise.training",
    "stepwise.privacy",
    "stepwise.demo",
]

MIDDLEWARE = [
    # First, to time all the rest; only when measuring (STEPWISE_SERVER_TIMING).
    "stepwise.core.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside the session middleware, so it sees the session cookie a response sets.
    "stepwise.core.middleware.ResponseHeadersMiddleware",
    "stepwise.core.middleware.HttpMethodsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff (and anyone who turned it on) pass the second step before any page.
    "stepwise.accounts.middleware.TwoStepSignInMiddleware",
    "stepwise.core.security_events.RefusalsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "stepwise.core.session_lifetime.SessionLifetimeMiddleware",
    # Where this person is signed in: last active, at most every five minutes.
    "stepwise.accounts.signed_in.SignedInSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Jinja2 first (our pages); the Django engine stays for the admin.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "stepwise.core.jinja2.environment",
            "context_processors": ["stepwise.core.context_processors.layout"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

# SQLite by default: a file in the data folder, WAL, IMMEDIATE transactions so that a
# write transaction takes the lock up front instead of failing half-way with "database is
# locked". PostgreSQL when DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL", "")
# PostgreSQL: each worker process keeps a pool of connections (psycopg's, through Django), or,
# with STEPWISE_DB_POOL_SIZE=0, one persistent connection per thread, checked before reuse
# (docs/adr/0018-production-server.md has the measurements).
DB_POOL_SIZE = env_int("STEPWISE_DB_POOL_SIZE", 4)
# PostgreSQL keeps a query's plan once it has run this many times on a connection; 0 never
# (for a pooler such as PgBouncer in transaction mode, which cannot keep prepared statements).
DB_PREPARE_AFTER = env_int("STEPWISE_DB_PREPARE_AFTER", 2)


def _database(url: str) -> dict:
    database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if database["ENGINE"] == "django.db.backends.postgresql" and DB_POOL_SIZE > 0:
        # The pool keeps the connections, so Django must not (it refuses both at once).
        database.update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_SIZE,
            "timeout": 10,
        }
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Values sent apart from the SQL, and a query run DB_PREPARE_AFTER times on a
        # connection kept prepared: PostgreSQL plans it once, and psycopg does not quote
        # values into the text. The load test's PostgreSQL CPU a request fell from 4.5-5.2 to
        # 2.7-3.4 ms (ADR 18, addendum).
        options = database.setdefault("OPTIONS", {})
        options["server_side_binding"] = True
        options["prepare_threshold"] = DB_PREPARE_AFTER or None
    return database


if DATABASE_URL:
    DATABASES = {"default": _database(DATABASE_URL)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "stepwise.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
# Optional: the reports read from a replica of the database (reports/routers.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["stepwise.reports.routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["stepwise.accounts.backends.EmailBackend"]

# Passkeys (django-otp-webauthn) are a second step only, after the password (ADR 17): the
# library's passwordless sign-in is off, and its backend is not among the ones above. The
# relying party id and the origin a passkey answers are read from SITE_URL at each request
# (stepwise.accounts.passkeys); the allowed origins here are for the library's system check.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_RP_NAME = "Stepwise"
OTP_WEBAUTHN_RP_ID_CALLABLE = "stepwise.accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "stepwise.accounts.passkeys.PasskeyHelper"
_site = urlsplit(SITE_URL)
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]
if _site.scheme == "http" and _site.hostname in ("127.0.0.1", "::1"):
    # Plain HTTP on a loopback address (make run, make serve, the tests): browsers offer
    # passkeys on http://localhost but never on an address, and the pages say so when a
    # browser cannot. The library's check would refuse to start the site at all; anywhere
    # else it stands, so a real site on plain HTTP does not start.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # OWASP ASVS
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "stepwise.accounts.passwords.NotTheCurrentPasswordValidator"},
    {
        # "Stepwise", "NHS", "nurse"... do not count towards the 12 characters.
        "NAME": "stepwise.accounts.passwords.ContextWordsValidator",
        "OPTIONS": {"min_length": 12},
    },
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Inactivity timeout: the session lasts this long after the last request (ward tablets are shared).
SESSION_COOKIE_AGE = env_int("STEPWISE_SESSION_MINUTES", 30) * 60
# Renewed by core.session_lifetime at most once a minute, not by a write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
# However active, a session ends this many hours after signing in (a long shift), and the
# person signs in again (stepwise/core/session_lifetime.py).
STEPWISE_SESSION_MAX_HOURS = env_int("STEPWISE_SESSION_MAX_HOURS", 12)
# Each response's CPU and time in a Server-Timing header, for measuring only (serve_local).
STEPWISE_SERVER_TIMING = False

# Throttling (docs/adr/0006-throttling.md). Counts run in fixed windows that end by themselves.
# Sign-in: failed attempts per account from devices it has not signed in on (and from each
# device it has, counted apart), per window of the cool-off; and per client address, per
# 5 minutes, for devices new to the account.
STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT = env_int("STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT", 5)
STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS = env_int("STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS", 50)
STEPWISE_SIGN_IN_COOL_OFF = timedelta(minutes=env_int("STEPWISE_SIGN_IN_COOL_OFF_MINUTES", 15))
# Password reset emails asked for per account and per client address, per hour.
STEPWISE_PASSWORD_RESET_LIMIT_PER_ACCOUNT = env_int("STEPWISE_PASSWORD_RESET_LIMIT_PER_ACCOUNT", 3)
STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("STEPWISE_PASSWORD_RESET_LIMIT_PER_ADDRESS", 30)
# Registrations through a Trust's link (each sends a confirmation email) per email address and
# per client address, per hour. A cohort registering together on induction day shares the
# hospital's address, hence the higher one.
STEPWISE_REGISTRATION_LIMIT_PER_EMAIL = env_int("STEPWISE_REGISTRATION_LIMIT_PER_EMAIL", 3)
STEPWISE_REGISTRATION_LIMIT_PER_ADDRESS = env_int("STEPWISE_REGISTRATION_LIMIT_PER_ADDRESS", 60)
# How many proxies (load balancers) in front of the service append to X-Forwarded-For; the
# client's address is the entry the outermost of them added. 0: REMOTE_ADDR, the header ignored.
STEPWISE_TRUSTED_PROXY_COUNT = env_int("STEPWISE_TRUSTED_PROXY_COUNT", 0)

# The access log (who looked at whose record) is kept this many days; `manage.py
# expire_access_log`, run daily, removes older records.
STEPWISE_ACCESS_LOG_DAYS = env_int("STEPWISE_ACCESS_LOG_DAYS", 730)

# "Where you are signed in" keeps each sign-in's device and address; `manage.py
# expire_signed_in_sessions`, run daily, removes those last seen more than this many days ago.
STEPWISE_SIGNED_IN_DAYS = env_int("STEPWISE_SIGNED_IN_DAYS", 30)

# Evidence files of a withdrawn enrolment are deleted this many days after the withdrawal by
# `manage.py expire_evidence` (run daily); the record that they existed stays
# (docs/data-protection.md).
STEPWISE_EVIDENCE_RETENTION_DAYS = env_int("STEPWISE_EVIDENCE_RETENTION_DAYS", 365)

# Files of background report downloads (they hold learners' names) are kept this many days;
# `manage.py expire_report_exports`, run daily, removes older ones.
STEPWISE_REPORT_EXPORT_DAYS = env_int("STEPWISE_REPORT_EXPORT_DAYS", 7)

# Single sign-on with OpenID Connect (NHS CIS2 or any provider; docs/adr/0019-single-sign-on.md).
# Off unless the issuer, client id and secret are all set: then the sign-in page offers it.
STEPWISE_OIDC_ISSUER = env_str("STEPWISE_OIDC_ISSUER", "")
STEPWISE_OIDC_CLIENT_ID = env_str("STEPWISE_OIDC_CLIENT_ID", "")
STEPWISE_OIDC_CLIENT_SECRET = env_str("STEPWISE_OIDC_CLIENT_SECRET", "")
STEPWISE_OIDC_SCOPES = env_str("STEPWISE_OIDC_SCOPES", "openid email profile")
STEPWISE_OIDC_BUTTON_LABEL = env_str("STEPWISE_OIDC_BUTTON_LABEL", "Sign in with NHS Care Identity")
# How the service proves itself at the token endpoint: client_secret_basic or client_secret_post.
STEPWISE_OIDC_TOKEN_AUTH_METHOD = env_str("STEPWISE_OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
# An ID token whose `amr` holds one of these, or whose `acr` is one of the next, proves the
# person used more than one factor at the provider, so the service asks no code of its own.
STEPWISE_OIDC_MFA_AMR = env_list("STEPWISE_OIDC_MFA_AMR", "mfa")
STEPWISE_OIDC_MFA_ACR = env_list("STEPWISE_OIDC_MFA_ACR", "")
# Seconds to wait for the provider (discovery, keys, token) before telling the person it is down.
STEPWISE_OIDC_TIMEOUT_SECONDS = env_int("STEPWISE_OIDC_TIMEOUT_SECONDS", 10)

# Invitations and email verification links.
STEPWISE_INVITATION_DAYS = env_int("STEPWISE_INVITATION_DAYS", 14)
STEPWISE_VERIFICATION_DAYS = env_int("STEPWISE_VERIFICATION_DAYS", 3)

# Uploads: a request body may carry a file this large; each importer checks its own limit.
STEPWISE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Django's default of 1,000 fields is too few for one-form pages: a review of a whole Step
# (14 fields per proficiency, 500 proficiencies) sends 7,000. The memory limit above still
# caps what a request may carry.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Digital credentials (Open Badges 3.0, signed VC-JWT). STEPWISE_SIGNING_KEYS is a JSON list of
# {"kid": ..., "private_key": "<RSA PEM>"}, newest first: the first signs, all are published so
# older credentials still verify. STEPWISE_SIGNING_KEYS_FILE names a file holding that list.
# With neither, a key is generated on first use into the data folder (development only).
STEPWISE_SIGNING_KEYS = env_str("STEPWISE_SIGNING_KEYS", "")
STEPWISE_SIGNING_KEYS_FILE = env_str("STEPWISE_SIGNING_KEYS_FILE", "")
STEPWISE_SIGNING_KEYS_DIR = DATA_DIR / "signing-keys"
# Public certificate and credential checks allowed per network address per minute.
STEPWISE_VERIFY_LIMIT_PER_MINUTE = env_int("STEPWISE_VERIFY_LIMIT_PER_MINUTE", 30)
# The largest credential file (or pasted credential) the check page reads.
STEPWISE_CREDENTIAL_MAX_BYTES = 1024 * 1024
# Learner passports (docs/passport.md): issuers whose passports are accepted, besides this one.
STEPWISE_TRUSTED_ISSUERS = env_str("STEPWISE_TRUSTED_ISSUERS", "")
STEPWISE_TRUSTED_ISSUERS_FILE = env_str("STEPWISE_TRUSTED_ISSUERS_FILE", "")
STEPWISE_PASSPORT_MAX_BYTES = 1024 * 1024

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "stepwise.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "stepwise_cache",
        }
    }
# Throttle counts: Redis counts atomically; without it a table does (the database cache can't).
STEPWISE_THROTTLE_STORE = "cache" if REDIS_URL else "database"
# Sessions: in Redis when there is one, so the session saved on every request (the inactivity
# timeout) is no database write; in the database otherwise.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cache" if REDIS_URL else "django.contrib.sessions.backends.db"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Stepwise <no-reply@stepwise.invalid>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = EMAIL_PORT == 587

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk")]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A nonce-based content security policy: no inline script or style without the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],  # OWASP ASVS V3.4.3: no <base> may redirect relative links
        "object-src": [NONE],
    }
}

# Browser features the service never uses, turned off for its pages and anything they embed.
# Evidence photos come through <input type="file" capture>, which needs no camera permission.
# Passkeys (a second step, ADR 17) are made and used by the site's own pages, nothing embedded.
PERMISSIONS_POLICY = {
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
} | {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Virus scanning of uploads with clamd (docs/security.md): unix:///path or tcp://host:port;
# empty = no scanning.
STEPWISE_CLAMD = env_str("STEPWISE_CLAMD", "")
STEPWISE_CLAMD_TIMEOUT_SECONDS = env_int("STEPWISE_CLAMD_TIMEOUT_SECONDS", 30)

# The security event log (docs/security.md): one JSON line per event, on a handler of its own:
# stderr, or this file (reopened when rotated away, for logrotate).
STEPWISE_SECURITY_LOG_FILE = env_str("STEPWISE_SECURITY_LOG_FILE", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "stepwise.core.json_logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": (
            {
                "class": "logging.handlers.WatchedFileHandler",
                "filename": STEPWISE_SECURITY_LOG_FILE,
                "formatter": "json",
            }
            if STEPWISE_SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "json"}
        ),
    },
    "root": {"handlers": ["console"], "level": env_str("STEPWISE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "stepwise.security": {"handlers": ["security"], "level": "INFO", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "stepwise.core.views.csrf_failure"
