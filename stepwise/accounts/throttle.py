"""Sign-in throttling, per account and per address, with a cool-off that always expires.

Counts live in the shared cache and expire after the cool-off, so nobody can lock a nurse
out for good, and the limit per address is higher than per account because a whole
hospital may share one address.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from stepwise.accounts.models import normalise_email


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    account = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    return [
        (f"sign-in:account:{account}", settings.STEPWISE_SIGN_IN_LIMIT_PER_ACCOUNT),
        (f"sign-in:address:{address}", settings.STEPWISE_SIGN_IN_LIMIT_PER_ADDRESS),
    ]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def is_locked(email: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(email, address))


def record_failure(email: str, address: str) -> None:
    timeout = int(settings.STEPWISE_SIGN_IN_COOL_OFF.total_seconds())
    for key, _limit in _keys(email, address):
        # add() starts the window; incr() keeps its expiry.
        if not cache.add(key, 1, timeout):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout)


def clear(email: str, address: str) -> None:
    account_key = _keys(email, address)[0][0]
    cache.delete(account_key)


def cool_off_minutes() -> int:
    return int(settings.STEPWISE_SIGN_IN_COOL_OFF.total_seconds() // 60)
