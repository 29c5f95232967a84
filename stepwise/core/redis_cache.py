"""Django's Redis cache, keeping its `redis.Redis` client instead of making one per call.

Django's `RedisCacheClient.get_client` wraps its connection pool in a new `redis.Redis` for
every cache call, and redis-py's constructor costs about 50 µs (redis 8.1 on this machine):
a signed-in page reads its session from the cache, so every page paid it at least once. The
client is thread-safe and holds nothing but the pool, so one per pool is kept; Django already
keeps one cache object (and so one set of pools) per thread.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
