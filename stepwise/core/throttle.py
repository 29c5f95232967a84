"""Counting attempts for limits that hold across every process: signing in, password reset
emails and public certificate checks (docs/adr/0006-throttling.md).

Each limit counts in fixed windows whose number is part of the key, so a window ends by
itself at a known time and nothing can extend it. An attempt takes its place *before* the
work it guards (checking a password, sending an email) and is refused without doing that
work once any of its windows is full, so a burst of parallel requests gets no more than the
limit. Taking a place is atomic: Redis's INCR when the counts live in the cache (REDIS_URL),
otherwise a conditional UPDATE on a small table. The database cache cannot count: its incr()
is a read then a write, and the write restarts the entry's expiry.

Requests are counted by the client's address: REMOTE_ADDR, or the address the outermost of
STEPWISE_TRUSTED_PROXY_COUNT proxies saw.
"""

import contextlib
import ipaddress
import math
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.utils.crypto import salted_hmac

from stepwise.core.models import AttemptCount

# Backends whose incr() is atomic and keeps the entry's expiry.
ATOMIC_CACHES = {
    "django.core.cache.backends.redis.RedisCache",
    "stepwise.core.redis_cache.RedisCache",  # Django's, keeping its client
    "django.core.cache.backends.locmem.LocMemCache",  # one process only: tests
}


@dataclass(frozen=True)
class Limit:
    """At most `count` attempts in each `seconds`-long window, for one kind of attempt."""

    scope: str
    count: int
    seconds: int


@dataclass(frozen=True)
class _Place:
    scope: str
    key: str
    window: int


@dataclass
class Attempt:
    """An attempt's place in each of its limits. Refused when any limit was full: then it
    holds no place, and `retry_after` says how many seconds until it may try again."""

    places: list[_Place] = field(default_factory=list)
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.retry_after > 0

    def release(self) -> None:
        """Give the places back: this attempt turned out not to count (the right password)."""
        for place in self.places:
            _give_back(place)
        self.places = []


def attempt(*limits: tuple[Limit, str]) -> Attempt:
    """Take a place in each (limit, key) for the current window, or none if any is full."""
    now = time.time()
    taken, retry_after = [], 0
    for limit, key in limits:
        window = int(now // limit.seconds)
        ends = (window + 1) * limit.seconds
        place = _Place(limit.scope, _hash(limit.scope, key), window)
        if _take(place, limit.count, ends, now):
            taken.append(place)
        else:
            retry_after = max(retry_after, math.ceil(ends - now))
    result = Attempt(places=taken)
    if retry_after:
        result.release()
        result.retry_after = retry_after
    return result


def seconds_left(seconds: int) -> int:
    """Seconds until the current window of this length ends."""
    now = time.time()
    return max(1, math.ceil((int(now // seconds) + 1) * seconds - now))


def client_address(request) -> str:
    """Where the request came from, as far as this service can trust.

    With no trusted proxy, REMOTE_ADDR: an X-Forwarded-For header is then whatever the client
    wrote, and is ignored. Each of the N trusted proxies appends the address it received the
    request from, so the N-th entry from the right is what the outermost proxy saw; entries
    further left were written by the client. A shorter header (the request skipped a proxy)
    gives its leftmost entry. IPv6 addresses count by their /64 network, which one household
    or device holds whole.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.STEPWISE_TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if proxies > 0 and forwarded:
        chosen = _network(forwarded[-min(proxies, len(forwarded))])
        if chosen:
            return chosen
    return _network(remote) or "unknown"


def _network(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        # "203.0.113.7:51234": some proxies add the port.
        host = address.rsplit(":", 1)[0].strip("[]") if address.count(":") == 1 else ""
        try:
            parsed = ipaddress.ip_address(host)
        except ValueError:
            return ""
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _hash(scope: str, key: str) -> str:
    # Counts never hold an email or an address, only this keyed hash of it.
    return salted_hmac(f"stepwise.throttle.{scope}", key, algorithm="sha256").hexdigest()


def _in_cache() -> bool:
    store = settings.STEPWISE_THROTTLE_STORE
    if store == "database":
        return False
    backend = settings.CACHES["default"]["BACKEND"]
    if store == "cache" and backend in ATOMIC_CACHES:
        return True
    raise ImproperlyConfigured(
        f"STEPWISE_THROTTLE_STORE is {store!r}: use 'database', or 'cache' with Redis "
        f"(the cache is {backend}, whose counting is not atomic)."
    )


def _take(place: _Place, limit: int, ends: float, now: float) -> bool:
    if _in_cache():
        name = _cache_key(place)
        for _ in range(2):
            # A little longer than the window, so a place given back just after it still finds it.
            cache.add(name, 0, timeout=math.ceil(ends - now) + 60)
            try:
                count = cache.incr(name)
                break
            except ValueError:  # it expired between add() and incr(): add it again
                continue
        else:
            return False
        if count > limit:
            _give_back(place)
            return False
        return True
    counts = AttemptCount.objects.filter(scope=place.scope, key=place.key, window=place.window)
    if counts.filter(count__lt=limit).update(count=F("count") + 1):
        return True
    if counts.exists():
        return False
    # The first attempt in this window: make its row (a parallel one may win), sweep rows of
    # windows that have ended, and try again.
    ends_at = datetime.fromtimestamp(ends, tz=UTC)
    AttemptCount.objects.bulk_create(
        [AttemptCount(scope=place.scope, key=place.key, window=place.window, ends_at=ends_at)],
        ignore_conflicts=True,
    )
    AttemptCount.objects.filter(ends_at__lt=datetime.fromtimestamp(now, tz=UTC)).delete()
    return bool(counts.filter(count__lt=limit).update(count=F("count") + 1))


def _give_back(place: _Place) -> None:
    if _in_cache():
        # ValueError: the window has ended and its count is gone.
        with contextlib.suppress(ValueError):
            cache.decr(_cache_key(place))
        return
    AttemptCount.objects.filter(
        scope=place.scope, key=place.key, window=place.window, count__gt=0
    ).update(count=F("count") - 1)


def _cache_key(place: _Place) -> str:
    return f"throttle:{place.scope}:{place.key}:{place.window}"
