"""Production: everything secret or site-specific must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
# The demo app seeds made-up people and builds benchmark data with its constraints dropped:
# neither belongs on a real site, so production does not install it.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "stepwise.demo"]  # noqa: F405
# WhiteNoise serves the collected static files straight after the security middleware.
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405 (a copy: the base settings' list is left as it is)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Set 1 behind a load balancer (one that overwrites X-Forwarded-For and -Proto), so throttles
# count the address it saw, not its own. 0 by default: reached directly, the header is the
# client's own writing, and trusting it would let anyone pick the address they are counted as.
STEPWISE_TRUSTED_PROXY_COUNT = env_int("STEPWISE_TRUSTED_PROXY_COUNT", 0)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# __Host- cookies are sent only over HTTPS, to this exact host, for the whole path.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Only for the smoke check (.ci/production-smoke), which speaks plain HTTP on loopback: cookies
# without Secure, and so without the __Host- prefix that requires it. Refused for any other host,
# so it cannot weaken a real site.
if env_bool("STEPWISE_LOOPBACK_CHECK_PLAIN_COOKIES", False):
    if not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:  # noqa: F405
        raise ImproperlyConfigured(
            "STEPWISE_LOOPBACK_CHECK_PLAIN_COOKIES is for the loopback smoke check only: "
            "DJANGO_ALLOWED_HOSTS must name only 127.0.0.1, localhost or [::1]."
        )
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
    SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
CSRF_TRUSTED_ORIGINS = [SITE_URL]  # noqa: F405
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
