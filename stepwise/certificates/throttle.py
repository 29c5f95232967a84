"""A limit on public checks per network address, so nobody can try serials in bulk.

A fixed one-minute window counted in the shared cache: every process sees the same count,
and the window ends by itself. A whole hospital may share one address, so the limit is per
minute, not per day.
"""

import time

from django.conf import settings
from django.core.cache import cache

from stepwise.accounts.throttle import client_address

WINDOW_SECONDS = 60


def _key(scope: str, address: str) -> str:
    return f"throttle:{scope}:{address}:{int(time.time() // WINDOW_SECONDS)}"


def allow(request, scope: str = "verify") -> bool:
    """Count this request; False once the address has used up this minute's allowance."""
    key = _key(scope, client_address(request))
    # add() starts the window's count; incr() keeps its expiry.
    if cache.add(key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.set(key, 1, WINDOW_SECONDS + 5)
            count = 1
    return count <= settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE


def retry_after() -> int:
    """Seconds until the current window ends."""
    return WINDOW_SECONDS - int(time.time() % WINDOW_SECONDS)
