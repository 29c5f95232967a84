"""LOOPBACK ONLY, PLAIN HTTP: production's settings, for measuring the production server on
this machine (`make serve`, `make loadtest`). Not for any site people use.

Everything is production's (DEBUG off, WhiteNoise with hashed static files, the same pools,
caches and sessions) except what plain HTTP on 127.0.0.1 cannot have: no redirect to HTTPS,
and cookies without `Secure` (and so without the `__Host-` prefix, which requires it). It
refuses to start unless every allowed host and the site's address are loopback, so a real
host name set by mistake stops it instead of serving with weakened cookies.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .production import *  # noqa: F403
from .production import ALLOWED_HOSTS, SITE_URL

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}

if not ALLOWED_HOSTS or not set(ALLOWED_HOSTS) <= LOOPBACK:
    raise ImproperlyConfigured(
        "config.settings.serve_local serves plain HTTP on loopback only: DJANGO_ALLOWED_HOSTS "
        f"must name only 127.0.0.1, localhost or [::1], not {','.join(ALLOWED_HOSTS)!r}. "
        "A real site uses config.settings.production."
    )
_site = urlsplit(SITE_URL)
if _site.scheme != "http" or _site.hostname not in {"127.0.0.1", "localhost", "::1"}:
    raise ImproperlyConfigured(
        "config.settings.serve_local serves plain HTTP on loopback only: STEPWISE_SITE_URL "
        f"must be http://127.0.0.1:PORT or similar, not {SITE_URL!r}."
    )

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
# `make loadtest` reads each request's CPU from its Server-Timing header (the median a request).
STEPWISE_SERVER_TIMING = True
