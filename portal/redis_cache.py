"""Django's Redis cache backend, with one Redis client per server kept for good.

Django's backend makes a new ``redis.Redis`` client for every cache call, and a
client's constructor fills a table of some 170 reply handlers: on a page-cache hit
that cost more than the round trip to Redis itself. A client is only a thin,
thread-safe wrapper around the connection pool Django already keeps per server,
so one is made per server and reused.

It also carries what the page cache needs to keep its content version in each
process (``portal/version_watch.py``): a version written and published in one
``MULTI``, and a pub/sub connection to hear about it.

Everything else (pools, serialisation, timeouts, the settings' ``OPTIONS``) is
Django's own.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from .version_watch import VersionWatch, watch_for


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

    def set_and_publish(self, key: str, value: str, *, channel: str) -> None:
        """Store ``value`` under ``key`` for good and publish it on ``channel``, in one
        transaction: every subscriber hears the versions in the order they were set."""
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(self.make_and_validate_key(key), self._cache._serializer.dumps(value))
        pipeline.publish(channel, value)
        pipeline.execute()

    def publish(self, channel: str, message: str) -> None:
        self._cache.get_client(write=True).publish(channel, message)

    def version_watch(self) -> VersionWatch | None:
        """This process's watch of the content version on this server (None: off)."""
        return watch_for(tuple(self._servers), self._pubsub)

    def _pubsub(self):
        return self._cache.get_client().pubsub(ignore_subscribe_messages=False)
