"""Django's Redis cache backend, with one Redis client per server kept for good.

Django's backend makes a new ``redis.Redis`` client for every cache call, and a
client's constructor fills a table of some 170 reply handlers: on a page-cache hit
that cost more than the round trip to Redis itself. A client is only a thin,
thread-safe wrapper around the connection pool Django already keeps per server,
so one is made per server and reused.

Everything else (pools, serialisation, timeouts, the settings' ``OPTIONS``) is
Django's own.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClients
