"""The content version, remembered in the process and kept current by Redis pub/sub.

With the cache in Redis every page-cache hit used to read the version from Redis:
one round trip, most of a hit's cost. Instead each process subscribes (a daemon
thread, started on first use, one per Redis server) to the channel every new
version is published on, in the same ``MULTI`` as the ``SET`` that stores it
(``portal.redis_cache.RedisCache.set_and_publish``), so every process learns a
new version a moment (a local message, well under a millisecond) after it is
written. Between changes a hit needs no round trip for the version; with the
page itself kept in the process too (``portal/hot_pages.py``), none at all.

Remembered only while it is sure to be told of a change:

- only while subscribed: a read of the version counts only when the subscription
  was confirmed before the read was sent and no message came in between (a
  message published meanwhile is newer than the value read);
- a lost or renewed subscription (Redis restarted, a broken connection) forgets
  the version: hits read it from Redis again until it is back, or go uncached
  when Redis is down;
- for at most ``PAGE_CACHE_VERSION_SECONDS`` (default 1; 0 turns all this off):
  a change that was written without a message (a key flushed or evicted, a
  version set by hand) shows within that time.

A publication therefore shows in every process as soon as the message arrives,
and through nginx's micro-cache within its own bound (``portal/edge.py``); in the
failure cases above, at most ``PAGE_CACHE_VERSION_SECONDS`` later.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings

from .lifetimes import _Clearable

logger = logging.getLogger(__name__)

CHANNEL = "portal:content-version"
# How long a wait for a message lasts before the thread looks again (a shorter
# wait only costs wake-ups); and the pause before subscribing again after a failure.
LISTEN_SECONDS = 5.0
RETRY_SECONDS = 1.0


class VersionWatch(_Clearable):
    """The version as the channel last said, for one Redis server, in this process."""

    def __init__(self, pubsub: Callable[[], object]) -> None:
        super().__init__()
        self._pubsub = pubsub
        self._lock = threading.Lock()
        self._listening = False
        # Counts messages, subscriptions and losses: a read that saw it move may be old.
        self._changes = 0
        self._thread: threading.Thread | None = None
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._changes += 1
            self._known: tuple[str, float] | None = None

    # What requests call ----------------------------------------------------------

    def current(self) -> str | None:
        """The version, if known for sure; None: read it from Redis."""
        self._start()
        known = self._known
        if known is None or not self._listening:
            return None
        version, learned_at = known
        if time.monotonic() - learned_at >= settings.PAGE_CACHE_VERSION_SECONDS:
            return None
        return version

    def ticket(self) -> int | None:
        """Taken before reading the version from Redis, for ``learned()``."""
        return self._changes if self._listening else None

    def learned(self, version: str, *, ticket: int | None) -> None:
        """``version`` was read from Redis after ``ticket`` was taken."""
        with self._lock:
            if ticket is not None and self._listening and ticket == self._changes:
                self._known = (version, time.monotonic())

    def wrote(self, version: str) -> None:
        """This process wrote (and published) ``version``: no need to wait for the echo."""
        with self._lock:
            self._changes += 1
            self._known = (version, time.monotonic()) if self._listening else None

    # The listening thread ----------------------------------------------------------

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._listen, name="portal-version-watch", daemon=True
                    )
                    self._thread.start()

    def _listen(self) -> None:
        while True:
            pubsub = None
            try:
                pubsub = self._pubsub()
                pubsub.subscribe(CHANNEL)
                while True:
                    message = pubsub.get_message(timeout=LISTEN_SECONDS)
                    if message is not None:
                        self._heard(message)
            except Exception as error:
                self._lost(error)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()
            time.sleep(RETRY_SECONDS)

    def _heard(self, message: dict) -> None:
        kind = message["type"]
        if kind not in {"message", "subscribe", "unsubscribe"}:
            return  # a pong, say: says nothing about the version
        with self._lock:
            self._changes += 1
            if kind == "message":
                data = message["data"]
                version = data.decode() if isinstance(data, bytes) else str(data)
                self._known = (version, time.monotonic())
            else:
                # (Re)subscribed: what was missed meanwhile is unknown.
                self._listening = kind == "subscribe"
                self._known = None

    def _lost(self, error: Exception) -> None:
        with self._lock:
            self._changes += 1
            was_listening, self._listening, self._known = self._listening, False, None
        if was_listening:
            logger.warning(
                "Lost the content version channel (%s: %s); reading the version from "
                "Redis on every request until it is back",
                type(error).__name__,
                error,
            )


_watches: dict[tuple[int, tuple[str, ...]], VersionWatch] = {}
_watches_lock = threading.Lock()


def watch_for(servers: tuple[str, ...], pubsub: Callable[[], object]) -> VersionWatch | None:
    """The watch of this process on ``servers``; None when it is turned off.

    Per process id: a forked worker does not inherit its parent's thread.
    """
    if settings.PAGE_CACHE_VERSION_SECONDS <= 0:
        return None
    key = (os.getpid(), servers)
    watch = _watches.get(key)
    if watch is None:
        with _watches_lock:
            watch = _watches.setdefault(key, VersionWatch(pubsub))
    return watch
