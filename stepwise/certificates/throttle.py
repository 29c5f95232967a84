"""A limit on public checks per client address, so nobody can try serials in bulk.

Fixed one-minute windows, counted atomically with every other process (stepwise.core.throttle)
by the client's address behind the trusted proxies. A whole hospital may share one address, so
the limit is per minute, not per day.
"""

from django.conf import settings

from stepwise.core import throttle

WINDOW_SECONDS = 60


def allow(request, scope: str = "verify") -> bool:
    """Count this request; False once the address has used up this minute's allowance."""
    limit = throttle.Limit(
        f"public-{scope}", settings.STEPWISE_VERIFY_LIMIT_PER_MINUTE, WINDOW_SECONDS
    )
    return not throttle.attempt((limit, throttle.client_address(request))).refused


def retry_after() -> int:
    """Seconds until the current window ends."""
    return throttle.seconds_left(WINDOW_SECONDS)
